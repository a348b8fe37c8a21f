"""The page kinds of a site, each a function from the render context to its pages.

A new page kind is a module here with a `pages(ctx)` generator, listed in PAGE_KINDS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from planpress.render.context import Page, RenderContext
from planpress.render.pages import (
    home,
    matrix,
    milestones,
    people,
    plans,
    review,
    roadmap,
    sections,
)

PageKind = Callable[[RenderContext], Iterable[Page]]

PAGE_KINDS: tuple[PageKind, ...] = (
    home.pages,
    plans.pages,
    people.pages,
    matrix.pages,
    sections.pages,
    milestones.pages,
    review.pages,
    roadmap.pages,
)

__all__ = ["PAGE_KINDS", "Page", "PageKind"]
