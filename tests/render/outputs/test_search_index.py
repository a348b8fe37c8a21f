"""search-index.js: what the offline search can find, and where its links go."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from planpress.render.outputs.search import slug
from planpress.resolve.ids import slugify

PREFIX, SUFFIX = "window.PLANPRESS_SEARCH=", ";\n"


def index(site: Path) -> dict:
    text = (site / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith(PREFIX) and text.endswith(SUFFIX)
    return json.loads(text.removeprefix(PREFIX).removesuffix(SUFFIX))


def entries(data: dict) -> list[tuple[str, str, str]]:
    """(kind, title, url relative to the root), as search.js builds them."""
    found = []
    u = data["u"]

    def url(template: str, plan: str, item: str) -> str:
        return template.replace("{p}", plan, 1).replace("{i}", item, 1)

    for plan_id, title, objectives, tasks, milestones in data["plans"]:
        found.append(("plan", title, url(u["plan"], plan_id, "")))
        for kind, items, template in (
            ("objective", objectives, u["item"]),
            ("task", tasks, u["item"]),
            ("milestone", milestones, u["milestone"]),
        ):
            for item in items:
                text, item_id = (item, slug(item)) if isinstance(item, str) else item
                found.append((kind, text, url(template, plan_id, item_id)))
    for group in ("people", "teams"):
        found += [(group, name, url(u["party"], "", key)) for key, name in data[group]]
    return found


def test_everything_is_indexed(example_output):
    data = index(example_output)
    model = json.loads((example_output / "plans.json").read_text(encoding="utf-8"))
    assert data["v"] == 1
    assert [p[0] for p in data["plans"]] == [p["id"] for p in model["plans"]]
    count = sum(
        1
        + len(p["objectives"])
        + sum(len(o["tasks"]) for o in p["objectives"])
        + len(p["tasks"])
        + len(p["milestones"])
        for p in model["plans"]
    )
    assert len(entries(data)) == count + len(model["people"])


def test_every_link_leads_to_a_page_and_anchor(example_output):
    ids: dict[str, set[str]] = {}
    for kind, title, url in entries(index(example_output)):
        path, _, fragment = url.partition("#")
        file = example_output / path
        assert file.is_file(), (kind, title, url)
        if fragment:
            if path not in ids:
                soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
                ids[path] = {element["id"] for element in soup.find_all(id=True)}
            assert fragment in ids[path], (kind, title, url)
        assert posixpath.normpath(path) == path


def test_hidden_plans_are_not_in_the_index(example_output, leadership_output):
    everyone = json.dumps(index(example_output), ensure_ascii=False)
    leadership = json.dumps(index(leadership_output), ensure_ascii=False)
    assert "acquisition-review" not in everyone and "Acquisition target review" not in everyone
    assert "acquisition-review" in leadership


def test_ids_are_left_out_only_when_the_title_gives_them(example_output, hostile_output):
    for site in (example_output, hostile_output):
        for plan in index(site)["plans"]:
            for items in plan[2:]:
                for item in items:
                    if isinstance(item, list):
                        assert slug(item[0]) != item[1]


@given(st.text(max_size=120))
def test_the_index_slug_is_planpress_slugify_without_its_fallback(title):
    expected = slugify(title)
    assert slug(title) == ("" if expected.startswith("x-") and not slug(title) else expected)
