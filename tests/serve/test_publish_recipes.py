"""The recipes of docs/publishing.md, run for real: nginx under /plans/, the git hook, systemd.

nginx is Debian's (scripts/setup-tests.sh installs it). Without it the nginx test skips,
and fails when CI is set.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from serve_kit import GROWTH, TIMEOUT, plan, wait_until, write

from planpress.cli import make_parser
from planpress.pipeline import build

REPO = Path(__file__).parents[2]
DOC = REPO / "docs" / "publishing.md"
PUBLISHED = "/var/www/plans"  # the output folder the recipes use
NGINX = shutil.which("nginx") or next(
    (p for p in ("/usr/sbin/nginx", "/usr/bin/nginx") if os.access(p, os.X_OK)), None
)


def recipe(language: str, containing: str) -> str:
    """The code block of docs/publishing.md in `language` that contains `containing`."""
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", DOC.read_text(), re.M | re.S)
    found = [block for block in blocks if containing in block]
    assert len(found) == 1, f"one ```{language} block with {containing!r} in {DOC}"
    return found[0]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false")


def site_with_two_versions(root: Path) -> Path:
    site = root / "plans"
    write(site / "planpress.yaml", "title: Published\ntoday: 2024-08-01\n")
    write(site / "content" / "growth.md", GROWTH)
    write(site / "content" / "launch.md", plan("Launch A"))
    write(site / "content" / "sales" / "deal.md", plan("Deal"))
    return site


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, bytes, str]:
    request = urllib.request.Request(url)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


@pytest.fixture
def nginx(tmp_path: Path):
    """nginx running the documented configuration for a given output folder; yields start()."""
    if NGINX is None:
        if in_ci():
            pytest.fail("nginx is missing: run scripts/setup-tests.sh (CI must run this test)")
        pytest.skip("nginx is not installed (scripts/setup-tests.sh installs it)")
    processes: list[subprocess.Popen] = []

    def start(published: Path) -> str:
        prefix = tmp_path / "nginx"
        prefix.mkdir()
        port = free_port()
        location = recipe("nginx", "alias").replace(f"{PUBLISHED}/", f"{published}/")
        assert str(published) in location
        types = (
            "include /etc/nginx/mime.types;"
            if Path("/etc/nginx/mime.types").is_file()
            else "types { text/html html; text/css css; text/javascript js; }"
        )
        temp = " ".join(
            f"{kind}_temp_path {prefix}/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (prefix / "nginx.conf").write_text(
            f"""
daemon off;
master_process off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    {types}
    default_type application/octet-stream;
    access_log off;
    {temp}
    server {{
        listen 127.0.0.1:{port};
        {location}
    }}
}}
"""
        )
        process = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        processes.append(process)

        def answering() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"nginx stopped: {process.stderr.read().decode()}")
            with socket.socket() as probe:
                return probe.connect_ex(("127.0.0.1", port)) == 0

        wait_until(answering, what="nginx to listen")
        return f"http://127.0.0.1:{port}"

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(TIMEOUT)


def test_nginx_serves_the_site_under_plans_and_only_complete_pages_during_rebuilds(nginx, tmp_path):
    site = site_with_two_versions(tmp_path)
    published = tmp_path / "www" / "plans"
    versions = {}
    for title in ("Launch A", "Launch B"):  # every file of both builds, for comparing responses
        write(site / "content" / "launch.md", plan(title, f"{title} text. " * 100))
        reference = build(site, tmp_path / f"reference-{title[-1]}").output
        versions[title] = {
            p.relative_to(reference).as_posix(): p.read_bytes()
            for p in reference.rglob("*")
            if p.is_file()
        }
    build(site, published)
    base = nginx(published)

    status, _, _ = get(base + "/plans")  # urllib follows the redirect to /plans/
    assert status == 200
    for path, kind in [
        ("/plans/", "text/html"),
        ("/plans/plans/launch.html", "text/html"),
        ("/plans/plans/sales/deal.html", "text/html"),
        ("/plans/static/planpress.css", "text/css"),
        ("/plans/plans.json", "application/json"),
    ]:
        status, body, content_type = get(base + path)
        assert status == 200 and content_type.startswith(kind), path
    assert get(base + "/plans/.planpress-manifest.json")[0] == 404
    pages = ["index.html", "plans/launch.html", "plans/growth.html", "static/planpress.css"]

    done = threading.Event()
    builds = [0]

    def rebuild() -> None:
        while not done.is_set():
            title = ("Launch A", "Launch B")[builds[0] % 2]
            write(site / "content" / "launch.md", plan(title, f"{title} text. " * 100))
            build(site, published)
            builds[0] += 1

    builder = threading.Thread(target=rebuild, daemon=True)
    problems: list[str] = []
    fetched = 0
    builder.start()
    try:
        deadline = time.monotonic() + 30
        while (builds[0] < 8 or fetched < 100) and time.monotonic() < deadline:
            for name in pages:
                status, body, _ = get(f"{base}/plans/{name}")
                fetched += 1
                if status != 200:
                    problems.append(f"{name}: HTTP {status}")
                elif name.endswith(".html") and not body.rstrip().endswith(b"</html>"):
                    problems.append(f"{name}: incomplete ({len(body)} bytes)")
                elif body not in (versions["Launch A"][name], versions["Launch B"][name]):
                    problems.append(f"{name}: neither build's file")
    finally:
        done.set()
        builder.join(TIMEOUT * 3)
    assert builds[0] >= 8 and fetched >= 100
    assert not problems, problems[:5]


def test_the_post_merge_hook_publishes_after_git_pull(tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ann",
        "GIT_AUTHOR_EMAIL": "ann@example.com",
        "GIT_COMMITTER_NAME": "Ann",
        "GIT_COMMITTER_EMAIL": "ann@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(tmp_path),
    }
    bin_dir = tmp_path / "bin"  # `planpress` on PATH, as this Python's planpress
    write(bin_dir / "planpress", f'#!/bin/sh\nexec "{sys.executable}" -m planpress "$@"\n')
    (bin_dir / "planpress").chmod(0o755)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))

    def run(*args: str, cwd: Path) -> str:
        result = subprocess.run(
            [git, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout + result.stderr

    upstream = site_with_two_versions(tmp_path / "upstream")
    run("init", "-q", "-b", "main", cwd=upstream)
    run("add", ".", cwd=upstream)
    run("commit", "-q", "-m", "Plans", cwd=upstream)
    checkout = tmp_path / "srv" / "plans"
    run("clone", "-q", str(upstream), str(checkout), cwd=tmp_path)
    published = tmp_path / "www" / "plans"
    hook = checkout / ".git" / "hooks" / "post-merge"
    script = recipe("sh", "git rev-parse --show-toplevel")
    hook.write_text(script.replace(PUBLISHED, str(published)))
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    assert str(published) in hook.read_text()
    subprocess.run(
        [bin_dir / "planpress", "build", str(checkout), "-o", str(published), "-q"],
        env=env,
        check=True,
        timeout=60,
    )
    assert "Launch A" in (published / "plans" / "launch.html").read_text()

    write(upstream / "content" / "launch.md", plan("Launch pulled"))
    run("commit", "-q", "-am", "Launch moves", cwd=upstream)
    run("pull", "-q", "--ff-only", cwd=checkout)
    assert "Launch pulled" in (published / "plans" / "launch.html").read_text()

    write(upstream / "content" / "launch.md", "---\ntitle: [broken\n---\n")
    run("commit", "-q", "-am", "A mistake", cwd=upstream)
    output = run("pull", "--ff-only", cwd=checkout)
    assert "content/launch.md:3:1: error: invalid YAML" in output
    assert "still has the last good build" in output
    assert "Launch pulled" in (published / "plans" / "launch.html").read_text()


def test_the_systemd_units_run_commands_planpress_and_git_accept():
    service = recipe("ini", "planpress watch")
    assert "[Service]" in service and "[Install]" in service
    command = shlex.split(re.search(r"^ExecStart=(.*)$", service, re.M).group(1))
    assert Path(command[0]).name == "planpress"
    args = make_parser().parse_args(command[1:])
    assert args.command == "watch" and str(args.output) == PUBLISHED
    assert args.path == Path(re.search(r"^WorkingDirectory=(.*)$", service, re.M).group(1))
    pull = recipe("ini", "git -C")
    git_command = shlex.split(re.search(r"^ExecStart=(.*)$", pull, re.M).group(1))
    assert git_command[1:3] == ["-C", str(args.path)] and "--ff-only" in git_command
    timer = recipe("ini", "[Timer]")
    assert "OnUnitActiveSec=" in timer and "WantedBy=timers.target" in timer
