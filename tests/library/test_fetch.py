"""`paperdeck fetch` against a local server with recorded answers; no test touches the internet."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.support import FIXTURES, InProcessCli

DAILY = (FIXTURES / "hf-daily-2026-03-13.json").read_bytes()


class Recorded(BaseHTTPRequestHandler):
    mode = "ok"
    seen: list[str] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        Recorded.seen.append(self.path)
        day = parse_qs(url.query).get("date", [""])[0]
        if url.path != "/api/daily_papers":
            self._answer(404, b"not found")
        elif self.mode == "429":
            self._answer(429, b'{"error": "rate limited"}')
        elif self.mode == "500":
            self._answer(500, b"oops")
        elif self.mode == "garbage":
            self._answer(200, b"<html>maintenance</html>")
        elif day == "2026-03-13":
            self._answer(200, DAILY)
        else:
            self._answer(200, b"[]")

    def _answer(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Recorded.mode, Recorded.seen = "ok", []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetch(cli_run: InProcessCli, server: str, data_dir: Path, *args: str, monkeypatch) -> object:
    monkeypatch.setenv("PAPERDECK_HF_API", server)
    return cli_run("fetch", *args, data_dir=data_dir)


def test_fetch_a_day_imports_it(
    cli_run: InProcessCli, server: str, tmp_path: Path, monkeypatch
) -> None:
    result = fetch(cli_run, server, tmp_path, "--date", "2026-03-13", monkeypatch=monkeypatch)
    assert result.returncode == 0, result.stderr
    assert "hf-daily-2026-03-13.json: 65 papers (65 new)" in result.stdout
    records = json.loads(cli_run("list", "--json", data_dir=tmp_path).stdout)
    assert len(records) == 65 and all(
        r["url"].startswith("https://arxiv.org/abs/") for r in records
    )
    assert Recorded.seen == ["/api/daily_papers?date=2026-03-13"]


def test_fetch_a_week_asks_for_each_day(
    cli_run: InProcessCli, server: str, tmp_path: Path, monkeypatch
) -> None:
    result = fetch(cli_run, server, tmp_path, "--week", "2026-W11", monkeypatch=monkeypatch)
    assert result.returncode == 0, result.stderr
    assert len(Recorded.seen) == 7 and result.stdout.count("no papers that day") == 6


@pytest.mark.parametrize(
    ("mode", "message"),
    [("429", "rate limited"), ("500", "HTTP 500"), ("garbage", "not JSON")],
)
def test_server_trouble_fails_cleanly(
    cli_run: InProcessCli, server, tmp_path, monkeypatch, mode, message
) -> None:
    Recorded.mode = mode
    result = fetch(cli_run, server, tmp_path, "--date", "2026-03-13", monkeypatch=monkeypatch)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "library.json").exists()


def test_no_server_says_so_in_one_line(cli_run: InProcessCli, tmp_path: Path, monkeypatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    result = fetch(cli_run, f"http://127.0.0.1:{port}", tmp_path, monkeypatch=monkeypatch)
    assert result.returncode == 3  # its own code, not 2 (bad input): issue 21.12
    assert result.stderr.startswith("paperdeck: the network is unreachable: cannot reach ")
    assert len(result.stderr.splitlines()) == 1


def test_bad_period_is_a_usage_error(cli_run: InProcessCli, tmp_path: Path) -> None:
    result = cli_run("fetch", "--week", "2024-22", data_dir=tmp_path)
    assert result.returncode == 2 and "YYYY-Www" in result.stderr
