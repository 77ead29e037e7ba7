"""Peak memory of a command and every process it starts, summed (PSS, so pages shared by
forked workers count once), sampled from /proc while it runs."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

SAMPLE_EVERY_S = 0.05


def tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc's children lists."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            text = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        todo += [int(child) for child in text.split()]
    return found


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_measured(command: Sequence[str], **popen: object) -> tuple[float, float]:
    """Run `command` to its end; (seconds, peak summed PSS in MB). Raises if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, **popen)  # type: ignore[call-overload]
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(pss_kb(pid) for pid in tree(proc.pid)))
        time.sleep(SAMPLE_EVERY_S)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{command[0]} exited with {proc.returncode}")
    return seconds, peak / 1024
