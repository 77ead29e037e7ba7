"""The library's core: opening, importing, reading and searching (the facade's first layer;
paperdeck.index.library assembles the whole facade). Read index/library.py first."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from paperdeck.index.bookmarks import BookmarkStore, DismissedStore
from paperdeck.index.catalog import (
    Catalog,
    CatalogDamaged,
    DigestRecord,
    ImportReport,
    catalog_stamp,
    no_file_in_the_way,
    os_failure,
    read_catalog,
    recover_catalog,
    write_catalog,
)
from paperdeck.index.engine.meta import IndexStale, generation_metas, peek_listing
from paperdeck.index.errors import LibraryError
from paperdeck.index.importing import EVERYTHING, Writes
from paperdeck.index.incoming import open_digest_file
from paperdeck.index.lazy import lazy_module
from paperdeck.index.linememo import memo_path
from paperdeck.index.models import (
    SORT_ORDERS,
    Bookmark,
    Hit,
    Paper,
    RowResult,
    SearchResult,
)
from paperdeck.index.paths import Paths, resolve_paths
from paperdeck.index.watches import WatchStore
from paperdeck.index.watching import Watching

if TYPE_CHECKING:
    from paperdeck.index.engine.engine import Engine, Found

from paperdeck.index.digest.selection import Selection

# After an import adding up to this share of the library, for you's features are brought up
# to date at once (a fraction of a second); after a bigger one the reader's first for-you
# ranking reads the new papers' terms (a million papers: over a minute, not added to the import).
FOR_YOU_AFTER_SHARE = 0.05
if TYPE_CHECKING:  # mypy reads the module; at run time it is imported on first use
    from paperdeck.index.engine import engine as engines
else:
    engines = lazy_module("paperdeck.index.engine.engine")  # Whoosh and numpy

Progress = Callable[[int, int], None]
BROWSE_CACHE_SIZE = 64


def utc_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")


class Core:
    """Opening, imports, reads and searches; the marks, watches and exports build on it."""

    def __init__(self, data_dir: str | Path | None = None) -> None:
        self._paths: Paths = resolve_paths(data_dir)
        for directory in (self._paths.data_dir, self._paths.cache_dir):
            no_file_in_the_way(directory)
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self._bookmarks = BookmarkStore(self._paths.bookmarks_file)
        self._watching = Watching(
            WatchStore(self._paths.watches_file),
            lambda text: self.browse(text).rows,
            self.get,
            lambda: not self._catalog().records,
        )
        self._dismissed = DismissedStore(self._paths.dismissed_file)
        self._notices: list[str] = []
        self._writes = Writes(self._paths, lambda: self.engine, self._notices)
        self._opened_stamp: tuple[int, int, int] | None = None
        self._new_since: str | None = None  # set by mark_opened()
        self._browse_cache: OrderedDict[tuple[object, ...], RowResult] = OrderedDict()

    @property
    def engine(self) -> Engine:
        """The Whoosh index (paperdeck.index.engine), created (and Whoosh imported) on first use."""
        with self._engine_lock:
            if self._engine is None:
                self._engine = engines.Engine(self._paths.index_dir)
            return self._engine

    def close(self) -> None:
        """Close the index files (the CLI and the reader do; a dropped Library leaves them
        to the garbage collector)."""
        if self._engine is not None:
            self._engine.close()
        self._opened_stamp = None

    def take_notices(self) -> list[str]:
        """Things the user should hear about once (index rebuilt, bookmarks file set aside)."""
        notices = [
            *self._notices,
            *self._bookmarks.notices,
            *self._watching.store.notices,
            *self._dismissed.notices,
        ]
        self._notices.clear()
        self._bookmarks.notices.clear()
        self._watching.store.notices.clear()
        self._dismissed.notices.clear()
        return notices

    def _catalog(self) -> Catalog:
        """The catalog; a damaged one (or a missing one while a generation holds exactly the
        raw copies) is recovered from the raw copies, with a notice."""
        try:
            catalog = read_catalog(self._paths.library_file)
        except CatalogDamaged:
            return self._recover(damaged=True)
        if catalog.records or self._paths.library_file.exists():
            return catalog
        if not any((self._paths.data_dir / "digests").glob("????????????-*")):
            return catalog
        return self._recover(damaged=False)

    def _recover(self, *, damaged: bool) -> Catalog:
        """Under the write lock (another process may be recovering it too): set the damaged
        file aside, write the recovered catalog, say so once."""
        with self._writes.writing():
            library = self._paths.library_file
            if library.exists():
                with contextlib.suppress(CatalogDamaged):
                    return read_catalog(library)  # recovered by another process meanwhile
            metas = generation_metas(self._paths.index_dir)
            catalog = recover_catalog(self._paths.data_dir, metas)
            if not damaged and catalog.generation is None:
                return Catalog()  # raw copies no index holds: an import killed before its commit
            try:
                aside = None
                if library.exists():
                    aside = library.with_name(f"{library.name}.unreadable-{utc_stamp()}")
                    os.replace(library, aside)
                write_catalog(library, catalog)
            except OSError as exc:
                raise LibraryError(f"cannot recover {os_failure(library, exc)}") from None
        moved = f"; the damaged file was moved aside to {aside}" if aside else ""
        self._notices.append(
            f"{library.name} was rebuilt from the {len(catalog.records)} raw copies"
            f" in {self._paths.data_dir / 'digests'}{moved}."
        )
        return catalog

    def open(self, progress: Progress | None = None) -> None:
        """Make the index usable: open the generation the catalog names, or rebuild it from
        the raw digests if it is missing, damaged or out of date (with a notice)."""
        stamp = catalog_stamp(self._paths.library_file)
        if stamp is not None and stamp == self._opened_stamp:
            return
        catalog = self._catalog()
        try:
            self.engine.open(catalog.generation, catalog.digests)
            self._opened_stamp = stamp
            return
        except IndexStale:
            pass
        with self._writes.writing():  # a rebuild; another process may have committed meanwhile
            stamp = catalog_stamp(self._paths.library_file)
            catalog = self._catalog()
            try:
                self.engine.open(catalog.generation, catalog.digests)
            except IndexStale as why:
                self._writes.rebuild(catalog, str(why), progress)
                stamp = catalog_stamp(self._paths.library_file)
                self._browse_cache.clear()
            self._opened_stamp = stamp

    def first_rows(self, limit: int) -> RowResult | None:
        """The newest papers, read from the listing file before the index is open: the
        reader shows them at once. None when the index first needs opening or rebuilding."""
        catalog = self._catalog()
        gen_dir = self._paths.index_dir / catalog.generation if catalog.generation else None
        hidden = self._dismissed.ids()  # papers marked not interested are not listed
        peeked = peek_listing(gen_dir, catalog.digests, limit + len(hidden))
        if peeked is None:
            return None
        rows, total = peeked
        shown = tuple(row for row in rows if row.id not in hidden)
        return RowResult("", shown[:limit], total - (len(rows) - len(shown)))

    def rebuild(self, progress: Progress | None = None) -> int:
        """Re-index every paper from the raw digests (`paperdeck` does this by itself)."""
        with self._writes.writing():
            try:
                return self._writes.rebuild(self._catalog(), "", progress)
            finally:
                self._committed()

    def _committed(self) -> None:
        """After a write (committed or not): the open generation is the catalog's."""
        self._opened_stamp = catalog_stamp(self._paths.library_file)
        self._browse_cache.clear()

    def import_digests(
        self, paths: Iterable[str | Path], fmt: str | None = None
    ) -> list[ImportReport]:
        """Import each digest; each file is all or nothing. The first bad file raises."""
        return [self.import_digest(path, fmt) for path in paths]

    def import_digest(
        self,
        path: str | Path,
        fmt: str | None = None,
        progress: Progress | None = None,
        selection: Selection = EVERYTHING,
    ) -> ImportReport:
        """Import one digest file, streamed (a file of gigabytes is never held whole), or
        what `selection` keeps of it; `progress(papers written, papers estimated)` while
        it is indexed."""
        path = Path(path)
        with open_digest_file(path) as raw:
            return self._import(raw, path.name, fmt, progress, selection)

    def import_bytes(
        self,
        data: bytes,
        name: str,
        fmt: str | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import a digest held in memory (a download, say) under a file name."""
        return self._import(io.BytesIO(data), name, fmt, progress)

    def _import(
        self,
        raw: BinaryIO,
        name: str,
        fmt: str | None,
        progress: Progress | None,
        selection: Selection = EVERYTHING,
    ) -> ImportReport:
        with self._writes.writing():
            self.open()
            try:
                report = self._writes.import_file(raw, name, fmt, progress, selection)
            finally:
                self._committed()
        if not report.already_imported and report.new <= FOR_YOU_AFTER_SHARE * self.count():
            with contextlib.suppress(OSError, LibraryError):  # only a head start for the reader
                self.prepare_for_you()
        return report

    def remove_digest(self, name: str) -> DigestRecord:
        """Take one imported digest out; papers only it brought leave, bookmarks stay."""
        with self._writes.writing():
            catalog = self._catalog()
            records = catalog.records
            matches = [r for r in records if name in (r.name, r.file) or _key_is(r, name)]
            if len(matches) != 1:
                known = ", ".join(f"{r.name} {r.sha256[:12]}" for r in records) or "none"
                count = "no digest" if not matches else "several digests"
                raise LibraryError(f"{count} named {name!r}; give its key (imported: {known})")
            remaining = tuple(r for r in records if r is not matches[0])
            try:
                self._writes.rebuild(Catalog(remaining, catalog.generation), "", None)
            finally:
                self._committed()
            (self._paths.data_dir / matches[0].file).unlink(missing_ok=True)
            memo_path(self._paths.data_dir / matches[0].file).unlink(missing_ok=True)
            return matches[0]

    def digests(self) -> list[DigestRecord]:
        return list(self._catalog().records)

    def count(self, *, dismissed: bool = False) -> int:
        """The papers in the library: those marked not interested only when asked for."""
        with self._reading() as engine:
            hidden = () if dismissed else self._dismissed.ids()
            return engine.count() - (engine.present(hidden) if hidden else 0)

    def get(self, paper_id: str) -> Paper | None:
        with self._reading() as engine:
            return engine.get(paper_id)

    def get_or_bookmarked(self, paper_id: str) -> Paper | None:
        """The paper, or its bookmark's snapshot when it has left the library."""
        paper = self.get(paper_id)
        if paper is None and (mark := self._bookmarks.all().get(paper_id)) is not None:
            paper = mark.snapshot
        return paper

    def listing(
        self, bookmarked_only: bool = False, order: str = "newest", *, dismissed: bool = False
    ) -> list[Paper]:
        """Every paper, newest first (in digest order within a day) or in another of
        SORT_ORDERS, less those marked not interested (unless `dismissed`); or every
        bookmark's snapshot, so none is lost with its paper."""
        if bookmarked_only:
            snapshots = [mark.snapshot for mark in self.bookmark_list()]
            if order == "newest":
                return snapshots
            ranked = [hit.paper for hit in self.query("is:bookmarked", None, order=order).hits]
            seen = {paper.id for paper in ranked}
            return ranked + [paper for paper in snapshots if paper.id not in seen]
        hidden = self._dismissed.ids() if not dismissed else set()
        self._prepare(order)
        with self._reading() as engine:
            found = engine.search("", None, True, self._bookmarks.all, None, hidden, order)
            return engine.papers(found)

    def query(
        self,
        text: str,
        limit: int | None = 50,
        *,
        prefix: bool = True,
        order: str = "relevance",
    ) -> SearchResult:
        """Ranked hits, whole papers, for what the user typed, in one of SORT_ORDERS
        (SearchResult.order says which: "for-you" falls back to "newest" without bookmarks);
        never raises on odd input."""
        self._prepare(order)
        with self._reading() as engine:
            found = self._run(engine, text, limit, prefix, order)
            papers = engine.papers(found)
        hits = tuple(
            Hit(paper, score, found.terms)
            for paper, score in zip(papers, found.scores, strict=True)
        )
        return SearchResult(
            text, hits, found.total, found.suggestion, found.fell_back, found.incomplete,
            found.order,
        )  # fmt: skip

    def browse(
        self,
        text: str,
        limit: int | None = None,
        *,
        prefix: bool = True,
        order: str = "relevance",
    ) -> RowResult:
        """The same search for the reader's list: light rows read from an index column, so
        even the whole library (the empty query) is listed without unpickling a paper.
        Recent answers are cached until the index or the marks change (backspace while
        typing asks the same questions again)."""
        self._prepare(order)
        with self._reading() as engine:
            key = (
                text, limit, prefix, order, self._opened_stamp, self._bookmarks.stamp(),
                self._dismissed.stamp(), self._new_since,
            )  # fmt: skip
            if (cached := self._browse_cache.get(key)) is not None:
                self._browse_cache.move_to_end(key)
                return cached
            newest = not text.strip() and order in ("relevance", "newest")
            if newest and (listed := self._listed(engine, text, limit)) is not None:
                result = listed
            else:
                found = self._run(engine, text, limit, prefix, order)
                rows = engine.rows(found)
                result = RowResult(
                    text, rows, found.total, found.terms, found.suggestion, found.fell_back,
                    found.incomplete, found.order,
                )  # fmt: skip
            self._browse_cache[key] = result
            if len(self._browse_cache) > BROWSE_CACHE_SIZE:
                self._browse_cache.popitem(last=False)
            return result

    def _listed(self, engine: Engine, text: str, limit: int | None) -> RowResult | None:
        """The newest papers from the listing file, less those marked not interested."""
        hidden = self._dismissed.ids()
        listed = engine.listing(None if limit is None else limit + len(hidden))
        if listed is None:
            return None
        rows = tuple(row for row in listed if row.id not in hidden)[:limit]
        total = engine.count() - (engine.present(hidden) if hidden else 0)
        return RowResult(text, rows, total)

    def _prepare(self, order: str) -> None:
        """For you reads each index segment's terms once (seconds for 100,000 papers, then
        kept in the cache dir) and assembles them once per generation: done before the
        engine is locked, so that other reads go on meanwhile."""
        if order == "for-you":
            self.prepare_for_you()

    def prepare_for_you(self) -> None:
        """Have for you's features of the live generation ready in the cache dir: the new
        segments' terms read (an import's papers: the rest were read before) and assembled.
        The importer calls this once a generation is published, so that the reader's first
        for-you ranking finds them; nothing to do without a bookmark."""
        if self._bookmarks.ids():
            self.open()
            if self.engine.count():  # (an empty index has no segment to read terms from)
                try:
                    self.engine.prepare_for_you()
                except OSError as exc:  # a full or read-only cache
                    where = os_failure(self._paths.cache_dir, exc)
                    raise LibraryError(f"cannot keep for you's features: {where}") from None

    def _run(self, engine: Engine, text: str, limit: int | None, prefix: bool, order: str) -> Found:
        if order not in SORT_ORDERS:
            raise LibraryError(f"unknown sort order {order!r} (one of {', '.join(SORT_ORDERS)})")
        bookmarks, hidden = self._bookmarks.all, self._dismissed.ids()
        return engine.search(text, limit, prefix, bookmarks, self._new_since, hidden, order)

    def warm(self) -> None:
        """Load what the first search needs (numpy, field lengths), so that it is as quick as
        the next ones; the reader calls this once its first rows are on screen."""
        with self._reading() as engine:
            if engine.count():  # (an emptied index has no segment to load lengths from)
                engine.warm()

    def similar(self, paper_id: str, limit: int = 10) -> list[Hit]:
        """Papers most like this one (its strongest words in titles and abstracts, scored
        as a search), but those marked not interested."""
        hidden = self._dismissed.ids()
        with self._reading() as engine:
            found = engine.similar(paper_id, limit, hidden)
        if found is None:
            raise LibraryError(f"no paper with id {paper_id!r}")
        return [Hit(paper, score) for paper, score in found if paper.id not in hidden][:limit]

    def highlight(
        self, text: str, terms: frozenset[tuple[str, str]], fieldname: str
    ) -> list[tuple[int, int]]:
        """Spans of `text` (a title or abstract) matching a hit's terms; CPU only, no disk."""
        spans: list[tuple[int, int]] = engines.Engine.spans(text, terms, fieldname)
        return spans

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Engine]:
        """The engine with the catalog's generation open, locked for several reads that
        must see one generation."""
        self.open()
        engine = self.engine
        with engine.lock:
            yield engine

    def _require(self, paper_ids: Iterable[str]) -> list[Paper]:
        papers = []
        for pid in paper_ids:
            paper = self.get(pid)
            if paper is None:
                raise LibraryError(f"no paper with id {pid!r} (see `paperdeck list`)")
            papers.append(paper)
        return papers

    def ids_starting(self, prefix: str, limit: int = 5) -> list[str]:
        """Up to `limit` ids, sorted, of papers in the library or bookmarked that begin with
        `prefix`: the CLI takes an id typed short, as git takes a short hash."""
        found = {pid for pid in self.bookmark_ids() if pid.startswith(prefix)}
        with self._reading() as engine:
            found.update(engine.ids_starting(prefix, limit))
        return sorted(found)[:limit]

    def bookmark_ids(self) -> set[str]:
        return self._bookmarks.ids()

    def bookmark_list(self) -> list[Bookmark]:
        """Every bookmark, newest first; each carries its snapshot of the paper."""
        return sorted(self._bookmarks.all().values(), key=lambda b: b.created, reverse=True)


def _key_is(record: DigestRecord, text: str) -> bool:
    """A digest's key typed short (at least 6 characters), as `paperdeck digests` shows it."""
    return len(text) >= 6 and record.sha256.startswith(text)
