"""Citations (issue 22): a paper's 10,000 cached citing papers into the list pane, and
`citations refresh` of 500 bookmarks as batched requests.

    python -m bench.citations [--citing 10000] [--bookmarks 500] [--rounds 7]

Also the `citations` part of `make bench` (bench.run). Its own small library: a synthetic arXiv
snapshot of `--bookmarks` papers (bench.corpus), every one bookmarked.

The cached list is a synthetic derivative of real recordings: the citing papers of the two
recorded Semantic Scholar citation pages (tests/fixtures/real/s2-citations-2024-07-*offset-0
and -offset-100: paperId and title, 200 papers), each given the other fields the reader asks
for (authors, year, venue, externalIds, abstract, citationCount) from one of the ten full
citing-paper records of the recorded Turing 1950 answer (s2-paper-2024-06-turing-*), repeated
to `--citing` papers with their ids varied (paperId, CorpusId, DOI, arXiv id made unique;
the arXiv papers among them, 4 in 10 as in those records, are papers of the library one time
in ten, so the reader's "in your library" lookups are exercised). The batch answers are the
four recorded rows of s2-batch-2024-12-four-ids-first-unknown.json, served in turn for
whatever ids are asked (synthetic: the ids are not theirs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from paperdeck.index.citations.cache import CitationCache
from paperdeck.index.library import Library
from paperdeck.index.paths import resolve_paths

from bench.corpus import write_snapshot_file

REAL = Path(__file__).parent.parent / "tests" / "fixtures" / "real"
PAGES = [
    "s2-citations-2024-07-CorpusID-14514057-offset-0.json",
    "s2-citations-2024-07-CorpusID-14514057-offset-100.json",
]
FULL = "s2-paper-2024-06-turing-1950-first-10-citations.json"
BATCH = "s2-batch-2024-12-four-ids-first-unknown.json"
LISTED = ("authors", "year", "venue", "externalIds", "abstract", "citationCount")


def stats(samples: list[float]) -> dict[str, float]:
    """p50, p95 and max in ms, as bench.run.stats gives them (not imported: bench.run needs
    the references installed, and this part runs without them)."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
        "runs": len(ordered),
    }


def _real(name: str) -> Any:
    return json.loads((REAL / name).read_text("utf-8"))


def citing_rows(count: int, library_ids: list[str]) -> list[dict[str, Any]]:
    """`count` citing-paper rows as Semantic Scholar's citations endpoint gives them (see the
    module's docstring for how they are made of the recordings)."""
    titled = [row["citingPaper"] for name in PAGES for row in _real(name)["data"]]
    full = _real(FULL)["citations"]
    rows = []
    for n in range(count):
        base, extra = titled[n % len(titled)], full[n % len(full)]
        paper = {"paperId": f"{n:08x}{base['paperId'][8:]}", "title": base["title"]}
        paper |= {key: extra.get(key) for key in LISTED}
        ids = {"CorpusId": 300_000_000 + n}
        if "ArXiv" in (extra.get("externalIds") or {}):
            held = library_ids and n % 10 == 1
            ids["ArXiv"] = library_ids[n % len(library_ids)] if held else f"2499.{n:05d}"
        elif "DOI" in (extra.get("externalIds") or {}):
            ids["DOI"] = f"{extra['externalIds']['DOI']}.bench{n}"
        paper["externalIds"] = ids
        paper["year"] = 2000 + n % 25  # varied, so the newest-first sort has work to do
        paper["citationCount"] = (n * 7919) % 5000
        rows.append({"citingPaper": paper})
    return rows


def make_library(data_dir: Path, papers: int) -> list[str]:
    """A library of `papers` synthetic snapshot papers (arXiv ids), all bookmarked; their
    ids, newest first."""
    corpus = data_dir.parent / "snapshot.json"
    write_snapshot_file(papers, corpus)
    lib = Library(data_dir)
    lib.import_digests([corpus])
    ids = [paper.id for paper in lib.listing()]
    lib.add_bookmarks(ids)
    return ids


def keep_listing(data_dir: Path, arxiv_id: str, rows: list[dict[str, Any]]) -> None:
    """The whole list in the cache, as a complete fetch of it leaves it."""
    cache = CitationCache(resolve_paths(data_dir).cache_dir / "citations")
    answer = {"data": rows, "next": None, "limit": len(rows)}
    cache.put(f"s2:citations:arXiv:{arxiv_id}", answer)


def bench_cited_by(data_dir: Path, arxiv_id: str, rounds: int) -> dict[str, Any]:
    """Library.cited_by from the cache: as the reader asks (its LIST_LIMIT) and the whole list;
    each round a freshly made Library, as a new reader's first C."""
    from paperdeck.tui.screens.citation_actions import LIST_LIMIT

    out: dict[str, Any] = {}
    for name, limit in (("reader_limit", LIST_LIMIT), ("whole_list", 10**9)):
        times, got = [], 0
        for _ in range(rounds):
            lib = Library(data_dir)
            start = time.perf_counter()
            fetched = lib.cited_by(arxiv_id, limit=limit)
            times.append(time.perf_counter() - start)
            got = len(fetched.value.papers) if fetched else 0
        out[name] = {"limit": limit, "papers": got, **stats(times)}
    return out


def bench_reader_list(data_dir: Path, rounds: int) -> dict[str, Any]:
    """The reader, headless under Pilot, on its first two rows (their lists are kept): the key
    C, until a frame showing the citing papers as the list pane's rows is drawn, escape back
    between rounds (each C reads the cache again, in the list worker, as the reader does).
    Beside it, as the floor any key pays: C on the second row (a list of 10) and ↓ from the
    first row to the second, until a frame with its paper loaded in the detail is drawn."""
    from paperdeck.tui.app import PaperDeckApp
    from paperdeck.tui.widgets.paper_detail import PaperDetail
    from paperdeck.tui.widgets.paper_list import PaperList

    async def run() -> dict[str, Any]:
        app = PaperDeckApp(Library(data_dir))
        async with app.run_test(size=(120, 40)) as pilot:
            frames = Frames(app)
            await _wait(pilot, lambda: getattr(app.screen, "ready", False))
            screen, found = app.screen, {"big": [], "small": [], "down": []}
            plist, detail = screen.query_one(PaperList), screen.query_one(PaperDetail)
            await _wait(pilot, lambda: bool(plist.rows))
            await pilot.press("down")  # from the search box to the list, on the first row
            await _wait(pilot, lambda: plist.current is not None and plist.cursor == 0)
            shown = 0
            for _ in range(rounds):
                for kind, row in (("big", 0), ("small", 1)):
                    if row == 1:
                        moved = lambda: plist.cursor == 1 and _detailed(detail, plist)  # noqa: E731
                        found["down"].append(await _timed_key(pilot, frames, "down", moved))
                    listed = lambda: _listed(screen)  # noqa: E731
                    found[kind].append(await _timed_key(pilot, frames, "C", listed))
                    shown = len(plist.rows) if kind == "big" else shown
                    await pilot.press("escape")
                    await _wait(pilot, lambda r=row: _back(screen, plist, r))  # type: ignore[misc]
                await pilot.press("up")
                await _wait(pilot, lambda: _back(screen, plist, 0))
        return {"rows": shown, **stats(found["big"]), "list_of_10": stats(found["small"]),
                "down_key": stats(found["down"])}  # fmt: skip

    return asyncio.run(run())


class Frames:
    """When the app hands a frame to its driver (App._display, also called headless): a key's
    time is from the key sent to the first frame drawn once `done()` holds, what a user
    waits for. Pilot's own waiting (press and pause poll until the process is idle, 20 ms a
    poll) is not counted: the probe measured it before, about 60 ms of every key."""

    def __init__(self, app: Any) -> None:
        self.done: Any = None
        self.drawn: float | None = None
        display = app._display

        def timed(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None and self.done is not None and self.done():
                self.drawn, self.done = time.perf_counter(), None

        app._display = timed

    def watch(self, done: Any) -> None:
        self.done, self.drawn = done, None


async def _wait(pilot: Any, condition: Any, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("the reader did not get there")
        await pilot.pause()


async def _timed_key(pilot: Any, frames: Frames, key: str, done: Any) -> float:
    """From the key sent until the first frame drawn with `done()` true."""
    frames.watch(done)
    start = time.perf_counter()
    await pilot.press(key)
    await _wait(pilot, lambda: frames.drawn is not None)
    assert frames.drawn is not None
    return frames.drawn - start


def _detailed(detail: Any, plist: Any) -> bool:
    """The detail pane shows the cursor row's paper, loaded (not only its title)."""
    view, row = detail.view, plist.current
    return (
        row is not None and view.paper is not None and view.paper.id == row.id and not view.loading
    )


def _listed(screen: Any) -> bool:
    mode = screen.cites.mode
    return mode is not None and bool(mode.papers)


def _back(screen: Any, plist: Any, row: int) -> bool:
    return screen.cites.mode is None and plist.current is not None and plist.cursor == row


# -- citations refresh against a loopback server --------------------------------------------


@contextmanager
def batch_server(busy_first: int) -> Iterator[tuple[str, dict[str, int]]]:
    """POST /graph/v1/paper/batch answered with the recorded rows in turn (synthetic ids);
    the first `busy_first` requests get a 429 with Retry-After 0. Counts every request."""
    recorded = _real(BATCH)
    seen = {"requests": 0, "batch": 0, "ids": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer(404, b'{"error": "not recorded (synthetic)"}')

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                seen["requests"] += 1
                busy = seen["requests"] <= busy_first
            if busy:
                self._answer(429, b'{"message": "Too Many Requests"}', {"Retry-After": "0"})
                return
            ids = json.loads(body)["ids"]
            with lock:
                seen["batch"] += 1
                seen["ids"] += len(ids)
            rows = [recorded[n % len(recorded)] for n in range(len(ids))]
            self._answer(200, json.dumps(rows).encode())

        def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None):
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def bench_refresh(data_dir: Path, papers: int, busy_first: int) -> dict[str, Any]:
    """`paperdeck citations refresh --bookmarked` as a user runs it (its own process), against
    the loopback server: its requests and its wall time."""
    paperdeck = str(Path(sys.executable).with_name("paperdeck"))
    command = [paperdeck, "--data-dir", str(data_dir), "citations", "refresh", "--bookmarked"]
    with batch_server(busy_first) as (base, seen):
        env = {**os.environ, "PAPERDECK_SEMANTIC_SCHOLAR_URL": base}
        env |= {"PAPERDECK_OPENALEX_URL": base}
        env.pop("SEMANTIC_SCHOLAR_API_KEY", None)
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
    return {
        "bookmarks": papers,
        "busy_first": busy_first,
        "requests": seen["requests"],
        "batch_answers": seen["batch"],
        "ids_asked": seen["ids"],
        "seconds": round(seconds, 2),
        "said": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "",
    }


def bench_citations(citing: int = 10_000, bookmarks: int = 500, rounds: int = 7) -> dict:
    """Both rows on a library of their own (see the module's docstring)."""
    with tempfile.TemporaryDirectory(prefix="paperdeck-citebench-") as tmp:
        data_dir = Path(tmp) / "library"
        ids = make_library(data_dir, bookmarks)
        first, second = (row.id for row in Library(data_dir).browse("", 2).rows)
        others = [i for i in ids if i not in (first, second)]
        keep_listing(data_dir, first, citing_rows(citing, others))  # the reader's first row
        keep_listing(data_dir, second, citing_rows(10, others))
        return {
            "citing": citing,
            "cited_by": bench_cited_by(data_dir, first, rounds),
            "reader_C": bench_reader_list(data_dir, rounds),
            "refresh": bench_refresh(data_dir, len(ids), busy_first=0),
            "refresh_after_a_429": bench_refresh(data_dir, len(ids), busy_first=1),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citing", type=int, default=10_000)
    parser.add_argument("--bookmarks", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    from bench.load import LoadSampler
    from bench.table import rows_citations

    sampler = LoadSampler(every_s=2.0)
    sampler.start()
    when = time.strftime("%Y%m%d-%H%M%S")
    result = bench_citations(args.citing, args.bookmarks, args.rounds)
    sampler.stop()
    result["load"] = {"cores": os.cpu_count() or 0, **sampler.summary()}
    out = Path(__file__).parent / "results" / f"{when}-citations-{args.citing}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print("\n".join(rows_citations(result)))
    print(f"load: {result['load']}\nwritten to {out}")


if __name__ == "__main__":
    main()
