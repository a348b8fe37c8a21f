"""Every link in the built site resolves offline, from file:// and under any sub-path.

The example site is built twice (everyone's, and --audience leadership) and every page, stylesheet
and SVG in the output is parsed; new page kinds are covered as soon as they are written.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import tinycss2
from bs4 import BeautifulSoup
from sitekit import REPO

from planpress.pipeline import BuildOptions, build

AUDIENCES = {"everyone": None, "leadership": "leadership"}
NAVIGATION_SCHEMES = {"http", "https", "mailto", "tel"}  # followed by a person, never loaded
RESOURCE_SCHEMES = {"data"}  # inline content: works offline
LINK_TAGS = {"a", "area"}  # whose href is navigation; any other href loads something
RESOURCE_ATTRIBUTES = ("src", "srcset", "poster", "data")
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


@dataclass(frozen=True, slots=True)
class Reference:
    page: str  # the output file holding the reference, relative to the site root
    where: str  # '<a href>', '<link href>', 'css url()', '@import', ...
    url: str
    resource: bool  # loaded by the browser with the page, rather than followed by a person

    def __str__(self) -> str:
        return f"{self.page}: {self.where} {self.url!r}"


@dataclass(slots=True)
class ScannedSite:
    root: Path
    references: list[Reference] = field(default_factory=list)
    ids: dict[str, set[str]] = field(default_factory=dict)  # output file -> its element ids


@pytest.fixture(scope="module", params=sorted(AUDIENCES))
def scanned(request, tmp_path_factory) -> ScannedSite:
    root = tmp_path_factory.mktemp(f"links-{request.param}") / "site"
    build(REPO, root, BuildOptions(audience=AUDIENCES[request.param]))
    return scan_site(root)


def scan_site(root: Path) -> ScannedSite:
    site = ScannedSite(root)
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.suffix == ".html":
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            site.ids[name] = {element["id"] for element in soup.find_all(id=True)}
            site.references.extend(html_references(name, soup))
        elif path.suffix == ".svg":
            tree = ElementTree.parse(path)
            site.ids[name] = {element.get("id") for element in tree.iter() if element.get("id")}
            site.references.extend(svg_references(name, tree.getroot()))
        elif path.suffix == ".css":
            rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"))
            site.references.extend(css_references(name, rules))
    return site


def html_references(page: str, soup: BeautifulSoup) -> Iterator[Reference]:
    for tag in soup.find_all(True):
        for attribute in ("href", "xlink:href"):
            if tag.has_attr(attribute):
                link = tag.name in LINK_TAGS
                yield Reference(page, f"<{tag.name} {attribute}>", tag[attribute], not link)
        for attribute in RESOURCE_ATTRIBUTES:
            if tag.has_attr(attribute):
                for url in candidate_urls(attribute, tag[attribute]):
                    yield Reference(page, f"<{tag.name} {attribute}>", url, True)
        if tag.has_attr("action"):
            yield Reference(page, f"<{tag.name} action>", tag["action"], False)
        if tag.has_attr("style"):
            yield from css_references(page, tinycss2.parse_declaration_list(tag["style"]))
        if tag.name == "style":
            yield from css_references(page, tinycss2.parse_stylesheet(tag.get_text()))


def candidate_urls(attribute: str, value: str) -> list[str]:
    """srcset holds 'url 2x, url 640w'; every other attribute holds one URL."""
    if attribute != "srcset":
        return [value]
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def svg_references(page: str, root: ElementTree.Element) -> Iterator[Reference]:
    for element in root.iter():
        tag = element.tag.rpartition("}")[2]
        for attribute in ("href", XLINK_HREF):
            if attribute in element.attrib:
                name = "xlink:href" if attribute == XLINK_HREF else attribute
                url = element.attrib[attribute]
                yield Reference(page, f"<{tag} {name}>", url, tag not in LINK_TAGS)
        if "style" in element.attrib:
            yield from css_references(
                page, tinycss2.parse_declaration_list(element.attrib["style"])
            )
        if tag == "style" and element.text:
            yield from css_references(page, tinycss2.parse_stylesheet(element.text))


def css_references(page: str, nodes: Iterable) -> Iterator[Reference]:
    """url(...) and @import in parsed CSS, at any depth (media queries, declarations, functions)."""
    for node in nodes:
        kind = getattr(node, "type", None)
        if kind == "url":
            yield Reference(page, "css url()", node.value, True)
        elif kind == "function" and node.lower_name in ("url", "src"):
            strings = [argument.value for argument in node.arguments if argument.type == "string"]
            yield from (Reference(page, "css url()", url, True) for url in strings[:1])
        elif kind == "at-rule" and node.lower_at_keyword == "import":
            yield from (Reference(page, "@import", url, True) for url in import_urls(node.prelude))
            yield from css_references(page, node.content or ())
            continue
        for part in ("prelude", "content", "arguments", "value"):
            children = getattr(node, part, None)
            if isinstance(children, list):
                yield from css_references(page, children)


def import_urls(prelude: list) -> list[str]:
    for token in prelude:
        if token.type in ("string", "url"):
            return [token.value]
        if token.type == "function" and token.lower_name == "url":
            return [a.value for a in token.arguments if a.type == "string"][:1]
    return []


def relative_problem(site: ScannedSite, reference: Reference) -> str | None:
    """Why a relative reference does not resolve to a file (and #id) in the output, or None."""
    parts = urlsplit(reference.url)
    if parts.path.startswith("/"):
        return "root-absolute path: breaks from file:// and under a sub-path"
    path = unquote(parts.path)
    target = reference.page
    if path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(reference.page), path))
    if target == ".." or target.startswith("../"):
        return "points above the site's root folder"
    file = site.root / target
    if path.endswith("/") or file.is_dir():
        return "names a folder: from file:// there is no index.html; link to the file itself"
    if not file.is_file():
        return f"no file {target} in the output"
    fragment = unquote(parts.fragment)
    if fragment and target not in site.ids:
        return f"#{fragment} points into {target}, which has no ids to check"
    if fragment and fragment not in site.ids[target]:
        return f"no id '{fragment}' in {target}"
    return None


def is_relative(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def test_the_scan_sees_every_page_and_its_links(scanned):
    pages = {name for name in scanned.ids if name.endswith(".html")}
    assert "index.html" in pages
    assert any(name.startswith("plans/") for name in pages)
    linking = {reference.page for reference in scanned.references}
    assert pages <= linking, f"pages with no link or resource at all: {sorted(pages - linking)}"
    stylesheets = [r for r in scanned.references if r.where == "<link href>"]
    assert stylesheets, "no <link href> found: is the scanner still reading the pages?"


def test_relative_links_and_resources_resolve_to_files_and_ids(scanned):
    broken: dict[str, dict[str, list[str]]] = {}  # problem -> "<a href> 'url'" -> pages
    for reference in scanned.references:
        if is_relative(reference.url) and (problem := relative_problem(scanned, reference)):
            link = f"{reference.where} {reference.url!r}"
            broken.setdefault(problem, {}).setdefault(link, []).append(reference.page)
    assert not broken, f"broken links in {scanned.root}:\n" + "\n".join(
        f"- {problem}:\n"
        + "\n".join(f"    {link} in {', '.join(pages)}" for link, pages in links.items())
        for problem, links in broken.items()
    )


def test_nothing_is_loaded_from_outside_the_site(scanned):
    outside = [
        str(reference)
        for reference in scanned.references
        if reference.resource
        and not is_relative(reference.url)
        and urlsplit(reference.url).scheme.lower() not in RESOURCE_SCHEMES
    ]
    assert not outside, "resources that need a network (the site must work offline):\n" + "\n".join(
        outside
    )


def test_outbound_links_are_ordinary_links_written_by_authors(scanned):
    outbound, refused = [], []
    for reference in scanned.references:
        if reference.resource or is_relative(reference.url):
            continue
        scheme = urlsplit(reference.url).scheme.lower()
        if scheme in ("http", "https"):
            outbound.append(str(reference))
        elif scheme not in NAVIGATION_SCHEMES:
            refused.append(str(reference))
    # Allowed, but worth a look: they do not work offline.
    print(f"{len(outbound)} outbound link(s) in {scanned.root}:", *outbound, sep="\n  ")
    assert not refused, "links that neither stay in the site nor are http(s)/mailto/tel:\n" + (
        "\n".join(refused)
    )


def test_aria_references_and_ids_are_sound(scanned):
    """aria-labelledby/-describedby name ids on the same page; no id is used twice."""
    problems = []
    for path in sorted(scanned.root.rglob("*.html")):
        name = path.relative_to(scanned.root).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        ids = [element["id"] for element in soup.find_all(id=True)]
        problems += [f"{name}: id {i!r} used twice" for i in sorted(set(ids)) if ids.count(i) > 1]
        for attribute in ("aria-labelledby", "aria-describedby"):
            for element in soup.find_all(attrs={attribute: True}):
                missing = [ref for ref in element[attribute].split() if ref not in ids]
                problems += [f"{name}: {attribute} names missing id {ref!r}" for ref in missing]
    assert not problems, "\n".join(problems[:50])
