"""`planpress init` and `planpress new plan`: a starter site and commented plan templates.

Nothing a user wrote is ever overwritten: when a file to be written exists, nothing is
written at all. Plan dates start on the Monday of the week of "today" (planpress.yaml's
`today`, else SOURCE_DATE_EPOCH, else the current date), so the starter plan is current.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planpress.config import CONFIG_FILE, SiteConfig, load_config
from planpress.diagnostics import Diagnostics, PlanpressError
from planpress.load.files import PEOPLE_FILE, read_people
from planpress.resolve.ids import id_problem
from planpress.resolve.model import PLAN_KINDS

EXAMPLE_PLAN = "example-plan.md"
COMMENT_COLUMN = 34  # where the templates' comments start (two more inside lists)


class BadName(ValueError):
    """A plan name that cannot be a file in the content folder."""


def week_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def init_site(folder: Path, today: dt.date | None = None) -> list[Path]:
    """Write a starter site into folder (created when missing); returns the files written.

    Raises PlanpressError, writing nothing, when any of the files exists.
    """
    if folder.exists() and not folder.is_dir():
        raise PlanpressError(f"{folder} exists and is not a folder")
    start = week_start(today or SiteConfig(folder).resolve_today())
    names = {"Owner": "alex", "R1": "core", "R2": "sam", "C": "jo"}
    files = {
        CONFIG_FILE: STARTER_CONFIG,
        f"content/{PEOPLE_FILE}": STARTER_PEOPLE,
        f"content/{EXAMPLE_PLAN}": _fill(
            TEMPLATES["action-plan"],
            "Launch the customer newsletter",
            start,
            names,
            plan_id="example-plan",
        ),
    }
    return _write_all(folder, files)


def new_plan(
    site_dir: Path, name: str, kind: str = "action-plan", today: dt.date | None = None
) -> tuple[Path, bool]:
    """Write content/<name>.md from the template of kind; returns (path, people found).

    Raises BadName for an unusable name and PlanpressError when the file exists.
    """
    if kind not in TEMPLATES:
        raise BadName(f"unknown kind '{kind}' (choose from {', '.join(PLAN_KINDS)})")
    name = name.strip().removesuffix(".md").strip("/")
    problem = id_problem(name, allow_slash=True)
    if problem:
        raise BadName(f"plan name {problem.removeprefix('an id ')}")
    diagnostics = Diagnostics()
    config = load_config(site_dir, diagnostics)
    names, found = _people(config)
    start = week_start(today or config.resolve_today())
    title = name.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ").strip()
    title = title[:1].upper() + title[1:]
    relative = config.content_dir.relative_to(config.site_dir).as_posix()
    path = f"{relative}/{name}.md" if relative != "." else f"{name}.md"
    text = _fill(TEMPLATES[kind], title, start, names)
    [written] = _write_all(site_dir, {path: text})  # shown as the user named the folder
    return written, found


def _people(config: SiteConfig) -> tuple[dict[str, str], bool]:
    """Names for the template from the site's people.yaml: owner, two responsible, consulted."""
    tree = read_people(config.content_dir, config.site_dir, Diagnostics())
    data = tree.data if isinstance(tree.data, dict) else {}
    people = (
        [str(k) for k in (data.get("people") or {})] if isinstance(data.get("people"), dict) else []
    )
    teams = (
        [str(k) for k in (data.get("teams") or {})] if isinstance(data.get("teams"), dict) else []
    )
    if not people and not teams:
        placeholder = "Plan Owner"
        return {"Owner": placeholder, "R1": placeholder, "R2": placeholder, "C": placeholder}, False
    everyone = people or teams
    owner = everyone[0]
    second = everyone[1] if len(everyone) > 1 else owner
    return {
        "Owner": owner,
        "R1": teams[0] if teams else owner,
        "R2": second,
        "C": everyone[2] if len(everyone) > 2 else second,
    }, True


def _fill(
    template: str, title: str, start: dt.date, names: dict[str, str], plan_id: str = ""
) -> str:
    """The template with its @PLACEHOLDERS@ filled in, comments kept in their column."""
    quoted = title.replace('"', "'")
    owner = names["Owner"]
    values = {
        "@TITLE@": f'"{quoted}"' if ":" in title or "#" in title else title,
        "@START@": start.isoformat(),
        "@MONTH@": start.strftime("%Y-%m"),
        "@ID_LINE@": (
            f"id: {plan_id}  # used in links and the page address"
            if plan_id
            else "# id: my-plan  # default: the file's path inside content/"
        ),
        "@@Owner@": f"@{owner}" if " " not in owner else "@name",
    }
    values |= {f"@{key}@": v if " " not in v else f'"{v}"' for key, v in names.items()}
    lines = []
    for line in template.split("\n"):
        filled = line
        for placeholder, value in values.items():
            filled = filled.replace(placeholder, value)
        lines.append(_realign(line, filled))
    return "\n".join(lines)


def _realign(template_line: str, line: str) -> str:
    """Put the comment of a filled-in line in the column the template's comments use."""
    at = line.find("  # ")
    if template_line == line or at < 0 or not line[:at].strip():
        return line
    code = line[:at].rstrip()
    indent = len(code) - len(code.lstrip())
    column = COMMENT_COLUMN if indent <= 2 else COMMENT_COLUMN + 2
    return f"{code:<{column - 2}}  {line[at:].lstrip()}"


def _write_all(root: Path, files: dict[str, str]) -> list[Path]:
    targets = {root / name: text for name, text in files.items()}
    existing = [path for path in targets if path.exists() or path.is_symlink()]
    if existing:
        shown = ", ".join(str(p) for p in existing)
        raise PlanpressError(
            f"refusing to overwrite {shown}: planpress never replaces a file you wrote; "
            "move it away or choose another name"
        )
    for path, text in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # never overwrite
            handle.write(text)
    return list(targets)


STARTER_CONFIG = """\
# planpress.yaml: the settings of this plan site. Every key is optional.
#
#   planpress check    validate the plans (every problem with file, line and a hint)
#   planpress build    write the website into site/ (open site/index.html)
#   planpress new plan NAME --kind action-plan|sales-plan|milestone-plan|strategy
#
# The plans are the *.md files under content/; people and teams are in content/people.yaml.
# All settings: "Configuration" in planpress's docs/cli.md.

title: Our plans                   # the site's title, on every page
# currency: USD                    # shown after money amounts: 2,000 USD
# today: 2025-01-31                # the day status is computed for (default: the build day)
# due_soon_days: 14                # items due within this many days are "due soon"
# audiences: [staff, leadership]   # plans with `audience: [leadership]` appear only in
#                                  # `planpress build --audience leadership`
# baseline: main                   # a git revision: pages show how due dates moved since
"""

STARTER_PEOPLE = """\
# People and teams. A plan names them by key (alex) or by name ("Alex Morgan"), in any
# case. A name that is not listed here still works, but `planpress check` warns about it.
# Keys use lower-case letters, digits, '-', '_' and '.'.

people:
  alex: {name: Alex Morgan, role: Project lead, team: core, email: alex@example.com}
  sam: {name: Sam Patel, role: Analyst, team: core, email: sam@example.com}
  jo: {name: Jo Rivera, role: Sponsor, email: jo@example.com}

teams:
  core: {name: Core Team, lead: alex, members: [alex, sam]}
"""

_ACTION_PLAN = """\
---
# An action plan. The lines between the two '---' are YAML: `key: value`, lists in
# [brackets] or as '- ' lines. Only `title` is required; everything else is optional.
# A '#' starts a comment. Run `planpress check` after each change.
title: @TITLE@
@ID_LINE@
kind: action-plan                 # action-plan, sales-plan, milestone-plan or strategy
owner: @Owner@                       # a person or team from content/people.yaml
status: active                    # draft (hidden), proposed, active, on-hold, done, cancelled
start: @START@                 # dates such as "week 2" count from this day
goal:
  statement: Reach 500 newsletter subscribers within three months
  metric: subscribers             # the id of a KPI below: the goal's progress
  baseline: 0
  target: 500
budget: 2000                      # the planned total cost: a plain number
tags: [example]
# supports: [growth-strategy]     # ids of the plans (strategies) this plan serves

objectives:
  - id: prepare
    title: Prepare the first issue
    tasks:
      - id: pick-tool
        title: Choose a newsletter tool
        responsible: @R2@               # R: who does the work (a name or a [list])
        accountable: @Owner@             # A: who answers for the result (at most one)
        consulted: [@C@]              # C: asked before or during the work
        informed: [@R1@]             # I: told about progress and the result
        due: week 1                 # the deadline: the last day of week 1
        budget: 300                 # planned cost; `cost:` records the actual cost
        status: doing               # todo, doing, done, blocked or cancelled
      - id: write-issue
        title: Write the first issue
        responsible: @Owner@
        after: [pick-tool]          # starts the day after pick-tool is due …
        duration: 2w                # … and takes two weeks (3d, 2w, 1m, 1q)
        # done: YYYY-MM-DD          # the day it was really finished

milestones:
  - id: first-issue-sent
    name: First issue sent
    due: week 4                     # a point in time: the last day of week 4
    after: [write-issue]
    owner: @Owner@
    budget: 500
    benefits:                       # what it should bring: target, and later the actual
      - {metric: subscribers, target: 100}

kpis:
  - id: subscribers
    name: Newsletter subscribers
    baseline: 0
    target: 500
    direction: up                   # up: more is better; down: less is better
    # actuals: {@MONTH@: 40}        # measured values by month (or quarter, week, day)

risks:
  - risk: Few sign-ups from the website
    likelihood: medium              # low, medium or high
    impact: high
    trigger: Fewer than 50 subscribers after the first issue
    response: Announce the newsletter on social media and in the shop
    owner: @Owner@
---

Below the front matter, write the plan in Markdown: the background, the reasons, notes.
Link to other plans with `[[plan-id]]` and to people with @@Owner@.

Tasks can also be written in the text, as a list item that ends with a parenthesis of
fields. planpress adds this one to the plan:

## Objective: Grow the audience

- Task 1: Add a sign-up form to the website (Responsible: @R2@; Deadline: weeks 3-4)
"""

_SALES_PLAN = """\
---
# A strategic sales plan: one deal, its single sales objective, the buying influencers,
# the win/win and the competition. Only `title` is required.
title: @TITLE@
@ID_LINE@
kind: sales-plan
owner: @Owner@                       # a person or team from content/people.yaml
status: active                    # draft (hidden), proposed, active, on-hold, done, cancelled
start: @START@                 # dates such as "week 2" count from this day

account: Example Customer Ltd     # the customer
opportunity:
  name: Three-year service contract
  value: 50000                    # a plain number
  stage: qualification            # free text: your sales stages
  close_by: month 3               # any date form

objective:                        # the single sales objective: what the customer agrees to next
  statement: Get the customer's head of purchasing to agree to a paid trial at our next meeting
  who: The head of purchasing and the operations manager; @Owner@ for us
  where: At the customer's office
  when: In month 2                # text only, not used for scheduling
  information: Their budget cycle, and who signs orders above 10,000
  how: A 30-minute demonstration, then the trial proposal
  outcome: A signed trial order

influencers:                      # people at the customer: free text, not people.yaml
  - name: Head of purchasing
    role: economic                # economic (releases the money), user, technical or coach
    response: even-keel           # growth, trouble, even-keel, overconfident, positive, negative
    notes: Releases the budget; judges on cost over three years
  - name: Operations manager
    role: user
    response: growth
    notes: Wants fewer outages; our strongest supporter

win_win: The customer gets fewer outages at a fixed price; we get a three-year reference account.

competition:
  - name: Doing nothing
    alternative: Keep the current supplier
    differentiator: Response within four hours, guaranteed in the contract

objectives:                       # in a sales plan, each objective follows the one before
  - id: qualify
    title: Qualify the opportunity
    tasks:
      - id: discovery-call
        title: Hold a discovery call
        responsible: @R2@               # R: who does the work
        accountable: @Owner@             # A: who answers for it (at most one)
        informed: [@R1@]             # I: told about progress
        due: week 2
  - id: propose
    title: Propose a paid trial
    tasks:
      - id: send-proposal
        title: Send the trial proposal
        responsible: @R2@
        accountable: @Owner@
        consulted: [@C@]              # C: asked before or during the work
        duration: 1w                # starts when the objective before is done

milestones:
  - id: trial-signed
    name: Trial order signed
    after: [propose]                # without `due`: the day after `propose` is done
    owner: @Owner@
---

Notes on the account, meeting minutes, next steps. Link plans with `[[plan-id]]` and
people with @@Owner@.
"""

_MILESTONE_PLAN = """\
---
# A business plan's milestone list: each milestone with its date, owner, budget and the
# benefits it should bring; compare plan and actual in the monthly review.
title: @TITLE@
@ID_LINE@
kind: milestone-plan
owner: @Owner@                       # a person or team from content/people.yaml
status: active
start: @START@                 # dates such as "month 2" count from this day
end: quarter 4                    # the plan's last day: the end of its fourth quarter

milestones:
  - id: website-relaunch
    name: New website live
    due: month 2                    # a period means its last day
    owner: @Owner@                       # who delivers it
    department: Marketing
    category: marketing-sales       # marketing-sales, product, other or a word of your own
    budget: 8000                    # planned cost; `cost:` records the actual cost
    benefits:                       # metric, target, and the actual once measured
      - {metric: online-orders, target: 200, unit: per month}
    # done: YYYY-MM-DD              # the day it really happened: "done 3 days late"
  - id: product-launch
    name: New product line launched
    due: quarter 2
    owner: @R2@
    department: Product
    category: product
    budget: 25000
    after: [website-relaunch]       # what must happen first
  - id: second-location
    name: Second location opened
    due: quarter 4
    end: quarter 4                  # an event's last day, when it lasts
    owner: @Owner@
    category: other
    budget: 60000

reviews:                          # the monthly plan-vs-actual review: one entry per meeting
  - date: @START@                # one calendar day
    attendees: [@Owner@, @R2@]
    notes: Kick-off. On budget? On time? Corrections needed? Results and metrics?
    decisions:
      - Review the milestones on the first working day of each month
---

Background of the business plan, assumptions, and how the milestones are reviewed.
"""

_STRATEGY = """\
---
# A strategy: the goal above your action plans. Action plans name it in their
# `supports: [id]`, and its page lists them under "Supported by".
title: @TITLE@
@ID_LINE@
kind: strategy
owner: @Owner@                       # a person or team from content/people.yaml
status: active
start: @START@
end: quarter 4                    # the last day of the fourth quarter from start
goal:
  statement: Grow monthly revenue from 100,000 to 120,000 within a year
  metric: revenue                 # the id of a KPI below
  baseline: 100000
  target: 120000
  unit: USD

kpis:
  - id: revenue
    name: Monthly revenue
    unit: USD
    baseline: 100000
    target: 120000
    direction: up                   # up: more is better; down: less is better
    # actuals: {@MONTH@: 101500}   # measured values by month (or quarter, week, day)

objectives:
  - id: grow-online
    title: Make online the fastest-growing channel
    tasks:
      - id: online-plan
        title: Run the online sales action plan
        responsible: @R1@               # R: who does the work
        accountable: @Owner@             # A: who answers for it (at most one)
        due: quarter 2
  - id: new-customers
    title: Win new business customers
    tasks:
      - id: first-contracts
        title: Sign the first three business contracts
        responsible: @R2@
        accountable: @Owner@
        consulted: [@C@]
        due: quarter 4
---

Why this strategy, and how the plans that support it fit together.
"""

TEMPLATES = {
    "action-plan": _ACTION_PLAN,
    "sales-plan": _SALES_PLAN,
    "milestone-plan": _MILESTONE_PLAN,
    "strategy": _STRATEGY,
}
