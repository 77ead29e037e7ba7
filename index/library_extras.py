"""The facade's extras: watches (saved searches), exports, fetching, the last copy and the
reader's session (what is new since it was last opened). Part of paperdeck.index.library's
Library."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from paperdeck.index import __version__
from paperdeck.index.errors import LibraryError
from paperdeck.index.fsutil import atomic_write_text
from paperdeck.index.jsonstore import read_object
from paperdeck.index.watches import WatchGain, WatchStatus
from paperdeck.index.watching import Snapshot as WatchSnapshot
from paperdeck.index.watching import Watched

if TYPE_CHECKING:
    pass

from paperdeck.index.export import Exported, NothingToExport
from paperdeck.index.fetch import FetchReport, days_of
from paperdeck.index.library_marks import Marks
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


class Extras(Marks):
    """Watches, exports and fetching, on top of the marks."""

    def watches(self) -> list[WatchStatus]:
        """Every watch with its matches and how many of them it has not seen."""
        return self._watching.statuses()

    def watch_status(self, name: str) -> WatchStatus:
        return self._watching.status(name)

    def add_watch(self, name: str, query: str) -> WatchStatus:
        """Save a search; what it matches now counts as seen. A duplicate name, an empty
        name or query raise WatchError."""
        return self._watching.add(name, query)

    def remove_watch(self, name: str) -> str:
        """Forget a watch; returns its name as it was stored."""
        return self._watching.store.remove(name).name

    def watch_seen(self, name: str) -> WatchStatus:
        """Mark a watch's matches seen (the reader does when it opens one)."""
        return self._watching.seen(name)

    def watch_papers(
        self, name: str, new_only: bool = False, limit: int | None = None
    ) -> list[Watched]:
        """A watch's papers, newest first, each saying whether it is new to the watch."""
        return self._watching.papers(name, new_only, limit)

    def watch_feed(self, name: str, limit: int | None = None) -> str:
        """A watch's newest papers as an Atom 1.0 feed."""
        return self._watching.feed(name, limit)

    def watch_snapshot(self) -> WatchSnapshot:
        """What every watch matches now; take it before an import, then `watch_gains`."""
        return self._watching.snapshot()

    def watch_gains(self, before: WatchSnapshot) -> list[WatchGain]:
        """The watches that papers added since `before` gave new papers, and how many."""
        return self._watching.gains(before)

    def keep_last_copy(self, text: str) -> Path | None:
        """Keep copied text in the cache dir, for when no clipboard can be reached; returns
        the file, or None when it could not be written."""
        try:
            atomic_write_text(self._paths.last_copy_file, text)
        except OSError:
            return None
        return self._paths.last_copy_file

    def crash_log(self, report: str) -> Path | None:
        """Append an unexpected error's traceback to `crash.log` in the cache dir (the reader
        names it in its one-line notice), or to one in the temp dir when the cache cannot be
        written; None when neither can. A log grown past CRASH_LOG_LIMIT starts over."""
        stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        entry = f"-- {stamp} paperdeck {__version__}\n{report.rstrip()}\n\n"
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

    def export(
        self,
        fmt: str,
        bookmarked: bool = False,
        path: str | Path | None = None,
        *,
        overwrite: bool = True,
        dismissed: bool = False,
    ) -> Exported:
        """Every paper (less those marked not interested unless `dismissed`: Exported.left_out
        counts them), or the bookmarks with their tags and notes (papers as the library
        knows them now), in `fmt` (EXPORT_FORMATS); written to `path` when given, else
        returned as text. Nothing to export raises NothingToExport, never an empty file;
        with `overwrite` false an existing file raises FileExistsError."""
        from paperdeck.index.export import export, write_export

        marks = {mark.snapshot.id: mark for mark in self.fresh_bookmarks()}
        papers = (
            [m.snapshot for m in marks.values()]
            if bookmarked
            else self.listing(dismissed=dismissed)
        )
        left_out = 0 if bookmarked or dismissed else self.count(dismissed=True) - len(papers)
        if not papers:
            raise NothingToExport(bookmarked)
        ids = set(marks) | self.bookmark_ids()
        text = export(fmt, papers, ids, marks=marks, bookmarks_only=bookmarked)
        if path is None:
            return Exported(len(papers), text=text, left_out=left_out)
        target = Path(path).expanduser()
        try:
            write_export(target, text, overwrite)
        except FileExistsError:
            raise
        except OSError as exc:
            raise LibraryError(f"cannot write {path}: {exc.strerror or exc}") from None
        return Exported(len(papers), path=target, left_out=left_out)

    def export_path(self, fmt: str, bookmarked: bool) -> Path:
        """Where the reader offers to write an export: the Downloads folder if there is one,
        else the working directory, under a name no file has yet. Looks at the disk."""
        from paperdeck.index.export import downloads_dir, export_file_name, free_path

        return free_path(downloads_dir() or Path.cwd(), export_file_name(fmt, bookmarked))

    def fetch(
        self,
        days: Iterable[dt.date] | None = None,
        progress: Callable[[FetchReport, int, int], None] | None = None,
        importing: Callable[[int, int], None] | None = None,
    ) -> list[FetchReport]:
        """Download Hugging Face's daily papers for `days` (today by default, see days_of)
        and import each day as hf-json; `progress(report, done, total)` after each day, and
        `importing(papers written, papers estimated)` while a day is indexed (as
        import_digest's `progress`). A failed download raises; the days before it stay
        imported."""
        from paperdeck.index.fetch import fetch_day

        wanted = list(days) if days is not None else days_of()
        reports = []
        for number, day in enumerate(wanted):
            fetched = fetch_day(day)
            imported = None
            if fetched.count:
                imported = self.import_bytes(fetched.data, fetched.name, "hf-json", importing)
            reports.append(FetchReport(day, imported))
            if progress is not None:
                progress(reports[-1], number + 1, len(wanted))
        return reports

    # -- the reader's session: what is "new" ----------------------------------------------
    def mark_opened(self) -> str | None:
        """Remember now as the reader's last opening; papers added after the previous one
        are "new" (`is:new`). Returns that previous time (None the first time)."""
        self.recall_last_opening()
        now = dt.datetime.now(dt.UTC).isoformat()  # to the microsecond, as import times are
        with contextlib.suppress(OSError):  # read-only data dir: nothing marked new next time
            atomic_write_text(self._state_file, json.dumps({"last_opened": now}))
        return self._new_since

    def recall_last_opening(self) -> str | None:
        """Papers added since the reader's last opening are "new" (`is:new`), without
        marking this as an opening: the CLI's searches see what the reader would."""
        state = read_object(self._state_file, _valid_state, self._notices)
        previous = state.get("last_opened")
        self._new_since = utc_iso(previous) if isinstance(previous, str) else None
        return self._new_since

    @property
    def _state_file(self) -> Path:
        return self._paths.data_dir / "state.json"

    def is_new(self, paper: Paper | PaperRow) -> bool:
        # Both are UTC ISO strings of one format, so they compare as text (cheap per row).
        return bool(self._new_since and paper.added and paper.added > self._new_since)

    def is_first_opening(self) -> bool:
        """After mark_opened(): whether no earlier opening was recorded, so nothing is new."""
        return self._new_since is None
