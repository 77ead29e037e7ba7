"""Reads and searches, one part of paperdeck.index.library's Library: papers by id, ranked
hits, the reader's light rows (with a small cache of recent answers), listings, similar
papers. It owns no file: it asks the live index, the marks and the session."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from paperdeck.index.errors import LibraryError
from paperdeck.index.lazy import lazy_module
from paperdeck.index.library_index import LiveIndex
from paperdeck.index.library_marks import Marks
from paperdeck.index.library_quick import Quick
from paperdeck.index.library_session import Session
from paperdeck.index.models import (
    SORT_ORDERS,
    Hit,
    Paper,
    RowResult,
    SearchResult,
    SortOrder,
    sort_order,
)

if TYPE_CHECKING:  # mypy reads the module; at run time it is imported on first use
    from paperdeck.index.engine import engine as engines
    from paperdeck.index.engine.engine import Engine, Found, SearchRequest
else:
    engines = lazy_module("paperdeck.index.engine.engine")  # Whoosh and numpy

BROWSE_CACHE_SIZE = 64


class Answers:
    """The reader's recent list answers, newest last (backspace while typing asks the same
    questions again); the live index clears it after every write, and a new day (UTC, as
    `date:yesterday` counts) too: a reader left open overnight does not answer with
    yesterday's `date:today`."""

    def __init__(self, size: int = BROWSE_CACHE_SIZE) -> None:
        self._size = size
        self._answers: OrderedDict[tuple[object, ...], RowResult] = OrderedDict()
        self._day = dt.datetime.now(tz=dt.UTC).date()

    def get(self, key: tuple[object, ...]) -> RowResult | None:
        if (today := dt.datetime.now(tz=dt.UTC).date()) != self._day:
            self._answers.clear()
            self._day = today
        if (found := self._answers.get(key)) is not None:
            self._answers.move_to_end(key)
        return found

    def put(self, key: tuple[object, ...], result: RowResult) -> None:
        self._answers[key] = result
        if len(self._answers) > self._size:
            self._answers.popitem(last=False)

    def clear(self) -> None:
        self._answers.clear()


class Reads:
    """Every read of the index, with the marks (bookmarked, not interested) and what is new."""

    def __init__(
        self, index: LiveIndex, marks: Marks, session: Session, answers: Answers, quick: Quick
    ) -> None:
        self._index, self._marks, self._session, self._answers = index, marks, session, answers
        self._quick = quick

    def count(self, dismissed: bool = False) -> int:
        """The papers in the library: those marked not interested only when asked for."""
        hidden = () if dismissed else tuple(self._marks.dismissed_ids())
        with self._index.reading() as engine:
            return engine.count() - (engine.present(hidden) if hidden else 0)

    def get(self, paper_id: str) -> Paper | None:
        return self._quick.paper(paper_id)

    def held(self, paper_ids: Collection[str]) -> set[str]:
        with self._index.reading() as engine:
            return engine.held(paper_ids)

    def first_rows(self, limit: int) -> RowResult | None:
        """The newest papers from the listing file, before the index is open."""
        self._quick.stop_keeping()  # only the reader asks: no papers file from it
        catalog = self._index.catalog()
        hidden = self._marks.dismissed_ids()  # papers marked not interested are not listed
        peeked = self._index.peek(catalog, limit + len(hidden))
        if peeked is None:
            return None
        rows, total = peeked
        shown = tuple(row for row in rows if row.id not in hidden)
        return RowResult(query="", rows=shown[:limit], total=total - (len(rows) - len(shown)))

    def _prepare(self, order: str) -> None:
        """For you's features, made before the engine is locked so other reads go on."""
        if order == "for-you":
            self._marks.prepare_for_you()

    def _run(self, engine: Engine, text: str, limit: int | None, prefix: bool, order: str) -> Found:
        if order not in SORT_ORDERS:
            raise LibraryError(f"unknown sort order {order!r} (one of {', '.join(SORT_ORDERS)})")
        request = engines.SearchRequest(
            text=text,
            limit=limit,
            prefix=prefix,
            order=sort_order(order),
            bookmarks=self._marks.by_id,
            new_since=self._session.new_since,
            dismissed=self._marks.dismissed_ids(),
        )
        return engine.search(request)

    def _every(self, order: SortOrder, hidden: Collection[str]) -> SearchRequest:
        """Every paper in `order` but the `hidden` ones: no text, no filter, no last opening."""
        return engines.SearchRequest(
            text="",
            limit=None,
            prefix=True,
            order=order,
            bookmarks=self._marks.by_id,
            new_since=None,
            dismissed=hidden,
        )

    def listing(self, *, bookmarked_only: bool, order: str, dismissed: bool) -> list[Paper]:
        if bookmarked_only:
            snapshots = [mark.snapshot for mark in self._marks.bookmark_list()]
            if order == "newest":
                return snapshots
            ranked = [
                hit.paper
                for hit in self.query("is:bookmarked", limit=None, prefix=True, order=order).hits
            ]
            seen = {paper.id for paper in ranked}
            return ranked + [paper for paper in snapshots if paper.id not in seen]
        hidden = self._marks.dismissed_ids() if not dismissed else set()
        self._prepare(order)
        with self._index.reading() as engine:
            # (an order the engine does not know, such as "citations" with `dismissed`, was
            # sorted newest first by it; it is asked for as "newest")
            known = sort_order(order) if order in SORT_ORDERS else "newest"
            found = engine.search(self._every(known, hidden))
            return engine.papers(found)

    def each_paper(self, dismissed: bool = False) -> Iterator[Paper]:
        """Every paper, newest first (those marked not interested only when `dismissed`),
        read a batch at a time as they are used (Engine.each_paper)."""
        hidden = () if dismissed else tuple(self._marks.dismissed_ids())
        with self._index.reading() as engine:
            found = engine.search(self._every("newest", hidden))
        yield from engine.each_paper(found)

    def query(self, text: str, *, limit: int | None, prefix: bool, order: str) -> SearchResult:
        newest = not text.strip() and order in ("relevance", "newest")
        if newest and (quick := self._quick_newest(limit)) is not None:
            return quick
        self._prepare(order)
        started = self._index.engine_started
        with self._index.reading() as engine:
            if newest and not started:
                self._quick.keep_from(
                    engine
                )  # for the next command (paperdeck.index.library_quick)
            found = self._run(engine, text, limit, prefix, order)
            papers = engine.papers(found)
        hits = tuple(
            Hit(paper=paper, score=score, terms=found.terms)
            for paper, score in zip(papers, found.scores, strict=True)
        )
        return SearchResult(
            query=text, hits=hits, total=found.total, suggestion=found.suggestion,
            fell_back=found.fell_back, incomplete=found.incomplete, order=found.order,
        )  # fmt: skip

    def _quick_newest(self, limit: int | None) -> SearchResult | None:
        """The empty query's answer without the engine, as the engine gives it: newest
        first, less the papers marked not interested; None when the files do not prove
        themselves."""
        hidden = self._marks.dismissed_ids()
        papers = self._quick.newest(None, hidden)
        if papers is None:
            return None
        hits = tuple(Hit(paper=paper) for paper in papers[:limit])
        return SearchResult(query="", hits=hits, total=len(papers), order="newest")

    def browse(self, text: str, *, limit: int | None, prefix: bool, order: str) -> RowResult:
        """Light rows read from an index column; recent answers come from the cache until
        the index, the marks or the last opening change."""
        self._prepare(order)
        with self._index.reading() as engine:
            key = (
                text, limit, prefix, order, self._index.opened_stamp, *self._marks.stamps(),
                self._session.new_since,
            )  # fmt: skip
            if (cached := self._answers.get(key)) is not None:
                return cached
            newest = not text.strip() and order in ("relevance", "newest")
            if newest and (listed := self._listed(engine, text, limit)) is not None:
                result = listed
            else:
                found = self._run(engine, text, limit, prefix, order)
                rows = engine.rows(found)
                result = RowResult(
                    query=text, rows=rows, total=found.total, terms=found.terms,
                    suggestion=found.suggestion, fell_back=found.fell_back,
                    incomplete=found.incomplete, order=found.order,
                )  # fmt: skip
            self._answers.put(key, result)
            return result

    def _listed(self, engine: Engine, text: str, limit: int | None) -> RowResult | None:
        """The newest papers from the listing file, less those marked not interested."""
        hidden = self._marks.dismissed_ids()
        listed = engine.listing(None if limit is None else limit + len(hidden))
        if listed is None:
            return None
        rows = tuple(row for row in listed if row.id not in hidden)[:limit]
        total = engine.count() - (engine.present(hidden) if hidden else 0)
        return RowResult(query=text, rows=rows, total=total)

    def warm(self) -> None:
        with self._index.reading() as engine:
            if engine.count():  # (an emptied index has no segment to load lengths from)
                engine.warm()

    def similar(self, paper_id: str, limit: int) -> list[Hit]:
        hidden = self._marks.dismissed_ids()
        with self._index.reading() as engine:
            found = engine.similar(paper_id, limit, hidden)
        if found is None:
            raise LibraryError(f"no paper with id {paper_id!r}")
        hits = [Hit(paper=paper, score=score) for paper, score in found if paper.id not in hidden]
        return hits[:limit]

    @staticmethod
    def highlight(
        text: str, terms: frozenset[tuple[str, str]], fieldname: str
    ) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = engines.Engine.spans(text, terms, fieldname)
        return spans

    def ids_starting(self, prefix: str, limit: int) -> list[str]:
        found = {pid for pid in self._marks.bookmark_ids() if pid.startswith(prefix)}
        if (quick := self._quick.ids_starting(prefix, limit)) is not None:
            found.update(quick)
        else:
            with self._index.reading() as engine:
                found.update(engine.ids_starting(prefix, limit))
        return sorted(found)[:limit]
