"""For you's first ranking after a big import, paired against another paperdeck's code.

    python -m bench.foryou_first --corpus CORPUS.json --base DIR [--rounds 2] [--out FILE]

`DIR` holds the other code as `DIR/paperdeck/{index,tui}` (e.g. `git archive lead9 index tui`
unpacked there), run with PYTHONPATH=DIR; this checkout's code is run as installed. Each round
imports the corpus into a fresh data dir with each code in turn (the CLI, as a user runs it:
wall and CPU time of it and its writer processes), then, in a new process, bookmarks three
papers and times the first for-you ranking (1,000 rows, as the reader asks) and the ranking
again after each of five more bookmarks. The load (`uptime`) is noted with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

RANKING = """
import json, sys, time
from paperdeck.index.library import Library

def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu

lib = Library(__import__("pathlib").Path(sys.argv[1]))
lib.open()
seeds = [row.id for row in lib.browse("attention", 8).rows]
lib.add_bookmarks(seeds[:3])
first = timed(lambda: lib.browse("", 1000, order="for-you"))
again = []
for paper_id in seeds[3:]:
    lib.add_bookmarks([paper_id])
    again.append(timed(lambda: lib.browse("", 1000, order="for-you")))
print(json.dumps({"first": first, "after_a_mark": again}))
"""


def load() -> float:
    return os.getloadavg()[0]


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (the process and the children it waited for), and its output."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{command[:4]} failed ({process.returncode})")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, out


def one(label: str, code: Path | None, corpus: Path, work: Path) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    data = work / label
    shutil.rmtree(data, ignore_errors=True)
    cli = [sys.executable, "-m", "paperdeck.tui.cli", "--data-dir", str(data)]
    load_before = load()
    wall, cpu, _ = run([*cli, "import", str(corpus)], env)
    result: dict = {"code": label, "import_s": round(wall, 1), "import_cpu_s": round(cpu, 1)}
    result["import_load"] = [round(load_before, 2), round(load(), 2)]
    segments = data / "cache" / "index" / "for-you" / "segments"
    result["segments_kept"] = len(list(segments.glob("*-*"))) if segments.exists() else 0
    load_before = load()
    _, _, out = run([sys.executable, "-c", RANKING, str(data)], env)
    ranked = json.loads(out)
    result["first_ranking_s"] = round(ranked["first"][0], 2)
    result["first_ranking_cpu_s"] = round(ranked["first"][1], 2)
    marks = sorted(wall for wall, _ in ranked["after_a_mark"])
    result["after_a_mark_ms"] = [round(1000 * wall) for wall in marks]
    result["ranking_load"] = [round(load_before, 2), round(load(), 2)]
    shutil.rmtree(data, ignore_errors=True)
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--base", type=Path, required=True, help="the other code's PYTHONPATH")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/foryou-first"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = []
    for number in range(args.rounds):
        order = [("base", args.base), ("branch", None)]
        for label, code in order if number % 2 == 0 else order[::-1]:
            rows.append(one(label, code, args.corpus, args.work))
    if args.out:
        args.out.write_text(json.dumps({"corpus": str(args.corpus), "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
