"""The one facade the reader, the CLI and the benchmarks use.

    lib = Library(data_dir)
    report = lib.import_digests([path])
    result = lib.query("wavelet disc", limit=50)      # ranked whole papers
    rows = lib.browse("wavelet disc", limit=1000)     # light rows for a list
    lib.get(paper_id); lib.similar(paper_id); lib.listing()

The public calls, by purpose:

- open and import: open, first_rows, import_digest(s), import_bytes, fetch, rebuild,
  remove_digest, digests, close, take_notices;
- read: count, get, get_or_bookmarked, query (ranked papers), browse (list rows), listing
  (every paper, or every bookmark), similar, highlight, ids_starting, warm;
- bookmarks: bookmark_ids, bookmark_list, bookmark, add_bookmarks, remove_bookmarks,
  toggle_bookmark, tag_bookmark, untag_bookmark, note_bookmark, annotate, fresh_bookmarks;
- watches (saved searches, index.watching): watches, watch_status, add_watch, remove_watch,
  watch_seen, watch_papers, watch_feed, watch_snapshot, watch_gains;
- not interested and for you: dismissed_ids, dismiss, undismiss, toggle_dismissed, why
  (query, browse and listing take an `order`, one of SORT_ORDERS);
- the reader's session: mark_opened, is_new, is_first_opening, keep_last_copy;
- export: export, export_path.

Every method is safe to call from a worker thread; index access is serialised by the engine's
lock, and changes made by another paperdeck process are picked up before each read. The
attributes are private (`engine` is there for the engine's white-box tests): the reader and the
CLI use these calls only (a test holds them to it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from index.bookmarks import BookmarkStore, DismissedStore
from index.catalog import Catalog, DigestRecord, ImportReport, catalog_stamp, read_catalog
from index.engine.meta import IndexStale, peek_listing
from index.errors import LibraryError
from index.fsutil import atomic_write_text
from index.importing import EVERYTHING, Writes, open_digest_file
from index.lazy import lazy_module
from index.links import title_key
from index.models import (
    SORT_ORDERS,
    Bookmark,
    Hit,
    Paper,
    PaperRow,
    RowResult,
    SearchResult,
    Why,
    utc_iso,
)
from index.paths import Paths, resolve_paths
from index.watches import WatchGain, WatchStatus, WatchStore
from index.watching import Snapshot as WatchSnapshot
from index.watching import Watched, Watching

if TYPE_CHECKING:
    from index.engine.engine import Engine, Found

# -- re-exported for the reader and the CLI (tui/ imports only this module, index.models and index.errors)  # noqa: E501
# (ImportReport, imported above, is one of them too.)
from index import __version__ as __version__
from index.bookmarks import normalise_tags as normalise_tags
from index.digest import FORMATS as DIGEST_FORMATS  # noqa: F401 (re-exported)
from index.digest.selection import Selection as Selection
from index.export import FORMATS as EXPORT_FORMATS  # noqa: F401 (re-exported)
from index.export import Exported as Exported
from index.export import NothingToExport as NothingToExport
from index.export import bibtex_entry as bibtex_entry
from index.export import markdown_link as markdown_link
from index.export import paper_record as paper_record
from index.export import signals_line as signals_line
from index.fetch import FetchReport as FetchReport
from index.fetch import days_of as days_of

engines = lazy_module("index.engine.engine")  # Whoosh and numpy, imported on first use

Progress = Callable[[int, int], None]
BROWSE_CACHE_SIZE = 64


class Library:
    def __init__(self, data_dir: str | Path | None = None) -> None:
        self._paths: Paths = resolve_paths(data_dir)
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self._bookmarks = BookmarkStore(self._paths.bookmarks_file)
        self._watching = Watching(
            WatchStore(self._paths.watches_file),
            lambda text: self.browse(text).rows,
            self.get,
            lambda: not read_catalog(self._paths.library_file).records,
        )
        self._dismissed = DismissedStore(self._paths.dismissed_file)
        self._notices: list[str] = []
        self._writes = Writes(self._paths, lambda: self.engine, self._notices)
        self._opened_stamp: tuple[int, int, int] | None = None
        self._new_since: str | None = None  # set by mark_opened()
        self._browse_cache: OrderedDict[tuple[object, ...], RowResult] = OrderedDict()

    @property
    def engine(self) -> Engine:
        """The Whoosh index (index.engine), created (and Whoosh imported) on first use."""
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

    # -- opening and rebuilding ---------------------------------------------------------------
    def open(self, progress: Progress | None = None) -> None:
        """Make the index usable: open the generation the catalog names, or rebuild it from
        the raw digests if it is missing, damaged or out of date (with a notice)."""
        stamp = catalog_stamp(self._paths.library_file)
        if stamp is not None and stamp == self._opened_stamp:
            return
        catalog = read_catalog(self._paths.library_file)
        try:
            self.engine.open(catalog.generation, catalog.digests)
            self._opened_stamp = stamp
            return
        except IndexStale:
            pass
        with self._writes.writing():  # a rebuild; another process may have committed meanwhile
            stamp = catalog_stamp(self._paths.library_file)
            catalog = read_catalog(self._paths.library_file)
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
        catalog = read_catalog(self._paths.library_file)
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
                return self._writes.rebuild(read_catalog(self._paths.library_file), "", progress)
            finally:
                self._committed()

    def _committed(self) -> None:
        """After a write (committed or not): the open generation is the catalog's."""
        self._opened_stamp = catalog_stamp(self._paths.library_file)
        self._browse_cache.clear()

    # -- importing ---------------------------------------------------------------------------
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
                return self._writes.import_file(raw, name, fmt, progress, selection)
            finally:
                self._committed()

    def remove_digest(self, name: str) -> DigestRecord:
        """Take one imported digest out; papers only it brought leave, bookmarks stay."""
        with self._writes.writing():
            catalog = read_catalog(self._paths.library_file)
            records = catalog.records
            matches = [r for r in records if name in (r.name, r.sha256[:12], r.file)]
            if len(matches) != 1:
                known = ", ".join(r.name for r in records) or "none"
                count = "no digest" if not matches else "several digests"
                raise LibraryError(f"{count} named {name!r} (imported: {known})")
            remaining = tuple(r for r in records if r is not matches[0])
            try:
                self._writes.rebuild(Catalog(remaining, catalog.generation), "", None)
            finally:
                self._committed()
            (self._paths.data_dir / matches[0].file).unlink(missing_ok=True)
            return matches[0]

    def digests(self) -> list[DigestRecord]:
        return list(read_catalog(self._paths.library_file).records)

    # -- reading -----------------------------------------------------------------------------
    def count(self) -> int:
        with self._reading() as engine:
            return engine.count()

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
        """For you reads every paper's terms once per index generation (seconds at 100,000
        papers, then kept in the cache dir): done before the engine is locked, so that other
        reads go on meanwhile."""
        if order == "for-you" and self._bookmarks.ids():
            self.open()
            self.engine.prepare_for_you()

    def _run(self, engine: Engine, text: str, limit: int | None, prefix: bool, order: str) -> Found:
        if order not in SORT_ORDERS:
            raise LibraryError(f"unknown sort order {order!r} (one of {', '.join(SORT_ORDERS)})")
        bookmarks, hidden = self._bookmarks.all, self._dismissed.ids()
        return engine.search(text, limit, prefix, bookmarks, self._new_since, hidden, order)

    def warm(self) -> None:
        """Load what the first search needs (numpy, field lengths), so that it is as quick as
        the next ones; the reader calls this once its first rows are on screen."""
        with self._reading() as engine:
            engine.warm()

    def mark_opened(self) -> str | None:
        """Remember now as the reader's last opening; papers added after the previous one
        are "new" (`is:new`). Returns that previous time (None the first time)."""
        state_file = self._paths.data_dir / "state.json"
        try:
            previous = json.loads(state_file.read_text("utf-8")).get("last_opened")
        except (OSError, ValueError, AttributeError):
            previous = None
        try:
            self._new_since = utc_iso(previous) if isinstance(previous, str) else None
        except ValueError:  # a hand-edited state file: nothing is "new" this time
            self._new_since = None
        now = dt.datetime.now(dt.UTC).isoformat()  # to the microsecond, as import times are
        with contextlib.suppress(OSError):  # read-only data dir: nothing marked new next time
            atomic_write_text(state_file, json.dumps({"last_opened": now}))
        return self._new_since

    def is_new(self, paper: Paper | PaperRow) -> bool:
        # Both are UTC ISO strings of one format, so they compare as text (cheap per row).
        return bool(self._new_since and paper.added and paper.added > self._new_since)

    def similar(self, paper_id: str, limit: int = 10) -> list[Hit]:
        """Papers most like this one (Whoosh more-like-this over title and abstract), but
        those marked not interested."""
        hidden = self._dismissed.ids()
        with self._reading() as engine:
            found = engine.similar(paper_id, limit + len(hidden))
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

    # -- bookmarks ---------------------------------------------------------------------------
    def bookmark_ids(self) -> set[str]:
        return self._bookmarks.ids()

    def bookmark_list(self) -> list[Bookmark]:
        """Every bookmark, newest first; each carries its snapshot of the paper."""
        return sorted(self._bookmarks.all().values(), key=lambda b: b.created, reverse=True)

    def _require(self, paper_ids: Iterable[str]) -> list[Paper]:
        papers = []
        for pid in paper_ids:
            paper = self.get(pid)
            if paper is None:
                raise LibraryError(f"no paper with id {pid!r} (see `paperdeck list`)")
            papers.append(paper)
        return papers

    def add_bookmarks(self, paper_ids: Iterable[str]) -> int:
        return self._bookmarks.add(self._require(paper_ids))

    def remove_bookmarks(self, paper_ids: Iterable[str]) -> int:
        return self._bookmarks.remove(paper_ids)

    def toggle_bookmark(self, paper_id: str) -> bool:
        """Bookmark or un-bookmark; returns whether it is bookmarked now."""
        paper = self.get_or_bookmarked(paper_id)
        if paper is None:
            raise LibraryError(f"no paper with id {paper_id!r}")
        return self._bookmarks.toggle(paper)

    def ids_starting(self, prefix: str, limit: int = 5) -> list[str]:
        """Up to `limit` ids, sorted, of papers in the library or bookmarked that begin with
        `prefix`: the CLI takes an id typed short, as git takes a short hash."""
        found = {pid for pid in self.bookmark_ids() if pid.startswith(prefix)}
        with self._reading() as engine:
            found.update(engine.ids_starting(prefix, limit))
        return sorted(found)[:limit]

    def tag_bookmark(self, paper_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Add tags to a bookmark, in their normal form (index.bookmarks.normalise_tag: `GAN
        Stuff` is `gan-stuff`, as `tag:` searches it); returns its tags now."""
        return self._bookmarks.retag(paper_id, add=tags)

    def untag_bookmark(self, paper_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Take tags off a bookmark (typed in any form); returns its tags now."""
        return self._bookmarks.retag(paper_id, remove=tags)

    def note_bookmark(self, paper_id: str, note: str) -> None:
        """Set a bookmark's note; an empty one clears it."""
        self._bookmarks.set_note(paper_id, note)

    def fresh_bookmarks(self) -> list[Bookmark]:
        """bookmark_list() with each snapshot replaced by the paper as the library knows it
        now: a later digest may have given it authors, or an arXiv id (a new id: it is then
        found by its title). One that has left the library keeps its snapshot."""
        marks, fresh = self.bookmark_list(), []
        with self._reading() as engine:
            for mark in marks:
                paper = engine.get(mark.paper_id)
                if paper is None and mark.snapshot.arxiv_id is None:
                    same = engine.same_title(title_key(mark.snapshot.title))
                    paper = same[0] if len(same) == 1 else None
                snapshot = paper or mark.snapshot
                fresh.append(Bookmark(mark.paper_id, mark.created, snapshot, mark.tags, mark.note))
        return fresh

    # -- watches: saved searches that say what is new (index.watching) ----------------------
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

    # -- not interested, and for you ----------------------------------------------------------
    def dismissed_ids(self) -> set[str]:
        """The papers marked not interested: out of listings and searches but `is:dismissed`."""
        return self._dismissed.ids()

    def dismiss(self, paper_ids: Iterable[str]) -> int:
        """Mark papers not interested (each must be in the library); returns how many were
        not already."""
        return self._dismissed.add([paper.id for paper in self._require(paper_ids)])

    def undismiss(self, paper_ids: Iterable[str]) -> int:
        """Take the not-interested mark off papers; returns how many had it."""
        return self._dismissed.remove(paper_ids)

    def toggle_dismissed(self, paper_id: str) -> bool:
        """Mark a paper not interested, or take the mark off; returns whether it has it now."""
        if paper_id not in self._dismissed.ids():
            self._require([paper_id])
        return self._dismissed.toggle(paper_id)

    def why(self, paper_id: str) -> Why | None:
        """Why "for you" ranks a paper where it does: its two closest bookmarks' titles and
        the words it shares with what you bookmarked; None without a bookmark in the
        library. Trains the ranking first if the marks changed (numpy: call it off the UI)."""
        marks = self._bookmarks.all()
        self._prepare("for-you")
        with self._reading() as engine:
            found = engine.why(paper_id, list(marks), self._dismissed.ids())
        if found is None:
            return None
        like, words = found
        return Why(tuple(marks[pid].snapshot.title for pid in like if pid in marks), tuple(words))

    # -- for the reader and the CLI: exports, fetching, clipboard ----------------------------
    def bookmark(self, paper_id: str) -> Bookmark | None:
        """One bookmark with its tags and note; None when the paper is not bookmarked."""
        return self._bookmarks.all().get(paper_id)

    def annotate(self, paper_id: str, tags: Iterable[str], note: str) -> None:
        """Set a bookmark's tags (typed in any form, stored normalised) and note at once, as
        the reader's dialog saves them."""
        self._bookmarks.annotate(paper_id, tags, note)

    def is_first_opening(self) -> bool:
        """After mark_opened(): whether no earlier opening was recorded, so nothing is new."""
        return self._new_since is None

    def keep_last_copy(self, text: str) -> Path | None:
        """Keep copied text in the cache dir, for when no clipboard can be reached; returns
        the file, or None when it could not be written."""
        try:
            atomic_write_text(self._paths.last_copy_file, text)
        except OSError:
            return None
        return self._paths.last_copy_file

    def export(
        self,
        fmt: str,
        bookmarked: bool = False,
        path: str | Path | None = None,
        *,
        overwrite: bool = True,
    ) -> Exported:
        """Every paper, or the bookmarks with their tags and notes (papers as the library
        knows them now), in `fmt` (EXPORT_FORMATS); written to `path` when given, else
        returned as text. Nothing to export raises NothingToExport, never an empty file;
        with `overwrite` false an existing file raises FileExistsError."""
        from index.export import export, write_export

        marks = {mark.snapshot.id: mark for mark in self.fresh_bookmarks()}
        papers = (
            [m.snapshot for m in marks.values()] if bookmarked else self.listing(dismissed=True)
        )
        if not papers:
            raise NothingToExport(bookmarked)
        ids = set(marks) | self.bookmark_ids()
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

    def export_path(self, fmt: str, bookmarked: bool) -> Path:
        """Where the reader offers to write an export: the Downloads folder if there is one,
        else the working directory, under a name no file has yet. Looks at the disk."""
        from index.export import downloads_dir, export_file_name, free_path

        return free_path(downloads_dir() or Path.cwd(), export_file_name(fmt, bookmarked))

    def fetch(
        self,
        days: Iterable[dt.date] | None = None,
        progress: Callable[[FetchReport, int, int], None] | None = None,
    ) -> list[FetchReport]:
        """Download Hugging Face's daily papers for `days` (today by default, see days_of)
        and import each day as hf-json; `progress(report, done, total)` after each day. A
        failed download raises; the days before it stay imported."""
        from index.fetch import fetch_day

        wanted = list(days) if days is not None else days_of()
        reports = []
        for number, day in enumerate(wanted):
            fetched = fetch_day(day)
            imported = None
            if fetched.count:
                imported = self.import_bytes(fetched.data, fetched.name, "hf-json")
            reports.append(FetchReport(day, imported))
            if progress is not None:
                progress(reports[-1], number + 1, len(wanted))
        return reports
