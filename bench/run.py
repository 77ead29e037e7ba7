"""paperdeck against SQLite FTS5 and Tantivy on one synthetic corpus, side by side, in one run.

    python -m bench.run --papers 10000        (make bench; make bench N=100000)
    python -m bench.run --papers 1000000      (an arXiv metadata snapshot; up to an hour)

The corpus is a digest in the sample's text format below 1,000,000 papers (so the 10,000 and
100,000 rows stay comparable with earlier runs) and an arXiv metadata snapshot (JSON lines)
from 1,000,000 on; `--corpus` chooses either at any size. Both paperdeck and FTS5 load the
same file, and so does Tantivy (bench/tantivy_ref.py; `pip install -e '.[bench]'`). Each
part's rows are printed as soon as it ends, and bench/results/<time>-<N>.json
(with the machine, the versions and the load from other processes) is rewritten after each
part, so a long run that is stopped still leaves what it measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from paperdeck.index import __version__
from paperdeck.index.library import Library

from bench import fts5, tantivy_ref
from bench.cli import bench_cli
from bench.corpus import LAST_DAY, generate, write_snapshot_file
from bench.export import bench_export
from bench.load import LoadSampler
from bench.memory import MeasuredFailure, run_measured
from bench.screen import bench_list_pane, bench_startup
from bench.table import SECTIONS, header, print_table

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
# The same queries in Tantivy's language (words ANDed by default, `-` for NOT), in order.
TANTIVY_QUERIES = [
    *("transformer", "attention", "wavelet", "retrieval", "model", "quantization"),
    *("sparse attention", "language models", "point cloud"),
    *('"large language models"', '"deep learning"', "title:transformer"),
    *("title:(mamba OR attention)", "attention OR retrieval", "transformer -survey"),
]
TYPED = ["transformer attention", "sentence embeddings", "diffusion model", "graph neural"]
RESULTS_DIR = Path(__file__).parent / "results"
QUERY_ROUNDS = 5  # each call's time is its median over this many rounds
SNAPSHOT_FROM = 1_000_000  # papers: from here on, `--corpus auto` writes an arXiv snapshot
ONE_RUN_FROM = 500_000  # papers: from here on, the import's time and memory come from one run
SLOW_SAMPLE_S = 2.0  # seconds between memory samples in that one run
NEW_PAPERS_DAY = LAST_DAY + dt.timedelta(days=31)  # the 100 new papers: a month of their own


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


def bench_import(corpus: Path, work: Path, papers: int, limit_mb: float) -> dict:
    """The CLI's import, as a user runs it: its time, then (a second import, into another
    data dir) its peak memory with its writer processes (summed PSS, sampled from /proc;
    stopped past `limit_mb`). Not both from one run: a PSS sample walks every page table of
    the three processes, and sampling every 50 ms took ~40 s of kernel CPU during a
    100,000-paper import that itself used ~140 s, on the two cores its workers need (issue
    15). From ONE_RUN_FROM papers, one run sampled every few seconds does both: the memory
    grows slowly over half an hour, and a second import would double the bench's hour.
    Then FTS5's and Tantivy's loads of the same file, parsing included."""
    command = import_command(corpus, work / "paperdeck")
    if papers >= ONE_RUN_FROM:
        seconds, peak_mb = run_measured(
            command, limit_mb, every=SLOW_SAMPLE_S, stdout=subprocess.DEVNULL
        )
    else:
        seconds = timed(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL))
        measured = import_command(corpus, work / "memory")
        peak_mb = run_measured(measured, limit_mb, stdout=subprocess.DEVNULL)[1]
        shutil.rmtree(work / "memory")
    ref = fts5.Fts5(work / "fts5.db")
    ref_seconds = timed(lambda: ref.load(fts5.read_rows(corpus)))
    fast = tantivy_ref.Tantivy(work / "tantivy")
    fast_seconds = timed(lambda: fast.load(fts5.read_rows(corpus), papers))
    return {
        "paperdeck_papers_per_s": round(papers / seconds),
        "paperdeck_s": round(seconds, 1),
        "peak_memory_mb": round(peak_mb),
        "fts5_papers_per_s": round(papers / ref_seconds),
        "fts5_s": round(ref_seconds, 1),
        "index_mb": round(dir_size(work / "paperdeck" / "cache") / 2**20, 1),
        "digest_copy_mb": round(dir_size(work / "paperdeck" / "digests") / 2**20, 1),
        "fts5_mb": round((work / "fts5.db").stat().st_size / 2**20, 1),
        "tantivy_papers_per_s": round(papers / fast_seconds),
        "tantivy_s": round(fast_seconds, 1),
        "tantivy_mb": round(dir_size(work / "tantivy") / 2**20, 1),
    }


def bench_incremental(work: Path, snapshot: bool) -> dict:
    """A 100-paper digest (of the big corpus's format) into the big library vs into an empty
    one."""
    if snapshot:
        small = work / "small.json"
        write_snapshot_file(100, small, seed=99, announced=NEW_PAPERS_DAY)
    else:
        small = work / "small.txt"
        small.write_text(generate(100, seed=99).replace("Nov 1, 2026", "Nov 2, 2026"), "utf-8")
    big = timed(Library(work / "paperdeck").import_digests, [small])
    empty = timed(Library(work / "empty").import_digests, [small])
    return {
        "into_big_s": round(big, 3),
        "into_empty_s": round(empty, 3),
        "ratio": round(big / empty, 2),
    }


def bench_reimport(corpus: Path, work: Path, first_import_s: float) -> dict:
    """A newer snapshot over the big library: the same file with 1% of its lines changed
    (a revised abstract every hundredth line), imported by the CLI as a user would."""
    newer = work / "newer-snapshot.json"
    with corpus.open(encoding="utf-8") as old, newer.open("w", encoding="utf-8") as new:
        for number, line in enumerate(old):
            if number % 100 == 0 and line.strip():
                fields = json.loads(line)
                fields["abstract"] = fields.get("abstract", "") + " Revised in version 2."
                line = json.dumps(fields) + "\n"
            new.write(line)
    command = import_command(newer, work / "paperdeck")
    seconds = timed(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL))
    newer.unlink()
    return {
        "seconds": round(seconds, 1),
        "first_import_s": first_import_s,
        "ratio": round(seconds / first_import_s, 3),
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
        "queries": {
            "paperdeck": stats(medians["ours"]),
            "fts5": stats(medians["theirs"]),
            "tantivy": stats(medians["fast"]),
        },
        "typing": {
            "paperdeck": stats(typed),
            "fts5": stats(medians["typed_theirs"]),
            "tantivy": stats(medians["typed_fast"]),
        },
        "slowest_keystroke": max(zip(typed, keystrokes(), strict=True))[1],
    }


def _query_round(work: Path) -> dict[str, list[float]]:
    """Every query and keystroke once on each, from a fresh Library (its caches cold, as for
    the reader's first searches after opening), a fresh FTS5 connection and a freshly opened
    Tantivy index. Tantivy's parsing or building of each query is timed with its search, as
    FTS5 parses its MATCH string inside the call."""
    lib, ref = Library(work / "paperdeck"), fts5.Fts5(work / "fts5.db")
    fast = tantivy_ref.Tantivy(work / "tantivy")
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
            "fast": [timed(lambda q=q: fast.search(fast.parse(q))) for q in TANTIVY_QUERIES],
            # Tantivy with paperdeck's limits (FTS5 keeps its 50, as in every earlier run).
            "typed_fast": [
                timed(lambda k=k: fast.search(fast.typed_query(k), 1000)) for k in keystrokes()
            ],
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


def bench_similar(library_dir: Path, papers: int = 8) -> dict:
    """Similar papers (the reader's `s`) for a few papers found by a search."""
    lib = Library(library_dir)
    lib.open()
    ids = [row.id for row in lib.browse("retrieval", papers).rows]
    return {"papers": len(ids), "similar": stats([timed(lib.similar, pid, 10) for pid in ids])}


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
        "tantivy": tantivy_ref.tantivy.__version__,
    }


# -- running the parts -----------------------------------------------------------------------


def corpus_path(args: argparse.Namespace, work: Path) -> Path:
    """The corpus file, written unless `--corpus-dir` already holds it (written whole, then
    renamed, so a stopped run never leaves half a corpus to reuse)."""
    snapshot = is_snapshot(args)
    name = f"corpus-{args.papers}-seed7.{'json' if snapshot else 'txt'}"
    path = (args.corpus_dir or work) / name
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if snapshot:
        write_snapshot_file(args.papers, partial)
    else:
        partial.write_text(generate(args.papers), "utf-8")
    partial.rename(path)
    return path


def is_snapshot(args: argparse.Namespace) -> bool:
    return args.corpus == "snapshot" or (args.corpus == "auto" and args.papers >= SNAPSHOT_FROM)


def parts(
    args: argparse.Namespace, work: Path, corpus: Path, result: dict
) -> dict[str, Callable[[], dict]]:
    """Each part of the bench, in order; all but the first read the library it imports."""
    library = work / "paperdeck"
    reimport = (
        {"reimport": lambda: bench_reimport(corpus, work, result["import"]["paperdeck_s"])}
        if is_snapshot(args)
        else {}
    )
    return {
        "import": lambda: bench_import(corpus, work, args.papers, args.memory_limit_mb),
        "search": lambda: bench_queries(work),
        "for_you": lambda: bench_for_you(library),
        "similar": lambda: bench_similar(library),
        "export": lambda: bench_export(library, args.papers),
        "incremental": lambda: bench_incremental(work, is_snapshot(args)),
        **reimport,
        "startup": lambda: bench_startup(work),
        "list_pane": lambda: bench_list_pane(args.list_rows),
        "cli": bench_cli,
    }


def run_part(key: str, part: Callable[[], dict], sampler: LoadSampler) -> dict:
    """One part, timed, with the load while it ran; a failure is recorded, not raised."""
    since, start = sampler.mark(), time.perf_counter()
    try:
        out = part()
    except Exception as exc:  # reported in the results, and the run goes on
        out = {"failed": f"{type(exc).__name__}: {exc}"}
        if isinstance(exc, MeasuredFailure):
            out |= {
                "seconds_until_failure": round(exc.seconds),
                "peak_memory_mb": round(exc.peak_mb),
            }
    out["part_s"] = round(time.perf_counter() - start, 1)
    out["load"] = sampler.summary(since)
    return out


def save(result: dict, out: Path) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--list-rows", type=int, default=100_000)
    parser.add_argument("--corpus", choices=("auto", "digest", "snapshot"), default="auto")
    parser.add_argument("--corpus-dir", type=Path, help="keep the corpus here and reuse it")
    parser.add_argument("--memory-limit-mb", type=float, default=12_000, help="stop the import")
    args = parser.parse_args()
    kind = "-snapshot" if is_snapshot(args) else ""
    out = RESULTS_DIR / f"{time.strftime('%Y%m%d-%H%M%S')}-{args.papers}{kind}.json"
    sampler = LoadSampler()
    sampler.start()
    with tempfile.TemporaryDirectory(prefix="paperdeck-bench-") as tmp:
        work = Path(tmp)
        corpus = corpus_path(args, work)
        result: dict = {
            "papers": args.papers,
            "corpus": {
                "format": "arxiv-snapshot" if is_snapshot(args) else "hf-text",
                "mb": round(corpus.stat().st_size / 2**20),
            },
            "machine": machine(),
            "when": time.strftime("%Y-%m-%d %H:%M"),
            "finished": False,
        }
        print("\n".join(header(result)), flush=True)
        for key, part in parts(args, work, corpus, result).items():
            result[key] = run_part(key, part, sampler)
            save(result, out)
            failed = "failed" in result[key]
            rows = (
                [f"{key}: FAILED: {result[key]['failed']}"]
                if failed
                else SECTIONS[key](result[key])
            )
            print("\n".join(rows), flush=True)
            if failed and key == "import":
                break  # every other part reads the imported library
    sampler.stop()
    result["load"] = {"cores": os.cpu_count() or 0, **sampler.summary()}
    result["finished"] = True
    save(result, out)
    print()
    print_table(result)
    print(f"\nwritten to {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    main()
