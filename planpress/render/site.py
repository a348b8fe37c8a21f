"""Stage 4: the resolved, scheduled site -> output files (path -> bytes). No I/O but templates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import jinja2

from planpress import __version__
from planpress.config import SiteConfig
from planpress.render import format as fmt
from planpress.render import urls
from planpress.render.export import plans_json
from planpress.render.markdown import LinkContext, make_markdown, render_markdown
from planpress.render.theme import Theme, template_error
from planpress.render.views import KIND_LABELS, Link, ViewBuilder, item_title
from planpress.resolve.model import Plan, Site
from planpress.schedule.scheduler import Schedule
from planpress.schedule.status import Status


@dataclass(frozen=True, slots=True)
class RenderInput:
    config: SiteConfig
    site: Site
    schedule: Schedule
    status: Status


def render_site(data: RenderInput, theme: Theme) -> dict[str, bytes]:
    """Every output file of the build, keyed by its path in the output folder."""
    renderer = Renderer(data, theme)
    files: dict[str, bytes] = {}
    for path, text in renderer.pages():
        files[path] = text.encode("utf-8")
    files["plans.json"] = json_bytes(plans_json(data.site, data.schedule, data.status, __version__))
    files.update(theme.static_files())
    return dict(sorted(files.items()))


def json_bytes(document: object) -> bytes:
    # compact: the indenting encoder is pure Python and 5x slower at a few thousand plans
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class Renderer:
    def __init__(self, data: RenderInput, theme: Theme) -> None:
        self.data = data
        self.site = data.site
        self.views = ViewBuilder(data.site, data.schedule, data.status, data.config.currency)
        self.env = theme.environment()
        self.md = make_markdown()
        self._party_keys = {key.casefold(): key for key in data.site.parties}
        # a link to a .md file is resolved from the content folder, or the site folder
        self._plan_by_source = {p.source.split("/", 1)[-1]: p.id for p in data.site.plans.values()}
        self._plan_by_source |= {p.source: p.id for p in data.site.plans.values()}
        self.env.filters.update(
            day=fmt.day,
            number=fmt.number,
            percent=fmt.percent,
            signed=fmt.signed,
            money=lambda value: fmt.money(value, data.config.currency),
        )

    def pages(self) -> Iterator[tuple[str, str]]:
        yield urls.INDEX, self.render("index.html", urls.INDEX, self.index_context())
        for plan in self.site.plans.values():
            page = urls.plan_page(plan.id)
            yield page, self.render("plan.html", page, self.plan_context(plan, page))
        for key in self.site.parties:
            page = urls.party_page(key)
            yield page, self.render("person.html", page, self.party_context(key))

    def render(self, template: str, page: str, context: dict) -> str:
        common = {
            "site_title": self.data.config.title,
            "today": self.data.status.today,
            "version": __version__,
            "page_path": page,
            "url": lambda target: urls.relative(page, target) if target else "",
        }
        try:
            return self.env.get_template(template).render(common | context)
        except jinja2.TemplateError as exc:  # a site's own template override can be wrong
            raise template_error(template, exc) from None

    def index_context(self) -> dict:
        plans = list(self.site.plans.values())
        return {
            "title": self.data.config.title,
            "plans": [self.plan_summary(plan) for plan in plans],
        }

    def plan_summary(self, plan: Plan) -> dict:
        timing = self.data.schedule.plans.get(plan.id)
        return {
            "plan": plan,
            "link": self.views.plan_link(plan.id),
            "kind": KIND_LABELS.get(plan.kind, plan.kind),
            "owner": self.views.party(plan.owner),
            "health": self.data.status.plans.get(plan.id),
            "start": fmt.day(timing.start) if timing else "",
            "end": fmt.day(timing.end) if timing else "",
        }

    def plan_context(self, plan: Plan, page: str) -> dict:
        views = self.views
        return {
            "title": plan.title,
            "summary": self.plan_summary(plan),
            "plan": plan,
            "objectives": views.objectives(plan),
            "milestones": [views.milestone_row(plan, m) for m in plan.milestones],
            "kpis": [(k, self.data.status.kpis.get((plan.id, k.id))) for k in plan.kpis],
            "budget": self.data.status.budgets.get((plan.id, "")),
            "owner_of": views.party,
            "parties": views.parties,
            "supports": [views.plan_link(pid) for pid in plan.supports],
            "supported_by": [views.plan_link(p) for p in self.site.supported_by.get(plan.id, ())],
            "referenced_by": [views.plan_link(p) for p in self.site.referenced_by.get(plan.id, ())],
            "critical_path": self.critical_path(plan),
            "body_html": render_markdown(self.md, plan.body, self.link_context(page, plan)),
        }

    def critical_path(self, plan: Plan) -> list[str]:
        timing = self.data.schedule.plans.get(plan.id)
        path = timing.critical_path if timing else ()
        return [item_title(plan, item_id) or item_id for item_id in path]

    def link_context(self, page: str, plan: Plan) -> LinkContext:
        return LinkContext(
            page, plan.source, self._plan_title, self._item_title, self._party_name,
            self._plan_by_source.get,
        )

    def _plan_title(self, plan_id: str) -> str | None:
        found = self.site.plans.get(plan_id)
        return found.title if found else None

    def _item_title(self, plan_id: str, item_id: str) -> str | None:
        found = self.site.plans.get(plan_id)
        return item_title(found, item_id) if found else None

    def _party_name(self, key: str) -> str | None:
        found = self.site.parties.get(self._party_keys.get(key.casefold(), ""))
        return found.name if found else None

    def party_context(self, key: str) -> dict:
        party = self.site.parties[key]
        rows: dict[str, list] = {}
        for assignment in self.site.assignments.get(key, ()):
            plan = self.site.plans[assignment.plan_id]
            target = urls.plan_page(plan.id)
            if assignment.item_id and assignment.item_kind in ("task", "milestone"):
                target += "#" + urls.item_anchor(assignment.item_id)
            text = item_title(plan, assignment.item_id) or plan.title
            timing = self.data.schedule.items.get((plan.id, assignment.item_id))
            state = self.data.status.items.get((plan.id, assignment.item_id))
            rows.setdefault(plan.id, []).append(
                {
                    "assignment": assignment,
                    "link": Link(text, target),
                    "plan": plan,
                    "due": fmt.day(timing.due) if timing else "",
                    "state": state,
                }
            )
        return {
            "title": party.name,
            "party": party,
            "rows": rows,
            "members": self.views.parties(getattr(party, "members", ())),
            "team": self.views.party(getattr(party, "team", None)),
        }
