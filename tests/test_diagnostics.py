"""Diagnostics: all of a build's problems, each once, in file and line order."""

from __future__ import annotations

from planpress.diagnostics import Diagnostics, Level, SourceLoc


def test_sorted_drops_repeats_and_orders_by_place_then_message():
    found = Diagnostics()
    found.warning(SourceLoc("content/b.md", 3, 1), "second")
    found.error(SourceLoc("content/a.md", 9, 2), "late line")
    found.warning(SourceLoc("content/b.md", 3, 1), "second")  # the same, from another stage
    found.warning(SourceLoc("content/a.md", 2), "early line", "a hint")
    found.warning(SourceLoc("content/b.md", 3, 1), "first")
    places = [(str(d.loc), d.message) for d in found.sorted()]
    assert places == [
        ("content/a.md:2", "early line"),
        ("content/a.md:9:2", "late line"),
        ("content/b.md:3:1", "first"),
        ("content/b.md:3:1", "second"),
    ]


def test_sorted_keeps_an_error_and_a_warning_of_the_same_place_and_message_in_one_order():
    def collected(order: list[Level]) -> list[Level]:
        found = Diagnostics()
        for level in order:
            (found.error if level is Level.ERROR else found.warning)(SourceLoc("a.md", 1), "x")
        return [d.level for d in found.sorted()]

    both = [Level.ERROR, Level.WARNING]
    assert collected(both) == collected(both[::-1]) == both
