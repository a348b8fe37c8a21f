"""Lists cut to `page_size` rows, most urgent first, and lists made only when read.

The dashboard summarises the whole portfolio: at 10,000 plans its lists have 130,000 overdue
items and 20,000 KPIs, which no reader scrolls and every edit under `watch` would draw again.
It shows the `page_size` most urgent rows of each (a `Capped`) and says where the rest are;
the full lists stay in the template context for a site's own index.html, as `Later`s, made
only if a template reads them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")
K = TypeVar("K")
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


class _Lazy:
    """A value made by `make` when first read; whether it is empty may be known before."""

    __slots__ = ("_made", "_make", "_nonempty")

    def __init__(self, make: Callable[[], Any], nonempty: bool | None) -> None:
        self._make = make
        self._made: Any = None
        self._nonempty = nonempty

    def _value(self) -> Any:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __bool__(self) -> bool:
        return self._nonempty if self._nonempty is not None else len(self) > 0  # type: ignore[arg-type]


class Later(_Lazy, Sequence[T]):
    """A list made by `make` when a template first reads an entry. Its length, when given, is
    known before (the tiles count overdue items without drawing them), or whether it is empty
    (`{% if overdue %}` on a person's page, whose rows come from kept parts)."""

    __slots__ = ("_length",)

    def __init__(
        self,
        make: Callable[[], Sequence[T]],
        length: int | None = None,
        *,
        nonempty: bool | None = None,
    ) -> None:
        super().__init__(make, nonempty if length is None else length > 0)
        self._length = length

    def __len__(self) -> int:
        return self._length if self._length is not None else len(self._value())

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._value()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._value())

    def __repr__(self) -> str:
        return f"Later({len(self)} entries)"


class LaterMap(_Lazy, Mapping[K, V]):
    """A dict made by `make` when first read (see Later)."""

    __slots__ = ()

    def __init__(self, make: Callable[[], Mapping[K, V]], *, nonempty: bool | None = None):
        super().__init__(make, nonempty)

    def __len__(self) -> int:
        return len(self._value())

    def __getitem__(self, key: K) -> V:
        return self._value()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._value())
