"""paperdeck against SQLite FTS5 on one synthetic corpus, side by side, in one run.

    python -m bench.run --papers 10000        (make bench; make bench N=100000)

Prints a table and writes bench/results/<time>-<N>.json with the machine and versions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench import fts5
from bench.corpus import generate
from bench.memory import run_measured
from index import __version__
from index.library import Library

QUERIES = [  # (paperdeck, FTS5)
    ("transformer", '"transformer"'),
    ("attention", '"attention"'),
    ("wavelet", '"wavelet"'),
    ("retrieval", '"retrieval"'),
    ("model", '"model"'),
    ("quantization", '"quantization"'),
    ("sparse attention", '"sparse" AND "attention"'),
    ("language models", '"language" AND "models"'),
    ("point cloud", '"point" AND "cloud"'),
    ('"large language models"', '"large language models"'),
    ('"deep learning"', '"deep learning"'),
    ("title:transformer", 'title:"transformer"'),
    ("title:(mamba OR attention)", 'title:("mamba" OR "attention")'),
    ("attention OR retrieval", '"attention" OR "retrieval"'),
    ("transformer AND NOT survey", '"transformer" NOT "survey"'),
]
TYPED = ["transformer attention", "sentence embeddings", "diffusion model", "graph neural"]
RESULTS_DIR = Path(__file__).parent / "results"
QUERY_ROUNDS = 5  # each call's time is its median over this many rounds


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(p95 * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def keystrokes() -> list[str]:
    return [text[:n] for text in TYPED for n in range(1, len(text) + 1)]


def import_command(corpus: Path, data_dir: Path) -> list[str]:
    paperdeck = str(Path(sys.executable).with_name("paperdeck"))
    return [paperdeck, "--data-dir", str(data_dir), "import", str(corpus)]


def bench_import(corpus: Path, work: Path, papers: int) -> dict:
    """The CLI's import, as a user runs it: its time, then (a second import, into another
    data dir) its peak memory with its writer processes (summed PSS, sampled from /proc).
    Not both from one run: a PSS sample walks every page table of the three processes, and
    sampling every 50 ms took ~40 s of kernel CPU during a 100,000-paper import that itself
    used ~140 s, on the two cores its workers need (issue 15)."""
    command = import_command(corpus, work / "paperdeck")
    seconds = timed(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL))
    measured = import_command(corpus, work / "memory")
    peak_mb = run_measured(measured, stdout=subprocess.DEVNULL)[1]
    shutil.rmtree(work / "memory")
    ref = fts5.Fts5(work / "fts5.db")
    ref_seconds = timed(lambda: ref.load(fts5.read_pairs(corpus)))
    return {
        "paperdeck_papers_per_s": round(papers / seconds),
        "peak_memory_mb": round(peak_mb),
        "fts5_papers_per_s": round(papers / ref_seconds),
        "index_mb": round(dir_size(work / "paperdeck" / "cache") / 2**20, 1),
        "fts5_mb": round((work / "fts5.db").stat().st_size / 2**20, 1),
    }


def bench_incremental(work: Path) -> dict:
    """A 100-paper digest into the big library vs into an empty one."""
    small = work / "small.txt"
    small.write_text(generate(100, seed=99).replace("Nov 1, 2026", "Nov 2, 2026"), "utf-8")
    big = timed(Library(work / "paperdeck").import_digests, [small])
    empty = timed(Library(work / "empty").import_digests, [small])
    return {
        "into_big_s": round(big, 3),
        "into_empty_s": round(empty, 3),
        "ratio": round(big / empty, 2),
    }


def bench_queries(work: Path) -> dict:
    """Each call's median over QUERY_ROUNDS rounds (see _query_round). One round alone made
    each percentile one sample (p95 of the 15 queries is the second slowest), which a busy
    moment of the machine moved by half: 46 ms and 69 ms for the same code (issue 15)."""
    rounds = [_query_round(work) for _ in range(QUERY_ROUNDS)]
    medians = {name: _per_call_median([r[name] for r in rounds]) for name in rounds[0]}
    typed = medians["typed_ours"]
    return {
        "rounds": QUERY_ROUNDS,
        "queries": {"paperdeck": stats(medians["ours"]), "fts5": stats(medians["theirs"])},
        "typing": {"paperdeck": stats(typed), "fts5": stats(medians["typed_theirs"])},
        "slowest_keystroke": max(zip(typed, keystrokes(), strict=True))[1],
    }


def _query_round(work: Path) -> dict[str, list[float]]:
    """Every query and keystroke once on both, from a fresh Library (its caches cold, as for
    the reader's first searches after opening) and a fresh FTS5 connection."""
    lib, ref = Library(work / "paperdeck"), fts5.Fts5(work / "fts5.db")
    lib.open()
    lib.warm()  # as the reader does after its first rows are drawn
    try:
        return {
            "ours": [timed(lambda q=q: lib.query(q, 50, prefix=False)) for q, _ in QUERIES],
            "theirs": [timed(ref.search, f) for _, f in QUERIES],
            # As the reader issues them: the best 1,000 rows for the list, the last word a
            # prefix.
            "typed_ours": [timed(lib.browse, k, 1000) for k in keystrokes()],
            "typed_theirs": [timed(ref.search, fts5.typed_query(k)) for k in keystrokes()],
        }
    finally:
        lib.close()
        ref.db.close()


def _per_call_median(rounds: list[list[float]]) -> list[float]:
    return [statistics.median(call) for call in zip(*rounds, strict=True)]


def bench_for_you(library_dir: Path, marks: int = 6) -> dict:
    """For you: reading every paper's terms once per index generation (then kept in the cache
    dir), and ranking the whole library again after a mark changes (retraining, scoring,
    sorting, the first 1,000 rows, as the reader asks), one new bookmark at a time."""
    lib = Library(library_dir)
    lib.open()
    seeds = [row.id for row in lib.browse("attention", 3 + marks).rows]
    lib.add_bookmarks(seeds[:3])
    first = timed(lambda: lib.browse("", 1000, order="for-you"))  # reads the terms, trains
    after_mark = []
    for paper_id in seeds[3:]:
        lib.add_bookmarks([paper_id])
        after_mark.append(timed(lambda: lib.browse("", 1000, order="for-you")))
    lib.remove_bookmarks(seeds)
    return {
        "first_ranking_s": round(first, 2),
        "after_a_mark": stats(after_mark),
        "papers": lib.count(),
    }


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
    minimal, runs = [], []
    for _ in range(rounds):
        minimal.append(probe("minimal")["seconds"])
        runs.append(probe("reader", str(work / "paperdeck")))
    reader = statistics.median(r["seconds"] for r in runs)
    return {
        "minimal_app_s": round(statistics.median(minimal), 3),
        "reader_first_rows_s": round(reader, 3),
        "ratio": round(reader / statistics.median(minimal), 2),
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
    from textual.app import App

    from index.models import Paper
    from tui.widgets.paper_list import PaperList

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


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import textual
    import whoosh

    return {
        "cpu": cpu,
        "python": platform.python_version(),
        "paperdeck": __version__,
        "whoosh": ".".join(map(str, whoosh.__version__)),
        "textual": textual.__version__,
        "sqlite": fts5.sqlite3.sqlite_version,
    }


def print_table(result: dict) -> None:
    imp, q, st, lp = result["import"], result["search"], result["startup"], result["list_pane"]
    lines = [
        f"paperdeck vs SQLite FTS5, {result['papers']:,} papers ({result['machine']['cpu']})",
        "",
        f"{'':34} {'paperdeck':>14} {'FTS5':>14} {'ratio':>8}",
        _row("import, papers/s", imp["paperdeck_papers_per_s"], imp["fts5_papers_per_s"]),
    ]
    for kind in ("queries", "typing"):
        for stat in ("p50_ms", "p95_ms", "max_ms"):
            lines.append(_row(f"{kind} {stat}", q[kind]["paperdeck"][stat], q[kind]["fts5"][stat]))
    lines += [
        f"{'import peak memory (with workers), MB':34} {imp['peak_memory_mb']:>14,}",
        _row("index size, MB", imp["index_mb"], imp["fts5_mb"]),
        f"{'100 papers into big / into empty':34} {result['incremental']['ratio']:>14}x",
        _row("start-up to first rows, s", st["reader_first_rows_s"], st["minimal_app_s"])
        + "  (vs minimal Textual app)",
        f"{'reader peak RSS, MB':34} {st['reader_peak_rss_mb']:>14}",
        f"{'list pane ' + str(lp['rows']) + ' rows, render ms':34} {lp['first_render_ms']:>14}"
        + f"  (100 rows: {lp['first_render_100_rows_ms']})",
        f"{'list pane extra memory, MB':34} {lp['extra_mb']:>14}",
        f"slowest keystroke: {q['slowest_keystroke']!r}; search times are each call's median"
        f" of {q['rounds']} rounds",
    ]
    fy = result["for_you"]
    lines += [
        f"{'for you: rank after a mark, p50/max ms':34} "
        f"{fy['after_a_mark']['p50_ms']:>9} / {fy['after_a_mark']['max_ms']}  (target <= 500)",
        f"{'for you: first ranking (terms read), s':34} {fy['first_ranking_s']:>14}",
    ]
    print("\n".join(lines))


def _row(label: str, ours: float, theirs: float) -> str:
    ratio = ours / theirs if theirs else float("inf")
    return f"{label:34} {ours:>14,} {theirs:>14,} {ratio:>7.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--list-rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paperdeck-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus.txt"
        corpus.write_text(generate(args.papers), "utf-8")
        result = {
            "papers": args.papers,
            "machine": machine(),
            "when": time.strftime("%Y-%m-%d %H:%M"),
        }
        result["import"] = bench_import(corpus, work, args.papers)
        result["search"] = bench_queries(work)
        result["for_you"] = bench_for_you(work / "paperdeck")
        result["incremental"] = bench_incremental(work)
        result["startup"] = bench_startup(work)
        result["list_pane"] = bench_list_pane(args.list_rows)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"{time.strftime('%Y%m%d-%H%M%S')}-{args.papers}.json"
    out.write_text(json.dumps(result, indent=2))
    print_table(result)
    print(f"\nwritten to {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    main()
