"""Diagnostics: all of a build's problems, each once, in file and line order."""

from __future__ import annotations

import difflib
import random

from planpress.diagnostics import Diagnostics, Level, SourceLoc, closest_match, did_you_mean


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


def test_the_closest_match_is_difflibs_found_sooner():
    chance = random.Random(7)
    ids = [f"{chance.choice(['sales', 'ops/north', 'hr'])}/plan-{n:04d}" for n in range(400)]
    words = [
        chance.choice(ids)[: chance.randint(3, 14)] + chance.choice(["", "x", "-2"])
        for _ in range(60)
    ]
    words += ["", "zzzz", "hr/plan-0001", "ops/plan-01"]
    for word in words:
        want = difflib.get_close_matches(word, ids, n=1, cutoff=0.6)
        assert closest_match(word, ids) == (want[0] if want else None), word


def test_a_hint_is_the_same_when_the_choices_shrink_or_grow_between_builds():
    def difflibs(word: str, ids: set[str]) -> str:
        found = difflib.get_close_matches(word, sorted(ids), n=1, cutoff=0.6)
        return f"did you mean '{found[0]}'?" if found else ""

    ids = {f"sales/plan-{n:03d}" for n in range(200)}
    word = "sales/plan-0421"
    assert did_you_mean(word, ids) == difflibs(word, ids) == "did you mean 'sales/plan-042'?"
    for change in ("-sales/plan-042", "-sales/plan-007", "+sales/plan-0420", "-sales/plan-041"):
        (ids.add if change[0] == "+" else ids.discard)(change[1:])
        assert did_you_mean(word, ids) == difflibs(word, ids), change
    assert did_you_mean("nothing like it at all", ids) == ""
    ids.add("nothing like it at al")
    assert did_you_mean("nothing like it at all", ids) == "did you mean 'nothing like it at al'?"
