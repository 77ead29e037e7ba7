"""The reader's parts of the bench: start-up to first rows against a minimal Textual app,
and drawing a list pane of many rows."""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path


def probe(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.reader_probe", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_startup(work: Path, rounds: int = 7) -> dict:
    """Medians over alternating runs, so that a busy moment of the machine hits both."""
    minimal, minimal_cpu, runs = [], [], []
    for _ in range(rounds):
        alone = probe("minimal")
        minimal.append(alone["seconds"])
        minimal_cpu.append(alone["cpu_s"])
        runs.append(probe("reader", str(work / "paperdeck")))
    reader = statistics.median(r["seconds"] for r in runs)
    reader_cpu = statistics.median(r["cpu_s"] for r in runs)
    return {
        "minimal_app_s": round(statistics.median(minimal), 3),
        "reader_first_rows_s": round(reader, 3),
        "ratio": round(reader / statistics.median(minimal), 2),
        # CPU seconds until then (every thread): what a busy machine moves least
        "minimal_app_cpu_s": round(statistics.median(minimal_cpu), 3),
        "reader_cpu_s": round(reader_cpu, 3),
        "cpu_ratio": round(reader_cpu / statistics.median(minimal_cpu), 2),
        "reader_peak_rss_mb": round(max(r["rss_mb"] for r in runs), 1),
    }


def bench_list_pane(rows: int) -> dict:
    """Time to draw the list with every paper, beside the same with 100 rows (what the
    harness and one frame cost anyway); memory in a separate pass, since tracemalloc slows
    every allocation it traces."""
    timed_rows = _list_pane_run(rows, trace=False)[0]
    timed_few = _list_pane_run(100, trace=False)[0]
    peak = _list_pane_run(rows, trace=True)[1]
    return {
        "rows": rows,
        "first_render_ms": round(timed_rows * 1000, 1),
        "first_render_100_rows_ms": round(timed_few * 1000, 1),
        "extra_mb": round(peak / 2**20, 1),
    }


def _list_pane_run(rows: int, trace: bool) -> tuple[float, int]:
    from paperdeck.index.models import Paper
    from paperdeck.tui.widgets.paper_list import PaperList
    from textual.app import App

    papers = [Paper(id=f"t-{n:012d}", title=f"Synthetic paper number {n}") for n in range(rows)]

    class One(App[None]):
        def compose(self):
            yield PaperList()

    async def run() -> tuple[float, int]:
        app = One()
        async with app.run_test(size=(120, 40)) as pilot:
            widget = app.query_one(PaperList)
            if trace:
                tracemalloc.start()
            start = time.perf_counter()
            widget.set_rows(papers, set())
            await pilot.pause()
            elapsed = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1] if trace else 0
            tracemalloc.stop()
            for _ in range(20):
                await pilot.press("pagedown")
            return elapsed, peak

    return asyncio.run(run())
