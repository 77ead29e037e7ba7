"""Run inside a fresh process: start the reader (or a minimal Textual app) headless and report
how long until the first rows were on screen, measured from the process's own start time."""

from __future__ import annotations

import json
import os
import resource
import sys
import time

# The terminal's size, given as a terminal gives it. Without one, headless Textual takes two:
# the app's first resize is rich's default console (80x25), the driver's is 80x24, and a
# screen still composing when both arrive is laid out and drawn at each (a real terminal
# answers both with one size: traced in tmux, no second layout).
SIZE = (80, 24)


def process_age_s() -> float:
    """Seconds since this process started (from /proc, so imports are counted)."""
    with open(f"/proc/{os.getpid()}/stat") as handle:
        start_ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as handle:
        uptime = float(handle.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_mb() -> float:
    """VmHWM of this process. (getrusage's ru_maxrss survives exec on Linux, so a probe
    started by the big benchmark process would report its parent's peak instead.)"""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU seconds of this process so far, every thread (the clock a busy machine moves least)."""
    return time.process_time()


def report(label: str) -> None:
    rss_mb = round(peak_rss_mb(), 1)
    seconds, cpu = round(process_age_s(), 3), round(cpu_s(), 3)
    print(json.dumps({"what": label, "seconds": seconds, "cpu_s": cpu, "rss_mb": rss_mb}))


def minimal() -> None:
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App[None]):
        def compose(self):
            yield Static("hello")

        def on_mount(self) -> None:
            self.call_after_refresh(self.done)

        def done(self) -> None:
            report("minimal")
            self.exit()

    Minimal().run(headless=True, size=SIZE)


def reader(data_dir: str) -> None:
    from paperdeck.index.library import Library
    from paperdeck.tui.app import make_reader
    from paperdeck.tui.widgets.paper_list import PaperList

    app = make_reader(Library(data_dir))

    def check() -> None:
        rows = app.screen.query(PaperList)
        if rows and rows.first().rows:
            app.call_after_refresh(finish)
        else:
            app.set_timer(0.005, check)

    def finish() -> None:
        report("reader")
        app.exit()

    app.call_later(check)
    app.run(headless=True, size=SIZE)


if __name__ == "__main__":
    minimal() if sys.argv[1] == "minimal" else reader(sys.argv[2])
