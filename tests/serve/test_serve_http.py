"""The preview server over real HTTP on 127.0.0.1: reload, overlay, renames, safety."""

from __future__ import annotations

import http.client
import os
import threading
import time

from serve_kit import TIMEOUT, plan, wait_until, write

from planpress.serve.server import EVENTS, SCRIPT, resolve_request


def test_pages_carry_the_reload_script_but_files_on_disk_never_do(served):
    live, client = served()
    status, body, headers = client.get("/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f'<script src="{SCRIPT}" data-generation="1"></script>' in body
    assert body.rstrip().endswith("</html>")
    status, script, headers = client.get(SCRIPT)
    assert status == 200 and "EventSource" in script and "javascript" in headers["Content-Type"]
    status, css, headers = client.get("/static/planpress.css")
    assert (
        status == 200
        and "__planpress" not in css
        and headers["Content-Type"].startswith("text/css")
    )
    status, _, headers = client.get("/plans/launch.html", method="HEAD")
    assert status == 200 and int(headers["Content-Length"]) > 0
    for path in live.output.rglob("*"):
        if path.is_file():
            assert b"__planpress" not in path.read_bytes(), path


def test_folders_redirect_to_their_slash_and_serve_their_index(served):
    _, client = served()
    status, _, headers = client.get("/milestones")
    assert status == 302 and headers["Location"] == "/milestones/"
    status, body, _ = client.get("/milestones/")
    assert status == 200 and "</html>" in body
    status, _, _ = client.get("/plans/")  # no index.html there, and never a listing
    assert status == 404


TRAVERSALS = [
    "/../",
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/plans/../../secret.txt",
    "/plans/%2e%2e/%2e%2e/secret.txt",
    "//etc/passwd",
    "/%2fetc/passwd",
    "/etc/passwd",
    "/%00",
    "/index.html%00.txt",
    "/..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/.planpress-manifest.json",
    "/./index.html",
    "/%ff%fe",
    "/link-out/secret.txt",
]


def test_requests_outside_the_output_folder_get_404(served):
    live, client = served()
    (live.output.parent / "secret.txt").write_text("SECRET", encoding="utf-8")
    os.symlink(live.output.parent, live.output / "link-out")
    answers = {path: client.get(path) for path in TRAVERSALS}
    wrong = {path: status for path, (status, _, _) in answers.items() if status != 404}
    assert not wrong
    assert not [
        path for path, (_, body, _) in answers.items() if "SECRET" in body or "root:" in body
    ]


def test_resolve_request_keeps_inside_the_root(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.html").write_text("x")
    assert resolve_request(tmp_path, "/a/b.html?x=1#top") == tmp_path / "a" / "b.html"
    assert resolve_request(tmp_path, "/a/b%2Ehtml") == tmp_path / "a" / "b.html"
    assert resolve_request(tmp_path, "a/b.html") is None
    assert resolve_request(tmp_path, "/a/b.html/") is None


def test_a_deleted_and_a_renamed_plan_update_the_index_and_backlinks(served, small_site):
    live, client = served()
    assert 'href="plans/launch.html"' in client.get("/")[1]
    assert "launch.html" in client.get("/plans/growth.html")[1]
    content = small_site / "content"
    os.rename(content / "launch.md", content / "launch-v2.md")
    wait_until(lambda: client.get("/plans/launch-v2.html")[0] == 200, what="the renamed page")
    assert client.get("/plans/launch.html")[0] == 404
    index, growth = client.get("/")[1], client.get("/plans/growth.html")[1]
    assert 'href="plans/launch-v2.html"' in index and 'href="plans/launch.html"' not in index
    assert "launch-v2.html" in growth and '"launch.html' not in growth
    (content / "launch-v2.md").unlink()
    wait_until(lambda: client.get("/plans/launch-v2.html")[0] == 404, what="the deleted page")
    assert "launch" not in client.get("/plans/growth.html")[1].split("<main", 1)[-1]
    assert not (live.output / "plans" / "launch-v2.html").exists()


def test_a_build_error_shows_as_an_overlay_over_the_last_good_build_then_recovers(
    served, small_site
):
    live, client = served()
    bad = small_site / "content" / "launch.md"
    write(bad, "---\ntitle: Launch v3\nstart: 2024-13-01\n---\n")
    wait_until(lambda: live.site.state.error is not None, what="the failed build")
    for path in ("/", "/plans/launch.html", "/plans/growth.html", "/nowhere.html"):
        status, body, _ = client.get(path)
        assert status == (404 if path == "/nowhere.html" else 200)
        assert 'id="planpress-overlay"' in body
        assert "content/launch.md:3:8: error: start: 2024-13-01 is not a real date" in body
        assert body.rstrip().endswith("</html>")
    page = client.get("/plans/launch.html")[1]
    assert "Launch v1" in page and "Launch v3" not in page  # the last good build
    terminal = live.stream.getvalue()
    assert "content/launch.md:3:8: error:" in terminal
    assert "still serving the last good build" in terminal
    write(bad, plan("Launch v4"))
    wait_until(lambda: "Launch v4" in client.get("/plans/launch.html")[1], what="recovery")
    assert "planpress-overlay" not in client.get("/plans/launch.html")[1]
    assert live.site.state.error is None


def test_every_request_during_rebuilds_is_a_complete_page(served, small_site):
    live, client = served()
    target = small_site / "content" / "launch.md"
    done = threading.Event()
    problems: list[str] = []
    fetched = [0]

    def fetch() -> None:
        while not done.is_set():
            for path in ("/", "/plans/launch.html", "/plans/growth.html"):
                status, body, _ = client.get(path)
                fetched[0] += 1
                if status != 200 or not body.rstrip().endswith("</html>"):
                    problems.append(f"{path}: {status} {body[-80:]!r}")

    readers = [threading.Thread(target=fetch, daemon=True) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        start = live.count
        for n in range(6):
            write(target, plan(f"Launch v{n}", "Text. " * 200 * (n % 2 + 1)))
            wait_until(lambda n=n: live.count > start + n, what=f"rebuild {n}")
    finally:
        done.set()
        for reader in readers:
            reader.join(TIMEOUT)
    assert not problems, problems[:5]
    assert fetched[0] > 10


def test_open_pages_hear_of_each_rebuild(served, small_site):
    live, client = served()
    connection = http.client.HTTPConnection(client.host, client.port, timeout=TIMEOUT)
    connection.request("GET", EVENTS)
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/event-stream"

    def next_generation() -> str:
        while True:
            line = response.fp.readline().decode()
            if line.startswith("data: "):
                return line.removeprefix("data: ").strip()

    first = next_generation()
    assert first == str(live.site.state.generation)
    write(small_site / "content" / "launch.md", plan("Launch heard"))
    assert int(next_generation()) > int(first)
    connection.close()


def test_requests_wait_for_a_rebuild_in_progress(served, small_site):
    live, client = served()
    lock = live.site.state.lock
    answered = threading.Event()
    with lock.write():  # what a rebuild holds
        thread = threading.Thread(target=lambda: (client.get("/"), answered.set()), daemon=True)
        thread.start()
        time.sleep(0.3)
        assert not answered.is_set()
    assert answered.wait(TIMEOUT)
