"""What every page builder shares: the model, schedule, status, view helpers, Markdown."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, TypeVar

from markdown_it import MarkdownIt

from planpress.config import SiteConfig
from planpress.history.baseline import BaselineReport, Slip
from planpress.history.log import PlanHistory
from planpress.render.markdown import LinkContext, make_markdown, render_markdown
from planpress.render.urls import UrlStyle
from planpress.render.views import ViewBuilder
from planpress.resolve.model import RESTRICTED, Plan, Site
from planpress.schedule.scheduler import Schedule
from planpress.schedule.status import Status

if TYPE_CHECKING:
    from planpress.render.pieces import PieceRef, PlanPieces

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Depends:
    """What a page shows, so an incremental build redraws it only when that changed.

    - ``Depends.plan(id)``: one plan in full, and what it shows of the plans it links to
      (supports, supporters, references and dependencies either way), e.g. its page.
    - ``Depends.party(key)``: one person or team and the plans they have work in: those
      plans' model (no prose) and dates, not who supports or references them, nor their git
      history.
    - ``Depends.parties(keys)``: several people or teams, as ``Depends.party`` each.
    - ``Depends.assigned(keys)``: what these people and teams are assigned, in which plans, but
      nothing else of the plans (the people index counts it).
    - ``Depends.plans(ids)``: the summaries (everything but the prose) of these plans.
    - ``Depends.work(key, *plan_ids)``: what one person or team does in these plans (their
      assignments in them) and those plans as Depends.party sees them: parts of their page.
    - ``Depends.SITE``: the summaries of every plan (dashboards, indexes).
    - ``Depends.DATA``: every plan but its prose, source lines included (plans.json).
    - ``Depends.EVERYTHING`` (the default): anything at all, prose included.

    Every page also depends on the configuration, templates, `today`, people and teams, and
    planpress itself. `extra` is anything else a page shows, as text that changes with it
    (``Depends.plans(ids).but(paging.key)``: which page of a list it is). When unsure, leave
    the default: it is always correct.
    """

    # plan | party | parties | assigned | plans | work | site | data | everything
    kind: str = "everything"
    ids: tuple[str, ...] = ()
    extra: str = ""

    SITE: ClassVar[Depends]
    DATA: ClassVar[Depends]
    EVERYTHING: ClassVar[Depends]

    def __reduce__(self) -> tuple:
        # workers hand back thousands (render.pieces.Handoff): this unpickles in half the time
        return (Depends, (self.kind, self.ids, self.extra))

    @classmethod
    def plan(cls, plan_id: str) -> Depends:
        return cls("plan", (plan_id,))

    @classmethod
    def party(cls, key: str) -> Depends:
        return cls("party", (key,))

    @classmethod
    def parties(cls, keys: Iterable[str]) -> Depends:
        return cls("parties", tuple(keys))

    @classmethod
    def assigned(cls, keys: Iterable[str]) -> Depends:
        return cls("assigned", tuple(keys))

    @classmethod
    def plans(cls, plan_ids: Iterable[str]) -> Depends:
        return cls("plans", tuple(plan_ids))

    @classmethod
    def work(cls, key: str, *plan_ids: str) -> Depends:
        return cls("work", (key, *plan_ids))

    def but(self, extra: str) -> Depends:
        """The same, and `extra` too."""
        return Depends(self.kind, self.ids, f"{self.extra}\n{extra}" if self.extra else extra)


Depends.SITE = Depends("site")
Depends.DATA = Depends("data")
Depends.EVERYTHING = Depends("everything")


class Page:
    """One output page: where it goes, which template draws it, and what the template sees.

    The context is a dict, or `make`, a function returning it, called only when the page is
    drawn: an incremental build skips pages whose `depends` did not change.
    """

    __slots__ = ("_context", "_make", "depends", "path", "template")

    def __init__(
        self,
        path: str,
        template: str,
        context: dict | None = None,
        *,
        make: Callable[[], dict] | None = None,
        depends: Depends = Depends.EVERYTHING,
    ) -> None:
        if (context is None) == (make is None):
            raise TypeError("a Page needs either a context or make, not both")
        self.path = path
        self.template = template
        self.depends = depends
        self._context = context
        self._make = make

    @property
    def context(self) -> dict:
        """The template's context; one made by `make` is made afresh each time and never
        kept: a build holds every Page until it ends, and a plan page's context holds its
        charts (hundreds of kilobytes)."""
        if self._context is not None:
            return self._context
        assert self._make is not None
        return self._make()

    def __repr__(self) -> str:
        return f"Page({self.path!r}, {self.template!r}, depends={self.depends!r})"


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of an artifact, made only when needed; `depends` as for a Page."""

    name: str
    make: Callable[[], bytes]
    depends: Depends = Depends.EVERYTHING


def per_file(
    files: Callable[[RenderContext], Iterable[OutputFile]],
) -> Callable[[RenderContext], dict[str, bytes]]:
    """An artifact made of OutputFiles: an incremental build remakes only those whose
    `depends` changed, and never holds them all at once. Called like any artifact (ctx ->
    {path: bytes}), it makes every file."""

    def artifact(ctx: RenderContext) -> dict[str, bytes]:
        return {file.name: file.make() for file in files(ctx)}

    functools.update_wrapper(artifact, files)
    artifact.files = files  # type: ignore[attr-defined]
    return artifact


def shows(depends: Depends) -> Callable[[Callable], Callable]:
    """Declares what a whole artifact shows (by default everything, prose included), so an
    incremental build recomputes it only when that changed: `shows(Depends.SITE)(csv_files)`."""

    def mark(artifact: Callable) -> Callable:
        artifact.depends = depends  # type: ignore[attr-defined]
        return artifact

    return mark


def kept_part(
    ctx: RenderContext, page: str, depends: Depends, extra: str, make: Callable[[], T]
) -> T:
    """PlanPieces.part when the build keeps parts, else make()."""
    return ctx.pieces.part(page, depends, extra, make) if ctx.pieces else make()


def part_bucket(ctx: RenderContext, name: str, path: str) -> str:
    """Where the kept parts of a page at `path` go: with the parts of other pages in the same
    folder (the pages of one list), whose relative links are the same as its own."""
    return f"{name} {posixpath.dirname(ctx.url_style.file(path))}/"


def kept_piece(
    ctx: RenderContext, file: str, plan_id: str, make: Callable[[], bytes]
) -> bytes | PieceRef:
    """PlanPieces.piece when the build keeps parts, else make(); join them with
    render.pieces.spliced_join."""
    return ctx.pieces.piece(file, plan_id, make) if ctx.pieces else make()


@dataclass(slots=True)
class RenderContext:
    config: SiteConfig
    site: Site
    schedule: Schedule
    status: Status
    kind_templates: frozenset[str] = frozenset()  # plan kinds with a kinds/<kind>.html
    baseline: BaselineReport | None = None  # dates compared with a git revision (--baseline)
    history: dict[str, PlanHistory] = field(default_factory=dict)  # git history by plan id
    pieces: PlanPieces | None = None  # of whole-site files, from the last build (see above)
    url_style: UrlStyle = field(init=False)
    views: ViewBuilder = field(init=False)
    md: MarkdownIt = field(init=False)
    _party_keys: dict[str, str] = field(init=False)
    _plan_by_source: dict[str, str] = field(init=False)
    _once: dict[str, object] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.url_style = UrlStyle(pretty=self.config.pretty_urls)
        self.views = ViewBuilder(self.site, self.schedule, self.status, self.config.currency)
        self.md = make_markdown(self.config.unsafe_html)
        self._party_keys = {key.casefold(): key for key in self.site.parties}
        plans = self.site.plans.values()
        # a link to a .md file is resolved from the content folder, or the site folder;
        # a hidden plan's file stands for RESTRICTED, so the link shows as plain text
        hidden = self.site.hidden_sources
        self._plan_by_source = {s.split("/", 1)[-1]: RESTRICTED for s in hidden}
        self._plan_by_source |= {s: RESTRICTED for s in hidden}
        self._plan_by_source |= {p.source.split("/", 1)[-1]: p.id for p in plans}
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
            self.site.hidden.__contains__,
        )
        return render_markdown(self.md, text, context)

    @property
    def keeps_parts(self) -> bool:
        """Whether this build keeps parts of pages and files for the next (`watch`)."""
        return self.pieces is not None and self.pieces.keeping

    def once(self, name: str, make: Callable[[], T]) -> T:
        """make(), made once per build: a value of the whole site that several pages use
        (the listing of pages asks for it, and so does each page that shows it)."""
        if name not in self._once:
            self._once[name] = make()
        return self._once[name]  # type: ignore[return-value]

    def slip(self, plan_id: str, item_id: str) -> Slip | None:
        """How far an item's due day moved since the baseline; None without one."""
        return self.baseline.slip(plan_id, item_id) if self.baseline else None

    def _plan_title(self, plan_id: str) -> str | None:
        found = self.site.plans.get(plan_id)
        return found.title if found else None

    def _item_title(self, plan_id: str, item_id: str) -> str | None:
        found = self.site.plans.get(plan_id)
        return self.views.item_title(found, item_id) if found else None

    def _party_name(self, written: str) -> tuple[str, str] | None:
        key = self._party_keys.get(written.casefold(), "")
        found = self.site.parties.get(key)
        return (key, found.name) if found else None
