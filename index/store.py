"""The Whoosh index: schema, generations, probing and rebuilding.

The index lives in the cache dir as generations (`g-000001/`, ...) with a pointer file
(`CURRENT`) naming the live one, the schema version and the digests it holds. A rebuild writes
a fresh generation and then swaps the pointer with `os.replace`, so a reader never sees half an
index; anything that does not match (no pointer, another schema, other digests, unreadable
files) is reported by `probe` and rebuilt by the library from the raw digests.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import shutil
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import columns, fields, index
from whoosh.analysis import StandardAnalyzer
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher

from index.analysis import CountedText, PaperAnalyzer
from index.codec import PaperCodec
from index.fresh import PARALLEL_FROM, write_fresh
from index.links import paper_id
from index.listing import merge_listing, read_listing, write_listing
from index.models import Paper, PaperRow, naive_utc
from index.pointer import IndexStale, read_pointer, write_pointer
from index.vocabulary import Vocabulary

TITLE_BOOST = 3.0
WRITE_MB = 512  # an update's posting pool held in memory before spilling sorted runs to disk


ANALYZER = PaperAnalyzer()


def make_schema() -> fields.Schema:
    """Titles boosted; stemming on text (one fused analyzer; the vocabulary sidecar replaces
    Whoosh's spelling fields, which doubled the postings written)."""
    stem = ANALYZER
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title_key=fields.ID(),  # the title hash: finds the same paper under another id
        # No word positions: they tripled the cost of reading a posting list and of writing
        # one; phrases are checked on their candidates' text instead (index.phrases).
        title=CountedText(analyzer=stem, field_boost=TITLE_BOOST, phrase=False),
        abstract=CountedText(analyzer=stem, phrase=False),
        author=fields.TEXT(analyzer=StandardAnalyzer(stoplist=None), phrase=False),
        date=fields.DATETIME(stored=True, sortable=True),
        # Newest day first, page order within: a column only (sorting needs no postings, and
        # an indexed 64-bit number costs 16 of them per paper).
        order=fields.COLUMN(columns.NumericColumn("q")),
        added=fields.DATETIME(),  # first import time, for "new since you last looked"
        paper=fields.STORED(),
        row=fields.COLUMN(columns.VarBytesColumn()),  # list rows without unpickling papers
    )


SCHEMA = make_schema()


def title_key(title: str) -> str:
    return paper_id(title, None)


TEXT_FIELDS = ("title", "abstract", "author")


def indexed_text(paper: Paper, fieldname: str) -> str:
    """The text a paper gives a text field (phrases are checked against it again)."""
    if fieldname == "author":
        return " ; ".join(paper.authors)
    return paper.title if fieldname == "title" else paper.abstract


def paper_document(paper: Paper) -> dict[str, Any]:
    """The fields Whoosh indexes for a paper; `paper` keeps the whole record as JSON."""
    doc: dict[str, Any] = {
        "id": paper.id,
        "title_key": title_key(paper.title),
        **{name: indexed_text(paper, name) for name in TEXT_FIELDS},
        "order": listing_order(paper),
        "paper": json.dumps(paper.to_dict(), ensure_ascii=False),
        "row": paper.row().encode(),
    }
    if paper.date:
        doc["date"] = dt.datetime(paper.date.year, paper.date.month, paper.date.day)
    if paper.added:
        doc["added"] = naive_utc(paper.added)
    return doc


def listing_order(paper: Paper) -> int:
    """One sortable number for "newest day first, the page's own order within a day": a
    single column sorts much faster in Whoosh than two facets."""
    day = paper.date.toordinal() if paper.date else 0
    return day * 1_000_000 - min(paper.position, 999_999)


def paper_from_stored(stored: dict[str, Any]) -> Paper:
    return Paper.from_dict(json.loads(stored["paper"]))


def _storage(gen_dir: Path) -> FileStorage:
    """Plain file reads, not mmap: Whoosh touches most of a mapped index when it opens a
    searcher, which at 100,000 papers meant ~1.4 GB resident and a slow start; reads cost
    queries about a quarter more time (measured in bench/)."""
    return FileStorage(str(gen_dir), supports_mmap=False)


def _open_generation(gen_dir: Path) -> index.Index:
    """Open and probe one generation, or raise IndexStale.

    Whoosh leaves files open when it fails half-way through a damaged index; they are closed
    here, quietly, rather than as ResourceWarnings at some random later moment."""
    failure = ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            opened = _storage(gen_dir).open_index()
            Store.probe(opened)
            return opened
        except Exception as exc:  # any damage: missing segment, truncated file, bad pickle
            failure = exc.__class__.__name__
        gc.collect()
    raise IndexStale(f"index damaged ({failure})")


class Store:
    """One live generation of the index, with a shared searcher guarded by a lock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = threading.RLock()
        self._index: index.Index | None = None
        self._searcher: Searcher | None = None
        self.digests: list[str] = []
        self.vocabulary = Vocabulary()

    # -- opening -----------------------------------------------------------------------------
    def pointer(self) -> dict[str, Any]:
        return read_pointer(self.root)

    def open(self, expected_digests: list[str]) -> None:
        """Open the live generation, or raise IndexStale saying why it cannot be used."""
        with self.lock:
            self.close()
            pointer = self.pointer()
            if sorted(pointer.get("digests", [])) != sorted(expected_digests):
                raise IndexStale("index does not match the imported digests")
            gen_dir = self.root / str(pointer["gen"])
            opened = _open_generation(gen_dir)
            self._index, self.digests = opened, list(pointer["digests"])
            self.vocabulary = Vocabulary.load(gen_dir)

    @staticmethod
    def probe(opened: index.Index) -> None:
        """Touch every part a search needs, so damage shows now and not mid-search."""
        with opened.searcher() as searcher:
            reader = searcher.reader()
            for fieldname in ("title", "abstract", "id"):
                for _ in zip(range(3), reader.lexicon(fieldname), strict=False):
                    pass
            for docnum, _ in zip(range(3), reader.all_doc_ids(), strict=False):
                reader.stored_fields(docnum)
            if reader.doc_count() and next(iter(reader.all_stored_fields()), None) is None:
                raise IndexStale("index has no stored documents")

    # -- building ----------------------------------------------------------------------------
    def rebuild(
        self,
        papers: Iterable[Paper],
        digests: list[str],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write a whole new generation, then swap the pointer to it. Returns papers indexed."""
        with self.lock:
            self.root.mkdir(parents=True, exist_ok=True)
            gen_dir = self._new_generation_dir()
            try:
                created = _storage(gen_dir).create_index(make_schema())
                vocabulary = Vocabulary()
                papers = list(papers)
                count = self._write_fresh(created, papers, vocabulary, progress)
                vocabulary.save(gen_dir)
                write_listing(gen_dir, ((listing_order(p), p) for p in papers))
            except BaseException:
                shutil.rmtree(gen_dir, ignore_errors=True)
                raise
            self.close()
            self._write_pointer(gen_dir.name, digests, created.doc_count())
            self._index, self.digests, self.vocabulary = created, list(digests), vocabulary
            self._remove_old_generations(keep=gen_dir.name)
            return count

    def update(
        self, papers: Iterable[Paper], digests: list[str], delete_ids: Iterable[str] = ()
    ) -> None:
        """Add, replace and delete papers in the live generation: one writer, one commit."""
        with self.lock:
            papers, delete_ids = list(papers), list(delete_ids)
            if self.require().doc_count_all() == 0 and not delete_ids:
                self.rebuild(papers, digests)  # the first import: a fresh generation is faster
                return
            gen_dir = self.root / self._live_generation()
            vocabulary = Vocabulary.load(gen_dir)  # another process may have added words
            self._write(self.require(), papers, delete_ids, vocabulary)
            vocabulary.save(gen_dir)
            merge_listing(gen_dir, ((listing_order(p), p) for p in papers), delete_ids)
            self._write_pointer(gen_dir.name, digests, self.require().doc_count())
            self.digests, self.vocabulary = list(digests), vocabulary
            self._refresh()

    @staticmethod
    def _write_fresh(
        target: index.Index,
        papers: list[Paper],
        vocabulary: Vocabulary,
        progress: Callable[[int], None] | None,
    ) -> int:
        """Fill a new generation (index.fresh writes it on every core)."""
        counts = write_fresh(target, papers, paper_document, progress)
        vocabulary.update(ANALYZER.vocabulary_counts(counts))
        return len(papers)

    @staticmethod
    def _write(
        target: index.Index,
        papers: list[Paper],
        delete_ids: Iterable[str],
        vocabulary: Vocabulary,
    ) -> None:
        """One writer, one commit, counting the vocabulary on the way. Large batches use both
        cores (Whoosh's multiprocess writer), but only from a process with no other threads:
        forking a threaded process (the reader) is not safe."""
        parallel = len(papers) >= PARALLEL_FROM and threading.active_count() == 1
        options = {"procs": 2, "multisegment": True} if parallel else {}
        writer = target.writer(limitmb=WRITE_MB, codec=PaperCodec(), **options)
        counts: Counter[str] = Counter()
        words = ANALYZER.raw_words
        try:
            for paper_id_to_drop in delete_ids:
                writer.delete_by_term("id", paper_id_to_drop)
            for paper in papers:
                writer.update_document(**paper_document(paper))
                counts.update(words(paper.title))
                counts.update(words(paper.abstract))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        vocabulary.update(ANALYZER.vocabulary_counts(counts))

    def _new_generation_dir(self) -> Path:
        numbers = [int(p.name[2:]) for p in self.root.glob("g-*") if p.name[2:].isdigit()]
        gen_dir = self.root / f"g-{max(numbers, default=0) + 1:06d}"
        gen_dir.mkdir()
        return gen_dir

    def _live_generation(self) -> str:
        return str(self.pointer()["gen"])

    def _write_pointer(self, gen: str, digests: list[str], papers: int) -> None:
        write_pointer(self.root, gen, digests, papers)

    def _remove_old_generations(self, keep: str) -> None:
        for path in self.root.glob("g-*"):
            if path.name != keep:
                shutil.rmtree(path, ignore_errors=True)

    def listing(self, limit: int | None) -> list[PaperRow] | None:
        """Newest-first rows of the live generation (see index.listing); None if absent."""
        with self.lock:
            gen = self.pointer()["gen"] if self._index is not None else None
        return read_listing(self.root / str(gen), limit) if gen else None

    # -- reading -----------------------------------------------------------------------------
    def require(self) -> index.Index:
        if self._index is None:
            raise IndexStale("index not open")
        return self._index

    def searcher(self) -> Searcher:
        """The long-lived shared searcher; callers hold `self.lock` while using it."""
        if self._searcher is None:
            self._searcher = self.require().searcher()
        return self._searcher

    def _refresh(self) -> None:
        """Drop the searcher so the next read sees the commit (refresh() trips on empty indexes)."""
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None

    def close(self) -> None:
        with self.lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            if self._index is not None:
                self._index.close()
            self._index = None
