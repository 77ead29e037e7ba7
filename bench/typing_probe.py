"""Keystroke latency on an existing library, as `make bench` measures it, without the rest.

    python -m bench.typing_probe DATA_DIR [--rounds 3] [--queries] [--each]

Every prefix of bench.run's typed queries through `Library.browse(text, 1000)` (the reader's
request), each round from a freshly opened and warmed Library (bench.run._query_round), each
call's median over the rounds; p50/p95/max as bench.run.stats computes them, and the slowest
keystrokes. `--queries` adds the word/phrase/field/boolean queries (`Library.query`, 50).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from paperdeck.index.library import Library

from bench.run import QUERIES, keystrokes, stats, timed


def one_round(data_dir: Path, queries: bool) -> tuple[list[float], list[float]]:
    lib = Library(data_dir)
    lib.open()
    lib.warm()
    try:
        typed = [timed(lib.browse, k, 1000) for k in keystrokes()]
        found = [timed(lambda q=q: lib.query(q, 50, prefix=False)) for q, _ in QUERIES]
        return typed, (found if queries else [])
    finally:
        lib.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--each", action="store_true", help="every keystroke's median")
    args = parser.parse_args()
    rounds = [one_round(args.data_dir, args.queries) for _ in range(args.rounds)]
    typed = [statistics.median(call) for call in zip(*(r[0] for r in rounds), strict=True)]
    report: dict[str, object] = {"typing": stats(typed)}
    if args.queries:
        found = [statistics.median(call) for call in zip(*(r[1] for r in rounds), strict=True)]
        report["queries"] = stats(found)
    ranked = sorted(zip(typed, keystrokes(), strict=True), reverse=True)
    report["slowest"] = [[k, round(t * 1000, 1)] for t, k in ranked[:8]]
    if args.each:
        report["each"] = [[k, round(t * 1000, 1)] for t, k in zip(typed, keystrokes(), strict=True)]
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
