"""The resolved model: what authors wrote, validated, typed and cross-linked.

Dates stay as written (DateExpr); `schedule` turns them into calendar dates.
References to people, teams, plans and items are canonical keys, resolved and
checked by `resolve`; the Site carries the reverse indexes pages need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planpress.diagnostics import SourceLoc
from planpress.schedule.dates import DateExpr, Duration

PLAN_KINDS = ("action-plan", "sales-plan", "milestone-plan", "strategy")
PLAN_STATUSES = ("draft", "proposed", "active", "on-hold", "done", "cancelled")
TASK_STATUSES = ("todo", "doing", "done", "blocked", "cancelled")
LEVELS = ("low", "medium", "high")
INFLUENCER_ROLES = ("economic", "user", "technical", "coach")
RESPONSE_MODES = ("growth", "trouble", "even-keel", "overconfident", "positive", "negative")
DIRECTIONS = ("up", "down")
# Stands for a plan hidden from the build wherever a visible plan names one (`after`,
# `supports`); not a valid id, so it never names a real plan.
RESTRICTED = "(restricted)"

Number = int | float


@dataclass(frozen=True, slots=True)
class ItemRef:
    """A dependency: an item (task, milestone or objective) of a plan."""

    plan_id: str
    item_id: str
    loc: SourceLoc = field(compare=False)
    field: str = field(default="after", compare=False)  # key path, for messages

    @property
    def key(self) -> tuple[str, str]:
        return (self.plan_id, self.item_id)

    def __str__(self) -> str:
        return RESTRICTED if self.plan_id == RESTRICTED else f"{self.plan_id}#{self.item_id}"


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    title: str
    objective_id: str | None
    responsible: tuple[str, ...]
    accountable: str | None
    consulted: tuple[str, ...]
    informed: tuple[str, ...]
    start: DateExpr | None
    due: DateExpr | None
    duration: Duration | None
    after: tuple[ItemRef, ...]
    status: str  # one of TASK_STATUSES
    budget: Number | None
    cost: Number | None
    done: DateExpr | None  # the actual completion day, when recorded
    notes: str
    from_prose: bool
    loc: SourceLoc
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Objective:
    id: str
    title: str
    description: str
    tasks: tuple[Task, ...]
    after: tuple[ItemRef, ...]  # explicit, or the previous objective in a sales plan
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Benefit:
    metric: str
    target: Number | str | None
    actual: Number | str | None
    unit: str


@dataclass(frozen=True, slots=True)
class Milestone:
    id: str
    name: str
    due: DateExpr | None
    end: DateExpr | None
    budget: Number | None
    cost: Number | None
    owner: str | None
    department: str
    category: str
    benefits: tuple[Benefit, ...]
    done: DateExpr | None
    after: tuple[ItemRef, ...]
    description: str
    loc: SourceLoc
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Goal:
    statement: str
    metric: str | None  # a KPI id of the same plan
    baseline: Number | None
    target: Number | None
    unit: str


@dataclass(frozen=True, slots=True)
class Actual:
    period: str  # as written: "2024-07"
    value: Number


@dataclass(frozen=True, slots=True)
class KPI:
    id: str
    name: str
    unit: str
    baseline: Number | None
    target: Number | None
    direction: str  # up | down
    actuals: tuple[Actual, ...]  # sorted by period
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Risk:
    risk: str
    likelihood: str
    impact: str
    trigger: str
    response: str
    owner: str | None


@dataclass(frozen=True, slots=True)
class CommunicationLine:
    audience: str
    what: str
    channel: str
    frequency: str
    owner: str | None


@dataclass(frozen=True, slots=True)
class Resource:
    item: str
    amount: Number | str | None
    owner: str | None


@dataclass(frozen=True, slots=True)
class Review:
    date: DateExpr
    attendees: tuple[str, ...]
    notes: str
    decisions: tuple[str, ...]
    loc: SourceLoc


@dataclass(frozen=True, slots=True)
class Opportunity:
    name: str
    value: Number | None
    stage: str
    close_by: DateExpr | None


@dataclass(frozen=True, slots=True)
class SalesObjective:
    """The single sales objective: who, where, when, what information, how, outcome."""

    statement: str
    who: str
    where: str
    when: str
    information: str
    how: str
    outcome: str


@dataclass(frozen=True, slots=True)
class Influencer:
    name: str
    role: str
    response: str
    notes: str


@dataclass(frozen=True, slots=True)
class Competitor:
    name: str
    alternative: str
    differentiator: str


@dataclass(frozen=True, slots=True)
class SalesDetails:
    account: str
    opportunity: Opportunity | None
    objective: SalesObjective | None
    influencers: tuple[Influencer, ...]
    win_win: str
    competition: tuple[Competitor, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    title: str
    kind: str
    owner: str | None
    status: str
    start: DateExpr | None
    end: DateExpr | None
    goal: Goal | None
    supports: tuple[str, ...]
    department: str
    tags: tuple[str, ...]
    budget: Number | None
    audience: tuple[str, ...]  # empty: everyone
    objectives: tuple[Objective, ...]
    tasks: tuple[Task, ...]  # tasks outside any objective
    milestones: tuple[Milestone, ...]
    kpis: tuple[KPI, ...]
    risks: tuple[Risk, ...]
    communication: tuple[CommunicationLine, ...]
    resources: tuple[Resource, ...]
    reviews: tuple[Review, ...]
    sales: SalesDetails | None
    summary: str
    body: str
    body_line: int
    section: str
    source: str  # path relative to the site folder
    loc: SourceLoc
    extra: dict[str, Any] = field(default_factory=dict)

    def all_tasks(self) -> tuple[Task, ...]:
        """Every task, objective tasks first, in written order."""
        return tuple(t for o in self.objectives for t in o.tasks) + self.tasks


@dataclass(frozen=True, slots=True)
class Person:
    key: str
    name: str
    role: str
    team: str | None
    email: str
    known: bool  # False for a name used in a plan but missing from people.yaml
    loc: SourceLoc | None

    kind = "person"


@dataclass(frozen=True, slots=True)
class Team:
    key: str
    name: str
    lead: str | None
    members: tuple[str, ...]
    known: bool
    loc: SourceLoc | None

    kind = "team"


Party = Person | Team


@dataclass(frozen=True, slots=True)
class Assignment:
    """One line of a person's or team's responsibilities."""

    party: str  # person or team key
    plan_id: str
    item_id: str  # '' for the plan itself
    item_kind: str  # plan | task | milestone | risk | communication | resource | review
    role: str  # R, A, C, I, or 'owner' / 'attendee'


@dataclass(frozen=True, slots=True)
class Reference:
    """A cross-reference written in prose: [[plan]], [[plan#item]] or @person."""

    target_plan: str | None
    target_item: str | None
    party: str | None
    text: str
    loc: SourceLoc


@dataclass(slots=True)
class Site:
    """Every plan and party of a build, with the reverse links between them."""

    plans: dict[str, Plan]  # by id, sorted
    parties: dict[str, Party]  # people and teams by key, sorted
    references: dict[str, tuple[Reference, ...]]  # by source plan id, resolved ones only
    hidden: frozenset[str] = frozenset()  # plans left out of this build (drafts, audiences)
    hidden_sources: frozenset[str] = frozenset()  # their files, for links to them in prose
    supported_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    referenced_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    assignments: dict[str, tuple[Assignment, ...]] = field(default_factory=dict)  # by party
    assignments_by_plan: dict[str, tuple[Assignment, ...]] = field(default_factory=dict)
