"""What crosses the library's edge, one part of paperdeck.index.library's Library: exports
written out (paperdeck.index.export) and Hugging Face's daily papers fetched in
(paperdeck.index.fetch). It owns no state: it asks the marks and the reads, and imports
through the function it is given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from paperdeck.index.catalog import ImportReport
from paperdeck.index.errors import LibraryError
from paperdeck.index.export import Exported, NothingToExport
from paperdeck.index.fetch import FetchReport, days_of
from paperdeck.index.library_marks import Marks
from paperdeck.index.library_reads import Reads

ImportBytes = Callable[[bytes, str, str, Callable[[int, int], None] | None], ImportReport]


class Exchange:
    """Exports of papers or bookmarks, and downloads imported as they come."""

    def __init__(self, marks: Marks, reads: Reads, import_bytes: ImportBytes) -> None:
        self._marks, self._reads, self._import_bytes = marks, reads, import_bytes

    def export(
        self, fmt: str, bookmarked: bool, path: str | Path | None, overwrite: bool
    ) -> Exported:
        from paperdeck.index.export import export, write_export

        marks = {mark.snapshot.id: mark for mark in self._marks.fresh_bookmarks()}
        papers = (
            [m.snapshot for m in marks.values()]
            if bookmarked
            else self._reads.listing(False, "newest", dismissed=True)
        )
        if not papers:
            raise NothingToExport(bookmarked)
        ids = set(marks) | self._marks.bookmark_ids()
        text = export(fmt, papers, ids, marks=marks, bookmarks_only=bookmarked)
        if path is None:
            return Exported(len(papers), text=text)
        target = Path(path).expanduser()
        try:
            write_export(target, text, overwrite)
        except FileExistsError:
            raise
        except OSError as exc:
            raise LibraryError(f"cannot write {path}: {exc.strerror or exc}") from None
        return Exported(len(papers), path=target)

    @staticmethod
    def export_path(fmt: str, bookmarked: bool) -> Path:
        from paperdeck.index.export import downloads_dir, export_file_name, free_path

        return free_path(downloads_dir() or Path.cwd(), export_file_name(fmt, bookmarked))

    def fetch(
        self,
        days: Iterable[dt.date] | None,
        progress: Callable[[FetchReport, int, int], None] | None,
        importing: Callable[[int, int], None] | None,
    ) -> list[FetchReport]:
        from paperdeck.index.fetch import fetch_day

        wanted = list(days) if days is not None else days_of()
        reports = []
        for number, day in enumerate(wanted):
            fetched = fetch_day(day)
            imported = None
            if fetched.count:
                imported = self._import_bytes(fetched.data, fetched.name, "hf-json", importing)
            reports.append(FetchReport(day=day, report=imported))
            if progress is not None:
                progress(reports[-1], number + 1, len(wanted))
        return reports
