"""The parts of a plan besides its tasks: goal, milestones, KPIs, risks, and the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planpress.resolve.fields import FieldReader
from planpress.resolve.ids import id_problem, slugify
from planpress.resolve.model import (
    DIRECTIONS,
    INFLUENCER_ROLES,
    KPI,
    LEVELS,
    RESPONSE_MODES,
    Actual,
    Benefit,
    CommunicationLine,
    Competitor,
    Goal,
    Influencer,
    Milestone,
    Opportunity,
    Resource,
    Review,
    Risk,
    SalesDetails,
    SalesObjective,
)

if TYPE_CHECKING:
    from planpress.resolve.plans import PlanBuilder

GOAL_KEYS = ("statement", "metric", "baseline", "target", "unit")
MILESTONE_KEYS = (
    *("id", "name", "due", "end", "budget", "cost", "owner", "department", "category"),
    *("benefits", "done", "after", "description"),
)
BENEFIT_KEYS = ("metric", "target", "actual", "unit")
KPI_KEYS = ("id", "name", "unit", "baseline", "target", "direction", "actuals")
RISK_KEYS = ("risk", "likelihood", "impact", "trigger", "response", "owner")
COMMUNICATION_KEYS = ("audience", "what", "channel", "frequency", "owner")
RESOURCE_KEYS = ("item", "amount", "owner")
REVIEW_KEYS = ("date", "attendees", "notes", "decisions")
OPPORTUNITY_KEYS = ("name", "value", "stage", "close_by")
SALES_OBJECTIVE_KEYS = ("statement", "who", "where", "when", "information", "how", "outcome")
INFLUENCER_KEYS = ("name", "role", "response", "notes")
COMPETITOR_KEYS = ("name", "alternative", "differentiator")


def goal(reader: FieldReader, raw: Any) -> Goal | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return Goal(raw.strip(), None, None, None, "")
    fields = reader.mapping(("goal",), raw, GOAL_KEYS, "a goal")
    return Goal(
        statement=reader.text(("goal", "statement"), fields.get("statement"), required=True),
        metric=reader.optional_text(("goal", "metric"), fields.get("metric")),
        baseline=reader.number(("goal", "baseline"), fields.get("baseline")),
        target=reader.number(("goal", "target"), fields.get("target")),
        unit=reader.text(("goal", "unit"), fields.get("unit")),
    )


def milestones(builder: PlanBuilder, raw: Any) -> tuple[Milestone, ...]:
    reader = builder.reader
    result = []
    for keypath, item in reader.items(("milestones",), raw):
        fields = reader.mapping(keypath, item, MILESTONE_KEYS, "a milestone")
        name = reader.text((*keypath, "name"), fields.get("name"), required=True) or "Milestone"
        result.append(
            Milestone(
                id=builder.item_id((*keypath, "id"), fields.get("id"), name),
                name=name,
                due=reader.date((*keypath, "due"), fields.get("due")),
                end=reader.date((*keypath, "end"), fields.get("end")),
                budget=reader.number((*keypath, "budget"), fields.get("budget")),
                cost=reader.number((*keypath, "cost"), fields.get("cost")),
                owner=builder.party((*keypath, "owner"), fields.get("owner")),
                department=reader.text((*keypath, "department"), fields.get("department")),
                category=reader.text((*keypath, "category"), fields.get("category")) or "other",
                benefits=_benefits(reader, (*keypath, "benefits"), fields.get("benefits")),
                done=reader.day((*keypath, "done"), fields.get("done")),
                after=builder.refs((*keypath, "after"), fields.get("after")),
                description=reader.text((*keypath, "description"), fields.get("description")),
                loc=reader.loc(keypath),
                extra=fields.get("extra") if isinstance(fields.get("extra"), dict) else {},
            )
        )
    return tuple(result)


def _benefits(reader: FieldReader, keypath: tuple, raw: Any) -> tuple[Benefit, ...]:
    result = []
    for path, item in reader.items(keypath, raw):
        fields = reader.mapping(path, item, BENEFIT_KEYS, "a planned benefit")
        result.append(
            Benefit(
                metric=reader.text((*path, "metric"), fields.get("metric"), required=True),
                target=reader.number_or_text((*path, "target"), fields.get("target")),
                actual=reader.number_or_text((*path, "actual"), fields.get("actual")),
                unit=reader.text((*path, "unit"), fields.get("unit")),
            )
        )
    return tuple(result)


def kpis(reader: FieldReader, raw: Any) -> tuple[KPI, ...]:
    result, seen = [], set()
    for keypath, item in reader.items(("kpis",), raw):
        fields = reader.mapping(keypath, item, KPI_KEYS, "a KPI")
        name = reader.text((*keypath, "name"), fields.get("name"), required=True) or "KPI"
        kpi_id = reader.text((*keypath, "id"), fields.get("id")) or slugify(name)
        problem = id_problem(kpi_id, allow_slash=False)
        if problem:
            reader.error((*keypath, "id"), problem)
        elif kpi_id in seen:
            reader.error((*keypath, "id"), f"duplicate KPI id '{kpi_id}'")
        seen.add(kpi_id)
        result.append(
            KPI(
                id=kpi_id,
                name=name,
                unit=reader.text((*keypath, "unit"), fields.get("unit")),
                baseline=reader.number((*keypath, "baseline"), fields.get("baseline")),
                target=reader.number((*keypath, "target"), fields.get("target")),
                direction=reader.choice(
                    (*keypath, "direction"), fields.get("direction"), DIRECTIONS, "up"
                ),
                actuals=_actuals(reader, (*keypath, "actuals"), fields.get("actuals")),
                loc=reader.loc(keypath),
            )
        )
    return tuple(result)


def _actuals(reader: FieldReader, keypath: tuple, raw: Any) -> tuple[Actual, ...]:
    """`{2024-07: 125000}`: periods are any date form (day, month, quarter, ISO week)."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        reader.error(keypath, "expected a mapping of period: value, e.g. {2024-07: 125000}")
        return ()
    result = []
    for period, value in raw.items():
        expr = reader.date((*keypath, period), period)
        number = reader.number((*keypath, period), value)
        if expr is not None and expr.is_relative:
            reader.error((*keypath, period), "a KPI actual needs a calendar period, e.g. 2024-07")
        elif expr is not None and expr.span is not None and number is not None:
            result.append((expr.span.last, Actual(period, number)))
    return tuple(actual for _, actual in sorted(result, key=lambda pair: pair[0]))


def risks(builder: PlanBuilder, raw: Any) -> tuple[Risk, ...]:
    reader = builder.reader
    result = []
    for keypath, item in reader.items(("risks",), raw):
        fields = reader.mapping(keypath, item, RISK_KEYS, "a risk")
        result.append(
            Risk(
                risk=reader.text((*keypath, "risk"), fields.get("risk"), required=True),
                likelihood=reader.choice(
                    (*keypath, "likelihood"), fields.get("likelihood"), LEVELS, "medium"
                ),
                impact=reader.choice((*keypath, "impact"), fields.get("impact"), LEVELS, "medium"),
                trigger=reader.text((*keypath, "trigger"), fields.get("trigger")),
                response=reader.text((*keypath, "response"), fields.get("response")),
                owner=builder.party((*keypath, "owner"), fields.get("owner")),
            )
        )
    return tuple(result)


def communication(builder: PlanBuilder, raw: Any) -> tuple[CommunicationLine, ...]:
    reader = builder.reader
    result = []
    for keypath, item in reader.items(("communication",), raw):
        fields = reader.mapping(keypath, item, COMMUNICATION_KEYS, "a communication line")
        result.append(
            CommunicationLine(
                audience=reader.text((*keypath, "audience"), fields.get("audience")),
                what=reader.text((*keypath, "what"), fields.get("what"), required=True),
                channel=reader.text((*keypath, "channel"), fields.get("channel")),
                frequency=reader.text((*keypath, "frequency"), fields.get("frequency")),
                owner=builder.party((*keypath, "owner"), fields.get("owner")),
            )
        )
    return tuple(result)


def resources(builder: PlanBuilder, raw: Any) -> tuple[Resource, ...]:
    reader = builder.reader
    result = []
    for keypath, item in reader.items(("resources",), raw):
        fields = reader.mapping(keypath, item, RESOURCE_KEYS, "a resource")
        result.append(
            Resource(
                item=reader.text((*keypath, "item"), fields.get("item"), required=True),
                amount=reader.number_or_text((*keypath, "amount"), fields.get("amount")),
                owner=builder.party((*keypath, "owner"), fields.get("owner")),
            )
        )
    return tuple(result)


def reviews(builder: PlanBuilder, raw: Any) -> tuple[Review, ...]:
    reader = builder.reader
    result = []
    for keypath, item in reader.items(("reviews",), raw):
        fields = reader.mapping(keypath, item, REVIEW_KEYS, "a review")
        day = reader.day((*keypath, "date"), fields.get("date"))
        if day is None:
            if fields.get("date") is None:
                reader.error((*keypath, "date"), "is required", "write the meeting's date")
            continue
        result.append(
            Review(
                date=day,
                attendees=builder.party_list((*keypath, "attendees"), fields.get("attendees")),
                notes=reader.text((*keypath, "notes"), fields.get("notes")),
                decisions=reader.strings((*keypath, "decisions"), fields.get("decisions")),
                loc=reader.loc(keypath),
            )
        )
    return tuple(sorted(result, key=lambda review: review.date.span.first))


def sales(reader: FieldReader, fields: dict) -> SalesDetails:
    return SalesDetails(
        account=reader.text(("account",), fields.get("account")),
        opportunity=_opportunity(reader, fields.get("opportunity")),
        objective=_sales_objective(reader, fields.get("objective")),
        influencers=_influencers(reader, fields.get("influencers")),
        win_win=reader.text(("win_win",), fields.get("win_win")),
        competition=_competition(reader, fields.get("competition")),
    )


def _opportunity(reader: FieldReader, raw: Any) -> Opportunity | None:
    if raw is None:
        return None
    fields = reader.mapping(("opportunity",), raw, OPPORTUNITY_KEYS, "an opportunity")
    return Opportunity(
        name=reader.text(("opportunity", "name"), fields.get("name")),
        value=reader.number(("opportunity", "value"), fields.get("value")),
        stage=reader.text(("opportunity", "stage"), fields.get("stage")),
        close_by=reader.date(("opportunity", "close_by"), fields.get("close_by")),
    )


def _sales_objective(reader: FieldReader, raw: Any) -> SalesObjective | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return SalesObjective(raw.strip(), "", "", "", "", "", "")
    fields = reader.mapping(("objective",), raw, SALES_OBJECTIVE_KEYS, "a single sales objective")
    texts = {key: reader.text(("objective", key), fields.get(key)) for key in SALES_OBJECTIVE_KEYS}
    return SalesObjective(**texts)


def _influencers(reader: FieldReader, raw: Any) -> tuple[Influencer, ...]:
    result = []
    for keypath, item in reader.items(("influencers",), raw):
        fields = reader.mapping(keypath, item, INFLUENCER_KEYS, "a buying influencer")
        result.append(
            Influencer(
                name=reader.text((*keypath, "name"), fields.get("name"), required=True),
                role=reader.choice((*keypath, "role"), fields.get("role"), INFLUENCER_ROLES, ""),
                response=reader.choice(
                    (*keypath, "response"), fields.get("response"), RESPONSE_MODES, ""
                ),
                notes=reader.text((*keypath, "notes"), fields.get("notes")),
            )
        )
    return tuple(result)


def _competition(reader: FieldReader, raw: Any) -> tuple[Competitor, ...]:
    result = []
    for keypath, item in reader.items(("competition",), raw):
        fields = reader.mapping(keypath, item, COMPETITOR_KEYS, "a competitor")
        result.append(
            Competitor(
                name=reader.text((*keypath, "name"), fields.get("name"), required=True),
                alternative=reader.text((*keypath, "alternative"), fields.get("alternative")),
                differentiator=reader.text(
                    (*keypath, "differentiator"), fields.get("differentiator")
                ),
            )
        )
    return tuple(result)
