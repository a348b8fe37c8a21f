"""Parts of whole-site files and pages kept from one build to the next (`watch`, `serve`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from planpress.render.context import Depends

T = TypeVar("T")

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
      dropped once enough are gone (see keep), and the parts of a party's work
      (Depends.work) that a page asking for some of that party's work did not ask for after
      each build.

    Without a `fingerprint` (a build that keeps nothing for a next one) neither is kept.

    A forked worker of the build makes parts too: what it made goes back to the build's own
    process as a Handoff (see handoff and take), else it would be lost with the worker. Parts
    that hold objects of the model (whose identity counts) stay behind.
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
        self._made: dict[tuple[str, str], tuple[str, bytes]] = {}  # pieces not handed yet
        self._unhanded: list[tuple[str, Depends]] = []  # parts asked for, not handed yet

    @property
    def keeping(self) -> bool:
        """Whether a part made now is kept for the next build."""
        return self.fingerprint is not None

    def piece(self, file: str, plan_id: str, make: Callable[[], bytes]) -> bytes | PieceRef:
        """make(), or when pieces are kept a PieceRef to it in `store` (made now if its key
        changed): the writer takes the bytes from the store, or from the file it published
        last where the piece is the same (see Spliced)."""
        key = self.keys.get(plan_id)
        if key is None or self.fingerprint is None:
            return make()
        found = self.store.get((file, plan_id))
        if found is None or found[0] != key:
            data = zlib.compress(make(), 1)
            self.store[(file, plan_id)] = self._made[(file, plan_id)] = (key, data)
        return PieceRef(file, plan_id, key)

    def part(self, page: str, depends: Depends, extra: str, make: Callable[[], T]) -> T:
        """make(), or what it gave last build on `page` for the same `depends` and `extra`
        (a digest of anything else the part shows: the page's own inputs count already)."""
        if self.fingerprint is None:
            return make()
        key = f"{self.fingerprint(depends)} {extra}"
        # made earlier in this build (another page of the list), else kept from the last
        fresh = self.fresh.setdefault(page, {})
        found = fresh.get(depends) or self.parts.get(page, {}).get(depends)
        value = found[1] if found is not None and found[0] == key else make()
        if depends not in fresh:
            self._unhanded.append((page, depends))
        fresh[depends] = (key, value)
        return value  # type: ignore[return-value]

    def handoff(self) -> Handoff:
        """What this process made and asked for since its last handoff, for take() in the
        build's own process."""
        made: KeptParts = {}
        asked: dict[str, list[object]] = {}
        for page, depends in self._unhanded:
            key, value = self.fresh[page][depends]
            found = self.parts.get(page, {}).get(depends)
            if found is not None and found[0] == key:
                asked.setdefault(page, []).append(depends)  # the build's process has it
            elif _portable(value):
                made.setdefault(page, {})[depends] = (key, value)
        pieces, self._made, self._unhanded = self._made, {}, []
        return Handoff(pieces, made, asked)

    def take(self, handoff: Handoff) -> None:
        """What a worker made and asked for, as if this process had."""
        self.store.update(handoff.pieces)
        for page, made in handoff.made.items():
            self.fresh.setdefault(page, {}).update(made)
        for page, asked in handoff.asked.items():
            kept, fresh = self.parts[page], self.fresh.setdefault(page, {})
            for depends in asked:
                fresh.setdefault(depends, kept[depends])

    def keep(self, plans: Collection[str], parties: Collection[str]) -> None:
        """Keep this process's parts for the next build, and drop those that show a plan or
        party not in `plans` or `parties` any more: once a hundredth of the plans are gone
        (a look at every part kept: most of a second at 10,000 plans). Until then a gone
        plan's parts only take memory: a part is taken only for the same fingerprint."""
        if self.fingerprint is None:
            return  # a build that keeps nothing
        for page, fresh in self.fresh.items():
            kept = self.parts.setdefault(page, {})
            _drop_unasked_work(kept, fresh)
            kept.update(fresh)
        self.fresh, self._unhanded, self._made = {}, [], {}
        now = (frozenset(plans), frozenset(parties))
        seen = self.parts.get(_SEEN, {}).get(_SEEN)
        if seen is not None:  # every plan and party kept since the last look
            gone = len(seen[1][0] - now[0]) + len(seen[1][1] - now[1])
            if gone < max(1, len(now[0]) // 100):
                self.parts[_SEEN] = {_SEEN: ("", (seen[1][0] | now[0], seen[1][1] | now[1]))}
                return
            for page, kept in self.parts.items():
                dead = [d for d in kept if page != _SEEN and not _alive(d, *now)]
                for depends in dead:
                    del kept[depends]
        self.parts[_SEEN] = {_SEEN: ("", now)}


_SEEN = "\0seen"  # in KeptParts: the plans and parties kept since the last look (keep)


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


@dataclass(slots=True)
class Handoff:
    """What a forked worker made (pieces, portable parts) and which kept parts it asked for."""

    pieces: dict[tuple[str, str], tuple[str, bytes]] = field(default_factory=dict)
    made: KeptParts = field(default_factory=dict)
    asked: dict[str, list[object]] = field(default_factory=dict)


_PLAIN = (str, bytes, int, float, type(None), dt.date)
_MODEL = "planpress.resolve."  # the model's classes: a copy of a plan is not the plan


def _portable(value: object) -> bool:
    """Whether a part means the same in another process: plain values, and tuples, lists,
    dicts and frozen dataclasses of them (no object of the model, which a copy would not be)."""
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, tuple | list):
        return all(map(_portable, value))
    if isinstance(value, dict):
        return all(isinstance(key, str) and _portable(item) for key, item in value.items())
    kind = type(value)
    params = getattr(kind, "__dataclass_params__", None)
    if params is None or not params.frozen or kind.__module__.startswith(_MODEL):
        return False
    return all(_portable(getattr(value, f.name)) for f in dataclasses.fields(value))


@dataclass(frozen=True, slots=True)
class PieceRef:
    """A plan's piece of a whole-site file, as PlanPieces.store holds it under `key`."""

    file: str
    plan_id: str
    key: str


@dataclass(frozen=True, slots=True)
class Spliced:
    """A whole-site file as bytes and references to kept pieces, in order: what changed is
    new bytes, the rest can be copied from the file as last published (incremental.stage)."""

    parts: tuple[bytes | PieceRef, ...]


def spliced_join(parts: Iterable[bytes | PieceRef | Spliced]) -> bytes | Spliced:
    """The parts one after another: bytes when none is a reference."""
    flat: list[bytes | PieceRef] = []
    run: list[bytes] = []  # bytes in a row, joined once
    for part in parts:
        for item in part.parts if isinstance(part, Spliced) else (part,):
            if isinstance(item, bytes):
                run.append(item)
                continue
            if run:
                flat.append(b"".join(run))
                run = []
            flat.append(item)
    if not flat:
        return b"".join(run)
    if run:
        flat.append(b"".join(run))
    return Spliced(tuple(flat))
