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
- watches (saved searches, paperdeck.index.watching): watches, watch_status, add_watch,
remove_watch,
  watch_seen, watch_rows, watch_papers, watch_feed, watch_snapshot, watch_gains;
- not interested and for you: dismissed_ids, dismiss, undismiss, toggle_dismissed, why
  (query, browse and listing take an `order`, one of SORT_ORDERS);
- the reader's session: mark_opened, end_session, is_new, is_first_opening, change_token
  (what another process changed: paperdeck.index.changes), keep_last_copy, crash_log;
- export: export, export_path.
- citations and the reading queue (issue 22; library_citations.py): citation_ref,
  citation_counts, cached_citation_count, cited_by, references, citation_papers,
  cached_citation_counts, add_cited_paper (a citing or cited paper imported as a tiny
  digest), refresh_citation_counts, follow, unfollow, follows, follow_status, refresh_follows,
  follow_papers, follow_feed, follow_seen; queue, queue_add, queue_remove, queue_move,
  read_ids, mark_read, toggle_read, export_queue (query and browse also take is:read,
  is:unread, citations:>=N and the order "citations": paperdeck.index.search_terms).

Library is one class that holds its parts and hands each call to one of them; each part is
a module that can be read and tested alone and gets what it needs passed in (no part reaches
into another's attributes):

- library_shared.Shared: the paths and the notices list, one object every part is given;
- library_index.LiveIndex: the catalog, the engine on its generation, every write;
- library_marks.Marks: bookmarks, not interested, and for you, which learns from them;
- library_session.Session: what is new since the last opening, the last copy, crash.log;
- library_reads.Reads: reads and searches (and Answers, the reader's recent list answers);
- watching.Watching: watches (saved searches), over the reads;
- library_exchange.Exchange: exports out, Hugging Face's daily papers in;
- library_citations.ReadingList: the reading queue and the read marks;
- library_citations.Citing: citations, follows, and the searches with the library's own terms.

Every method is safe to call from a worker thread; index access is serialised by the engine's
lock, and changes made by another paperdeck process are picked up before each read. The
attributes are private (`engine` is there for the engine's white-box tests): the reader and the
CLI use these calls only (a test holds them to it).
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from paperdeck.index import __version__ as __version__
from paperdeck.index.errors import CitationSourceError as CitationSourceError
from paperdeck.index.library_shared import Shared
from paperdeck.index.paths import resolve_paths

# Re-exported for the reader and the CLI (tui/ imports only this module,
# paperdeck.index.models and paperdeck.index.errors). Each is imported when it is first
# read (REEXPORTS, __getattr__ below), so a command imports only the modules it uses; mypy
# reads them as the imports under TYPE_CHECKING, which must name the same things.
REEXPORTS: dict[str, tuple[str, str]] = {
    "arxiv_lines": ("paperdeck.index.arxiv_facts", "arxiv_lines"),
    "authors_text": ("paperdeck.index.arxiv_facts", "authors_text"),
    "normalise_tags": ("paperdeck.index.bookmarks", "normalise_tags"),
    "DigestRecord": ("paperdeck.index.catalog", "DigestRecord"),
    "ImportReport": ("paperdeck.index.import_report", "ImportReport"),
    "ChangeToken": ("paperdeck.index.changes", "ChangeToken"),
    "CITATIONS": ("paperdeck.index.citations.models", "CITATIONS"),
    "REFERENCES": ("paperdeck.index.citations.models", "REFERENCES"),
    "CitationCounts": ("paperdeck.index.citations.models", "CitationCounts"),
    "CitationList": ("paperdeck.index.citations.models", "CitationList"),
    "CitedPaper": ("paperdeck.index.citations.models", "CitedPaper"),
    "Fetched": ("paperdeck.index.citations.models", "Fetched"),
    "DIGEST_FORMATS": ("paperdeck.index.digest", "FORMATS"),
    "Selection": ("paperdeck.index.digest.selection", "Selection"),
    "EXPORT_FORMATS": ("paperdeck.index.export", "FORMATS"),
    "Exported": ("paperdeck.index.export", "Exported"),
    "NothingToExport": ("paperdeck.index.export", "NothingToExport"),
    "bibtex_entry": ("paperdeck.index.bibliography", "bibtex_entry"),
    "markdown_link": ("paperdeck.index.export", "markdown_link"),
    "paper_record": ("paperdeck.index.export", "paper_record"),
    "signals_line": ("paperdeck.index.arxiv_facts", "signals_line"),
    "FetchReport": ("paperdeck.index.fetch", "FetchReport"),
    "days_of": ("paperdeck.index.fetch", "days_of"),
    "LIBRARY_TERMS": ("paperdeck.index.search_terms", "LIBRARY_TERMS"),
    "FOLLOW_WATCH_PREFIX": ("paperdeck.index.watches", "FOLLOW_PREFIX"),
    "WatchStatus": ("paperdeck.index.watches", "WatchStatus"),
    "WatchSnapshot": ("paperdeck.index.watching", "Snapshot"),
    "WatchRows": ("paperdeck.index.watching", "WatchRows"),
}

if TYPE_CHECKING:
    from paperdeck.index.arxiv_facts import arxiv_lines as arxiv_lines
    from paperdeck.index.arxiv_facts import authors_text as authors_text
    from paperdeck.index.arxiv_facts import signals_line as signals_line
    from paperdeck.index.bibliography import bibtex_entry as bibtex_entry
    from paperdeck.index.bookmarks import normalise_tags as normalise_tags
    from paperdeck.index.catalog import DigestRecord as DigestRecord
    from paperdeck.index.changes import ChangeToken as ChangeToken
    from paperdeck.index.citations.follow import FollowRefresh
    from paperdeck.index.citations.models import CITATIONS as CITATIONS
    from paperdeck.index.citations.models import REFERENCES as REFERENCES
    from paperdeck.index.citations.models import CitationCounts as CitationCounts
    from paperdeck.index.citations.models import CitationList as CitationList
    from paperdeck.index.citations.models import CitedPaper as CitedPaper
    from paperdeck.index.citations.models import Fetched as Fetched
    from paperdeck.index.citations.service import FollowStatus
    from paperdeck.index.digest import FORMATS as _DIGEST_FORMATS
    from paperdeck.index.digest.selection import Selection as Selection
    from paperdeck.index.engine.engine import Engine
    from paperdeck.index.export import FORMATS as _EXPORT_FORMATS
    from paperdeck.index.export import Exported as Exported
    from paperdeck.index.export import NothingToExport as NothingToExport
    from paperdeck.index.export import Writable
    from paperdeck.index.export import markdown_link as markdown_link
    from paperdeck.index.export import paper_record as paper_record
    from paperdeck.index.fetch import FetchReport as FetchReport
    from paperdeck.index.fetch import days_of as days_of
    from paperdeck.index.import_report import ImportReport as ImportReport
    from paperdeck.index.library_citations import Citing, ReadingList
    from paperdeck.index.library_exchange import Exchange
    from paperdeck.index.library_index import LiveIndex
    from paperdeck.index.library_marks import Marks
    from paperdeck.index.library_quick import Quick
    from paperdeck.index.library_reads import Answers, Reads
    from paperdeck.index.library_session import Session
    from paperdeck.index.models import (
        Bookmark,
        Hit,
        Paper,
        PaperRow,
        Progress,
        RowResult,
        SearchResult,
        Why,
    )
    from paperdeck.index.reading import QueueItem
    from paperdeck.index.search_terms import LIBRARY_TERMS as LIBRARY_TERMS
    from paperdeck.index.watches import FOLLOW_PREFIX as _FOLLOW_WATCH_PREFIX
    from paperdeck.index.watches import WatchGain
    from paperdeck.index.watches import WatchStatus as WatchStatus
    from paperdeck.index.watching import Snapshot as _WatchSnapshot
    from paperdeck.index.watching import Watched, Watching
    from paperdeck.index.watching import WatchRows as WatchRows

    # Re-exported under other names: mypy exports `import x as x` and assigned names only.
    DIGEST_FORMATS = _DIGEST_FORMATS
    EXPORT_FORMATS = _EXPORT_FORMATS
    WatchSnapshot = _WatchSnapshot
    FOLLOW_WATCH_PREFIX = _FOLLOW_WATCH_PREFIX  # a follow among the watches: `follow:2405.17428`
else:

    def __getattr__(name: str) -> Any:
        """A re-exported name, imported at its first read (PEP 562), then kept here."""
        if name not in REEXPORTS:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module, attr = REEXPORTS[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value


T = TypeVar("T")


class _Part(Generic[T]):
    """A part of the Library, made (and its modules imported) at its first use, once: worker
    threads asking at the same moment get the same part (functools.cached_property takes no
    lock from Python 3.12). One lock a part: the parts are given only parts made before
    them, so the locks are always taken in one order. Once made, a part is an instance
    attribute, read without the lock."""

    def __init__(self, make: Callable[[Library], T]) -> None:
        self._make, self._name = make, make.__name__
        self._lock = threading.Lock()
        self.__doc__ = make.__doc__

    @overload
    def __get__(self, library: None, owner: type) -> _Part[T]: ...

    @overload
    def __get__(self, library: Library, owner: type) -> T: ...

    def __get__(self, library: Library | None, owner: type) -> _Part[T] | T:
        if library is None:
            return self
        with self._lock:
            if self._name not in library.__dict__:
                library.__dict__[self._name] = self._make(library)
        made: T = library.__dict__[self._name]
        return made


class Library:
    """The facade (see the module docstring): one object holding its parts; each call is
    handed to the part that owns it."""

    def __init__(self, data_dir: str | Path | None = None) -> None:
        from paperdeck.index.catalog import no_file_in_the_way

        paths = resolve_paths(data_dir)
        for directory in (paths.data_dir, paths.cache_dir):
            no_file_in_the_way(directory)
        self._shared = Shared(paths=paths)

    # The parts, each made (and its modules imported) at its first use (_Part): `list`
    # needs the index, the marks, the session and the reads, never the watches or the
    # exchange.
    @_Part
    def _answers(self) -> Answers:
        from paperdeck.index.library_reads import Answers

        return Answers()

    @_Part
    def _index(self) -> LiveIndex:
        from paperdeck.index.library_index import LiveIndex

        return LiveIndex(self._shared, self._answers.clear)

    @_Part
    def _quick(self) -> Quick:
        """Answers without the engine, when they can (paperdeck.index.library_quick)."""
        from paperdeck.index.library_quick import Quick

        return Quick(self._shared, self._index)

    @_Part
    def _marks(self) -> Marks:
        from paperdeck.index.library_marks import Marks

        return Marks(self._shared, self._index, self._quick)

    @_Part
    def _session(self) -> Session:
        from paperdeck.index.library_session import Session

        return Session(self._shared)

    @_Part
    def _reads(self) -> Reads:
        from paperdeck.index.library_reads import Reads

        return Reads(self._index, self._marks, self._session, self._answers, self._quick)

    @_Part
    def _reading(self) -> ReadingList:
        from paperdeck.index.library_citations import ReadingList

        return ReadingList(self._shared, self._marks)

    @_Part
    def _citing(self) -> Citing:
        from paperdeck.index.library_citations import Citing

        return Citing(self._shared, self._marks, self._reads, self._reading)

    @_Part
    def _watching(self) -> Watching:
        from paperdeck.index.watches import WatchStore
        from paperdeck.index.watching import Watching

        return Watching(
            WatchStore(self._shared.paths.watches_file),
            lambda text: self._citing.browse(text, limit=None, prefix=True, order="relevance").rows,
            self._reads.get,
            lambda: not self._index.catalog().records,
        )

    @_Part
    def _exchange(self) -> Exchange:
        from paperdeck.index.library_exchange import Exchange

        return Exchange(self._marks, self._reads, self.import_bytes)

    def _made(self, part: str) -> bool:
        """Whether a part exists yet (one never made has nothing to close or say)."""
        return part in self.__dict__

    # -- open and import ------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        """The Whoosh index (paperdeck.index.engine), created (and Whoosh imported) on first use."""
        return self._index.engine

    def close(self) -> None:
        """Close the index files (the CLI and the reader do; a dropped Library leaves them
        to the garbage collector)."""
        if self._made("_index"):
            self._index.close()

    def take_notices(self) -> list[str]:
        """Things the user should hear about once (index rebuilt, bookmarks file set aside)."""
        notices = [*self._shared.notices]
        self._shared.notices.clear()
        bookmarks, dismissed = self._marks.take_notices() if self._made("_marks") else ([], [])
        watches: list[str] = []
        if self._made("_watching"):
            watches = [*self._watching.store.notices]
            self._watching.store.notices.clear()
        citing = self._citing.take_notices() if self._made("_citing") else []
        reading = self._reading.take_notices() if self._made("_reading") else []
        return [*notices, *bookmarks, *watches, *dismissed, *citing, *reading]

    def open(self, progress: Progress | None = None) -> None:
        """Make the index usable: open the generation the catalog names, or rebuild it from
        the raw digests if it is missing, damaged or out of date (with a notice)."""
        self._index.open(progress)

    def first_rows(self, limit: int) -> RowResult | None:
        """The newest papers, read from the listing file before the index is open: the
        reader shows them at once. None when the index first needs opening or rebuilding."""
        return self._reads.first_rows(limit)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Re-index every paper from the raw digests (`paperdeck` does this by itself)."""
        return self._index.rebuild(progress)

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
        selection: Selection | None = None,
    ) -> ImportReport:
        """Import one digest file, streamed (a file of gigabytes is never held whole), or
        what `selection` keeps of it; `progress(papers written, papers estimated)` while
        it is indexed (every paper when `selection` is None)."""
        from paperdeck.index.digest.selection import Selection
        from paperdeck.index.incoming import open_digest_file  # the write side's

        path = Path(path)
        with open_digest_file(path) as raw:
            chosen = Selection() if selection is None else selection
            report = self._index.import_file(raw, path.name, fmt, progress, chosen)
            self._marks.after_import(report, self.count)
            return report

    def import_bytes(
        self,
        data: bytes,
        name: str,
        fmt: str | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import a digest held in memory (a download, say) under a file name."""
        from paperdeck.index.digest.selection import Selection

        report = self._index.import_file(io.BytesIO(data), name, fmt, progress, Selection())
        self._marks.after_import(report, self.count)
        return report

    def remove_digest(self, name: str) -> DigestRecord:
        """Take one imported digest out; papers only it brought leave, bookmarks stay."""
        return self._index.remove_digest(name)

    def digests(self) -> list[DigestRecord]:
        return self._index.digests()

    def fetch(
        self,
        days: Iterable[dt.date] | None = None,
        progress: Callable[[FetchReport, int, int], None] | None = None,
        importing: Progress | None = None,
    ) -> list[FetchReport]:
        """Download Hugging Face's daily papers for `days` (today by default, see days_of)
        and import each day as hf-json; `progress(report, done, total)` after each day, and
        `importing(papers written, papers estimated)` while a day is indexed (as
        import_digest's `progress`). A failed download raises; the days before it stay
        imported."""
        return self._exchange.fetch(days, progress, importing)

    # -- read -----------------------------------------------------------------------------
    def count(self, *, dismissed: bool = False) -> int:
        """The papers in the library: those marked not interested only when asked for."""
        return self._reads.count(dismissed)

    def get(self, paper_id: str) -> Paper | None:
        return self._reads.get(paper_id)

    def held(self, paper_ids: Collection[str]) -> set[str]:
        """Which of these paper ids the library holds (a cited-by list's papers, at once)."""
        return self._reads.held(paper_ids)

    def get_or_bookmarked(self, paper_id: str) -> Paper | None:
        """The paper, or its bookmark's snapshot when it has left the library."""
        return self._marks.get_or_bookmarked(paper_id)

    def listing(
        self, bookmarked_only: bool = False, order: str = "newest", *, dismissed: bool = False
    ) -> list[Paper]:
        """Every paper, newest first (in digest order within a day) or in another of
        SORT_ORDERS, less those marked not interested (unless `dismissed`); or every
        bookmark's snapshot, so none is lost with its paper."""
        return self._citing.listing(
            bookmarked_only=bookmarked_only, order=order, dismissed=dismissed
        )

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
        return self._citing.query(text, limit=limit, prefix=prefix, order=order)

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
        return self._citing.browse(text, limit=limit, prefix=prefix, order=order)

    def prepare_for_you(self) -> None:
        """Have for you's features of the live generation ready in the cache dir: the new
        segments' terms read (an import's papers: the rest were read before) and assembled.
        The importer calls this once a generation is published, so that the reader's first
        for-you ranking finds them; nothing to do without a bookmark."""
        self._marks.prepare_for_you()

    def warm(self) -> None:
        """Load what the first search needs (numpy, field lengths), so that it is as quick as
        the next ones; the reader calls this once its first rows are on screen."""
        self._reads.warm()

    def similar(self, paper_id: str, limit: int = 10) -> list[Hit]:
        """Papers most like this one (its strongest words in titles and abstracts, scored
        as a search), but those marked not interested."""
        return self._reads.similar(paper_id, limit)

    def highlight(
        self, text: str, terms: frozenset[tuple[str, str]], fieldname: str
    ) -> list[tuple[int, int]]:
        """Spans of `text` (a title or abstract) matching a hit's terms; CPU only, no disk."""
        return self._reads.highlight(text, terms, fieldname)

    def ids_starting(self, prefix: str, limit: int = 5) -> list[str]:
        """Up to `limit` ids, sorted, of papers in the library or bookmarked that begin with
        `prefix`: the CLI takes an id typed short, as git takes a short hash."""
        return self._reads.ids_starting(prefix, limit)

    # -- bookmarks ------------------------------------------------------------------------
    def bookmark_ids(self) -> set[str]:
        return self._marks.bookmark_ids()

    def bookmark_list(self) -> list[Bookmark]:
        """Every bookmark, newest first; each carries its snapshot of the paper."""
        return self._marks.bookmark_list()

    def bookmark(self, paper_id: str) -> Bookmark | None:
        """One bookmark with its tags and note; None when the paper is not bookmarked."""
        return self._marks.bookmark(paper_id)

    def add_bookmarks(self, paper_ids: Iterable[str]) -> int:
        return self._marks.add_bookmarks(paper_ids)

    def remove_bookmarks(self, paper_ids: Iterable[str]) -> int:
        return self._marks.remove_bookmarks(paper_ids)

    def toggle_bookmark(self, paper_id: str) -> bool:
        """Bookmark or un-bookmark; returns whether it is bookmarked now."""
        return self._marks.toggle_bookmark(paper_id)

    def tag_bookmark(self, paper_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Add tags to a bookmark, in their normal form (paperdeck.index.bookmarks.normalise_tag:
        `GAN
        Stuff` is `gan-stuff`, as `tag:` searches it); returns its tags now."""
        return self._marks.tag_bookmark(paper_id, tags)

    def untag_bookmark(self, paper_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Take tags off a bookmark (typed in any form); returns its tags now."""
        return self._marks.untag_bookmark(paper_id, tags)

    def note_bookmark(self, paper_id: str, note: str) -> None:
        """Set a bookmark's note; an empty one clears it."""
        self._marks.note_bookmark(paper_id, note)

    def annotate(self, paper_id: str, tags: Iterable[str], note: str) -> None:
        """Set a bookmark's tags (typed in any form, stored normalised) and note at once, as
        the reader's dialog saves them."""
        self._marks.annotate(paper_id, tags, note)

    def fresh_bookmarks(self) -> list[Bookmark]:
        """bookmark_list() with each snapshot replaced by the paper as the library knows it
        now: a later digest may have given it authors, or an arXiv id (a new id: it is then
        found by its title). One that has left the library keeps its snapshot."""
        return self._marks.fresh_bookmarks()

    # -- not interested and for you -------------------------------------------------------
    def dismissed_ids(self) -> set[str]:
        """The papers marked not interested: out of listings and searches but `is:dismissed`."""
        return self._marks.dismissed_ids()

    def dismiss(self, paper_ids: Iterable[str]) -> int:
        """Mark papers not interested (each must be in the library); returns how many were
        not already."""
        return self._marks.dismiss(paper_ids)

    def undismiss(self, paper_ids: Iterable[str]) -> int:
        """Take the not-interested mark off papers; returns how many had it."""
        return self._marks.undismiss(paper_ids)

    def toggle_dismissed(self, paper_id: str) -> bool:
        """Mark a paper not interested, or take the mark off; returns whether it has it now."""
        return self._marks.toggle_dismissed(paper_id)

    def why(self, paper_id: str) -> Why | None:
        """Why "for you" ranks a paper where it does: its two closest bookmarks' titles and
        the words it shares with what you bookmarked; None without a bookmark in the
        library. Trains the ranking first if the marks changed (numpy: call it off the UI)."""
        return self._marks.why(paper_id)

    # -- watches --------------------------------------------------------------------------
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
        feed = self._watching.feed(name, limit)
        if path is not None:
            self._exchange.write_feed(path, feed)
        return feed

    def watch_snapshot(self) -> WatchSnapshot:
        """What every watch matches now; take it before an import, then `watch_gains`."""
        return self._watching.snapshot()

    def watch_gains(self, before: WatchSnapshot) -> list[WatchGain]:
        """The watches that papers added since `before` gave new papers, and how many."""
        return self._watching.gains(before)

    # -- the reader's session -------------------------------------------------------------
    def change_token(self) -> ChangeToken:
        """A stat of the catalog and the user's files (paperdeck.index.changes); a later
        token's changed_since(this) names what another process changed meanwhile."""
        from paperdeck.index.changes import change_token

        return change_token(self._shared.paths.data_dir)

    def mark_opened(self) -> str | None:
        """A reader opens: papers of the imports no reader has shown are "new" (`is:new`;
        paperdeck.index.seen). Returns when they start, None the first time (none are)."""
        return self._session.mark_opened()

    def recall_last_opening(self) -> str | None:
        """What is new, without marking an opening: the CLI's searches see what the reader
        would."""
        return self._session.recall_last_opening()

    def end_session(self) -> None:
        """The reader quits: the imports it showed are seen, no longer new to the next."""
        self._session.end_session()

    def is_new(self, paper: Paper | PaperRow) -> bool:
        return self._session.is_new(paper)

    def is_first_opening(self) -> bool:
        """After mark_opened(): whether no reader had opened this library before."""
        return self._session.is_first_opening()

    def keep_last_copy(self, text: str) -> Path | None:
        """Keep copied text in the cache dir, for when no clipboard can be reached; returns
        the file, or None when it could not be written."""
        return self._session.keep_last_copy(text)

    def crash_log(self, report: str) -> Path | None:
        """Append an unexpected error's traceback to `crash.log` in the cache dir (the reader
        names it in its one-line notice), or to one in the temp dir when the cache cannot be
        written; None when neither can. A log grown past CRASH_LOG_LIMIT starts over."""
        return self._session.crash_log(report)

    # -- export ---------------------------------------------------------------------------
    def export(
        self,
        fmt: str,
        bookmarked: bool = False,
        path: str | Path | None = None,
        *,
        overwrite: bool = True,
        out: Writable | None = None,
        dismissed: bool = False,
    ) -> Exported:
        """Every paper (less those marked not interested unless `dismissed`: Exported.left_out
        counts them), or the bookmarks with their tags and notes (papers as the library
        knows them now), in `fmt` (EXPORT_FORMATS): written to `path` (atomically: a
        failed export leaves the file that was there) or to the stream `out` a paper at a
        time, else returned as text. Nothing to export raises NothingToExport, never an
        empty file; with `overwrite` false an existing file raises FileExistsError."""
        return self._exchange.export(fmt, bookmarked, path, overwrite, out, dismissed)

    def each_paper(self, dismissed: bool = False) -> Iterator[Paper]:
        """Every paper, newest first (those marked not interested only when `dismissed`),
        read a batch at a time as they are used (Engine.each_paper): what an export of the
        library streams."""
        return self._reads.each_paper(dismissed)

    def export_path(self, fmt: str, bookmarked: bool) -> Path:
        """Where the reader offers to write an export: the Downloads folder if there is one,
        else the working directory, under a name no file has yet. Looks at the disk."""
        return self._exchange.export_path(fmt, bookmarked)

    # -- citations (issue 22) -------------------------------------------------------------
    def citation_ref(self, text: str) -> tuple[str, Paper | None]:
        """What the sources are asked for `text`: a library paper's arXiv id or DOI (with the
        paper), or an id of the sources' own (`10.1/x`, `CorpusId:N`, an arXiv id the library
        does not hold). A library paper with neither raises LibraryError."""
        return self._citing.citation_ref(text)

    def citation_counts(self, ref: str, *, refresh: bool = False) -> Fetched[CitationCounts] | None:
        """A paper's counts (may fetch: call it from a worker); None when no source knows it."""
        return self._citing.citation_counts(ref, refresh)

    def cached_citation_count(self, paper: Paper) -> int | None:
        """The cited-by count the cache holds for a paper, never asking the network."""
        return self._citing.cached_citation_count(paper)

    def cached_citation_counts(self, paper: Paper) -> Fetched[CitationCounts] | None:
        """A paper's counts as the cache holds them, however old, never the network (the
        reader's detail pane, read in its paper worker)."""
        return self._citing.cached_citation_counts(paper)

    def add_cited_paper(self, cited: CitedPaper) -> str:
        """Add a paper a citation source described (a citing paper, a reference) to the
        library, through the normal import of a tiny digest of it (raw copy and catalog);
        returns its id in the library. Its `sources` name the citation source."""
        from paperdeck.index.citations.digest import FORMAT, cited_digest
        from paperdeck.index.clean import clean_text
        from paperdeck.index.errors import LibraryError
        from paperdeck.index.links import normalise_arxiv_id, paper_id

        if not cited.title:
            raise LibraryError("the source gave this paper no title: it cannot be added")
        data, name = cited_digest(cited)
        self.import_bytes(data, name, FORMAT)
        return paper_id(clean_text(cited.title), normalise_arxiv_id(cited.arxiv_id))

    def cited_by(
        self, ref: str, *, limit: int = 1000, refresh: bool = False
    ) -> Fetched[CitationList] | None:
        """The papers citing `ref` (Semantic Scholar), first `limit`; may fetch."""
        return self._citing.cited_by(ref, limit, refresh)

    def references(
        self, ref: str, *, limit: int = 1000, refresh: bool = False
    ) -> Fetched[CitationList] | None:
        """The papers `ref` cites (OpenAlex's ids where Semantic Scholar has nothing)."""
        return self._citing.references(ref, limit, refresh)

    def citation_papers(self, bookmarked_only: bool) -> list[Paper]:
        """The papers a `citations refresh` asks about: the bookmarks, or every paper, with
        an arXiv id or a DOI."""
        return self._citing.citation_papers(bookmarked_only)

    def refresh_citation_counts(
        self, papers: list[Paper], *, progress: Progress | None = None
    ) -> dict[str, Fetched[CitationCounts] | None]:
        """These papers' counts fetched in batches of 500 (by paper id); kept as they come."""
        return self._citing.refresh_citation_counts(papers, progress)

    def follow(self, target: str) -> bool:
        """Follow a library paper (`ID`, typed whole) or every bookmark of `tag:NAME` for
        citations; False when followed already."""
        return self._citing.follow(target)

    def unfollow(self, target: str) -> bool:
        return self._citing.unfollow(target)

    def follows(self) -> list[FollowStatus]:
        """Everything followed, oldest first, with its citing papers and how many are new."""
        return self._citing.follows()

    def follow_status(self, target: str) -> FollowStatus:
        return self._citing.follow_status(target)

    def refresh_follows(self, progress: Progress | None = None) -> FollowRefresh:
        """Every followed paper's citing papers fetched afresh (those with an arXiv id or a
        DOI); the alerts say which are new. One paper's failure is a problem line."""
        return self._citing.refresh_follows(progress)

    def follow_papers(self, target: str) -> list[tuple[str, CitedPaper]]:
        """(followed paper, citing paper) for the citing papers new to a follow."""
        return self._citing.follow_papers(target)

    def follow_feed(self, target: str, limit: int | None = None) -> str:
        """A follow's new citing papers as an Atom feed, as a watch's is."""
        return self._citing.follow_feed(target, limit)

    def follow_seen(self, target: str) -> int:
        """Mark a follow's new citing papers seen; returns how many were new."""
        return self._citing.follow_seen(target)

    # -- the reading queue and read marks -------------------------------------------------
    def queue(self) -> list[QueueItem]:
        """The reading queue, first to read first."""
        return self._reading.queue()

    def queue_add(self, paper_ids: Iterable[str], *, first: bool = False) -> int:
        return self._reading.queue_add(paper_ids, first)

    def queue_remove(self, paper_ids: Iterable[str]) -> int:
        return self._reading.queue_remove(paper_ids)

    def queue_move(self, paper_id: str, *, by: int | None = None, to: int | None = None) -> int:
        """Move a queued paper `by` places (negative: up) or `to` a position (1: first);
        returns its position now."""
        return self._reading.queue_move(paper_id, by, to)

    def read_ids(self) -> set[str]:
        return self._reading.read_ids()

    def mark_read(self, paper_ids: Iterable[str], read: bool = True) -> int:
        """Mark papers read (or unread); returns how many changed."""
        return self._reading.mark_read(paper_ids, read)

    def toggle_read(self, paper_id: str) -> bool:
        return self._reading.toggle_read(paper_id)

    def export_queue(self, fmt: str, path: str | Path | None = None) -> Exported:
        """The reading queue in its order, as `export` writes papers (a queue is small:
        made whole, then written atomically)."""
        return self._reading.export_queue(fmt, path)
