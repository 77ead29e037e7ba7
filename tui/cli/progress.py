"""A progress line on stderr for work that runs over about a second, when stderr is a terminal.

It is drawn from a SIGALRM interval timer, not a thread: the index writer forks its workers
only from a process with no other thread (paperdeck.index.engine.writer.worker_count), and a
thread would cost every large import its second core. Timers are not inherited across fork,
so the workers draw nothing. The handler only writes to the stderr file descriptor, so it
cannot disturb what the command is printing.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

DELAY_S = 1.0  # work done sooner shows nothing
TICK_S = 0.2
SPINNER = "|/-\\"
BAR_WIDTH = 24
CLEAR = "\r\x1b[K"


def render(
    label: str, done: int, total: int | None, elapsed: float, width: int, since: int = 0
) -> str:
    """One line: a bar with the count, the rate and the time left when the total is known
    (or estimated), else a spinner and the seconds so far; cut to the terminal's width so
    it never wraps. The rate counts from `since` (a continued import starts at the papers
    written before)."""
    if total:
        filled = BAR_WIDTH * min(done, total) // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        gained = done - since
        rate = f"  {gained / elapsed:,.0f}/s" if gained > 0 and elapsed >= 1 else ""
        left = (
            f"  {_clock(elapsed * (total - done) / gained)} left"
            if gained > 0 and done < total
            else ""
        )
        text = f"{label} [{bar}] {done:,}/{total:,}{rate}{left}"
    else:
        text = f"{label} {SPINNER[int(elapsed / TICK_S) % len(SPINNER)]} {elapsed:.0f}s"
    return text[: max(width - 1, 0)]


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


class ProgressLine:
    """`with ProgressLine("importing x") as bar:`; pass `bar.update` where the library takes a
    Progress (paperdeck.index.models: `progress(done, total)`). Draws nothing unless stderr
    is a terminal."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.done = 0
        self.total: int | None = None
        self._since: int | None = None  # the first count reported: the rate counts from it
        self._stream = stream or sys.stderr
        self._fd = _terminal_fd(self._stream)
        self._started = time.monotonic()
        self._pid = os.getpid()
        self._shown = self._paused = False
        self._previous: Any = None

    def update(self, done: int, total: int) -> None:
        """The library's progress callback: `done` of `total` so far."""
        if self._since is None:
            self._since, self._started = done, time.monotonic()
        self.done, self.total = done, total

    @contextmanager
    def above(self) -> Iterator[None]:
        """Print lines (a fetched day's summary) above the bar, which comes back after."""
        self._paused = True
        try:
            self._clear()
            yield
        finally:
            self._paused = False

    def __enter__(self) -> ProgressLine:
        if self._fd is not None:
            self._previous = signal.signal(signal.SIGALRM, self._tick)
            signal.setitimer(signal.ITIMER_REAL, DELAY_S, TICK_S)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._fd is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self._clear()  # the summary line, or the error, is then printed on a clean line

    def _tick(self, signum: int, frame: Any) -> None:
        if self._paused or self._fd is None or os.getpid() != self._pid:
            return
        width = _columns(self._fd)
        elapsed = time.monotonic() - self._started
        line = render(self.label, self.done, self.total, elapsed, width, self._since or 0)
        self._write(CLEAR + line)
        self._shown = True

    def _clear(self) -> None:
        if self._shown:
            self._write(CLEAR)
            self._shown = False

    def _write(self, text: str) -> None:
        try:
            os.write(self._fd, text.encode("utf-8", "replace"))  # type: ignore[arg-type]
        except OSError:  # the terminal went away: stop drawing, let the work finish
            self._fd = None


def _terminal_fd(stream: TextIO) -> int | None:
    try:
        return stream.fileno() if stream.isatty() else None
    except (AttributeError, OSError, ValueError):  # pytest's capture has no real descriptor
        return None


def _columns(fd: int) -> int:
    try:
        return os.get_terminal_size(fd).columns or 80  # a new pty may say 0
    except OSError:
        return 80
