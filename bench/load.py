"""What else the machine was doing during a bench: the load average, and the CPU used by
processes outside the bench's own tree (in cores), sampled by a background thread."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from bench.memory import tree

TICKS = os.sysconf("SC_CLK_TCK")


def busy_ticks() -> int:
    """CPU ticks spent by every process on the machine (not idle, not iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields[:8]) - fields[3] - fields[4]  # guest time is already in user


def tree_ticks(pid: int) -> int:
    """CPU ticks of a process, its children already waited for, and its live descendants."""
    total = 0
    for member in tree(pid):
        try:
            stat = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in stat[11:15])  # utime, stime, cutime, cstime
    return total


class LoadSampler(threading.Thread):
    """Samples every `every_s` seconds until stopped; `summary()` gives means and maxima."""

    def __init__(self, every_s: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.every_s = every_s
        self.loadavg: list[float] = []
        self.others_cores: list[float] = []
        self.ours_cores: list[float] = []
        self._stop = threading.Event()

    def run(self) -> None:
        last_busy, last_ours, last_t = busy_ticks(), tree_ticks(os.getpid()), time.monotonic()
        while not self._stop.wait(self.every_s):
            busy, ours, now = busy_ticks(), tree_ticks(os.getpid()), time.monotonic()
            seconds = (now - last_t) * TICKS
            ours_delta = max(0, ours - last_ours)
            self.ours_cores.append(ours_delta / seconds)
            self.others_cores.append(max(0.0, (busy - last_busy - ours_delta) / seconds))
            self.loadavg.append(float(Path("/proc/loadavg").read_text().split()[0]))
            last_busy, last_ours, last_t = busy, ours, now

    def stop(self) -> None:
        self._stop.set()

    def mark(self) -> int:
        """Where the samples are now: pass it to `summary` for what came after."""
        return len(self.loadavg)

    def summary(self, since: int = 0) -> dict[str, float]:
        load, others = self.loadavg[since:], self.others_cores[since:]
        return {
            "loadavg_1min_mean": _mean(load),
            "loadavg_1min_max": max(load, default=0.0),
            "other_processes_cores_mean": _mean(others),
            "other_processes_cores_max": round(max(others, default=0.0), 2),
            "bench_cores_mean": _mean(self.ours_cores[since:]),
        }


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 2) if values else 0.0
