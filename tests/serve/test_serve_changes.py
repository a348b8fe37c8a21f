"""The pure change filter and debouncer, fed recorded event sequences and a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from planpress.serve.changes import Change, ChangeFilter, ChangeTracker, is_editor_noise

SITE = Path("/srv/site")
CONTENT = SITE / "content"
PLAN = str(CONTENT / "launch.md")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def c(kind: str, path: str | Path, dest: str | Path = "", is_dir: bool = False) -> Change:
    return Change(kind, str(path), str(dest) if dest else "", is_dir)


@pytest.fixture
def site_filter() -> ChangeFilter:
    return ChangeFilter(SITE, CONTENT, [SITE / "site", SITE / ".planpress-cache"])


@pytest.fixture
def tracker(site_filter):
    clock = Clock()
    return ChangeTracker(site_filter.relevant, quiet=0.1, max_delay=5.0, clock=clock), clock


def bursts(tracker_and_clock, events: list[Change | float]) -> list[list[str]]:
    """Feed events (a float advances the clock), polling like the loop; the bursts taken."""
    tracker, clock = tracker_and_clock
    taken = []
    for item in [*events, 1.0]:
        if isinstance(item, float):
            steps = round(item / 0.01)
            for _ in range(steps):
                clock.advance(0.01)
                burst = tracker.take()
                if burst is not None:
                    taken.append(burst)
        else:
            tracker.feed(item)
    return taken


D = CONTENT
SAVES = {
    "write in place": [c("modified", PLAN), c("modified", PLAN), c("closed", PLAN)],
    "temp file renamed": [
        c("created", D / "launch.md.tmp"),
        c("modified", D / "launch.md.tmp"),
        c("closed", D / "launch.md.tmp"),
        c("moved", D / "launch.md.tmp", PLAN),
    ],
    "hidden temp file renamed (atomic-write libraries)": [
        c("created", D / ".launch.md.x8k2"),
        c("closed", D / ".launch.md.x8k2"),
        c("moved", D / ".launch.md.x8k2", PLAN),
    ],
    "vim": [
        c("created", D / "4913"),
        c("closed", D / "4913"),
        c("deleted", D / "4913"),
        c("moved", PLAN, D / "launch.md~"),
        c("created", PLAN),
        c("modified", PLAN),
        c("closed", PLAN),
        c("modified", PLAN),  # chmod to the old mode
        c("deleted", D / "launch.md~"),
        c("modified", D / ".launch.md.swp"),
    ],
    "jetbrains": [
        c("created", D / "launch.md___jb_tmp___"),
        c("modified", D / "launch.md___jb_tmp___"),
        c("closed", D / "launch.md___jb_tmp___"),
        c("moved", PLAN, D / "launch.md___jb_old___"),
        c("moved", D / "launch.md___jb_tmp___", PLAN),
        c("deleted", D / "launch.md___jb_old___"),
    ],
    "emacs": [
        c("created", D / ".#launch.md"),
        c("moved", PLAN, D / "launch.md~"),
        c("created", PLAN),
        c("modified", PLAN),
        c("closed", PLAN),
        c("deleted", D / "#launch.md#"),
        c("deleted", D / ".#launch.md"),
    ],
}


@pytest.mark.parametrize("editor", SAVES)
def test_each_editor_save_is_one_rebuild_of_the_plan(tracker, editor):
    taken = bursts(tracker, SAVES[editor])
    assert len(taken) == 1
    assert PLAN in taken[0]


@pytest.mark.parametrize(
    "change",
    [
        c("created", D / "4913"),
        c("modified", D / ".launch.md.swp"),
        c("created", D / "launch.md~"),
        c("created", D / ".#launch.md"),
        c("modified", D / "#launch.md#"),
        c("modified", D / "launch.md___jb_tmp___"),
        c("modified", D / "notes.tmp"),
        c("opened", PLAN),
        c("closed_no_write", PLAN),
        c("modified", D, is_dir=True),
        c("modified", SITE / "site" / "index.html"),
        c("created", SITE / "site", is_dir=True),
        c("modified", SITE / ".git" / "index"),
        c("created", SITE / ".git" / "index.lock"),
        c("modified", SITE / ".planpress-cache" / "x"),
        c("modified", D / ".hidden" / "plan.md"),
        c("modified", D / "_drafts" / "plan.md"),
        c("modified", D / "picture.png"),
        c("modified", D / "sub" / "people.yaml"),  # only the top people file is read
        c("modified", SITE / "README.md"),
        c("modified", SITE / "templates" / ".plan.html.swp"),
        c("modified", SITE / "static" / "logo.svg~"),
        c("moved", D / "a.tmp", D / "b.tmp"),
    ],
    ids=lambda change: f"{change.kind}:{change.path.removeprefix(str(SITE))}",
)
def test_noise_is_ignored(site_filter, change):
    assert not site_filter.relevant(change)


@pytest.mark.parametrize(
    "change",
    [
        c("modified", PLAN),
        c("created", D / "sales" / "deal.md"),
        c("deleted", D / "2024" / "q3.md"),
        c("modified", D / "people.yaml"),
        c("modified", SITE / "planpress.yaml"),
        c("modified", SITE / "templates" / "plan.html"),
        c("created", SITE / "static" / "logo.svg"),
        c("modified", SITE / "themes" / "mine" / "templates" / "base.html"),
        c("created", SITE / "templates", is_dir=True),
        c("deleted", D / "sales", is_dir=True),
        c("moved", D / "sales", D / "deals", is_dir=True),
        c("moved", PLAN, D / "launch-v2.md"),
        c("moved", PLAN, SITE.parent / "elsewhere.md"),  # moved out: the plan is gone
        c("moved", SITE.parent / "draft.md", PLAN),  # moved in
    ],
    ids=lambda change: f"{change.kind}:{change.path.removeprefix(str(SITE))}",
)
def test_inputs_are_relevant(site_filter, change):
    assert site_filter.relevant(change)


def test_a_content_folder_outside_the_site_folder(tmp_path):
    plans = tmp_path / "plans"
    relevant = ChangeFilter(tmp_path / "site", plans, [tmp_path / "site" / "out"]).relevant
    assert relevant(c("modified", plans / "a.md"))
    assert not relevant(c("modified", tmp_path / "site" / "out" / "a.md"))


def test_a_branch_switch_storm_is_one_rebuild(tracker):
    events: list[Change | float] = []
    for n in range(300):
        path = D / f"plan-{n:03}.md"
        events += [c("deleted", path), c("created", path), c("modified", path), c("closed", path)]
        events.append(0.0001)
    events += [c("deleted", D / f"old-{n:02}.md") for n in range(50)]
    events += [c("created", SITE / ".git" / "index.lock"), c("deleted", SITE / ".git" / "index")]
    taken = bursts(tracker, events)
    assert len(taken) == 1
    assert len(taken[0]) == 350


def test_quiet_period_separates_bursts_and_max_delay_bounds_a_stream(tracker):
    assert len(bursts(tracker, [c("modified", PLAN), 0.05, c("modified", PLAN)])) == 1
    assert len(bursts(tracker, [c("modified", PLAN), 0.3, c("modified", PLAN)])) == 2
    # a file rewritten every 50 ms for 12 s still gets a rebuild every 5 s
    endless: list[Change | float] = [c("modified", PLAN), 0.05] * 240
    assert len(bursts(tracker, endless)) == 3


def test_a_big_burst_waits_longer_for_quiet(tracker):
    track, clock = tracker
    for n in range(120):
        track.feed(c("modified", D / f"plan-{n}.md"))
    assert track.quiet_period() == pytest.approx(0.3)
    clock.advance(0.25)  # a pause inside a branch switch is not its end
    assert track.take() is None
    for n in range(120, 400):
        track.feed(c("deleted", D / f"plan-{n}.md"))
    assert track.quiet_period() == pytest.approx(0.5)
    clock.advance(0.5)
    assert len(track.take()) == 400
    track.feed(c("modified", PLAN))  # a save after it: the short quiet period again
    assert track.delay() == pytest.approx(0.1)


def test_delay_tells_the_loop_how_long_to_sleep(tracker):
    track, clock = tracker
    assert track.delay() is None and track.take() is None
    track.feed(c("modified", PLAN))
    assert track.delay() == pytest.approx(0.1)
    clock.advance(0.04)
    assert track.delay() == pytest.approx(0.06) and track.take() is None
    clock.advance(0.06)
    assert track.take() == [PLAN] and not track.pending


def test_a_failing_filter_means_rebuild(site_filter):
    def broken(change):
        raise RuntimeError("bug")

    clock = Clock()
    track = ChangeTracker(broken, clock=clock)
    assert track.feed(c("modified", PLAN))


@pytest.mark.parametrize("name", ["4913", "5036", "a.md~", ".a.md.swp", "#a.md#", ".#a.md"])
def test_editor_noise_names(name):
    assert is_editor_noise(name)


@pytest.mark.parametrize("name", ["a.md", "people.yaml", "2024-plan.md", "plan.html"])
def test_real_names(name):
    assert not is_editor_noise(name)
