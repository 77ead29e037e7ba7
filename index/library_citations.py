"""Citations, follows and the reading queue (issue 22), two parts of paperdeck.index.library's
Library: ReadingList owns queue.json and read.json (paperdeck.index.reading); Citing owns the
citation source, its cache and the follows (paperdeck.index.citations.service), each made on
first use, and answers the library's own search terms (is:read, is:unread, citations:>=N,
paperdeck.index.search_terms) and the order "citations" from the cache, never the network."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from paperdeck.index.errors import LibraryError
from paperdeck.index.fsutil import atomic_write_text
from paperdeck.index.lazy import lazy_module
from paperdeck.index.library_marks import Marks
from paperdeck.index.library_reads import Reads
from paperdeck.index.library_shared import Shared
from paperdeck.index.links import normalise_arxiv_id
from paperdeck.index.models import (
    LIBRARY_ORDERS,
    Hit,
    ListOrder,
    Paper,
    Progress,
    RowResult,
    SearchResult,
)
from paperdeck.index.search_terms import split_library_terms

if TYPE_CHECKING:  # mypy reads the modules; at run time the citations load on first use
    from paperdeck.index.citations import follow, service
    from paperdeck.index.citations.follow import FollowRefresh
    from paperdeck.index.citations.models import CitationCounts, CitationList, CitedPaper, Fetched
    from paperdeck.index.citations.service import Citations, FollowStatus
    from paperdeck.index.export import Exported
    from paperdeck.index.reading import QueueItem, ReadingQueue, ReadMarks
    from paperdeck.index.search_terms import LibraryTerms
else:
    follow = lazy_module("paperdeck.index.citations.follow")
    service = lazy_module("paperdeck.index.citations.service")


class ReadingList:
    """The reading queue, in the user's order, and the papers marked read."""

    def __init__(self, shared: Shared, marks: Marks) -> None:
        self._data_dir, self._marks = shared.paths.data_dir, marks

    @functools.cached_property
    def _queue(self) -> ReadingQueue:
        from paperdeck.index.reading import ReadingQueue  # the queue's files: a queue command's

        return ReadingQueue(self._data_dir)

    @functools.cached_property
    def _read_marks(self) -> ReadMarks:
        from paperdeck.index.reading import ReadMarks

        return ReadMarks(self._data_dir)

    def take_notices(self) -> list[str]:
        """The two files' notices, once (a part never used has nothing to say)."""
        notices: list[str] = []
        for part in ("_queue", "_read_marks"):
            if part in self.__dict__:
                notices += self.__dict__[part].notices
                self.__dict__[part].notices.clear()
        return notices

    def queue(self) -> list[QueueItem]:
        return self._queue.items()

    def queue_add(self, paper_ids: Iterable[str], first: bool) -> int:
        return self._queue.add([p.id for p in self._known(paper_ids)], first=first)

    def queue_remove(self, paper_ids: Iterable[str]) -> int:
        return self._queue.remove(paper_ids)

    def queue_move(self, paper_id: str, by: int | None, to: int | None) -> int:
        if to is not None:
            ids = self._queue.ids()
            if paper_id not in ids:
                from paperdeck.index.reading import ReadingError

                raise ReadingError(f"{paper_id} is not in the reading queue")
            by = max(1, to) - 1 - ids.index(paper_id)
        return self._queue.move(paper_id, by or 0)

    def read_ids(self) -> set[str]:
        return self._read_marks.ids()

    def mark_read(self, paper_ids: Iterable[str], read: bool) -> int:
        ids = list(paper_ids)
        return self._read_marks.mark([p.id for p in self._known(ids)] if read else ids, read=read)

    def toggle_read(self, paper_id: str) -> bool:
        return self._read_marks.toggle(paper_id)

    def export_queue(self, fmt: str, path: str | Path | None) -> Exported:
        """The queue in its order (a queue is small: made whole, then written atomically)."""
        from paperdeck.index.export import Exported, NothingToExport, export

        found = (self._marks.get_or_bookmarked(item.paper_id) for item in self.queue())
        papers = [paper for paper in found if paper]
        if not papers:
            raise NothingToExport(False)
        text = export(fmt, papers, self._marks.bookmark_ids())
        if path is None:
            return Exported(papers=len(papers), text=text)
        target = Path(path).expanduser()
        try:
            atomic_write_text(target, text)
        except OSError as exc:
            raise LibraryError(f"cannot write {path}: {exc.strerror or exc}") from None
        return Exported(papers=len(papers), path=target)

    def _known(self, paper_ids: Iterable[str]) -> list[Paper]:
        found = []
        for pid in paper_ids:
            paper = self._marks.get_or_bookmarked(pid)
            if paper is None:
                raise LibraryError(f"no paper with id {pid!r} (see `paperdeck list`)")
            found.append(paper)
        return found


class Citing:
    """Citation counts, cited-by and references lists, follows, and the searches that use
    the cached counts or the read marks."""

    def __init__(self, shared: Shared, marks: Marks, reads: Reads, reading: ReadingList):
        self._paths, self._marks, self._reads, self._reading = shared.paths, marks, reads, reading

    @functools.cached_property
    def _citations(self) -> Citations:
        return service.Citations(self._paths.cache_dir, self._paths.data_dir)

    def take_notices(self) -> list[str]:
        if "_citations" in self.__dict__:  # (a part never used has nothing to say)
            return self._citations.take_notices()
        return []

    def citation_ref(self, text: str) -> tuple[str, Paper | None]:
        paper = self._marks.get_or_bookmarked(text.strip())
        if paper is None:
            return text.strip(), None
        ref = service.ref_of(paper)
        if ref is None:
            raise LibraryError(f"{paper.id} has no arXiv id or DOI: no citation source knows it")
        return ref, paper

    def citation_counts(self, ref: str, refresh: bool) -> Fetched[CitationCounts] | None:
        return self._citations.counts(ref, refresh=refresh)

    def cached_citation_count(self, paper: Paper) -> int | None:
        return self._citations.count_of(paper, self._citations.count_table())

    def cached_citation_counts(self, paper: Paper) -> Fetched[CitationCounts] | None:
        ref = service.ref_of(paper)
        return self._citations.source.cached_counts(ref) if ref else None

    def cited_by(self, ref: str, limit: int, refresh: bool) -> Fetched[CitationList] | None:
        return self._citations.cited_by(ref, limit=limit, refresh=refresh)

    def references(self, ref: str, limit: int, refresh: bool) -> Fetched[CitationList] | None:
        return self._citations.references(ref, limit=limit, refresh=refresh)

    def citation_papers(self, bookmarked_only: bool) -> list[Paper]:
        papers = self._reads.listing(
            bookmarked_only=bookmarked_only, order="newest", dismissed=not bookmarked_only
        )
        return [paper for paper in papers if service.ref_of(paper)]

    def refresh_citation_counts(
        self, papers: list[Paper], progress: Progress | None
    ) -> dict[str, Fetched[CitationCounts] | None]:
        refs = {paper.id: service.ref_of(paper) or "" for paper in papers}
        got = self._citations.refresh_counts(list(refs.values()), force=True, progress=progress)
        return {pid: got.get(ref) for pid, ref in refs.items()}

    def follow(self, target: str) -> bool:
        is_tag = target.strip().casefold().startswith("tag:")
        if not is_tag and self.citation_ref(target)[1] is None:
            raise LibraryError(f"no paper with id {target.strip()!r} (see `paperdeck list`)")
        return self._citations.follow(target)

    def unfollow(self, target: str) -> bool:
        return self._citations.unfollow(target)

    def follows(self) -> list[FollowStatus]:
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
            return [m.paper_id for m in self._marks.bookmark_list() if tag in m.tags]
        return [target]

    def refresh_follows(self, progress: Progress | None) -> FollowRefresh:
        wanted = [
            pid for item in self._citations.followed() for pid in self._followed_ids(item.target)
        ]
        papers = []
        for pid in dict.fromkeys(wanted):
            paper = self._marks.get_or_bookmarked(pid)
            if paper is not None and (ref := service.ref_of(paper)):
                papers.append(follow.FollowedPaper(paper_id=pid, ref=ref, title=paper.title))
        return self._citations.refresh_follows(papers, progress)

    def follow_papers(self, target: str) -> list[tuple[str, CitedPaper]]:
        return self._citations.unseen(self.follow_status(target).papers)

    def follow_feed(self, target: str, limit: int | None) -> str:
        from paperdeck.index.atom import watch_feed

        status = self.follow_status(target)
        papers = self._citations.unseen_papers(status.papers)[:limit]
        item = next(i for i in self._citations.followed() if i.target == status.target)
        return watch_feed(f"cites {status.target}", f"cited:{status.target}", item.created, papers)

    def follow_seen(self, target: str) -> int:
        return self._citations.mark_seen(self.follow_status(target).papers)

    # -- search: is:read, is:unread, citations:, and the order "citations" ---------------
    def listing(self, *, bookmarked_only: bool, order: str, dismissed: bool) -> list[Paper]:
        """Reads' listing; in a LIBRARY_ORDERS order, through query (which knows it)."""
        if order in LIBRARY_ORDERS and not bookmarked_only and not dismissed:
            return [hit.paper for hit in self.query("", limit=None, prefix=True, order=order).hits]
        if bookmarked_only and order in LIBRARY_ORDERS:  # ranked as query ranks them
            snapshots = [mark.snapshot for mark in self._marks.bookmark_list()]
            ranked = [
                hit.paper
                for hit in self.query("is:bookmarked", limit=None, prefix=True, order=order).hits
            ]
            seen = {paper.id for paper in ranked}
            return ranked + [paper for paper in snapshots if paper.id not in seen]
        return self._reads.listing(
            bookmarked_only=bookmarked_only, order=order, dismissed=dismissed
        )

    def query(self, text: str, *, limit: int | None, prefix: bool, order: str) -> SearchResult:
        rest, terms = split_library_terms(text)
        if not terms.any and order != "citations":
            return self._reads.query(text, limit=limit, prefix=prefix, order=order)
        rows = self._library_rows(text, rest, terms, prefix, order)
        papers = [p for row in rows.rows[:limit] if (p := self._reads.get(row.id))]
        hits = tuple(Hit(paper=paper, score=0.0, terms=rows.terms) for paper in papers)
        return SearchResult(
            query=text, hits=hits, total=rows.total, suggestion=rows.suggestion,
            fell_back=rows.fell_back, incomplete=rows.incomplete, order=rows.order,
        )  # fmt: skip

    def browse(self, text: str, *, limit: int | None, prefix: bool, order: str) -> RowResult:
        rest, terms = split_library_terms(text)
        if not terms.any and order != "citations":
            return self._reads.browse(text, limit=limit, prefix=prefix, order=order)
        found = self._library_rows(text, rest, terms, prefix, order)
        return dataclasses.replace(found, rows=found.rows[:limit])

    def _library_rows(
        self, text: str, rest: str, terms: LibraryTerms, prefix: bool, order: str
    ) -> RowResult:
        """Every match of the rest of the text, kept by the library's terms, sorted by
        citations (papers without a count last, ties newest first) when asked."""
        base = "newest" if order == "citations" else order
        found = self._reads.browse(rest, limit=None, prefix=prefix, order=base)
        count = self._count_lookup() if terms.counts or order == "citations" else None
        read = self._reading.read_ids() if terms.read is not None else set()
        rows = [
            row for row in found.rows
            if (terms.read is None or (row.id in read) == terms.read)
            and (count is None or terms.allows_count(count(row.id)))
        ]  # fmt: skip
        if order == "citations" and count is not None:
            counts = {row.id: count(row.id) for row in rows}
            rows.sort(key=lambda row: (counts[row.id] is None, -(counts[row.id] or 0)))
        applied: ListOrder = "citations" if order == "citations" else found.order
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
            paper = self._marks.get_or_bookmarked(paper_id) if dois else None
            return self._citations.count_of(paper, table) if paper else None

        return count


def _follow_target(text: str) -> str:
    from paperdeck.index.citations.follow import normalise_target

    return normalise_target(text)
