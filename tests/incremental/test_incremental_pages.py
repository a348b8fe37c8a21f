"""An incremental build draws exactly the pages whose inputs changed, and writes the same site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from inc_kit import assert_same_tree, files_of, full_build, record_calls
from sitekit import write_site

from planpress.incremental import CACHE_DIR
from planpress.pipeline import BuildCache, BuildOptions, build

PEOPLE = """\
people:
  ann: {name: Ann Lee, team: core}
  bob: {name: Bob Stone}
  cy: {name: Cy Park}
teams:
  core: {name: Core Team}
"""


def plan(title: str, body: str = "Some text.", supports: str = "", extra: str = "") -> str:
    lines = ["---", f"title: {title}", "owner: ann", "start: 2024-06-03"]
    if supports:
        lines.append(f"supports: [{supports}]")
    lines += [
        "tasks:",
        "  - {id: draft, title: Draft it, responsible: bob, due: week 2}",
        "milestones:",
        "  - {id: done, name: All done, due: 2024-07-01}",
    ]
    if extra:
        lines.append(extra)
    lines += ["---", "", body, ""]
    return "\n".join(lines)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(
        tmp_path / "site",
        {
            "planpress.yaml": "title: Incremental\ntoday: 2024-06-20\n",
            "content/people.yaml": PEOPLE,
            "content/growth.md": plan("Grow the business", "The strategy."),
            "content/sales/launch.md": plan("Launch the shop", "See [[sales/promo]].", "growth"),
            "content/sales/promo.md": plan("Summer promotion", "Promotion text."),
            "content/ops/hours.md": plan(
                "Support hours", "Hours text.", extra="tags: [support]"
            ).replace("responsible: bob", "responsible: cy"),
        },
    )


def test_a_second_build_draws_nothing_and_writes_nothing(site: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = build(site, out, cache=BuildCache(tmp_path / "cache"))
    assert first.rendered > 10 and first.parsed == 4
    again = build(site, out, cache=BuildCache(tmp_path / "cache"))  # as a new process would
    assert (again.rendered, again.parsed, again.files.written) == (0, 0, 0)
    assert again.files.unchanged == first.files.written


def test_a_body_edit_draws_the_plan_page_and_its_milestone_pages_only(site, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache)
    path = site / "content/ops/hours.md"
    path.write_text(path.read_text().replace("Hours text.", "Hours text, edited."))
    result = build(site, out, cache=cache)
    drawn = sorted(result.rendered_pages)
    assert drawn == ["milestones/ops/hours/done.html", "plans/ops/hours.html"]
    assert result.parsed == 1
    assert result.files.written >= 1  # the plan page; artifacts with the prose too
    assert_same_tree(out, _reference(site, tmp_path))


def test_a_body_edit_leaves_the_search_index_and_feed_alone(site, tmp_path, monkeypatch):
    from planpress.render.outputs import feed, search

    made: list[str] = []
    for module, name in ((search, "search_index"), (feed, "entries")):
        record_calls(monkeypatch, module, name, lambda *args, name=name: name, into=made)
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    assert sorted(made) == ["entries", "search_index"]
    path = site / "content/ops/hours.md"
    path.write_text(path.read_text().replace("Hours text.", "Hours text, edited."))
    build(site, out, cache=cache, jobs=1)
    assert sorted(made) == ["entries", "search_index"], "neither shows the prose"
    path.write_text(path.read_text().replace("title: Support hours", "title: Help hours"))
    build(site, out, cache=cache, jobs=1)
    assert sorted(made) == ["entries", "entries", "search_index", "search_index"]
    assert_same_tree(out, _reference(site, tmp_path))


def test_listing_a_paged_review_asks_again_only_about_changed_plans(site, tmp_path, monkeypatch):
    from planpress.render.pages import review

    asked = record_calls(monkeypatch, review.Reviewer, "shows", lambda self, plan: plan.id)
    config = site / "planpress.yaml"
    config.write_text(config.read_text() + "page_size: 1\n")  # the review runs on to page 2
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    assert sorted(asked) == ["growth", "ops/hours", "sales/launch", "sales/promo"]
    asked.clear()
    path = site / "content/ops/hours.md"
    path.write_text(path.read_text().replace("Hours text.", "Hours text, edited."))
    build(site, out, cache=cache, jobs=1)
    assert asked == [], "whether the review shows a plan is kept while its summary is"
    path.write_text(path.read_text().replace("due: 2024-07-01", "due: 2024-07-02"))
    build(site, out, cache=cache, jobs=1)
    assert asked == ["ops/hours"]
    assert_same_tree(out, _reference(site, tmp_path))


def test_plans_json_makes_again_only_the_pieces_of_changed_plans(site, tmp_path, monkeypatch):
    from planpress.render import artifacts

    made = record_calls(monkeypatch, artifacts, "plan_document", lambda plan, *args: plan.id)
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    assert sorted(made) == ["growth", "ops/hours", "sales/launch", "sales/promo"]
    made.clear()
    path = site / "content/sales/promo.md"
    path.write_text(path.read_text().replace("Summer promotion", "Winter promotion"))
    build(site, out, cache=cache, jobs=1)
    assert made == ["sales/promo"]  # launch links to promo, but plans.json shows only ids
    assert_same_tree(out, _reference(site, tmp_path))
    made.clear()
    path.unlink()
    build(site, out, cache=cache, jobs=1)
    assert made == []  # what plans.json shows of the others did not change
    assert ("plans.json", "sales/promo") not in cache.pieces
    assert_same_tree(out, _reference(site, tmp_path))


def test_the_responsibility_matrix_draws_again_only_rows_that_changed(site, tmp_path, monkeypatch):
    from planpress.render.pages import matrix

    made = record_calls(monkeypatch, matrix, "_dense_row", lambda ctx, cells, key, *args: key)
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    assert sorted(made) == ["bob", "cy"]
    made.clear()
    path = site / "content/sales/promo.md"
    path.write_text(path.read_text().replace("Summer promotion", "Winter promotion"))
    build(site, out, cache=cache, jobs=1)
    assert made == ["bob"]  # cy has no work in the promotion
    made.clear()
    path.unlink()  # one plan fewer: a column fewer in every row
    build(site, out, cache=cache, jobs=1)
    assert sorted(made) == ["bob", "cy"]
    assert_same_tree(out, _reference(site, tmp_path))


@pytest.mark.parametrize(
    ("owner", "name", "page"),
    [
        ("planpress.render.pages.review:Reviewer", "plan_review", "review.html"),
        ("planpress.render.pages.home", "_items_of_plan", "index.html"),
        ("planpress.render.outputs.tables", "_task_rows", "csv/tasks.csv"),
        ("planpress.render.outputs.tables", "_milestone_rows", "csv/milestones.csv"),
        ("planpress.render.outputs.search", "_plan", "search-index.js"),
        ("planpress.render.outputs.calendars:_Events", "_make", "calendar.ics"),
    ],
)
def test_a_site_wide_page_makes_again_only_what_it_shows_of_changed_plans(
    site, tmp_path, monkeypatch, owner, name, page
):
    """The review page's plan reviews, the dashboard's item lists, the rows of the CSV
    files, the search index's entries, the site calendar's events: one call per plan, whose
    last argument is the plan (or its id)."""
    import importlib

    module, _, attribute = owner.partition(":")
    target = importlib.import_module(module)
    target = getattr(target, attribute) if attribute else target
    made = record_calls(monkeypatch, target, name, lambda *args: getattr(args[-1], "id", args[-1]))
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    assert len(made) == 4
    made.clear()
    path = site / "content/sales/promo.md"
    path.write_text(path.read_text().replace("Summer promotion", "Winter promotion"))
    build(site, out, cache=cache, jobs=1)
    assert made == ["sales/promo"]
    assert "Winter promotion" in (out / page).read_text()
    assert_same_tree(out, _reference(site, tmp_path))


def test_a_cache_for_one_build_keeps_no_part_of_a_page(site, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False, reuse_parts=False)
    build(site, out, cache=cache, jobs=1)
    assert cache.parts == {}
    remembering = BuildCache(persist=False)
    build(site, tmp_path / "other", cache=remembering, jobs=1)
    assert "review.html" in remembering.parts and "responsibilities.html" in remembering.parts


def test_a_plan_part_is_drawn_again_only_when_its_plan_changed(site, tmp_path, monkeypatch):
    """{% call plan_part(name, plan_id) %} in a site's own template (see theming.md)."""
    import planpress.render.site as render_site

    template = site / "templates" / "plan_list.html"
    template.parent.mkdir()
    template.write_text(
        "{% extends 'base.html' %}{% block content %}"
        "{% for p in plans %}{% call plan_part('row', p.plan.id) %}"
        "<p>{{ p.plan.title }}</p>{% endcall %}{% endfor %}"
        "{% endblock %}\n"
    )
    drawn: list[str] = []
    original = render_site.kept_part

    def counted(ctx, page, depends, extra, make):
        def make_counted():
            drawn.append(f"{page} {depends.ids[0]}")
            return make()

        return original(ctx, page, depends, extra, make_counted)

    monkeypatch.setattr(render_site, "kept_part", counted)
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)
    # the parts of pages in one folder are kept together (a list's pages share them)
    assert "plan_list.html sections/ row sales/promo" in drawn
    drawn.clear()
    path = site / "content/sales/promo.md"
    path.write_text(path.read_text().replace("Summer promotion", "Winter promotion"))
    build(site, out, cache=cache, jobs=1)
    sales = sorted(d for d in drawn if d.startswith("plan_list.html sections/"))
    assert sales == ["plan_list.html sections/ row sales/promo"], "launch's part is kept"
    text = (out / "sections/sales.html").read_text()
    assert "<p>Launch the shop</p>" in text and "<p>Winter promotion</p>" in text
    assert_same_tree(out, _reference(site, tmp_path))


def test_a_title_change_draws_every_page_that_shows_the_title(site, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache)
    before = files_of(out)
    path = site / "content/sales/promo.md"
    path.write_text(path.read_text().replace("Summer promotion", "Winter promotion"))
    result = build(site, out, cache=cache)
    drawn = set(result.rendered_pages)
    showing = {name for name, data in files_of(out).items() if b"Winter promotion" in data}
    pages_showing = {name for name in showing if name.endswith(".html")}
    assert pages_showing <= drawn  # every page now showing the new title was drawn again
    # the page linking to it in its prose, and dashboards, but not unrelated plans
    assert {"plans/sales/launch.html", "index.html", "roadmap.html"} <= drawn
    assert "plans/ops/hours.html" not in drawn and "plans/growth.html" not in drawn
    assert "people/index.html" not in drawn, "it counts work and shows no title"
    assert all(b"Winter promotion" not in data for data in before.values())
    assert_same_tree(out, _reference(site, tmp_path))


def test_a_new_task_for_a_person_redraws_their_page(site, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache)
    path = site / "content/growth.md"
    task = "  - {id: hire, title: Hire a lead, responsible: cy, due: week 4}\n"
    path.write_text(path.read_text().replace("milestones:", task + "milestones:"))
    result = build(site, out, cache=cache)
    people = sorted(name for name in result.rendered_pages if name.startswith("people/"))
    # everyone with work in the plan (its summary changed), and the people index; not the
    # team, which has no work in it
    assert people == ["people/ann.html", "people/bob.html", "people/cy.html", "people/index.html"]
    assert b"Hire a lead" in (out / "people/cy.html").read_bytes()
    assert_same_tree(out, _reference(site, tmp_path))


@pytest.mark.parametrize("how", ["delete", "rename"])
def test_a_deleted_or_renamed_plan_leaves_no_page_and_no_mention(site, tmp_path, how):
    out, cache = tmp_path / "out", BuildCache(tmp_path / "cache")
    build(site, out, cache=cache)
    assert (out / "plans/sales/promo.html").is_file()
    source = site / "content/sales/promo.md"
    if how == "rename":
        source.rename(site / "content/ops/offer.md")
    else:
        source.unlink()
    result = build(site, out, cache=cache)
    assert not (out / "plans/sales/promo.html").exists()
    assert not (out / "milestones/sales/promo").exists()
    # no page links to it, and no file names it (launch's prose names it as plain text)
    links = [name for name, data in files_of(out).items() if b"promo.html" in data]
    assert links == []
    titles = [name for name, data in files_of(out).items() if b"Summer promotion" in data]
    assert titles == [] if how == "delete" else "plans/ops/offer.html" in titles
    if how == "rename":
        assert (out / "plans/ops/offer.html").is_file()
        assert result.parsed == 1
    assert_same_tree(out, _reference(site, tmp_path))


def test_people_changes_redraw_what_names_them(site, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache)
    people = site / "content/people.yaml"
    people.write_text(people.read_text().replace("Bob Stone", "Robert Stone"))
    result = build(site, out, cache=cache)
    assert result.parsed == 4  # every plan resolves names against people.yaml
    assert b"Robert Stone" in (out / "plans/growth.html").read_bytes()
    assert_same_tree(out, _reference(site, tmp_path))


def test_the_cache_folder_is_safe_to_delete_and_never_read_as_content(tmp_path):
    site = write_site(
        tmp_path / "site",
        {
            "planpress.yaml": "title: Flat\ntoday: 2024-06-20\ncontent_dir: .\n",
            "people.yaml": PEOPLE,
            "one.md": plan("One plan"),
        },
    )
    out = tmp_path / "out"
    build(site, out, cache=BuildCache())  # the default folder: the site's .planpress-cache
    cache_dir = site / CACHE_DIR
    assert (cache_dir / "CACHEDIR.TAG").is_file()
    (cache_dir / "documents" / "x.md").parent.mkdir(parents=True, exist_ok=True)
    (cache_dir / "documents" / "x.md").write_text("---\ntitle: Not a plan\n---\n")
    result = build(site, out, cache=BuildCache())
    assert len(result.project.site.plans) == 1 and result.rendered == 0
    shutil.rmtree(cache_dir)
    again = build(site, out, cache=BuildCache())
    assert again.parsed == 1 and again.files.written == 0
    assert_same_tree(out, _reference(site, tmp_path))


def test_a_damaged_cache_is_a_full_build(site, tmp_path):
    out, folder = tmp_path / "out", tmp_path / "cache"
    build(site, out, cache=BuildCache(folder))
    for file in folder.rglob("*.pickle"):
        file.write_bytes(file.read_bytes()[:40] + b"garbage")
    result = build(site, out, cache=BuildCache(folder))
    assert result.parsed == 4 and result.files.written == 0
    assert_same_tree(out, _reference(site, tmp_path))


def test_a_build_without_cache_in_between_is_noticed(site, tmp_path):
    out, cache = tmp_path / "out", BuildCache()
    build(site, out, cache=cache)
    build(site, out, BuildOptions(today=__import__("datetime").date(2024, 9, 1)))  # no cache
    result = build(site, out, cache=BuildCache())  # back to planpress.yaml's today
    assert result.rendered > 10
    assert_same_tree(out, _reference(site, tmp_path))


def test_options_and_templates_are_part_of_every_fingerprint(site, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache)
    drafts = build(site, out, BuildOptions(drafts=True), cache=cache)
    assert drafts.rendered > 10
    template = site / "templates" / "plan_list.html"
    template.parent.mkdir()
    template.write_text("{% extends 'base.html' %}{% block content %}LIST{% endblock %}\n")
    result = build(site, out, cache=cache)
    assert "sections/sales.html" in result.rendered_pages
    assert b"LIST" in (out / "sections/sales.html").read_bytes()
    assert_same_tree(out, _reference(site, tmp_path))
    # the same process edits the template again: the compiled one it kept is not used
    template.write_text("{% extends 'base.html' %}{% block content %}LIST 2{% endblock %}\n")
    build(site, out, cache=cache)
    assert b"LIST 2" in (out / "sections/sales.html").read_bytes()


def test_a_new_currency_reaches_every_amount_in_the_same_process(site, tmp_path):
    _edit(site / "content/sales/promo.md", "owner: ann", "owner: ann\nbudget: 40000")
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache)
    assert "40,000 GBP" not in (out / "plans/sales/promo.html").read_text()
    config = site / "planpress.yaml"
    config.write_text(config.read_text() + "currency: GBP\n")
    build(site, out, cache=cache)
    assert "40,000 GBP" in (out / "plans/sales/promo.html").read_text()
    assert_same_tree(out, _reference(site, tmp_path))


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new, 1))


def _reference(site: Path, tmp_path: Path) -> Path:
    reference = tmp_path / "reference"
    full_build(site, reference)
    return reference


def test_the_parts_of_a_deleted_plan_are_not_kept(site, tmp_path):
    out, cache = tmp_path / "out", BuildCache(persist=False)
    build(site, out, cache=cache, jobs=1)

    def shown() -> set[str]:
        return {i for kept in cache.parts.values() for d in kept for i in getattr(d, "ids", ())}

    assert "sales/promo" in shown()
    (site / "content/sales/promo.md").unlink()
    build(site, out, cache=cache, jobs=1)
    assert "sales/promo" not in shown() and "sales/launch" in shown()
    assert_same_tree(out, _reference(site, tmp_path))
