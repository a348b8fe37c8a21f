from planpress.render.markdown import LinkContext, make_markdown, render_markdown
from planpress.render.urls import relative

PLANS = {"growth": "Growth <2024>", "sales/q3": "Q3"}
ITEMS = {("sales/q3", "launch"): "Launch day"}
PEOPLE = {"maria": "Maria Lopez"}


def render(text: str, page: str = "plans/a.html") -> str:
    context = LinkContext(
        page=page,
        link=relative,
        source="content/a.md",
        plan_title=PLANS.get,
        item_title=lambda plan, item: ITEMS.get((plan, item)),
        party_name=lambda key: (
            (key.lower(), PEOPLE[key.lower()]) if key.lower() in PEOPLE else None
        ),
        plan_by_source={"content/sales/q3.md": "sales/q3"}.get,
    )
    return render_markdown(make_markdown(), text, context)


def test_wiki_links_to_plans_and_items_use_titles_escaped():
    html = render("See [[growth]] and [[sales/q3#launch]] and [[growth|the strategy]].")
    assert '<a href="../plans/growth.html" class="xref">Growth &lt;2024&gt;</a>' in html
    assert 'href="../plans/sales/q3.html#item-launch"' in html and ">Launch day (Q3)<" in html
    assert ">the strategy</a>" in html


def test_unknown_or_hidden_plans_render_as_plain_text():
    html = render("See [[secret-plan]].")
    assert "<a" not in html and "secret-plan" in html


def test_mentions_link_people_but_not_emails():
    html = render("Ask @Maria or write to maria@example.com, not @nobody.")
    assert '<a href="../people/maria.html" class="mention">Maria Lopez</a>' in html
    assert "maria@example.com" in html and html.count("<a ") == 1
    assert "@nobody" in html


def test_links_to_md_files_point_to_plan_pages():
    html = render("[Q3 plan](sales/q3.md#section)")
    assert 'href="../plans/sales/q3.html#section"' in html


def test_raw_html_and_unsafe_links_are_not_active():
    html = render("<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>")
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html


def test_code_is_left_alone():
    html = render("`[[growth]]` and\n\n```\n@maria\n```\n")
    assert "<a" not in html


def test_relative_links_go_through_the_root():
    assert relative("index.html", "plans/a.html") == "plans/a.html"
    assert relative("plans/x/y.html", "index.html") == "../../index.html"
    assert relative("plans/a.html", "plans/a.html#item-t") == "#item-t"


def test_pretty_urls_write_folders_and_link_to_them():
    from planpress.render.urls import UrlStyle

    pretty = UrlStyle(pretty=True)
    assert pretty.file("plans/a.html") == "plans/a/index.html"
    assert pretty.file("index.html") == "index.html"
    assert pretty.file("milestones/index.html") == "milestones/index.html"
    assert pretty.link("index.html", "plans/a.html#item-t") == "plans/a/#item-t"
    assert pretty.link("plans/a.html", "index.html") == "../../"
    assert pretty.link("plans/a.html", "people/index.html") == "../../people/"
    assert pretty.link("plans/a.html", "plans/a.html") == "./"


def test_unknown_item_of_a_known_plan_is_plain_text():
    html = render("See [[growth#nothing]].")
    assert "<a" not in html and "Growth &lt;2024&gt;#nothing" in html


def test_web_addresses_ending_in_md_are_left_alone():
    html = render("[readme](https://example.com/README.md)")
    assert 'href="https://example.com/README.md"' in html
