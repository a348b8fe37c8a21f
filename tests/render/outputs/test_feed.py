"""feed.xml: an Atom feed (RFC 4287) that feed readers accept, made only from the model."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

import feedparser
from conftest import BASE_URL
from sitekit import REPO

from planpress.pipeline import BuildOptions, build

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
