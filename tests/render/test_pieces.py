"""PlanPieces: what a forked worker hands back to the build's own process."""

from __future__ import annotations

import datetime as dt

from planpress.render.context import Depends
from planpress.render.pieces import Handoff, PieceRef, PlanPieces
from planpress.render.svg.items import Span
from planpress.render.views import Link
from planpress.resolve.model import Person

ANN = Person("ann", "Ann Lee", "", None, "", True, None)


def pieces(parts=None) -> PlanPieces:
    return PlanPieces({}, {"a": "ka", "b": "kb"}, parts, lambda depends: "-".join(depends.ids))


def test_a_worker_hands_back_what_it_made_and_names_what_it_found_kept():
    a, b, c = (Depends.plans((plan_id,)) for plan_id in "abc")
    kept = {"page": {a: ("a ", "kept"), b: ("old ", "stale")}}
    worker = pieces(kept)
    assert worker.part("page", a, "", lambda: "new") == "kept"
    assert worker.part("page", b, "", lambda: ("text", 3, (dt.date(2024, 1, 2),))) == (
        "text",
        3,
        (dt.date(2024, 1, 2),),
    )
    worker.part("page", c, "", lambda: [ANN])  # an object of the model stays behind
    assert worker.piece("plans.json", "a", lambda: b"{}") == PieceRef("plans.json", "a", "ka")
    handoff = worker.handoff()
    assert handoff.pieces == {("plans.json", "a"): worker.store[("plans.json", "a")]}
    assert handoff.made == {"page": {b: ("b ", ("text", 3, (dt.date(2024, 1, 2),)))}}
    assert handoff.asked == {"page": [a]}
    assert worker.handoff() == Handoff()  # each thing is handed once

    build = pieces(kept)
    build.take(handoff)
    build.keep({"a", "b", "c"}, set())
    assert build.parts["page"][a] == ("a ", "kept")
    assert build.parts["page"][b][1] == ("text", 3, (dt.date(2024, 1, 2),))
    assert build.store == worker.store


def test_frozen_dataclasses_of_plain_values_are_handed_back():
    worker = pieces()
    span = Span(10.0, 42.5, 7.0)
    worker.part("page", Depends.plans(("a",)), "", lambda: ("lane", span))
    assert worker.handoff().made["page"][Depends.plans(("a",))][1] == ("lane", span)


def test_rows_of_plain_values_go_back_and_objects_of_the_model_stay():
    worker = pieces()
    a, b = Depends.party("ann"), Depends.party("bob")
    row = {"party": Link("Ann", "people/ann.html"), "cells": [{"text": "1R"}, None]}
    worker.part("page", a, "", lambda: row)
    worker.part("page", b, "", lambda: {"party": ANN})
    assert worker.handoff().made == {"page": {a: ("ann ", row)}}


def test_the_parts_of_gone_plans_are_dropped_once_a_hundredth_of_the_plans_are_gone():
    plans = [f"p{n}" for n in range(400)]
    build = pieces()
    for plan_id in plans:
        build.part("page", Depends.plans((plan_id,)), "", lambda: "row")
    build.keep(plans, ())
    build.keep(plans[2:], ())  # two gone: kept a while longer (one in a hundred is three)
    assert len(build.parts["page"]) == 400
    build.keep(plans[3:], ())  # three: every part is looked at
    assert sorted(d.ids[0] for d in build.parts["page"]) == sorted(plans[3:])
