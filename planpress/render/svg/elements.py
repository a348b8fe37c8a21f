"""Building SVG source: elements with escaped attributes, the root element, chart ids.

Internally the renderers pass around `str` pieces of SVG source that are already safe; user
text only ever enters through `escaped` (in `text`, `title` and attribute values), so escaping
happens in exactly one place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from markupsafe import Markup

from planpress.render.svg.style import stylesheet
from planpress.render.svg.text import _NEEDS_WORK, escaped, num

SVG_NS = "http://www.w3.org/2000/svg"
AttrValue = str | float | int | None
Attrs = Mapping[str, AttrValue]


def value_text(value: AttrValue) -> str:
    """An attribute's value as written between its quotes."""
    if type(value) is str:  # the usual case, and mostly with nothing to escape
        return value if _NEEDS_WORK.search(value) is None else escaped(value)
    if isinstance(value, float):
        return num(value)
    if isinstance(value, int):
        return str(value)
    return escaped(value)


def attrs(values: Attrs) -> str:
    """' name="value"' pairs in the given order; None values are left out."""
    out = []
    for name, value in values.items():  # a loop, not value_text per pair: charts have thousands
        kind = type(value)
        if kind is float:
            out.append(f' {name}="{num(value)}"')
        elif kind is str and _NEEDS_WORK.search(value) is None:
            out.append(f' {name}="{value}"')
        elif value is not None:
            out.append(f' {name}="{value_text(value)}"')
    return "".join(out)


def tag(name: str, values: Attrs | None = None, *children: str) -> str:
    """An element; `children` are SVG source (already escaped)."""
    head = f"<{name}{attrs(values)}" if values else f"<{name}"
    if not children:
        return head + "/>"
    return f"{head}>{''.join(children)}</{name}>"


def text(x: float, y: float, content: str, cls: str | None = None, **extra: AttrValue) -> str:
    """A <text> element; `content` is plain text and gets escaped here."""
    head = f'<text x="{num(float(x))}" y="{num(float(y))}"'
    if cls is not None:
        head += f' class="{value_text(cls)}"'
    if extra:
        named = {name.replace("_", "-"): v for name, v in extra.items()}
        if named.keys() & {"x", "y", "class"}:  # overriding one of the three, in its place
            values: dict[str, AttrValue] = {"x": float(x), "y": float(y), "class": cls}
            head = f"<text{attrs(values | named)}"
        else:
            head += attrs(named)
    return f"{head}>{escaped(content)}</text>"


def title(content: str, element_id: str | None = None) -> str:
    if element_id is None:  # every item's tooltip
        return f"<title>{escaped(content)}</title>"
    return f'<title id="{value_text(element_id)}">{escaped(content)}</title>'


def chart_id(kind: str, *parts: str) -> str:
    """A short id prefix derived from the chart's content, the same on every build.

    Two charts on one page need distinct ids for their <defs> (arrowheads, masks) and titles;
    hashing the title together with the item ids keeps them apart even when titles repeat.
    """
    digest = hashlib.sha256("\x1f".join((kind, *parts)).encode("utf-8", "replace"))
    return f"pp{kind[:2]}-{digest.hexdigest()[:8]}"


def svg(
    kind: str,
    size: tuple[float, float],
    prefix: str,
    label: str,
    body: Iterable[str],
    *,
    role: str = "group",
    desc: str = "",
    fixed: bool = False,
    min_width: float | None = None,
) -> Markup:
    """The root <svg>: its <title> first (the accessible name), a <desc>, the style, `body`.

    `fixed` charts (sparklines, progress bars) keep their pixel size and sit in a line of
    text; the others take the container's width and scale, keeping their aspect ratio, down
    to `min_width` pixels (below it they overflow, for the page to scroll them).
    """
    width, height = size
    style = f"max-width:{num(width * 1.25)}px"
    if min_width:
        style = f"min-width:{num(min_width)}px;{style}"
    root: dict[str, AttrValue] = {
        "xmlns": SVG_NS,
        "class": f"pp-svg pp-{kind}",
        "viewBox": f"0 0 {num(width)} {num(height)}",
        "width": num(width) if fixed else "100%",
        "height": num(height) if fixed else None,
        "style": "vertical-align:middle" if fixed else style,
        "role": role,
        "aria-labelledby": f"{prefix}-t",
        "aria-describedby": f"{prefix}-d" if desc else None,
        "font-size": 12.0,
    }
    head = title(label, f"{prefix}-t")
    if desc:
        head += f"<desc{attrs({'id': f'{prefix}-d'})}>{escaped(desc)}</desc>"
    source = f"<svg{attrs(root)}>{head}{stylesheet(kind)}{''.join(body)}</svg>"
    return Markup(source)
