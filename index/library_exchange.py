"""What crosses the library's edge, one part of paperdeck.index.library's Library: exports
written out (paperdeck.index.export) and Hugging Face's daily papers fetched in
(paperdeck.index.fetch). It owns no state: it asks the marks and the reads, and imports
through the function it is given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from paperdeck.index.errors import LibraryError
from paperdeck.index.export import Exported, NothingToExport, Writable
from paperdeck.index.fetch import FetchReport, days_of
from paperdeck.index.import_report import ImportReport
from paperdeck.index.library_marks import Marks
from paperdeck.index.library_reads import Reads
from paperdeck.index.models import Progress

ImportBytes = Callable[[bytes, str, str, Progress | None], ImportReport]


class Exchange:
    """Exports of papers or bookmarks, and downloads imported as they come."""

    def __init__(self, marks: Marks, reads: Reads, import_bytes: ImportBytes) -> None:
        self._marks, self._reads, self._import_bytes = marks, reads, import_bytes

    def export(
        self,
        fmt: str,
        bookmarked: bool,
        path: str | Path | None,
        overwrite: bool,
        out: Writable | None,
        dismissed: bool = False,
    ) -> Exported:
        from paperdeck.index.export import Counted, Marking, export_chunks, write_all, write_export

        marks = {mark.snapshot.id: mark for mark in self._marks.fresh_bookmarks()}
        snapshots = [mark.snapshot for mark in marks.values()]
        papers = Counted(iter(snapshots) if bookmarked else self._reads.each_paper(dismissed))
        if papers.empty():
            raise NothingToExport(bookmarked)
        ids = set(marks) | self._marks.bookmark_ids()
        marking = Marking(bookmarked=ids, marks=marks, bookmarks_only=bookmarked)
        chunks = export_chunks(fmt, papers, marking)

        def left_out() -> int:  # (after the stream is used: how many it held)
            kept_all = bookmarked or dismissed
            return 0 if kept_all else self._reads.count(dismissed=True) - papers.count

        if path is None:
            if out is None:
                text = "".join(chunks)
                return Exported(papers=papers.count, text=text, left_out=left_out())
            write_all(out, chunks)
            return Exported(papers=papers.count, left_out=left_out())
        target = Path(path).expanduser()
        try:
            write_export(target, chunks, overwrite)
        except FileExistsError:
            raise
        except OSError as exc:
            raise LibraryError(f"cannot write {path}: {exc.strerror or exc}") from None
        return Exported(papers=papers.count, path=target, left_out=left_out())

    @staticmethod
    def write_feed(path: str | Path, feed: str) -> None:
        """A watch's feed written as the library writes (a full disk or a kill leaves the
        previous feed whole)."""
        from paperdeck.index.export import write_export

        try:
            write_export(Path(path).expanduser(), [feed], overwrite=True)
        except OSError as exc:
            raise LibraryError(f"cannot write {path}: {exc.strerror or exc}") from None

    @staticmethod
    def export_path(fmt: str, bookmarked: bool) -> Path:
        from paperdeck.index.export import downloads_dir, export_file_name, free_path

        return free_path(downloads_dir() or Path.cwd(), export_file_name(fmt, bookmarked))

    def fetch(
        self,
        days: Iterable[dt.date] | None,
        progress: Callable[[FetchReport, int, int], None] | None,
        importing: Progress | None,
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
