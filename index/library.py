"""The one facade the reader, the CLI and the benchmarks use.

    lib = Library(data_dir)
    report = lib.import_digests([path])
    hits = lib.search("wavelet disc", limit=50)
    lib.get(paper_id); lib.similar(paper_id); lib.papers()

Every method is safe to call from a worker thread; index access is serialised by the store's
lock, and changes made by another paperdeck process are picked up before each read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from index.bookmarks import BookmarkStore
from index.catalog import DigestRecord, ImportReport, read_catalog, safe_file_name, write_catalog
from index.digest import read_digest
from index.errors import DigestError, LibraryError
from index.fsutil import atomic_write_bytes, atomic_write_text
from index.lazy import lazy_module
from index.models import Bookmark, Hit, Paper, PaperRow, RowResult, SearchResult, utc_iso
from index.paths import Paths, resolve_paths
from index.pointer import IndexStale, peek_listing

if TYPE_CHECKING:
    from filelock import FileLock

    from index.ranking import Ranker
    from index.store import Store


searching = lazy_module("index.search")
stores = lazy_module("index.store")
ranking = lazy_module("index.ranking")

Progress = Callable[[int, int], None]
BROWSE_CACHE_SIZE = 64


class Library:
    def __init__(self, data_dir: str | Path | None = None) -> None:
        self.paths: Paths = resolve_paths(data_dir)
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        self.bookmarks = BookmarkStore(self.paths.bookmarks_file)
        self.notices: list[str] = []
        self._pointer_stamp: int | None = None
        self._lock: FileLock | None = None
        self.new_since: str | None = None  # set by mark_opened()
        self._browse_cache: OrderedDict[tuple, RowResult] = OrderedDict()
        self._ranker: Ranker | None = None

    @property
    def store(self) -> Store:
        """The Whoosh index, created (and Whoosh imported) on first use."""
        with self._store_lock:
            if self._store is None:
                self._store = stores.Store(self.paths.index_dir)
            return self._store

    def close(self) -> None:
        """Close the index files (the CLI and the reader do; a dropped Library leaves them
        to the garbage collector)."""
        self.store.close()
        self._pointer_stamp = None

    def take_notices(self) -> list[str]:
        """Things the user should hear about once (index rebuilt, bookmarks file set aside)."""
        notices = [*self.notices, *self.bookmarks.notices]
        self.notices.clear()
        self.bookmarks.notices.clear()
        return notices

    # -- opening and rebuilding ---------------------------------------------------------------
    def _write_lock(self) -> FileLock:
        """One reentrant cross-process lock for every change to the library."""
        if self._lock is None:
            self.paths.data_dir.mkdir(parents=True, exist_ok=True)
            from filelock import FileLock  # imported when first needed: ~20 ms at start-up

            self._lock = FileLock(str(self.paths.data_dir / "library.lock"), timeout=60)
        return self._lock

    def open(self, progress: Progress | None = None) -> None:
        """Make the index usable: open it, or rebuild it from the raw digests if it is
        missing, damaged or out of date (with a notice, not an error)."""
        with self.store.lock:
            if self._pointer_stamp is not None and self._pointer_stamp == self._stamp():
                return
            records = read_catalog(self.paths.library_file)
            try:
                self.store.open([r.sha256 for r in records])
            except IndexStale as why:
                self._rebuild_locked(records, str(why), progress)
            self._pointer_stamp = self._stamp()

    def _stamp(self) -> int | None:
        try:
            return (self.paths.index_dir / "CURRENT").stat().st_mtime_ns
        except OSError:
            return None

    def first_rows(self, limit: int) -> RowResult | None:
        """The newest papers, read from the listing file before the index is open: the
        reader shows them at once. None when the index first needs opening or rebuilding."""
        records = read_catalog(self.paths.library_file)
        peeked = peek_listing(self.paths.index_dir, [r.sha256 for r in records], limit)
        if peeked is None:
            return None
        rows, total = peeked
        return RowResult("", tuple(rows), total)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Re-index every paper from the raw digests (`paperdeck` does this by itself)."""
        with self.store.lock:
            records = read_catalog(self.paths.library_file)
            count = self._rebuild_locked(records, "", progress)
            self._pointer_stamp = self._stamp()
            return count

    def _rebuild_locked(
        self, records: list[DigestRecord], why: str, progress: Progress | None
    ) -> int:
        try:
            with self._write_lock():
                from index.merge import papers_from_raw

                papers = papers_from_raw(self.paths.data_dir, records, self.notices)
                total = len(papers)
                count = self.store.rebuild(
                    papers.values(),
                    [r.sha256 for r in records],
                    (lambda n: progress(n, total)) if progress else None,
                )
        except TimeoutError:  # filelock.Timeout is one
            raise LibraryError("the library is locked by another paperdeck; try again") from None
        except OSError as exc:
            raise LibraryError(f"cannot write the index: {exc.strerror or exc}") from None
        if records and why and why != "no index yet":
            self.notices.append(f"The search index was rebuilt ({why}): {count} papers.")
        return count

    # -- importing ---------------------------------------------------------------------------
    def import_digests(
        self, paths: Iterable[str | Path], fmt: str | None = None
    ) -> list[ImportReport]:
        """Import each digest; each file is all or nothing. The first bad file raises."""
        return [self.import_digest(path, fmt) for path in paths]

    def import_digest(self, path: str | Path, fmt: str | None = None) -> ImportReport:
        path = Path(path)
        try:
            data = path.read_bytes()
        except IsADirectoryError:
            raise DigestError(f"{path}: is a directory, not a digest file") from None
        except OSError as exc:
            raise DigestError(f"{path}: cannot read ({exc.strerror or exc})") from None
        return self.import_bytes(data, path.name, fmt)

    def import_bytes(self, data: bytes, name: str, fmt: str | None = None) -> ImportReport:
        """Import a digest held in memory (a download, say) under a file name."""
        now = dt.datetime.now().astimezone()
        digest = read_digest(data, name, today=now.date(), fmt=fmt)
        sha = hashlib.sha256(data).hexdigest()
        try:
            with self._write_lock():
                self.open()
                return self._import_locked(name, data, sha, digest, now)
        except TimeoutError:  # filelock.Timeout is one
            raise LibraryError("the library is locked by another paperdeck; try again") from None

    def _import_locked(self, name, data, sha, digest, now) -> ImportReport:
        records = read_catalog(self.paths.library_file)
        dates = tuple(sorted({p.date for p in digest.papers if p.date}))
        if any(r.sha256 == sha for r in records):
            return ImportReport(name, len(digest.papers), 0, True, dates, digest.skipped)
        from index.merge import PaperSet

        if self.store.searcher().doc_count_all():
            merged = PaperSet(self._get_locked, self._find_title_locked)
        else:  # the first import: nothing to look up in the index, paper after paper
            merged = PaperSet()
        for paper in digest.papers:
            merged.add(paper.with_changes(added=utc_iso(now.isoformat())))
        relative = f"digests/{sha[:12]}-{safe_file_name(name)}"
        raw_copy = self.paths.data_dir / relative
        new = len(merged.new_ids)
        try:
            atomic_write_bytes(raw_copy, data)
            with self.store.lock:
                digests = [*(r.sha256 for r in records), sha]
                self.store.update(merged.papers.values(), digests, merged.dropped)
            record = DigestRecord(
                name, sha, relative, now.isoformat(), digest.format, len(merged.papers), new
            )
            write_catalog(self.paths.library_file, [*records, record])
        except OSError as exc:
            raw_copy.unlink(missing_ok=True)
            self._pointer_stamp = None  # reopen (and rebuild if needed) on next use
            why = exc.strerror or exc
            raise LibraryError(f"{name}: import failed, nothing changed ({why})") from None
        self._pointer_stamp = self._stamp()
        count = len(merged.papers)
        return ImportReport(name, count, new, False, dates, digest.skipped, digest.warnings)

    def _find_title_locked(self, key: str) -> list[Paper]:
        found = self.store.searcher().documents(title_key=key)
        return [stores.paper_from_stored(doc) for doc in found]

    def remove_digest(self, name: str) -> DigestRecord:
        """Take one imported digest out; papers only it brought leave, bookmarks stay."""
        try:
            with self._write_lock(), self.store.lock:
                records = read_catalog(self.paths.library_file)
                matches = [r for r in records if name in (r.name, r.sha256[:12], r.file)]
                if len(matches) != 1:
                    known = ", ".join(r.name for r in records) or "none"
                    count = "no digest" if not matches else "several digests"
                    raise LibraryError(f"{count} named {name!r} (imported: {known})")
                remaining = [r for r in records if r is not matches[0]]
                write_catalog(self.paths.library_file, remaining)
                (self.paths.data_dir / matches[0].file).unlink(missing_ok=True)
                self._rebuild_locked(remaining, "", None)
                self._pointer_stamp = self._stamp()
                return matches[0]
        except TimeoutError:  # filelock.Timeout is one
            raise LibraryError("the library is locked by another paperdeck; try again") from None

    def digests(self) -> list[DigestRecord]:
        return read_catalog(self.paths.library_file)

    # -- reading -----------------------------------------------------------------------------
    def count(self) -> int:
        with self._searcher() as searcher:
            return searcher.doc_count()

    def get(self, paper_id: str) -> Paper | None:
        with self._searcher():
            return self._get_locked(paper_id)

    def get_or_bookmarked(self, paper_id: str) -> Paper | None:
        """The paper, or its bookmark's snapshot when it has left the library."""
        paper = self.get(paper_id)
        if paper is None and (mark := self.bookmarks.all().get(paper_id)) is not None:
            paper = mark.snapshot
        return paper

    def _get_locked(self, paper_id: str) -> Paper | None:
        stored = self.store.searcher().document(id=paper_id)
        return stores.paper_from_stored(stored) if stored else None

    def papers(self) -> list[Paper]:
        """Every paper, newest first, in digest order within a day."""
        return [hit.paper for hit in self.query("", limit=None).hits]

    def listing(self, bookmarked_only: bool = False) -> list[Paper]:
        """Every paper; or every bookmark's snapshot, so none is lost with its paper."""
        if bookmarked_only:
            return [mark.snapshot for mark in self.bookmark_list()]
        return self.papers()

    def search(self, text: str, limit: int | None = 50) -> list[Hit]:
        return list(self.query(text, limit=limit).hits)

    def query(self, text: str, limit: int | None = 50, *, prefix: bool = True) -> SearchResult:
        """Ranked hits, whole papers, for what the user typed; never raises on odd input."""
        with self._searcher():
            found = self._run(text, limit, prefix)
            searcher = self.store.searcher()
            hits = tuple(
                Hit(stores.paper_from_stored(searcher.stored_fields(docnum)), score, found.terms)
                for docnum, score in zip(found.docnums, found.scores, strict=True)
            )
            return SearchResult(text, hits, found.total, found.suggestion, found.fell_back)

    def browse(self, text: str, limit: int | None = None, *, prefix: bool = True) -> RowResult:
        """The same search for the reader's list: light rows read from an index column, so
        even the whole library (the empty query) is listed without unpickling a paper.
        Recent answers are cached until the index or the bookmarks change (backspace while
        typing asks the same questions again)."""
        with self._searcher() as searcher:
            key = (text, limit, prefix, self._pointer_stamp, self.bookmarks.stamp(), self.new_since)
            if (cached := self._browse_cache.get(key)) is not None:
                self._browse_cache.move_to_end(key)
                return cached
            if not text.strip() and (listed := self.store.listing(limit)) is not None:
                result = RowResult(text, tuple(listed), searcher.doc_count())
                self._browse_cache[key] = result
                return result
            found = self._run(text, limit, prefix)
            rows = self.ranker.rows(found.docnums)
            result = RowResult(
                text, rows, found.total, found.terms, found.suggestion, found.fell_back
            )
            self._browse_cache[key] = result
            if len(self._browse_cache) > BROWSE_CACHE_SIZE:
                self._browse_cache.popitem(last=False)
            return result

    def _run(self, text: str, limit: int | None, prefix: bool) -> searching.Found:
        """The caller holds the searcher lock."""
        return self.ranker.run(text, limit, prefix, self.bookmarks.all, self.new_since)

    @property
    def ranker(self) -> Ranker:
        """Text in, ranked document numbers out (index.ranking: Whoosh and numpy)."""
        if self._ranker is None:
            self._ranker = ranking.Ranker(self.store)
        return self._ranker

    def warm(self) -> None:
        """Load what the first search needs (numpy, field lengths), so that it is as quick as
        the next ones; the reader calls this once its first rows are on screen."""
        with self._searcher():
            self.ranker.warm()

    def mark_opened(self) -> str | None:
        """Remember now as the reader's last opening; papers added after the previous one
        are "new" (`is:new`). Returns that previous time (None the first time)."""
        state_file = self.paths.data_dir / "state.json"
        try:
            previous = json.loads(state_file.read_text("utf-8")).get("last_opened")
        except (OSError, ValueError, AttributeError):
            previous = None
        try:
            self.new_since = utc_iso(previous) if isinstance(previous, str) else None
        except ValueError:  # a hand-edited state file: nothing is "new" this time
            self.new_since = None
        now = dt.datetime.now(dt.UTC).isoformat()  # to the microsecond, as import times are
        with contextlib.suppress(OSError):  # read-only data dir: nothing marked new next time
            atomic_write_text(state_file, json.dumps({"last_opened": now}))
        return self.new_since

    def is_new(self, paper: Paper | PaperRow) -> bool:
        # Both are UTC ISO strings of one format, so they compare as text (cheap per row).
        return bool(self.new_since and paper.added and paper.added > self.new_since)

    def similar(self, paper_id: str, limit: int = 10) -> list[Hit]:
        """Papers most like this one (Whoosh more-like-this over title and abstract)."""
        with self._searcher() as searcher:
            docnum = searcher.document_number(id=paper_id)
            if docnum is None:
                raise LibraryError(f"no paper with id {paper_id!r}")
            paper = stores.paper_from_stored(searcher.stored_fields(docnum))
            text = f"{paper.title} {paper.title} {paper.abstract}"
            results = searcher.more_like(docnum, "abstract", text=text, top=limit, numterms=12)
            return [Hit(stores.paper_from_stored(h.fields()), h.score) for h in results]

    def highlight(
        self, text: str, terms: frozenset[tuple[str, str]], fieldname: str
    ) -> list[tuple[int, int]]:
        """Spans of `text` (a title or abstract) matching a hit's terms; CPU only, no disk."""
        return searching.match_spans(text, terms, fieldname, stores.SCHEMA)

    def _searcher(self) -> _Locked:
        self.open()
        return _Locked(self)

    # -- bookmarks ---------------------------------------------------------------------------
    def bookmark_ids(self) -> set[str]:
        return self.bookmarks.ids()

    def bookmark_list(self) -> list[Bookmark]:
        """Every bookmark, newest first; each carries its snapshot of the paper."""
        return sorted(self.bookmarks.all().values(), key=lambda b: b.created, reverse=True)

    def _require(self, paper_ids: Iterable[str]) -> list[Paper]:
        papers = []
        for pid in paper_ids:
            paper = self.get(pid)
            if paper is None:
                raise LibraryError(f"no paper with id {pid!r} (see `paperdeck list`)")
            papers.append(paper)
        return papers

    def add_bookmarks(self, paper_ids: Iterable[str]) -> int:
        return self.bookmarks.add(self._require(paper_ids))

    def remove_bookmarks(self, paper_ids: Iterable[str]) -> int:
        return self.bookmarks.remove(paper_ids)

    def toggle_bookmark(self, paper_id: str) -> bool:
        """Bookmark or un-bookmark; returns whether it is bookmarked now."""
        paper = self.get_or_bookmarked(paper_id)
        if paper is None:
            raise LibraryError(f"no paper with id {paper_id!r}")
        return self.bookmarks.toggle(paper)

    def ids_starting(self, prefix: str, limit: int = 5) -> list[str]:
        """Up to `limit` ids, sorted, of papers in the library or bookmarked that begin with
        `prefix`: the CLI takes an id typed short, as git takes a short hash."""
        found = {pid for pid in self.bookmark_ids() if pid.startswith(prefix)}
        with self._searcher() as searcher:
            for term in searcher.reader().expand_prefix("id", prefix):
                if len(found) >= limit:
                    break
                pid = term.decode("utf-8") if isinstance(term, bytes) else term
                if self._get_locked(pid) is not None:  # not a deleted document's old term
                    found.add(pid)
        return sorted(found)[:limit]

    def tag_bookmark(self, paper_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Add tags to a bookmark, in their normal form (index.bookmarks.normalise_tag: `GAN
        Stuff` is `gan-stuff`, as `tag:` searches it); returns its tags now."""
        return self.bookmarks.retag(paper_id, add=tags)

    def untag_bookmark(self, paper_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Take tags off a bookmark (typed in any form); returns its tags now."""
        return self.bookmarks.retag(paper_id, remove=tags)

    def note_bookmark(self, paper_id: str, note: str) -> None:
        """Set a bookmark's note; an empty one clears it."""
        self.bookmarks.set_note(paper_id, note)

    def fresh_bookmarks(self) -> list[Bookmark]:
        """bookmark_list() with each snapshot replaced by the paper as the library knows it
        now: a later digest may have given it authors, or an arXiv id (a new id: it is then
        found by its title). One that has left the library keeps its snapshot."""
        marks, fresh = self.bookmark_list(), []
        with self._searcher():
            for mark in marks:
                paper = self._get_locked(mark.paper_id)
                if paper is None and mark.snapshot.arxiv_id is None:
                    same = self._find_title_locked(stores.title_key(mark.snapshot.title))
                    paper = same[0] if len(same) == 1 else None
                snapshot = paper or mark.snapshot
                fresh.append(Bookmark(mark.paper_id, mark.created, snapshot, mark.tags, mark.note))
        return fresh


class _Locked:
    """`with lib._searcher() as s:` holds the store lock around the shared searcher."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def __enter__(self):
        self.library.store.lock.acquire()
        try:
            return self.library.store.searcher()
        except BaseException:
            self.library.store.lock.release()
            raise

    def __exit__(self, *exc_info: object) -> None:
        self.library.store.lock.release()
