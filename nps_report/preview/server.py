"""The preview's HTTP server: loopback only, standard library, one thread per connection.

    GET  /                 the page (shell; the manuscript comes from /content)
    GET  /content          {"version", "html", "error", "seconds"}
    GET  /events           server-sent events: `update` when the page changed, `written`
                           when the PDF and DOCX were written (or could not be)
    GET  /provenance?key=K {"key", "value", "method", "patients": [...], ...} (404 if unknown)
    GET  /figure/<k>/<f>   a figure PNG from the private folder
    GET  /fonts/<f>        the bundled fonts the manuscript's stylesheet names
    POST /write            write manuscript.pdf and .docx into the build folder now
"""

from __future__ import annotations

import json
import mimetypes
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..paths import FONTS
from ..provenance.records import record
from .page import shell
from .session import Session

HOST = "127.0.0.1"  # never another interface: the page shows patient-level data


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open page's event stream never holds the process
    allow_reuse_address = False  # a port another preview holds is reported, not shared

    def __init__(self, port: int, session: Session, write: Callable[[], None]) -> None:
        super().__init__((HOST, port), _Handler)
        self.session = session
        self.write = write
        self.stopping = threading.Event()
        self.written = _Board()


class _Board:
    """The last message about writing the PDF and DOCX, with a counter clients wait on."""

    def __init__(self) -> None:
        self.count, self.message = 0, ""
        self.changed = threading.Condition()

    def post(self, message: str) -> None:
        with self.changed:
            self.count += 1
            self.message = message
            self.changed.notify_all()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows what the preview does, not every request

    def _trusted(self) -> bool:
        """Only pages this server served may talk to it. A web page elsewhere can reach
        127.0.0.1 through a domain that resolves to it (DNS rebinding), which the Host
        header gives away, and can send a blind cross-site POST, which Origin gives away:
        both are refused, since the page shows patient-level data."""
        port = self.server.server_address[1]
        allowed = {f"{HOST}:{port}", f"localhost:{port}"}
        origin = self.headers.get("Origin")
        if self.headers.get("Host", "") not in allowed or (
                origin is not None and origin.removeprefix("http://") not in allowed):
            self._json({"error": "this preview answers only pages it served itself "
                                 f"(http://{HOST}:{port}/)"}, HTTPStatus.FORBIDDEN)
            return False
        return True

    def do_GET(self) -> None:
        if not self._trusted():
            return
        url = urlsplit(self.path)
        session = self.server.session
        if url.path == "/":
            title = session.results.study.title if session.results else session.study.name
            snap = session.snapshot
            self._send(shell(title, snap.html, snap.error, snap.version).encode(),
                       "text/html; charset=utf-8")
        elif url.path == "/content":
            snap = session.snapshot
            self._json({"version": snap.version, "html": snap.html, "error": snap.error,
                        "seconds": snap.seconds})
        elif url.path == "/events":
            self._events()
        elif url.path == "/provenance":
            self._provenance(parse_qs(url.query).get("key", [""])[0])
        elif url.path.startswith("/figure/"):
            self._file(session.workdir / "figures", url.path.removeprefix("/figure/"))
        elif url.path.startswith("/fonts/"):
            self._file(FONTS, url.path.removeprefix("/fonts/"))
        else:
            self._json({"error": f"no page {url.path}"}, HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        if not self._trusted():
            return
        if urlsplit(self.path).path == "/write":
            self.server.write()
            self._json({"writing": True}, HTTPStatus.ACCEPTED)
        else:
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def _provenance(self, key: str) -> None:
        results = self.server.session.results
        if results is None:
            self._json({"key": key, "error": "the study has not been built yet"},
                       HTTPStatus.SERVICE_UNAVAILABLE)
            return
        try:
            self._json(record(results, key))
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            self._json({"key": key, "error": f"no number has this key ({exc})"},
                       HTTPStatus.NOT_FOUND)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        session, board = self.server.session, self.server.written
        seen, written, quiet = -1, board.count, 0
        try:
            while not self.server.stopping.is_set():
                snap = session.wait(seen, timeout=0.5)
                if snap.version != seen:
                    seen = snap.version
                    self.wfile.write(f"event: update\ndata: {seen}\n\n".encode())
                if board.count != written:
                    written = board.count
                    text = board.message.replace("\n", " ")
                    self.wfile.write(f"event: written\ndata: {text}\n\n".encode())
                quiet += 1
                if quiet % 10 == 0:  # a comment every 5 s finds a closed page
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed
        self.close_connection = True

    def _file(self, root: Path, rel: str) -> None:
        path = (root / rel).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._send(path.read_bytes(), kind, cache=True)

    def _json(self, data: object, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(json.dumps(data, ensure_ascii=False, allow_nan=False).encode(),
                   "application/json; charset=utf-8", status)

    def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK,
              cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        # figure URLs name their cache key: they never change under the same URL
        self.send_header("Cache-Control", "max-age=31536000, immutable" if cache
                         else "no-store")
        self.end_headers()
        self.wfile.write(body)
