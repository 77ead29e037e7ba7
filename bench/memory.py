"""Peak memory of a command and every process it starts, summed (PSS, so pages shared by
forked workers count once), sampled from /proc while it runs."""

from __future__ import annotations

import contextlib
import os
import signal
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


class MeasuredFailure(RuntimeError):
    """The command failed or was stopped for its memory; what was measured until then."""

    def __init__(self, message: str, seconds: float, peak_mb: float) -> None:
        super().__init__(f"{message} after {seconds:.0f} s, peak {peak_mb:.0f} MB")
        self.seconds, self.peak_mb = seconds, peak_mb


def run_measured(
    command: Sequence[str],
    limit_mb: float | None = None,
    every: float = SAMPLE_EVERY_S,
    **popen: object,
) -> tuple[float, float]:
    """Run `command` to its end; (seconds, peak summed PSS in MB), sampled `every` seconds.
    Raises MeasuredFailure if it fails, or stops it (and its processes) when their memory
    passes `limit_mb`."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, **popen)  # type: ignore[call-overload]
    peak = 0
    while proc.poll() is None:
        pids = tree(proc.pid)
        peak = max(peak, sum(pss_kb(pid) for pid in pids))
        if limit_mb is not None and peak > limit_mb * 1024:
            _kill(pids)
            proc.wait()
            raise MeasuredFailure(
                f"stopped past {limit_mb:.0f} MB", time.perf_counter() - start, peak / 1024
            )
        time.sleep(every)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise MeasuredFailure(f"{command[0]} exited with {proc.returncode}", seconds, peak / 1024)
    return seconds, peak / 1024


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
