"""A loopback server that plays back recorded Semantic Scholar and OpenAlex answers.

Routes map `METHOD /path` (plus `@offset` for a paged list) to a list of replies given in
turn, the last one repeated: `[429, 200]` is "busy once, then the recording". Replies built
from tests/fixtures/real/ are real answers; the error replies the tests add (429, 500, a
timeout, a cut-off body, OpenAlex's 404) are synthetic and say so where they are made.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support import REAL


def real(name: str) -> bytes:
    return (REAL / name).read_bytes()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cut: bool = False  # synthetic: send half the body under the whole body's Content-Length
    hang: bool = False  # synthetic: never answer (until the server stops)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class State:
    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.batch_rows: dict[str, Any] = {}  # id as the client sends it -> recorded row
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.release = threading.Event()

    def reply(self, key: str) -> Reply | None:
        with self.lock:
            replies = self.routes.get(key)
            if not replies:
                return None
            return replies.pop(0) if len(replies) > 1 else replies[0]


class Handler(BaseHTTPRequestHandler):
    state: State
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(self.rfile.read(length))

    def _serve(self, body: bytes) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        state = self.state
        with state.lock:
            state.seen.append(
                Seen(
                    self.command,
                    url.path,
                    query,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
            )
        key = f"{self.command} {url.path}"
        if "offset" in query:
            key += "@" + query["offset"][0]
        reply = state.reply(key)
        if reply is None and key == "POST /graph/v1/paper/batch":
            reply = self._batch(body)
        if reply is None:  # synthetic: an unknown route, answered as OpenAlex answers 404
            reply = Reply(404, b'{"error": "not found (synthetic)"}')
        self._send(reply)

    def _batch(self, body: bytes) -> Reply:
        """The recorded rows for the ids it knows, null (as the API answers) for the rest."""
        ids = json.loads(body)["ids"]
        rows = [self.state.batch_rows.get(i) for i in ids]
        return Reply(200, json.dumps(rows).encode())

    def _send(self, reply: Reply) -> None:
        if reply.hang:
            self.state.release.wait(timeout=60)
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply.body)))
        if reply.cut:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply.body[: len(reply.body) // 2] if reply.cut else reply.body)
        if reply.cut:
            self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving() -> Iterator[tuple[str, State]]:
    state = State()
    handler = type("BoundHandler", (Handler,), {"state": state})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


# The recordings the citation tests play: a real arXiv API answer is the library, and the
# recorded Semantic Scholar batch rows are played for three of its papers.
ARXIV = REAL / "arxiv-api-2026-query-testing.xml"
BATCH = json.loads(real("s2-batch-2024-12-four-ids-first-unknown.json"))
REFS_0 = "s2-references-2024-12-ssrn.2250500-offset-0.json"
REFS_50 = "s2-references-2024-12-ssrn.2250500-offset-50.json"
SURVEY, OPENCAT, RANKING = "2503.05378", "2502.07719", "2405.13786"
PLAYED = {SURVEY: BATCH[1], OPENCAT: BATCH[2], RANKING: BATCH[3]}
