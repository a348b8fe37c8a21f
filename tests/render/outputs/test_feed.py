"""feed.xml: an Atom feed (RFC 4287) that feed readers accept, made only from the model."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from datetime import date
from pathlib import Path

import feedparser
import pytest
from conftest import BASE_URL
from sitekit import REPO

from planpress import __version__
from planpress.pipeline import BuildOptions, build, load_site
from planpress.render import urls
from planpress.render.context import RenderContext
from planpress.render.outputs import common, paths
from planpress.render.outputs.feed import _NOT_XML, ATOM, TAG, _stamp, feed_xml
from planpress.render.outputs.feed import entries as feed_entries
from planpress.render.site import RenderInput, render_context

A = "{http://www.w3.org/2005/Atom}"
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T00:00:00Z$")


def feed(site: Path) -> ElementTree.Element:
    root = ElementTree.parse(site / "feed.xml").getroot()
    assert root.tag == f"{A}feed"
    return root


def entries(site: Path) -> dict[str, ElementTree.Element]:
    return {e.findtext(f"{A}id"): e for e in feed(site).findall(f"{A}entry")}


def test_required_elements_of_the_feed_and_every_entry(example_output, hostile_output):
    for site in (example_output, hostile_output):
        root = feed(site)
        for tag in ("id", "title", "updated"):
            assert len(root.findall(f"{A}{tag}")) == 1, tag
        assert root.find(f"{A}author/{A}name").text
        ids = []
        for entry in root.findall(f"{A}entry"):
            for tag in ("id", "title", "updated", "content"):
                assert len(entry.findall(f"{A}{tag}")) == 1, (tag, ElementTree.tostring(entry))
            assert STAMP.match(entry.findtext(f"{A}updated"))
            assert entry.findtext(f"{A}id").startswith("tag:planpress,2024:")
            assert entry.find(f"{A}content").get("type") == "text"
            ids.append(entry.findtext(f"{A}id"))
        assert ids and len(ids) == len(set(ids))
        newest = max(e.findtext(f"{A}updated") for e in root.findall(f"{A}entry"))
        assert root.findtext(f"{A}updated") == newest


def test_feedparser_reads_it_without_complaint(example_output, hostile_output):
    for site in (example_output, hostile_output):
        parsed = feedparser.parse((site / "feed.xml").read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        assert parsed.entries
        for entry in parsed.entries:
            assert entry.id and entry.title and entry.updated_parsed


def test_without_base_url_there_are_no_links_and_content_names_the_page(example_output):
    root = feed(example_output)
    assert not list(root.iter(f"{A}link"))
    plan = entries(example_output)["tag:planpress,2024:online-sales-q3"]
    assert plan.findtext(f"{A}content").endswith("Page: plans/online-sales-q3.html")
    assert plan.findtext(f"{A}author/{A}name") == "Maria Lopez"


def test_with_base_url_links_are_absolute(hostile_output):
    root = feed(hostile_output)
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{A}link")}
    assert links == {"self": f"{BASE_URL}/feed.xml", "alternate": f"{BASE_URL}/index.html"}
    for entry in root.findall(f"{A}entry"):
        [link] = entry.findall(f"{A}link")
        assert link.get("rel") == "alternate" and link.get("href").startswith(BASE_URL + "/")


def test_entries_come_from_plans_completed_milestones_and_past_reviews(hostile_output):
    found = entries(hostile_output)
    tag = "tag:planpress,2024:"
    assert set(found) == {
        f"{tag}a",
        f"{tag}a.b",
        f"{tag}a.b/milestones/m.1/done",
        f"{tag}a.b/reviews/2024-07-15",
        f"{tag}a.b/reviews/2024-07-15-2",
    }, "no entry for a review or plan still to come, nor for an open milestone"
    assert found[f"{tag}a.b"].findtext(f"{A}updated") == "2024-07-22T00:00:00Z"
    assert found[f"{tag}a"].findtext(f"{A}updated") == "2024-07-01T00:00:00Z"
    review = found[f"{tag}a.b/reviews/2024-07-15"].findtext(f"{A}content")
    assert "Notes with <b>markup</b> & an ampersand" in review
    assert "- Go; on, now" in review
    milestone = found[f"{tag}a.b/milestones/m.1/done"]
    assert milestone.findtext(f"{A}title").startswith("Milestone reached: Line one\nline two")
    assert milestone.findtext(f"{A}author/{A}name") == "@Mallory"


def test_the_feed_is_deterministic_and_ids_are_stable(tmp_path):
    first = build(REPO, tmp_path / "a").output
    again = build(REPO, tmp_path / "b").output
    assert (first / "feed.xml").read_bytes() == (again / "feed.xml").read_bytes()
    later = build(REPO, tmp_path / "c", BuildOptions(today=date(2024, 12, 31))).output
    assert set(entries(first)) <= set(entries(later))


def test_the_feed_holds_the_newest_page_size_entries(tmp_path):
    """18 entries in the example; with page_size 5, the five newest (ties by id)."""
    every = entries(build(REPO, tmp_path / "all").output)
    site = tmp_path / "site"
    site.mkdir()
    (site / "content").symlink_to(REPO / "content", target_is_directory=True)
    config = (REPO / "planpress.yaml").read_text(encoding="utf-8") + "page_size: 5\n"
    (site / "planpress.yaml").write_text(config, encoding="utf-8")
    few = entries(build(site, tmp_path / "few").output)

    def newest(found):
        return sorted(
            found,
            key=lambda i: (
                -date.fromisoformat(found[i].findtext(f"{A}updated")[:10]).toordinal(),
                i,
            ),
        )

    assert len(every) > 5
    assert list(few) == newest(every)[:5]
    assert feed(tmp_path / "few").findtext(f"{A}updated") == feed(tmp_path / "all").findtext(
        f"{A}updated"
    )


def elementtree_feed(ctx: RenderContext) -> bytes:
    """The feed as ElementTree builds and indents it: what feed_xml writes out directly."""

    def add(parent: ElementTree.Element, tag: str, text: str) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, tag)
        element.text = _NOT_XML.sub("", text)
        return element

    def link(parent: ElementTree.Element, page: str, rel: str, kind: str) -> None:
        url = common.absolute_url(ctx, page)
        if url:
            ElementTree.SubElement(parent, "link", {"rel": rel, "type": kind, "href": url})

    items = feed_entries(ctx)
    root = ElementTree.Element("feed", {"xmlns": ATOM})
    add(root, "id", TAG + "feed")
    add(root, "title", ctx.config.title)
    add(root, "subtitle", "Plan updates, completed milestones and reviews")
    add(root, "updated", _stamp(max((e.updated for e in items), default=ctx.status.today)))
    link(root, paths.FEED, "self", "application/atom+xml")
    link(root, urls.INDEX, "alternate", "text/html")
    add(ElementTree.SubElement(root, "author"), "name", ctx.config.title)
    add(root, "generator", "planpress").set("version", __version__)
    for item in items:
        entry = ElementTree.SubElement(root, "entry")
        add(entry, "id", item.id)
        add(entry, "title", item.title)
        add(entry, "updated", _stamp(item.updated))
        if item.author:
            add(ElementTree.SubElement(entry, "author"), "name", item.author)
        link(entry, item.page, "alternate", "text/html")
        url = common.absolute_url(ctx, item.page) or common.root_href(ctx, item.page)
        add(entry, "content", f"{item.content}\n\nPage: {url}").set("type", "text")
    ElementTree.indent(root)
    text = ElementTree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")


def render_ctx(root: Path, **config: str) -> RenderContext:
    project = load_site(root)
    data = RenderInput(
        replace(project.config, **config), project.site, project.schedule, project.status
    )
    return render_context(data, project.theme)


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"title": ""},
        {"title": 'Quotes " & <angles> \t and \x01 controls'},
        {"base_url": 'https://example.com/a?b=1&c="2"<\t>'},
    ],
)
def test_feed_xml_is_what_elementtree_writes(hostile_root, config):
    for root in (REPO, hostile_root):
        ctx = render_ctx(root, **config)
        assert feed_xml(ctx) == elementtree_feed(ctx)
