"""Lists cut to `page_size` rows, most urgent first, and lists made only when read.

The dashboard summarises the whole portfolio: at 10,000 plans its lists have 130,000 overdue
items and 20,000 KPIs, which no reader scrolls and every edit under `watch` would draw again.
It shows the `page_size` most urgent rows of each (a `Capped`) and says where the rest are;
the full lists stay in the template context for a site's own index.html, as `Later`s, made
only if a template reads them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Capped(Generic[V]):
    """The rows a list shows (at most `page_size`, most urgent first) and how many it has."""

    rows: list[V]
    total: int

    @property
    def cut(self) -> bool:
        """Whether rows were left out: then the page says how many and where they are."""
        return len(self.rows) < self.total


def capped(
    items: Sequence[T],
    size: int,
    view: Callable[[T], V],
    *,
    sort: Callable[[T], Any] | None = None,
    cut_by: Callable[[T], Any] | None = None,
) -> Capped[V]:
    """The first `size` of `items`, each made into its row by `view`.

    `sort`: the list is always shown in this order (a stable sort), cut or not. `cut_by`: a
    list that fits keeps its own order (so a small site keeps its bytes); one that is cut
    shows the `size` smallest by this key, smallest first. Either way choosing costs a pass
    over small keys (heapq.nsmallest is a stable sort's first `size`), and only the rows
    shown are made.
    """
    key = sort or cut_by
    if len(items) <= size:
        chosen = sorted(items, key=sort) if sort else list(items)
    else:
        chosen = heapq.nsmallest(size, items, key=key)
    return Capped([view(item) for item in chosen], len(items))


class Later(Sequence[T]):
    """A list made by `make` when a template first reads an entry. Its length, when given, is
    known before (the tiles count overdue items without drawing them)."""

    __slots__ = ("_length", "_made", "_make")

    def __init__(self, make: Callable[[], Sequence[T]], length: int | None = None) -> None:
        self._make = make
        self._length = length
        self._made: Sequence[T] | None = None

    def _list(self) -> Sequence[T]:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __len__(self) -> int:
        return self._length if self._length is not None else len(self._list())

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._list()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._list())

    def __repr__(self) -> str:
        return f"Later({len(self)} entries)"
