"""The reader's session, one part of paperdeck.index.library's Library: what is "new" since
the reader was last opened (state.json), the last copied text and the crash log (both in the
cache dir). It needs the paths only; the search side reads `new_since`."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

from paperdeck.index import __version__
from paperdeck.index.fsutil import atomic_write_text
from paperdeck.index.jsonstore import read_object
from paperdeck.index.library_shared import Shared
from paperdeck.index.models import Paper, PaperRow, utc_iso

CRASH_LOG_LIMIT = 1 << 20  # bytes: a log that keeps growing is of no more use than its tail


def _valid_state(state: dict[str, object]) -> bool:
    """state.json as mark_opened writes it: the last opening a readable time, if any."""
    last = state.get("last_opened")
    if set(state) - {"last_opened"}:
        return False
    if last is None:
        return True
    try:
        return isinstance(last, str) and bool(utc_iso(last))
    except (ValueError, OverflowError):
        return False


class Session:
    """The last opening and the files the reader writes for the user."""

    def __init__(self, shared: Shared) -> None:
        self._paths, self._notices = shared.paths, shared.notices
        self._new_since: str | None = None  # set by mark_opened() or recall_last_opening()

    @property
    def new_since(self) -> str | None:
        """Papers added after this UTC ISO time are new (None: nothing is)."""
        return self._new_since

    @property
    def _state_file(self) -> Path:
        return self._paths.data_dir / "state.json"

    def mark_opened(self) -> str | None:
        self.recall_last_opening()
        now = dt.datetime.now(dt.UTC).isoformat()  # to the microsecond, as import times are
        with contextlib.suppress(OSError):  # read-only data dir: nothing marked new next time
            atomic_write_text(self._state_file, json.dumps({"last_opened": now}))
        return self._new_since

    def recall_last_opening(self) -> str | None:
        state = read_object(self._state_file, _valid_state, self._notices)
        previous = state.get("last_opened")
        self._new_since = utc_iso(previous) if isinstance(previous, str) else None
        return self._new_since

    def is_new(self, paper: Paper | PaperRow) -> bool:
        # Both are UTC ISO strings of one format, so they compare as text (cheap per row).
        return bool(self._new_since and paper.added and paper.added > self._new_since)

    def is_first_opening(self) -> bool:
        return self._new_since is None

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
        import tempfile  # (with shutil, random...) only for a cache dir that cannot be written

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
