"""The bench's search part (queries and keystrokes), paperdeck of two checkouts in turn.

    python -m bench.search_paired setup --dir D --papers 30000 [--base-path P]
    python -m bench.search_paired run --dir D --base-path P [--pairs 3]

`setup` writes the snapshot corpus `make bench CORPUS=snapshot` writes (same seed), imports it
with the CLI into D/lib-base (the base checkout's code) and loads it into a Tantivy index
(D/tantivy), all kept for later runs. `run` alternates the base checkout and this one, each a
fresh process doing the bench's search rounds (bench.run's QUERIES and keystrokes, a fresh
Library per round, each call's median over the rounds); this checkout reads D/lib-branch, a
copy of D/lib-base that it rebuilds once if its schema differs. Wall and CPU time per call.
`--base-path` is a directory holding `paperdeck/index` and `paperdeck/tui` of the base
checkout (links to its folders), put first on PYTHONPATH so that its code is imported.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def _env(base_path: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if base_path:
        env["PYTHONPATH"] = base_path
    return env


def setup(d: Path, papers: int, base_path: str | None) -> None:
    from bench import fts5, tantivy_ref
    from bench.corpus import write_snapshot_file

    d.mkdir(parents=True, exist_ok=True)
    corpus = d / f"corpus-{papers}-seed7.json"
    if not corpus.exists():
        write_snapshot_file(papers, corpus)
    if not (d / "lib-base").exists():
        paperdeck = str(Path(sys.executable).with_name("paperdeck"))
        command = [paperdeck, "--data-dir", str(d / "lib-base"), "import", str(corpus)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=_env(base_path))
    if not (d / "tantivy").exists():
        tantivy_ref.Tantivy(d / "tantivy").load(fts5.read_rows(corpus), papers)


def _timed(fn, *args) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def _round(library: Path, tantivy_dir: Path, with_tantivy: bool) -> dict[str, list]:
    from paperdeck.index.library import Library

    from bench import tantivy_ref
    from bench.run import QUERIES, TANTIVY_QUERIES, keystrokes

    lib = Library(library)
    lib.open()
    lib.warm()
    try:
        out = {
            "queries": [_timed(lambda q=q: lib.query(q, 50, prefix=False)) for q, _ in QUERIES],
            "typing": [_timed(lib.browse, k, 1000) for k in keystrokes()],
        }
    finally:
        lib.close()
    if with_tantivy:
        fast = tantivy_ref.Tantivy.open(tantivy_dir)
        out["tantivy_queries"] = [
            _timed(lambda q=q: fast.search(fast.parse(q))) for q in TANTIVY_QUERIES
        ]
        out["tantivy_typing"] = [
            _timed(lambda k=k: fast.search(fast.typed_query(k), 1000)) for k in keystrokes()
        ]
    return out


def measure(library: Path, tantivy_dir: Path, rounds: int, with_tantivy: bool) -> None:
    """One process's rounds: each call's median wall and CPU, printed as JSON."""
    results = [_round(library, tantivy_dir, with_tantivy) for _ in range(rounds)]
    medians = {
        name: [
            [statistics.median(t[0] for t in call), statistics.median(t[1] for t in call)]
            for call in zip(*(r[name] for r in results), strict=True)
        ]
        for name in results[0]
    }
    print(json.dumps(medians))


def _pct(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    ms = lambda v: round(v * 1000, 2)  # noqa: E731
    return {"p50_ms": ms(statistics.median(ordered)), "p95_ms": ms(p95), "max_ms": ms(ordered[-1])}


def _child(d: Path, library: str, base_path: str | None, rounds: int) -> dict:
    command = [sys.executable, "-m", "bench.search_paired", "measure", "--dir", str(d)]
    command += ["--library", library, "--rounds", str(rounds), "--tantivy"]
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=_env(base_path))
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(d: Path, base_path: str, pairs: int, rounds: int) -> None:
    if not (d / "lib-branch").exists():
        shutil.copytree(d / "lib-base", d / "lib-branch", symlinks=True)
    _child(d, "lib-branch", None, 1)  # rebuilds once if this checkout's schema differs
    runs: list[dict] = []
    for pair in range(pairs):
        for label, library, path in (
            ("base", "lib-base", base_path),
            ("branch", "lib-branch", None),
        ):
            load = os.getloadavg()[0]
            medians = _child(d, library, path, rounds)
            row = {"pair": pair, "code": label, "load_before": round(load, 2)}
            for name, calls in medians.items():
                row[name] = {
                    "wall": _pct([c[0] for c in calls]),
                    "cpu": _pct([c[1] for c in calls]),
                }
            row["load_after"] = round(os.getloadavg()[0], 2)
            runs.append(row)
            print(json.dumps(row), flush=True)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}-search-paired.json"
    out.write_text(json.dumps({"dir": str(d), "rounds": rounds, "runs": runs}, indent=1))
    print(f"written to {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=("setup", "run", "measure"))
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--papers", type=int, default=30_000)
    parser.add_argument("--base-path")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--library", default="lib-branch")
    parser.add_argument("--tantivy", action="store_true")
    args = parser.parse_args()
    if args.action == "setup":
        setup(args.dir, args.papers, args.base_path)
    elif args.action == "run":
        run(args.dir, args.base_path, args.pairs, args.rounds)
    else:
        measure(args.dir / args.library, args.dir / "tantivy", args.rounds, args.tantivy)


if __name__ == "__main__":
    main()
