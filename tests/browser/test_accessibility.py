"""axe-core on one page of each page kind in the built site, and no sideways scrolling on a phone.

The page kinds are found in the output (see page_kinds in conftest.py), so a new kind of page is
checked as soon as the example site has one.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = ("serious", "critical")
PHONE = {"width": 375, "height": 812}
AXE = Axe()  # reads the axe-core bundled with axe-playwright-python; no network

# The outermost elements sticking out past the right edge, outside any scrolling container.
WIDE_ELEMENTS = """() => {
  const width = window.innerWidth;
  const clipped = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const wide = (element) => element.getBoundingClientRect().right > width + 1 && !clipped(element);
  const name = (element) => element.tagName.toLowerCase()
    + (element.id ? "#" + element.id : "")
    + [...element.classList].map((name) => "." + name).join("");
  const describe = (element) => {
    const landmark = element.parentElement && element.parentElement.closest("[id]");
    const where = landmark && landmark !== element ? name(landmark) + " ... " : "";
    const right = Math.round(element.getBoundingClientRect().right);
    return `${where}${name(element)}: right edge at ${right}px`;
  };
  const outermost = [...document.body.querySelectorAll("*")]
    .filter((element) => wide(element) && !(element.parentElement && wide(element.parentElement)));
  const more = outermost.length > 12 ? [`... and ${outermost.length - 12} more`] : [];
  return [...outermost.slice(0, 12).map(describe), ...more];
}"""


def test_the_site_has_a_dashboard_and_plan_pages(sample_pages):
    kinds = sample_pages
    assert "index.html" in kinds, f"no dashboard (index.html) among {sorted(kinds)}"
    assert any(kind.startswith("plans/") for kind in kinds), f"no plan page in {sorted(kinds)}"


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(selector) for selector in node["target"])
            lines.append(f"    at {target}: {node['html'][:160]}")
            reasons = node.get("failureSummary", "").splitlines()[:2]  # "Fix any of:", the first
            lines.append(f"      {' '.join(reason.strip() for reason in reasons)}")
    return "\n".join(lines)


def test_no_serious_accessibility_violations(sample_page, http_site, new_context):
    # Over HTTP: from file:// axe-core cannot read the stylesheet (origin null) and says so.
    context, watch = new_context()
    page = context.new_page()
    page.goto(http_site + sample_page)
    results = AXE.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core on {sample_page}:\n{describe_violations(blocking)}"
    assert not watch.problems(), "\n".join(watch.problems())


def test_fits_a_phone_screen_without_sideways_scrolling(sample_page, example_site, new_context):
    context, _ = new_context(viewport=PHONE)
    page = context.new_page()
    page.goto((example_site / sample_page).as_uri())
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    inner_width = page.evaluate("window.innerWidth")
    assert scroll_width <= inner_width + 1, (
        f"{sample_page} is {scroll_width}px wide on a {inner_width}px phone screen; sticking out:\n"
        + "\n".join(page.evaluate(WIDE_ELEMENTS))
    )
