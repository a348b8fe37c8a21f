"""The small stylesheet inside every SVG.

A <style> inside inline SVG applies to the whole page, so every rule is scoped under
`.pp-svg`. Colours are custom properties: the theme's own variables (--fg, --muted, --bg,
--line, --accent, --ok, --bad) are used when the page defines them, and a theme can override
any --pp-* variable. Dark colours apply on screens only, so paper always gets the light ones.
Each kind of chart carries only the rules it uses, which keeps pages with many sparklines small.
"""

from __future__ import annotations

import functools

_BASE = (
    ".pp-svg{--pp-fg:var(--fg,#1d2330);--pp-muted:var(--muted,#5b6472);--pp-bg:var(--bg,#fff);"
    "--pp-line:var(--line,#d9dee6);--pp-grid:#eceff3;--pp-band:#f2f4f7;"
    "--pp-accent:var(--accent,#1f5fbf);--pp-ok:var(--ok,#1a7f37);--pp-bad:var(--bad,#c62828);"
    "font-family:inherit;overflow:visible}"
    # Inline, text takes the page's font; opened on its own, the SVG is :root and uses the
    # system's interface font rather than the viewer's default serif.
    ':root.pp-svg{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}'
    ".pp-svg text{fill:var(--pp-fg);font-weight:400}"
    ".pp-svg .muted{fill:var(--pp-muted)}"
)
_BASE_DARK = (
    ".pp-svg{--pp-fg:var(--fg,#e6e9ef);--pp-muted:var(--muted,#a2abb8);--pp-bg:var(--bg,#14171c);"
    "--pp-line:var(--line,#3a424e);--pp-grid:#252b34;--pp-band:#1d222a;"
    "--pp-accent:var(--accent,#7fb0ff);--pp-ok:var(--ok,#56c271);--pp-bad:var(--bad,#ff7b72)}"
)

# state: (fill, outline) in light and in dark.
_STATES = {
    "upcoming": ("#5b8def", "#3a6fd1", "#4f82dc", "#8fb3f5"),
    "due-soon": ("#e8a317", "#a87400", "#d29c22", "#f0c45a"),
    "overdue": ("#dc4c4c", "#a61e1e", "#d9463f", "#ff8f87"),
    "done": ("#43a061", "#2c7745", "#379656", "#6fd08d"),
    "done-late": ("#93ad3c", "#677c1f", "#86a034", "#b9cf64"),
    "ongoing": ("#2aa3a8", "#17777b", "#25979c", "#5fd0d4"),
    "blocked": ("#a066c8", "#7541a0", "#9562ba", "#c59be3"),
    "cancelled": ("#b3bac4", "#8d96a2", "#5c6570", "#7d8794"),
    "undated": ("#b3bac4", "#8d96a2", "#5c6570", "#7d8794"),
}


def _state_vars(dark: bool) -> str:
    first = 2 if dark else 0
    return "".join(
        f".pp-svg .state-{name}{{--pp-c:{c[first]};--pp-s:{c[first + 1]}}}"
        for name, c in _STATES.items()
    )


_TIMELINE = (
    ".pp-svg .stripe{fill:var(--pp-fg);fill-opacity:.03}"
    ".pp-svg .band{fill:var(--pp-band)}"
    ".pp-svg .grid{stroke:var(--pp-grid)}.pp-svg .grid.major{stroke:var(--pp-line)}"
    ".pp-svg .frame{stroke:var(--pp-line);fill:none}"
    ".pp-svg .axis text{fill:var(--pp-muted);font-size:11px}"
    ".pp-svg .axis .major{fill:var(--pp-fg);font-weight:600}"
    ".pp-svg .group-title{font-weight:600;font-size:12.5px}"
    ".pp-svg .summary{fill:var(--pp-muted)}"
    ".pp-svg .bar,.pp-svg .diamond,.pp-svg .swatch,.pp-svg .key-diamond"
    "{fill:var(--pp-c,#999);stroke:var(--pp-s,#777)}"
    ".pp-svg .critical .bar,.pp-svg .critical .diamond,.pp-svg .swatch.critical"
    "{stroke:var(--pp-fg);stroke-width:2.2}"
    ".pp-svg .state-overdue .lbl{font-weight:600}"
    ".pp-svg .state-cancelled .lbl,.pp-svg .state-undated .lbl{fill:var(--pp-muted)}"
    ".pp-svg .state-cancelled .lbl{text-decoration:line-through}"
    ".pp-svg .state-cancelled .bar{fill-opacity:.6;stroke-dasharray:3 2}"
    ".pp-svg .flag{fill:var(--pp-bad)}.pp-svg text.flag-mark{fill:var(--pp-bg);font-size:10px;"
    "font-weight:700}"
    ".pp-svg .check{fill:none;stroke:var(--pp-s);stroke-width:1.8;stroke-linecap:round}"
    ".pp-svg .hatch{stroke:#fff;stroke-opacity:.5;stroke-width:2}"
    ".pp-svg .note{fill:var(--pp-muted);font-size:11px}"
    ".pp-svg .diamond-halo{fill:var(--pp-bg)}"
    ".pp-svg .pill{fill:var(--pp-bg);stroke:var(--pp-s,var(--pp-line))}"
    ".pp-svg text.pill-text{font-size:11px}"
    ".pp-svg .dep,.pp-svg .key-dep{fill:none;stroke:var(--pp-muted);stroke-width:1.2}"
    ".pp-svg .dep.critical{stroke:var(--pp-fg);stroke-width:1.6}"
    ".pp-svg .head{fill:var(--pp-muted)}.pp-svg .head.critical{fill:var(--pp-fg)}"
    ".pp-svg .today-line,.pp-svg .key-today"
    "{stroke:var(--pp-bad);stroke-width:1.5;stroke-dasharray:4 3}"
    ".pp-svg .today-tag{fill:var(--pp-bad)}"
    ".pp-svg text.today-text{fill:var(--pp-bg);font-size:11px;font-weight:600}"
    ".pp-svg .halo{paint-order:stroke;stroke:var(--pp-bg);stroke-width:3px;stroke-linejoin:round}"
    ".pp-svg .legend text{font-size:11px;fill:var(--pp-muted)}"
    ".pp-svg a:hover .lbl,.pp-svg a:focus .lbl{text-decoration:underline}"
    ".pp-svg a:hover .hit,.pp-svg a:focus .hit{fill:var(--pp-fg);fill-opacity:.06}"
    ".pp-svg .today,.pp-svg .deps,.pp-svg .legend,.pp-svg .axis{pointer-events:none}"
    ".pp-svg a:hover .bar,.pp-svg a:focus .bar,.pp-svg a:hover .diamond,"
    ".pp-svg a:focus .diamond{stroke:var(--pp-fg);stroke-width:2.2}"
)

_SPARK = (
    ".pp-svg .spark-line{fill:none;stroke:var(--pp-accent);stroke-width:1.6;"
    "stroke-linejoin:round;stroke-linecap:round}"
    ".pp-svg .spark-target{stroke:var(--pp-ok);stroke-width:1;stroke-dasharray:3 2}"
    ".pp-svg .spark-base{stroke:var(--pp-line);stroke-width:1}"
    ".pp-svg .spark-last{fill:var(--pp-accent);stroke:var(--pp-bg);stroke-width:1}"
)

_BUDGET = (
    ".pp-svg .planned,.pp-svg .key-planned{fill:var(--pp-planned)}"
    ".pp-svg .actual,.pp-svg .key-actual{fill:var(--pp-actual)}"
    ".pp-svg .actual.over,.pp-svg .key-over{fill:var(--pp-bad)}"
    ".pp-svg .value{font-size:11px;fill:var(--pp-muted)}"
    ".pp-svg .value.over{fill:var(--pp-bad);font-weight:600}"
    ".pp-svg .row-label{font-weight:600}"
    ".pp-svg .legend text{font-size:11px;fill:var(--pp-muted)}"
    ".pp-svg .zero{stroke:var(--pp-line)}"
)
_BUDGET_VARS = ".pp-svg{--pp-planned:#b8c4d6;--pp-actual:#4f7fc9}"
_BUDGET_DARK = ".pp-svg{--pp-planned:#4a5568;--pp-actual:#6d9be6}"

_HEAT = (
    ".pp-svg .cell rect{fill:var(--pp-h);stroke:var(--pp-bg);stroke-width:3}"
    ".pp-svg .cell.empty rect{fill-opacity:.4}"
    ".pp-svg text.count{font-size:20px;font-weight:700}"
    ".pp-svg .cell.empty text.count{fill:var(--pp-muted);font-weight:400}"
    ".pp-svg .axis-title{font-weight:600;font-size:12px}"
    ".pp-svg .tick{fill:var(--pp-muted);font-size:11px}"
)
_HEAT_LIGHT = ("#d5ecd9", "#e6efc4", "#fbe5a8", "#f8c59c", "#f2a1a1")
_HEAT_DARK = ("#1f4a2b", "#3b4a1d", "#5b4a12", "#6d3717", "#7c2424")

_PROGRESS = (
    ".pp-svg .track{fill:var(--pp-grid);stroke:var(--pp-line)}"
    ".pp-svg .fill{fill:var(--pp-accent)}.pp-svg .complete .fill{fill:var(--pp-ok)}"
    ".pp-svg .pct{font-size:11px;font-weight:600}"
)


def _heat_vars(colours: tuple[str, ...]) -> str:
    return "".join(f".pp-svg .sev-{i}{{--pp-h:{c}}}" for i, c in enumerate(colours, start=1))


_KINDS: dict[str, tuple[str, str]] = {
    "timeline": (_TIMELINE + _state_vars(False), _state_vars(True)),
    "sparkline": (_SPARK, ""),
    "budget": (_BUDGET_VARS + _BUDGET, _BUDGET_DARK),
    "heatmap": (_HEAT + _heat_vars(_HEAT_LIGHT), _heat_vars(_HEAT_DARK)),
    "progress": (_PROGRESS, ""),
}


@functools.cache  # every chart of a kind carries the same one
def stylesheet(kind: str) -> str:
    """The <style> element for one kind of chart (CSS contains no '<' or '&')."""
    light, dark = _KINDS[kind]
    media = f"@media screen and (prefers-color-scheme:dark){{{_BASE_DARK}{dark}}}"
    return f"<style>{_BASE}{light}{media}</style>"
