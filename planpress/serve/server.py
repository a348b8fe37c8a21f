"""The preview server: the output folder over HTTP, with live reload and an error overlay.

Only this server's responses carry the reload script and the overlay; the
files on disk stay exactly what `planpress build` writes. Open pages listen to
`/__planpress/events` (server-sent events) and reload when a rebuild changed
pages or the error state. A failed build shows its messages (file:line) in an
overlay on every page, over the last good build.

Requests are answered only from inside the output folder: a path with `..` or
`.` segments (also percent-encoded), empty segments (`//etc/passwd`),
backslashes, NUL bytes, hidden names, or that resolves (through a symlink)
outside the folder gets 404. Directory listings are never shown.
"""

from __future__ import annotations

import html
import mimetypes
import socket
import socketserver
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

from planpress.serve.builder import SiteState

PREFIX = "/__planpress/"
EVENTS = PREFIX + "events"
SCRIPT = PREFIX + "live.js"
HEARTBEAT = 15.0  # seconds between keep-alive comments on the event stream
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".ics": "text/calendar; charset=utf-8",
    ".xml": "application/xml",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}

LIVE_JS = b"""\
// planpress serve: reload this page when a rebuild changes the site (not in built files).
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : null;
  var close = document.getElementById("planpress-overlay-close");
  if (close) {
    close.addEventListener("click", function () {
      document.getElementById("planpress-overlay").hidden = true;
    });
  }
  if (!window.EventSource) { return; }
  var source = new EventSource("/__planpress/events");
  source.addEventListener("build", function (event) {
    if (generation !== null && event.data !== generation) {
      source.close();
      window.location.reload();
    }
  });
})();
"""

OVERLAY = """\
<div id="planpress-overlay" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:2147483647;\
max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#fff;\
font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;border-top:4px solid #e5484d">
<button id="planpress-overlay-close" type="button" style="float:right;font:inherit" \
aria-label="Hide">&#x2715;</button>
<strong>planpress: the build failed. This page is from the last good build.</strong>
<pre style="white-space:pre-wrap;margin:.5rem 0 0;font:inherit">{text}</pre>
</div>
"""


@dataclass(frozen=True, slots=True)
class Redirect:
    location: str


def resolve_request(root: Path, raw_path: str) -> Path | Redirect | None:
    """The file a request path names inside `root`, a redirect to add a '/', or None (404)."""
    path = raw_path.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or "\\" in path or "\0" in path:
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in decoded or "\0" in decoded:
        return None
    parts = decoded.split("/")[1:]
    folder = decoded.endswith("/")
    if folder:
        parts = parts[:-1]
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None  # traversal, '//' (absolute paths), hidden files such as the manifest
    base = root.resolve()
    try:
        target = base.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not target.is_relative_to(base):
        return None
    if target.is_dir():
        if parts and not folder:
            return Redirect(quote(decoded + "/"))
        index = target / "index.html"
        return index if index.is_file() else None
    if target.is_file() and not folder:
        return target
    return None


def inject(page: bytes, generation: int, error_lines: list[str] | None) -> bytes:
    """The page with the reload script (and the error overlay) before its closing body tag."""
    snippet = ""
    if error_lines:
        snippet += OVERLAY.replace("{text}", html.escape("\n".join(error_lines)))
    snippet += f'<script src="{SCRIPT}" data-generation="{generation}"></script>\n'
    data = snippet.encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page[:at] + data + page[at:] if at >= 0 else page + data


def content_type(path: Path) -> str:
    known = TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


class DevServer(ThreadingHTTPServer):
    """Serves `root` for the preview; `state` tells it the generation and the last error."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, host: str, port: int, root: Path, state: SiteState) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.root = root
        self.state = state
        self._thread: threading.Thread | None = None
        super().__init__((host, port), PreviewHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can hang on a broken resolver.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.2}, name="planpress-server"
        )
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        self.state.stop()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
        self.server_close()


class PreviewHandler(BaseHTTPRequestHandler):
    server: DevServer
    server_version = "planpress-serve"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal is for builds
        pass

    def _respond(self, head: bool) -> None:
        path = self.path.split("?", 1)[0]
        if path == SCRIPT:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_JS, head)
            return
        if path == EVENTS:
            self._events()
            return
        state = self.server.state
        with state.lock.read():
            target = resolve_request(self.server.root, self.path)
            data = b""
            if isinstance(target, Path):
                try:
                    data = target.read_bytes()
                except OSError:
                    target = None
            generation, error = state.generation, state.error
        if isinstance(target, Redirect):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", target.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        lines = error.lines() if error is not None else None
        if target is None:
            body = inject(_not_found(self.path).encode("utf-8"), generation, lines)
            self._send(HTTPStatus.NOT_FOUND, TYPES[".html"], body, head)
            return
        kind = content_type(target)
        if kind.startswith("text/html"):
            data = inject(data, generation, lines)
        self._send(HTTPStatus.OK, kind, data, head)

    def _send(self, status: int, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: `build` with the generation, now and after every change."""
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        state = self.server.state
        seen: int | None = None
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not state.stopping:
                generation = state.wait_for_generation(seen, HEARTBEAT)
                if state.stopping:
                    break
                if generation != seen:
                    self.wfile.write(f"event: build\ndata: {generation}\n\n".encode())
                    seen = generation
                else:
                    self.wfile.write(b": ping\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError, OSError):
            return


def _not_found(path: str) -> str:
    shown = html.escape(path[:200])
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        "<title>Not found</title></head><body>\n"
        f"<h1>Not found</h1><p>Nothing at <code>{shown}</code> in this build. "
        '<a href="/">Home</a></p>\n</body></html>\n'
    )
