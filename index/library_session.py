"""The reader's session, one part of paperdeck.index.library's Library: what is "new" (the
papers of imports no reader that has quit showed: state.json, paperdeck.index.seen), the
last copied text and the crash log (both in the cache dir). It needs the paths only; the
search side reads `new_since`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from paperdeck.index import __version__
from paperdeck.index.fsutil import atomic_write_text
from paperdeck.index.library_shared import Shared
from paperdeck.index.models import Paper, PaperRow
from paperdeck.index.seen import NewSince, SeenImports

CRASH_LOG_LIMIT = 1 << 20  # bytes: a log that keeps growing is of no more use than its tail


class Session:
    """The last opening and the files the reader writes for the user."""

    def __init__(self, shared: Shared) -> None:
        self._paths, self._notices = shared.paths, shared.notices
        self._new_since: str | None = None  # set by mark_opened() or recall_last_opening()
        self._first = True  # no reader had opened the library (paperdeck.index.seen)
        data = self._paths.data_dir
        self._seen = SeenImports(data / "state.json", self._paths.library_file, self._notices)

    @property
    def new_since(self) -> str | None:
        """Papers added after this UTC ISO time are new (None: nothing is)."""
        return self._new_since

    def mark_opened(self) -> str | None:
        return self._take(self._seen.opened())

    def recall_last_opening(self) -> str | None:
        return self._take(self._seen.recalled())

    def end_session(self) -> None:
        self._seen.end_session()

    def _take(self, new: NewSince) -> str | None:
        self._new_since, self._first = new.since, new.first
        return None if new.first else new.since

    def is_new(self, paper: Paper | PaperRow) -> bool:
        # Both are UTC ISO strings of one format, so they compare as text (cheap per row).
        return bool(self._new_since and paper.added and paper.added > self._new_since)

    def is_first_opening(self) -> bool:
        return self._first

    def keep_last_copy(self, text: str) -> Path | None:
        try:
            atomic_write_text(self._paths.last_copy_file, text)
        except OSError:
            return None
        return self._paths.last_copy_file

    def crash_log(self, report: str) -> Path | None:
        """Append to crash.log in the cache dir, else to one in the temp dir; a log grown
        past CRASH_LOG_LIMIT starts over."""
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        entry = f"-- {stamp} paperdeck {__version__}\n{report.rstrip()}\n\n"

        import tempfile  # (only when the cache cannot take the log: kept out of start-up)

        fallback = Path(tempfile.gettempdir()) / "paperdeck-crash.log"
        for path in (self._paths.crash_log_file, fallback):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                big = path.exists() and path.stat().st_size > CRASH_LOG_LIMIT
                with path.open("w" if big else "a", encoding="utf-8", errors="replace") as log:
                    log.write(entry)
            except OSError:
                continue
            return path
        return None
