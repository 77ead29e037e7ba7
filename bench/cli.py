"""The CLI's short commands as a user's script runs them: whole processes, timed from outside.

    python -m bench.cli [--runs 10]          (also the `cli` part of `make bench`)

A library of the bundled sample (65 papers, two bookmarks) in a temp dir; each command runs
once untimed (the first command after an import writes the papers file: see
paperdeck.index.library_quick), then `runs` times in turn with `python -c pass`, so a busy
moment of the machine hits both. Each figure is the median wall time of a whole process
(start-up, imports, the answer, exit) and its CPU (user + system, from the kernel's account
of the finished child); `over_pass_ms` is the command's median less `python -c pass`'s.
Bytecode is cached as in a user's install (pip compiles it there): PYTHONDONTWRITEBYTECODE is
dropped from the commands' environment, and the untimed run writes the `.pyc` files;
otherwise every run would compile each of paperdeck's modules again.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "index" / "samples" / "hf-papers-sample.txt"
TARGETS_MS = {"list": 100, "show": 100, "bookmarks": 100, "search": 200}
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def paperdeck() -> list[str]:
    """The installed entry point, as a shell runs it (else the module)."""
    script = Path(sys.executable).with_name("paperdeck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "paperdeck.tui.cli"]


def timed_run(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one whole process; its output thrown away."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.DEVNULL
    subprocess.run(command, stdout=out, stderr=out, env=ENV, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def sample_library(data_dir: Path) -> list[list[str]]:
    """The sample imported and two papers bookmarked; the commands to time, by name."""
    base = [*paperdeck(), "--data-dir", str(data_dir)]
    subprocess.run([*base, "import", str(SAMPLE)], capture_output=True, check=True)
    listed = subprocess.run([*base, "list"], capture_output=True, text=True, check=True)
    ids = [line.split()[0] for line in listed.stdout.splitlines()[:2]]
    subprocess.run([*base, "bookmark", "add", *ids], capture_output=True, check=True)
    return [
        [*base, "--version"],
        [*base, "list"],
        [*base, "show", ids[1]],
        [*base, "bookmarks"],
        [*base, "digests"],
        [*base, "search", "wavelet"],
    ]


def bench_cli(runs: int = 10) -> dict:
    """Each command's median whole-process time against `python -c pass`, in turn."""
    with tempfile.TemporaryDirectory(prefix="paperdeck-bench-cli-") as tmp:
        commands = sample_library(Path(tmp) / "library")
        load_before = os.getloadavg()[0]
        results, passes = {}, []
        for command in commands:
            name = command[3].lstrip("-")
            timed_run(command)  # untimed: the papers file is written by the first
            walls, cpus = [], []
            for _ in range(runs):
                walls_cpus = timed_run(command)
                walls.append(walls_cpus[0])
                cpus.append(walls_cpus[1])
                passes.append(timed_run([sys.executable, "-c", "pass"]))
            results[name] = {"ms": _ms(walls), "cpu_ms": _ms(cpus)}
    pass_ms = _ms([wall for wall, _ in passes])
    for row in results.values():
        row["over_pass_ms"] = round(row["ms"] - pass_ms, 1)
    return {
        "runs": runs,
        "python_pass_ms": pass_ms,
        "python_pass_cpu_ms": _ms([cpu for _, cpu in passes]),
        "commands": results,
        "loadavg_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def _ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 1)


def main() -> None:
    from bench.table import rows_cli

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    result = bench_cli(args.runs)
    print("\n".join(rows_cli(result)))
    out = Path(__file__).parent / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}-cli.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
