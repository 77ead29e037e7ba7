"""Imports the reader runs: the big digests given on the command line (imported once the
reader is up, see paperdeck.tui.cli.digests) and today's Hugging Face papers (F).

One import at a time, in a thread worker. Its progress comes back as messages, a few a second
at most (bursts merged), and is shown in front of the status line; the list stays usable on
the library as it was until the import commits, then searches again. Quitting cancels the
worker: the import's next progress report raises ImportStopped, and the write side drops
what it had written (the new generation, the raw copy), so the library is as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperdeck.index.errors import PaperdeckError
from paperdeck.index.library import Library
from paperdeck.tui import messages
from paperdeck.tui.screens.jobs import thread_job
from textual.screen import Screen
from textual.worker import get_current_worker

if TYPE_CHECKING:  # the watches' modules: at the first import's end
    from paperdeck.index.library import WatchSnapshot

POST_EVERY_S = 0.25  # progress messages at most this often (the library reports every 100)
RATE_AFTER_S = 1.0  # a rate (and time left) once measured over this long
IMPORT_GROUPS = frozenset({"import", "fetch"})


class ImportStopped(Exception):
    """Raised from an import's progress callback once its worker is cancelled (the reader
    quits): the write side undoes the import as it does for any error (not an OSError, which
    it words as a failed import)."""


class ProgressReporter:
    """An import's `progress(done, total)` callback, in its worker thread: raises ImportStopped
    once `cancelled()`, and posts an ImportProgress at most every POST_EVERY_S (the first at
    once), with the rate measured from the first report (the file's copy comes before it)."""

    def __init__(
        self,
        name: str,
        post: Callable[[messages.ImportProgress], object],
        cancelled: Callable[[], bool],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name, self._post, self._cancelled, self._clock = name, post, cancelled, clock
        self._first: tuple[float, int] | None = None
        self._posted: float | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._cancelled():
            raise ImportStopped
        now = self._clock()
        if self._first is None:
            self._first = (now, done)
        if self._posted is not None and now - self._posted < POST_EVERY_S:
            return
        self._posted = now
        self._post(
            messages.ImportProgress(
                name=self.name, done=done, total=total, rate=self.rate(now, done)
            )
        )

    def rate(self, now: float, done: int) -> float | None:
        """Papers a second since the first report, once that is RATE_AFTER_S ago."""
        started, at_start = self._first or (now, done)
        took = now - started
        return (done - at_start) / took if took >= RATE_AFTER_S and done > at_start else None


class Imports:
    """The imports the screen runs, one at a time, in its thread workers: they post
    ImportStarted, ImportProgress and ImportFinished to `screen`."""

    def __init__(self, screen: Screen[Any], library: Library) -> None:
        self.screen, self.library = screen, library

    def running(self) -> bool:
        return any(w.group in IMPORT_GROUPS and not w.is_finished for w in self.screen.workers)

    def _reporter(self, name: str) -> ProgressReporter:
        worker = get_current_worker()
        return ProgressReporter(name, self.screen.post_message, lambda: worker.is_cancelled)

    @thread_job("import")
    def import_digests(self, paths: list[str]) -> None:
        """Import the digests one after the other, as `paperdeck import` does; the first
        that fails stops the rest."""
        post = self.screen.post_message
        try:
            before = self.library.watch_snapshot()
            for number, path in enumerate(paths, 1):
                name = Path(path).name
                post(messages.ImportStarted(name))
                report = self.library.import_digest(path, progress=self._reporter(name))
                said = report.summary()
                if number == len(paths):
                    said += _gains(self.library, before)
                post(messages.ImportFinished(said))
        except ImportStopped:
            return  # the reader is quitting: nothing was committed
        except PaperdeckError as exc:
            post(messages.ImportFinished(f"Import stopped: {exc}", failed=True))

    def fetch(self) -> None:
        if self.running():
            self.screen.notify("An import is running: fetch once it is done.", timeout=4)
            return
        self.screen.notify("Fetching today's papers from Hugging Face…", timeout=4)
        self.fetch_worker()

    @thread_job("fetch", exclusive=True)
    def fetch_worker(self) -> None:
        try:
            before = self.library.watch_snapshot()
            # today's, as `paperdeck fetch` does it
            reports = self.library.fetch(importing=self._reporter("today's papers"))
            said = " ".join(r.summary() for r in reports) + _gains(self.library, before)
        except ImportStopped:
            return
        except PaperdeckError as exc:
            self.screen.post_message(messages.ImportFinished(f"Fetch failed: {exc}", failed=True))
            return
        self.screen.post_message(messages.ImportFinished(said))


def _gains(library: Library, before: WatchSnapshot) -> str:
    """` Watches: diffusion: 3 new.`, or nothing when no watch gained a paper."""
    gains = [gain.summary() for gain in library.watch_gains(before)]
    return f" Watches: {', '.join(gains)}." if gains else ""
