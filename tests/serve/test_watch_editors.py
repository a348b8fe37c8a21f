"""Real editors' saves and git's storms, on real files, with watchdog's real observer."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from serve_kit import plan, wait_until, write
from watchdog.observers.polling import PollingObserver

from planpress.write import WriteResult


def save_in_place(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(text)


def save_by_rename(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def save_like_vim(path: Path, text: str) -> None:
    swap = path.with_name(f".{path.name}.swp")
    swap.write_bytes(b"swap")
    probe = path.with_name("4913")  # vim checks that it may create files in the folder
    probe.write_bytes(b"")
    probe.unlink()
    backup = path.with_name(path.name + "~")
    os.rename(path, backup)
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o644)
    backup.unlink()
    swap.write_bytes(b"swap, updated")


def save_like_jetbrains(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + "___jb_tmp___")
    old = path.with_name(path.name + "___jb_old___")
    temporary.write_text(text, encoding="utf-8")
    os.rename(path, old)
    os.rename(temporary, path)
    old.unlink()


def save_like_emacs(path: Path, text: str) -> None:
    lock = path.with_name(f".#{path.name}")
    os.symlink("user@host.1234:1700000000", lock)
    autosave = path.with_name(f"#{path.name}#")
    autosave.write_text(text, encoding="utf-8")
    os.rename(path, path.with_name(path.name + "~"))
    path.write_text(text, encoding="utf-8")
    autosave.unlink()
    lock.unlink()


SAVES = {
    "in place": save_in_place,
    "temp file and rename": save_by_rename,
    "vim": save_like_vim,
    "jetbrains": save_like_jetbrains,
    "emacs": save_like_emacs,
}


@pytest.mark.parametrize("editor", SAVES)
def test_an_editor_save_is_exactly_one_rebuild_with_the_new_content(live_site, small_site, editor):
    live = live_site()
    before = live.count
    SAVES[editor](small_site / "content" / "launch.md", plan("Launch v2"))
    report = live.wait_for(lambda r: r.ok, after=before)
    assert live.settle() == before + 1
    assert report.ok and report.number == before + 1
    assert "Launch v2" in live.page("plans/launch.html")


def fake_build(calls: list, gate: threading.Event | None = None, block_at: int = 0):
    """A stand-in for the pipeline that counts calls (for the watcher's tests, not the site's)."""
    started = threading.Event()

    def run(path, output, options, **extra):
        calls.append(sorted(p.name for p in (Path(path) / "content").rglob("*.md")))
        if gate is not None and len(calls) == block_at:
            started.set()
            gate.wait(30)
        return SimpleNamespace(plans=0, diagnostics=[], files=WriteResult(1, 0, 0), output=output)

    run.started = started
    return run


def test_a_branch_switch_of_350_files_gives_at_most_two_rebuilds(live_site, small_site):
    content = small_site / "content"
    for n in range(350):
        write(content / "area" / f"plan-{n:03}.md", plan(f"Plan {n}"))
    calls: list = []
    live = live_site(build_fn=fake_build(calls))
    before = live.count
    (small_site / ".git").mkdir()
    for n in range(300):  # git checkout: unlink and write each changed file, then the deletions
        path = content / "area" / f"plan-{n:03}.md"
        path.unlink()
        path.write_text(plan(f"Plan {n} on the other branch"), encoding="utf-8")
        (small_site / ".git" / "index.lock").write_bytes(b"x" * n)
    for n in range(300, 350):
        (content / "area" / f"plan-{n:03}.md").unlink()
    (small_site / ".git" / "index.lock").unlink()
    wait_until(lambda: calls and len(calls[-1]) == 302, what="a build seeing the new branch")
    assert live.settle() - before <= 2


def test_a_change_during_a_build_gives_exactly_one_follow_up(live_site, small_site):
    calls: list = []
    gate = threading.Event()
    runner = fake_build(calls, gate, block_at=2)
    live = live_site(build_fn=runner)
    content = small_site / "content"
    write(content / "a.md", plan("A"))
    assert runner.started.wait(10), "the rebuild did not start"
    for name in ("b.md", "c.md", "d.md"):  # during the (blocked) build
        write(content / name, plan(name))
        save_in_place(content / "launch.md", plan(f"Launch after {name}"))
    wait_until(lambda: live.site.tracker.pending, what="the changes to be seen")
    gate.set()
    live.wait_builds(3)
    assert live.settle() == 3
    assert calls[1] == ["a.md", "growth.md", "launch.md"]
    assert calls[2] == ["a.md", "b.md", "c.md", "d.md", "growth.md", "launch.md"]


def test_errors_in_the_handler_or_the_build_never_stop_later_rebuilds(live_site, small_site):
    calls: list = []
    real = fake_build(calls)
    failures = {"build": 1}

    def flaky_build(*args, **kwargs):
        if failures["build"]:
            failures["build"] -= 1
            raise RuntimeError("a bug in a stage")
        return real(*args, **kwargs)

    live = live_site(build_fn=flaky_build)
    assert not live.reports[0].ok
    assert "internal error: RuntimeError: a bug in a stage" in live.reports[0].error.summary
    feed = live.site.tracker.feed
    failures["feed"] = 1

    def flaky_feed(change):
        if failures["feed"]:
            failures["feed"] -= 1
            raise RuntimeError("a bug in the handler")
        return feed(change)

    live.site.tracker.feed = flaky_feed
    content = small_site / "content"
    write(content / "one.md", plan("One"))  # the first event hits the broken handler
    wait_until(lambda: not failures["feed"], what="the handler to fail once")
    live.settle()
    write(content / "two.md", plan("Two"))
    wait_until(lambda: calls and "two.md" in calls[-1], what="a rebuild after the failures")
    assert live.reports[-1].ok


class FullInotify(PollingObserver):
    """An observer failing like inotify does when fs.inotify.max_user_watches is reached."""

    def schedule(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "inotify watch limit reached")


def test_the_inotify_limit_falls_back_to_polling_and_says_so(live_site, small_site):
    live = live_site(observer_factory=FullInotify)
    message = live.stream.getvalue()
    assert "inotify watch limit (fs.inotify.max_user_watches) is reached" in message
    assert "polling for changes instead" in message
    assert live.site.watcher.polling
    save_in_place(small_site / "content" / "launch.md", plan("Launch polled"))
    live.wait_page("plans/launch.html", "Launch polled")


def test_polling_sees_saves_deletions_and_new_folders(live_site, small_site):
    live = live_site(poll=True)
    save_by_rename(small_site / "content" / "launch.md", plan("Launch by polling"))
    live.wait_page("plans/launch.html", "Launch by polling")
    write(small_site / "templates" / "partials" / "footer-note.html", "unused")
    write(small_site / "content" / "sales" / "deal.md", plan("Deal"))
    live.wait_page("plans/sales/deal.html", "Deal")
    (small_site / "content" / "sales" / "deal.md").unlink()
    wait_until(lambda: not (live.output / "plans" / "sales").exists(), what="the page removed")


def test_planpress_yaml_and_people_and_a_new_templates_folder_are_watched(live_site, small_site):
    live = live_site()
    write(small_site / "planpress.yaml", "title: Renamed site\ntoday: 2024-08-01\n")
    live.wait_page("index.html", "Renamed site")
    write(small_site / "content" / "people.yaml", "people:\n  ann: {name: Ann Lee}\n")
    live.wait_page("people/index.html", "Ann Lee")
    base = (Path(__file__).parents[2] / "themes/default/templates/base.html").read_text()
    write(small_site / "templates" / "base.html", base.replace("</body>", "<p>MARK-1</p></body>"))
    live.wait_page("index.html", "MARK-1")
    save_in_place(
        small_site / "templates" / "base.html", base.replace("</body>", "<p>MARK-2</p></body>")
    )
    live.wait_page("index.html", "MARK-2")


def test_watched_folders_deleted_and_made_again_are_watched_again(live_site, small_site):
    live = live_site()
    templates = small_site / "templates"
    base = (Path(__file__).parents[2] / "themes/default/templates/base.html").read_text()
    write(templates / "base.html", base.replace("</body>", "<p>MARK-1</p></body>"))
    live.wait_page("index.html", "MARK-1")
    shutil.rmtree(templates)
    wait_until(lambda: "MARK-1" not in live.page("index.html"), what="the theme's base again")
    write(templates / "base.html", base.replace("</body>", "<p>MARK-2</p></body>"))
    live.wait_page("index.html", "MARK-2")
    save_in_place(templates / "base.html", base.replace("</body>", "<p>MARK-3</p></body>"))
    live.wait_page("index.html", "MARK-3")

    content = small_site / "content"
    saved = {p.name: p.read_text() for p in content.iterdir()}
    shutil.rmtree(content)  # like `rm -rf content && git checkout content`
    wait_until(lambda: live.site.state.error is not None, what="the error of a missing folder")
    assert "no content folder" in live.site.state.error.summary
    for name, text in saved.items():
        write(content / name, text.replace("Launch v1", "Launch restored"))
    live.wait_page("plans/launch.html", "Launch restored")
    save_in_place(content / "launch.md", plan("Launch saved again"))
    live.wait_page("plans/launch.html", "Launch saved again")
    assert "polling" not in live.stream.getvalue()


def test_a_new_day_rebuilds_a_site_whose_today_is_the_clocks(live_site, small_site, monkeypatch):
    from planpress.config import SiteConfig

    write(small_site / "planpress.yaml", "title: Live\n")  # today: the clock's
    write(
        small_site / "content" / "launch.md",
        "---\ntitle: Launch v1\nstart: 2030-01-01\ntasks:\n"
        "  - {id: ship, title: Ship it, due: 2030-01-10}\n---\n",
    )
    day = [dt.date(2030, 1, 9)]
    monkeypatch.setattr(SiteConfig, "resolve_today", lambda self, override=None: day[0])
    live = live_site()
    assert "overdue by 1 day" not in live.page("plans/launch.html")
    built = live.count
    live.settle()
    assert live.count == built, "the same day: no rebuild"
    day[0] = dt.date(2030, 1, 11)
    report = live.wait_builds(built + 1)
    assert report.ok and report.reason == "a new day, 2030-01-11" and not report.changed
    assert "a new day, 2030-01-11: rebuilt 2 plans" in live.stream.getvalue()
    assert "overdue by 1 day" in live.page("plans/launch.html")
    live.settle()
    assert live.count == built + 1
