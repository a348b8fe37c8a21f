"""What every page builder shares: the model, schedule, status, view helpers, Markdown."""

from __future__ import annotations

import functools
import os
import posixpath
import zlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

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

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Depends:
    """What a page shows, so an incremental build redraws it only when that changed.

    - ``Depends.plan(id)``: one plan in full, and what it shows of the plans it links to
      (supports, supporters, references and dependencies either way), e.g. its page.
    - ``Depends.party(key)``: one person or team and the plans they have work in.
    - ``Depends.parties(keys)``: several people or teams, as ``Depends.party`` each.
    - ``Depends.assigned(keys)``: what these people and teams are assigned, in which plans, but
      nothing else of the plans (the people index counts it).
    - ``Depends.plans(ids)``: the summaries (everything but the prose) of these plans.
    - ``Depends.work(key, *plan_ids)``: what one person or team does in these plans (their
      assignments in them) and those plans' summaries: parts of their page.
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


# what a page keeps of the last build: page -> {what a part shows: (its key, the part)}
KeptParts = dict[str, dict[object, tuple[str, object]]]


class PlanPieces:
    """Parts of whole-site files and pages, kept from one build to the next.

    An incremental build (see incremental.render) gives the context one of these. A part
    whose key is unchanged is taken from the last build instead of made again:

    - `piece`: bytes showing one plan (its entry in plans.json or the search index, its CSV
      rows), keyed per plan by `keys`, which change whenever anything the plan's piece
      shows changes. Pieces are kept compressed: at 10,000 plans plans.json alone has
      130 MB of them.
    - `part`: any value made from what a `Depends` declares (a row of a site-wide page),
      keyed by that Depends' fingerprint and what else the caller names. Parts are kept in
      memory, per kind of page (the pages of one list share them, so a plan that moves to
      another page of its list keeps its part); those of plans and people that are gone are
      dropped after each build, and so are the parts of a party's work (Depends.work) that a
      page asking for some of that party's work did not ask for.

    Without a `fingerprint` (a build that keeps nothing for a next one) neither is kept.
    """

    def __init__(
        self,
        store: dict[tuple[str, str], tuple[str, bytes]],
        keys: dict[str, str],
        parts: KeptParts | None = None,
        fingerprint: Callable[[Depends], str] | None = None,
    ):
        self.store = store  # (file, plan id) -> (key, the piece, compressed)
        self.keys = keys  # plan id -> key
        self.parts = parts if parts is not None else {}
        self.fingerprint = fingerprint
        self.fresh: KeptParts = {}  # the parts this build asked for, by page
        self._process = os.getpid()

    @property
    def keeping(self) -> bool:
        """Whether a part made now is kept for the next build: this build keeps parts, and
        this is its own process (a forked worker's are lost; it still finds the kept ones)."""
        return self.fingerprint is not None and os.getpid() == self._process

    def piece(self, file: str, plan_id: str, make: Callable[[], bytes]) -> bytes:
        key = self.keys.get(plan_id)
        if key is None or self.fingerprint is None:
            return make()
        found = self.store.get((file, plan_id))
        if found is not None and found[0] == key:
            return zlib.decompress(found[1])
        data = make()
        self.store[(file, plan_id)] = (key, zlib.compress(data, 1))
        return data

    def part(self, page: str, depends: Depends, extra: str, make: Callable[[], T]) -> T:
        """make(), or what it gave last build on `page` for the same `depends` and `extra`
        (a digest of anything else the part shows: the page's own inputs count already)."""
        if self.fingerprint is None:
            return make()
        key = f"{self.fingerprint(depends)} {extra}"
        # made earlier in this build (another page of the list), else kept from the last
        found = self.fresh.get(page, {}).get(depends) or self.parts.get(page, {}).get(depends)
        value = found[1] if found is not None and found[0] == key else make()
        self.fresh.setdefault(page, {})[depends] = (key, value)
        return value  # type: ignore[return-value]

    def keep(self, plans: Collection[str], parties: Collection[str]) -> None:
        """Keep this process's parts for the next build (a forked worker's are lost), and
        drop those that show a plan or party not in `plans` or `parties` any more."""
        if self.fingerprint is None:
            return  # a build that keeps nothing
        for page, fresh in self.fresh.items():
            kept = self.parts.setdefault(page, {})
            _drop_unasked_work(kept, fresh)
            kept.update(fresh)
        self.fresh = {}
        now = (frozenset(plans), frozenset(parties))
        seen = self.parts.get(_SEEN, {}).get(_SEEN)
        if seen is not None and (seen[1][0] - now[0] or seen[1][1] - now[1]):
            for page, kept in self.parts.items():
                gone = [d for d in kept if page != _SEEN and not _alive(d, *now)]
                for depends in gone:
                    del kept[depends]
        self.parts[_SEEN] = {_SEEN: ("", now)}  # what the next build compares with


_SEEN = "\0seen"  # in KeptParts: the plans and parties of the build that kept them


def _drop_unasked_work(kept: dict[object, tuple[str, object]], fresh: dict[object, object]) -> None:
    """A page that shows a party's work asks for all of its parts: those it did not ask for
    show work that moved (a run of plans that changed), and nothing asks for them again."""
    asked = {party for d in fresh if (party := _work_of(d)) is not None}
    if not asked:
        return
    for depends in [d for d in kept if _work_of(d) in asked and d not in fresh]:
        del kept[depends]


def _work_of(depends: object) -> str | None:
    """The party of a Depends.work, else None."""
    if isinstance(depends, Depends) and depends.kind == "work":
        return depends.ids[0]
    return None


def _alive(depends: object, plans: Collection[str], parties: Collection[str]) -> bool:
    if not isinstance(depends, Depends):
        return True
    if depends.kind in ("plan", "plans"):
        return all(plan_id in plans for plan_id in depends.ids)
    if depends.kind in ("party", "parties", "assigned"):
        return all(key in parties for key in depends.ids)
    if depends.kind == "work":
        return depends.ids[0] in parties and all(plan_id in plans for plan_id in depends.ids[1:])
    return True


def kept_part(
    ctx: RenderContext, page: str, depends: Depends, extra: str, make: Callable[[], T]
) -> T:
    """PlanPieces.part when the build keeps parts, else make()."""
    return ctx.pieces.part(page, depends, extra, make) if ctx.pieces else make()


def part_bucket(ctx: RenderContext, name: str, path: str) -> str:
    """Where the kept parts of a page at `path` go: with the parts of other pages in the same
    folder (the pages of one list), whose relative links are the same as its own."""
    return f"{name} {posixpath.dirname(ctx.url_style.file(path))}/"


def kept_piece(ctx: RenderContext, file: str, plan_id: str, make: Callable[[], bytes]) -> bytes:
    """PlanPieces.piece when the build keeps parts, else make()."""
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
