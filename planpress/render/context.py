"""What every page builder shares: the model, schedule, status, view helpers, Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from planpress.config import SiteConfig
from planpress.history.baseline import BaselineReport, Slip
from planpress.history.log import PlanHistory
from planpress.render.markdown import LinkContext, make_markdown, render_markdown
from planpress.render.urls import UrlStyle
from planpress.render.views import ViewBuilder, item_title
from planpress.resolve.model import Plan, Site
from planpress.schedule.scheduler import Schedule
from planpress.schedule.status import Status


@dataclass(frozen=True, slots=True)
class Page:
    """One output page: where it goes, which template draws it, and what the template sees."""

    path: str
    template: str
    context: dict


@dataclass(slots=True)
class RenderContext:
    config: SiteConfig
    site: Site
    schedule: Schedule
    status: Status
    kind_templates: frozenset[str] = frozenset()  # plan kinds with a kinds/<kind>.html
    baseline: BaselineReport | None = None  # dates compared with a git revision (--baseline)
    history: dict[str, PlanHistory] = field(default_factory=dict)  # git history by plan id
    url_style: UrlStyle = field(init=False)
    views: ViewBuilder = field(init=False)
    md: MarkdownIt = field(init=False)
    _party_keys: dict[str, str] = field(init=False)
    _plan_by_source: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.url_style = UrlStyle(pretty=self.config.pretty_urls)
        self.views = ViewBuilder(self.site, self.schedule, self.status, self.config.currency)
        self.md = make_markdown()
        self._party_keys = {key.casefold(): key for key in self.site.parties}
        plans = self.site.plans.values()
        # a link to a .md file is resolved from the content folder, or the site folder
        self._plan_by_source = {p.source.split("/", 1)[-1]: p.id for p in plans}
        self._plan_by_source |= {p.source: p.id for p in plans}

    def markdown(self, text: str, page: str, plan: Plan) -> str:
        context = LinkContext(
            page,
            self.url_style.link,
            plan.source,
            self._plan_title,
            self._item_title,
            self._party_name,
            self._plan_by_source.get,
        )
        return render_markdown(self.md, text, context)

    def slip(self, plan_id: str, item_id: str) -> Slip | None:
        """How far an item's due day moved since the baseline; None without one."""
        return self.baseline.slip(plan_id, item_id) if self.baseline else None

    def _plan_title(self, plan_id: str) -> str | None:
        found = self.site.plans.get(plan_id)
        return found.title if found else None

    def _item_title(self, plan_id: str, item_id: str) -> str | None:
        found = self.site.plans.get(plan_id)
        return item_title(found, item_id) if found else None

    def _party_name(self, written: str) -> tuple[str, str] | None:
        key = self._party_keys.get(written.casefold(), "")
        found = self.site.parties.get(key)
        return (key, found.name) if found else None
