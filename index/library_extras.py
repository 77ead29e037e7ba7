"""The facade's extras: watches (saved searches), exports, fetching, the last copy and the
reader's session (what is new since it was last opened). Part of paperdeck.index.library's
Library."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from paperdeck.index import __version__
from paperdeck.index.changes import ChangeToken, change_token
from paperdeck.index.errors import LibraryError
from paperdeck.index.fsutil import atomic_write_text
from paperdeck.index.seen import NewSince, SeenImports
from paperdeck.index.watches import WatchGain, WatchStatus
from paperdeck.index.watching import Snapshot as WatchSnapshot
from paperdeck.index.watching import Watched, WatchRows

if TYPE_CHECKING:
    pass

from paperdeck.index.export import Exported, NothingToExport, Writable
from paperdeck.index.fetch import FetchReport, days_of
from paperdeck.index.library_marks import Marks
from paperdeck.index.models import Paper, PaperRow

CRASH_LOG_LIMIT = 1 << 20  # bytes: a log that keeps growing is of no more use than its tail


class Extras(Marks):
    """Watches, exports and fetching, on top of the marks."""

    _first_opening = True  # (until mark_opened or recall_last_opening says otherwise)

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

    def watch_seen(self, name: str, shown: Iterable[str] | None = None) -> WatchStatus:
        """Mark a watch's matches seen, or only the papers `shown` (the reader's, on screen)."""
        return self._watching.seen(name, shown)

    def watch_rows(self, name: str) -> WatchRows:
        """A watch's matches for a list: its new ones first, and which they are."""
        return self._watching.rows(name)

    def watch_papers(
        self, name: str, new_only: bool = False, limit: int | None = None
    ) -> list[Watched]:
        """A watch's papers, newest first, each saying whether it is new to the watch."""
        return self._watching.papers(name, new_only, limit)

    def watch_feed(
        self, name: str, limit: int | None = None, path: str | Path | None = None
    ) -> str:
        """A watch's newest papers as an Atom 1.0 feed; written to `path` when given, as
        the library writes (a full disk or a kill leaves the previous feed whole)."""
        from paperdeck.index.export import write_export

        feed = self._watching.feed(name, limit)
        if path is not None:
            try:
                write_export(Path(path).expanduser(), [feed], overwrite=True)
            except OSError as exc:
                raise LibraryError(f"cannot write {path}: {exc.strerror or exc}") from None
        return feed

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
        out: Writable | None = None,
    ) -> Exported:
        """Every paper, or the bookmarks with their tags and notes (papers as the library
        knows them now), in `fmt` (EXPORT_FORMATS): written to `path` (atomically: a
        failed export leaves the file that was there) or to the stream `out` a paper at a
        time, else returned as text. Nothing to export raises NothingToExport, never an
        empty file; with `overwrite` false an existing file raises FileExistsError."""
        from paperdeck.index.export import Counted, Marking, export_chunks, write_all, write_export

        marks = {mark.snapshot.id: mark for mark in self.fresh_bookmarks()}
        snapshots = [mark.snapshot for mark in marks.values()]
        papers = Counted(iter(snapshots) if bookmarked else self.each_paper())
        if papers.empty():
            raise NothingToExport(bookmarked)
        ids = set(marks) | self.bookmark_ids()
        marking = Marking(bookmarked=ids, marks=marks, bookmarks_only=bookmarked)
        chunks = export_chunks(fmt, papers, marking)
        if path is None:
            if out is None:
                text = "".join(chunks)
                return Exported(papers.count, text=text)
            write_all(out, chunks)
            return Exported(papers.count)
        target = Path(path).expanduser()
        try:
            write_export(target, chunks, overwrite)
        except FileExistsError:
            raise
        except OSError as exc:
            raise LibraryError(f"cannot write {path}: {exc.strerror or exc}") from None
        return Exported(papers.count, path=target)

    def each_paper(self) -> Iterator[Paper]:
        """Every paper, newest first, those marked not interested too, read a batch at a
        time as they are used (Engine.each_paper): what an export of the library streams."""
        with self._reading() as engine:
            found = engine.search("", None, True, self._bookmarks.all, None, (), "newest")
        yield from engine.each_paper(found)

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

    # -- the reader's session: what is "new", what changed on disk ------------------------
    def change_token(self) -> ChangeToken:
        """A stat of the catalog and the user's files (paperdeck.index.changes); a later
        token's changed_since(this) names what another process changed meanwhile."""
        return change_token(self._paths.data_dir)

    def mark_opened(self) -> str | None:
        """A reader opens: papers of the imports no reader has shown are "new" (`is:new`;
        paperdeck.index.seen). Returns when they start, None the first time (none are)."""
        return self._take_new(self._seen.opened())

    def recall_last_opening(self) -> str | None:
        """What is new, without marking an opening: the CLI's searches see what the reader
        would."""
        return self._take_new(self._seen.recalled())

    def end_session(self) -> None:
        """The reader quits: the imports it showed are seen, no longer new to the next."""
        self._seen.end_session()

    def _take_new(self, new: NewSince) -> str | None:
        self._new_since, self._first_opening = new.since, new.first
        return None if new.first else new.since

    @functools.cached_property
    def _seen(self) -> SeenImports:
        return SeenImports(
            self._paths.data_dir / "state.json", self._paths.library_file, self._notices
        )

    def is_new(self, paper: Paper | PaperRow) -> bool:
        # Both are UTC ISO strings of one format, so they compare as text (cheap per row).
        return bool(self._new_since and paper.added and paper.added > self._new_since)

    def is_first_opening(self) -> bool:
        """After mark_opened(): whether no reader had opened this library before."""
        return self._first_opening

    # == citations and the reading queue (issue 22) ==========================================
    # One part each, made from the library's paths on first use: `_citations`
    # (paperdeck.index.citations.service.Citations: the source, its cache, the follows),
    # `_queue` and `_read_marks` (paperdeck.index.reading). The methods below only delegate,
    # but for the library's own search terms (paperdeck.index.search_terms) and the sort order
    # "citations", which query and browse answer from the cache, never the network.
    @functools.cached_property
    def _citations(self) -> Citations:
        return Citations(self._paths.cache_dir, self._paths.data_dir)

    @functools.cached_property
    def _queue(self) -> ReadingQueue:
        return ReadingQueue(self._paths.data_dir)

    @functools.cached_property
    def _read_marks(self) -> ReadMarks:
        return ReadMarks(self._paths.data_dir)

    def take_notices(self) -> list[str]:
        """The core's notices and those of the follows, the queue and the read marks."""
        notices = super().take_notices()
        if "_citations" in self.__dict__:  # (a part never used has nothing to say)
            notices += self._citations.take_notices()
        for part in ("_queue", "_read_marks"):
            if part in self.__dict__:
                notices += self.__dict__[part].notices
                self.__dict__[part].notices.clear()
        return notices

    def citation_ref(self, text: str) -> tuple[str, Paper | None]:
        """What the sources are asked for `text`: a library paper's arXiv id or DOI (with the
        paper), or an id of the sources' own (`10.1/x`, `CorpusId:N`, an arXiv id the library
        does not hold). A library paper with neither raises LibraryError."""
        paper = self.get_or_bookmarked(text.strip())
        if paper is None:
            return text.strip(), None
        ref = ref_of(paper)
        if ref is None:
            raise LibraryError(f"{paper.id} has no arXiv id or DOI: no citation source knows it")
        return ref, paper

    def citation_counts(self, ref: str, *, refresh: bool = False) -> Fetched[CitationCounts] | None:
        """A paper's counts (may fetch: call it from a worker); None when no source knows it."""
        return self._citations.counts(ref, refresh=refresh)

    def cached_citation_count(self, paper: Paper) -> int | None:
        """The cited-by count the cache holds for a paper, never asking the network."""
        return self._citations.count_of(paper, self._citations.count_table())

    def cited_by(
        self, ref: str, *, limit: int = 1000, refresh: bool = False
    ) -> Fetched[CitationList] | None:
        """The papers citing `ref` (Semantic Scholar), first `limit`; may fetch."""
        return self._citations.cited_by(ref, limit=limit, refresh=refresh)

    def references(
        self, ref: str, *, limit: int = 1000, refresh: bool = False
    ) -> Fetched[CitationList] | None:
        """The papers `ref` cites (OpenAlex's ids where Semantic Scholar has nothing)."""
        return self._citations.references(ref, limit=limit, refresh=refresh)

    def citation_papers(self, bookmarked_only: bool) -> list[Paper]:
        """The papers a `citations refresh` asks about: the bookmarks, or every paper, with
        an arXiv id or a DOI."""
        papers = self.listing(True) if bookmarked_only else self.listing(dismissed=True)
        return [paper for paper in papers if ref_of(paper)]

    def refresh_citation_counts(
        self, papers: list[Paper], *, progress: Callable[[int, int], None] | None = None
    ) -> dict[str, Fetched[CitationCounts] | None]:
        """These papers' counts fetched in batches of 500 (by paper id); kept as they come."""
        refs = {paper.id: ref_of(paper) or "" for paper in papers}
        got = self._citations.refresh_counts(list(refs.values()), force=True, progress=progress)
        return {pid: got.get(ref) for pid, ref in refs.items()}

    def follow(self, target: str) -> bool:
        """Follow a library paper (`ID`, typed whole) or every bookmark of `tag:NAME` for
        citations; False when followed already."""
        is_tag = target.strip().casefold().startswith("tag:")
        if not is_tag and self.citation_ref(target)[1] is None:
            raise LibraryError(f"no paper with id {target.strip()!r} (see `paperdeck list`)")
        return self._citations.follow(target)

    def unfollow(self, target: str) -> bool:
        return self._citations.unfollow(target)

    def follows(self) -> list[FollowStatus]:
        """Everything followed, oldest first, with its citing papers and how many are new."""
        return [
            self._citations.status(item, self._followed_ids(item.target))
            for item in self._citations.followed()
        ]

    def follow_status(self, target: str) -> FollowStatus:
        found = [s for s in self.follows() if s.target == _follow_target(target)]
        if not found:
            raise LibraryError(f"{target.strip()!r} is not followed (see `paperdeck follows list`)")
        return found[0]

    def _followed_ids(self, target: str) -> list[str]:
        if target.startswith("tag:"):
            tag = target[len("tag:") :]
            return [m.paper_id for m in self.bookmark_list() if tag in m.tags]
        return [target]

    def refresh_follows(self, progress: Callable[[int, int], None] | None = None) -> FollowRefresh:
        """Every followed paper's citing papers fetched afresh (those with an arXiv id or a
        DOI); the alerts say which are new. One paper's failure is a problem line."""
        wanted = [
            pid for item in self._citations.followed() for pid in self._followed_ids(item.target)
        ]
        papers = []
        for pid in dict.fromkeys(wanted):
            paper = self.get_or_bookmarked(pid)
            if paper is not None and (ref := ref_of(paper)):
                papers.append(FollowedPaper(paper_id=pid, ref=ref, title=paper.title))
        return self._citations.refresh_follows(papers, progress)

    def follow_papers(self, target: str) -> list[tuple[str, CitedPaper]]:
        """(followed paper, citing paper) for the citing papers new to a follow."""
        return self._citations.unseen(self.follow_status(target).papers)

    def follow_feed(self, target: str, limit: int | None = None) -> str:
        """A follow's new citing papers as an Atom feed, as a watch's is."""
        from paperdeck.index.atom import watch_feed

        status = self.follow_status(target)
        papers = self._citations.unseen_papers(status.papers)[:limit]
        item = next(i for i in self._citations.followed() if i.target == status.target)
        return watch_feed(f"cites {status.target}", f"cited:{status.target}", item.created, papers)

    def follow_seen(self, target: str) -> int:
        """Mark a follow's new citing papers seen; returns how many were new."""
        return self._citations.mark_seen(self.follow_status(target).papers)

    # -- the reading queue and read marks ----------------------------------------------------
    def queue(self) -> list[QueueItem]:
        """The reading queue, first to read first."""
        return self._queue.items()

    def queue_add(self, paper_ids: Iterable[str], *, first: bool = False) -> int:
        return self._queue.add([p.id for p in self._known(paper_ids)], first=first)

    def queue_remove(self, paper_ids: Iterable[str]) -> int:
        return self._queue.remove(paper_ids)

    def queue_move(self, paper_id: str, *, by: int | None = None, to: int | None = None) -> int:
        """Move a queued paper `by` places (negative: up) or `to` a position (1: first);
        returns its position now."""
        if to is not None:
            ids = self._queue.ids()
            if paper_id not in ids:
                raise ReadingError(f"{paper_id} is not in the reading queue")
            by = max(1, to) - 1 - ids.index(paper_id)
        return self._queue.move(paper_id, by or 0)

    def read_ids(self) -> set[str]:
        return self._read_marks.ids()

    def mark_read(self, paper_ids: Iterable[str], read: bool = True) -> int:
        """Mark papers read (or unread); returns how many changed."""
        ids = list(paper_ids)
        return self._read_marks.mark([p.id for p in self._known(ids)] if read else ids, read=read)

    def toggle_read(self, paper_id: str) -> bool:
        return self._read_marks.toggle(paper_id)

    def export_queue(self, fmt: str, path: str | Path | None = None) -> Exported:
        """The reading queue in its order, as `export` writes papers (a queue is small:
        made whole, then written atomically)."""
        from paperdeck.index.export import export

        papers = [p for item in self.queue() if (p := self.get_or_bookmarked(item.paper_id))]
        if not papers:
            raise NothingToExport(False)
        text = export(fmt, papers, self.bookmark_ids())
        if path is None:
            return Exported(len(papers), text=text)
        target = Path(path).expanduser()
        try:
            atomic_write_text(target, text)
        except OSError as exc:
            raise LibraryError(f"cannot write {path}: {exc.strerror or exc}") from None
        return Exported(len(papers), path=target)

    def _known(self, paper_ids: Iterable[str]) -> list[Paper]:
        found = []
        for pid in paper_ids:
            paper = self.get_or_bookmarked(pid)
            if paper is None:
                raise LibraryError(f"no paper with id {pid!r} (see `paperdeck list`)")
            found.append(paper)
        return found

    # -- search: is:read, is:unread, citations:, and the order "citations" ---------------
    def listing(
        self, bookmarked_only: bool = False, order: str = "newest", *, dismissed: bool = False
    ) -> list[Paper]:
        """The core's listing; in a LIBRARY_ORDERS order, through query (which knows it)."""
        if order in LIBRARY_ORDERS and not bookmarked_only and not dismissed:
            return [hit.paper for hit in self.query("", None, order=order).hits]
        return super().listing(bookmarked_only, order, dismissed=dismissed)

    def query(
        self, text: str, limit: int | None = 50, *, prefix: bool = True, order: str = "relevance"
    ) -> SearchResult:
        rest, terms = split_library_terms(text)
        if not terms.any and order != "citations":
            return super().query(text, limit, prefix=prefix, order=order)
        rows = self._library_rows(text, rest, terms, prefix, order)
        papers = [p for row in rows.rows[:limit] if (p := self.get(row.id))]
        hits = tuple(Hit(paper, 0.0, rows.terms) for paper in papers)
        return SearchResult(
            text, hits, rows.total, rows.suggestion, rows.fell_back, rows.incomplete, rows.order
        )

    def browse(
        self, text: str, limit: int | None = None, *, prefix: bool = True, order: str = "relevance"
    ) -> RowResult:
        rest, terms = split_library_terms(text)
        if not terms.any and order != "citations":
            return super().browse(text, limit, prefix=prefix, order=order)
        found = self._library_rows(text, rest, terms, prefix, order)
        return dataclasses.replace(found, rows=found.rows[:limit])

    def _library_rows(
        self, text: str, rest: str, terms: LibraryTerms, prefix: bool, order: str
    ) -> RowResult:
        """Every match of the rest of the text, kept by the library's terms, sorted by
        citations (papers without a count last, ties newest first) when asked."""
        base = "newest" if order == "citations" else order
        found = super().browse(rest, None, prefix=prefix, order=base)
        count = self._count_lookup() if terms.counts or order == "citations" else None
        read = self._read_marks.ids() if terms.read is not None else set()
        rows = [
            row for row in found.rows
            if (terms.read is None or (row.id in read) == terms.read)
            and (count is None or terms.allows_count(count(row.id)))
        ]  # fmt: skip
        if order == "citations" and count is not None:
            counts = {row.id: count(row.id) for row in rows}
            rows.sort(key=lambda row: (counts[row.id] is None, -(counts[row.id] or 0)))
        applied = "citations" if order == "citations" else found.order
        return dataclasses.replace(
            found, query=text, rows=tuple(rows), total=len(rows), order=applied
        )

    def _count_lookup(self) -> Callable[[str], int | None]:
        """A paper id's cached count: a paper with an arXiv id (its id) straight from the
        table; one without (a title id) by its DOI, looked up only when the cache holds a
        count by DOI (the table keeps a DOI only for papers without an arXiv id)."""
        table = self._citations.count_table()
        dois = any(key.startswith("doi:") for key in table)

        def count(paper_id: str) -> int | None:
            if normalise_arxiv_id(paper_id) == paper_id:  # an arXiv paper's id is its arXiv id
                return table.get("arxiv:" + paper_id)
            paper = self.get_or_bookmarked(paper_id) if dois else None
            return self._citations.count_of(paper, table) if paper else None

        return count


def _follow_target(text: str) -> str:
    from paperdeck.index.citations.follow import normalise_target

    return normalise_target(text)


# -- citations and the reading queue (issue 22): the names of the block above ------------------
from paperdeck.index.citations.follow import FollowedPaper  # noqa: E402
from paperdeck.index.citations.service import Citations, ref_of  # noqa: E402
from paperdeck.index.links import normalise_arxiv_id  # noqa: E402
from paperdeck.index.models import LIBRARY_ORDERS, Hit, SearchResult  # noqa: E402
from paperdeck.index.reading import ReadingError, ReadingQueue, ReadMarks  # noqa: E402
from paperdeck.index.search_terms import split_library_terms  # noqa: E402

if TYPE_CHECKING:
    from paperdeck.index.citations.follow import FollowRefresh
    from paperdeck.index.citations.models import CitationCounts, CitationList, CitedPaper, Fetched
    from paperdeck.index.citations.service import FollowStatus
    from paperdeck.index.models import RowResult
    from paperdeck.index.reading import QueueItem
    from paperdeck.index.search_terms import LibraryTerms
