"""The Whoosh index: schema, generations, probing and writing.

The index lives in the cache dir as generations (`g-000001/`, ...). A published generation is
never written again: every change writes a new one (empty for a rebuild, or hard links to the
live one's files plus new segments for an import), which the library then publishes by naming
it in its catalog (paperdeck.index.catalog), the one commit point. So a reader of any process sees
the
old generation or the new one, never half an index. A generation that does not open (no meta,
another schema, other digests, unreadable files) raises IndexStale; the library rebuilds it
from the raw digests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import os
import secrets
import shutil
import threading
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperdeck.index.engine.analysis import CountedText, NameAnalyzer, PaperAnalyzer
from paperdeck.index.engine.keyfilter import KeyFilter, KeyNotes, prune_segment_keys
from paperdeck.index.engine.listing import ListingRows, listing_order, read_listing
from paperdeck.index.engine.meta import IndexStale, read_meta, write_meta
from paperdeck.index.engine.vocabulary import Vocabulary
from paperdeck.index.links import CODE_LABEL, title_key
from paperdeck.index.models import Paper, PaperRow, naive_utc
from paperdeck.index.paths import plain_name
from whoosh import columns, fields, index
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher

if TYPE_CHECKING:  # (the writer, numpy and its workers, is a write's: loaded by the first one)
    from paperdeck.index.engine.writer import Written

TITLE_BOOST = 3.0
FindById = Callable[[str], Paper | None]
FindByTitle = Callable[[str], list[Paper]]
NO_VOTES = -1  # the votes column of a paper without upvotes


ANALYZER = PaperAnalyzer()


def make_schema() -> fields.Schema:
    """Titles boosted; stemming on text (one fused analyzer; the vocabulary sidecar replaces
    Whoosh's spelling fields, which doubled the postings written); accents folded in all
    three text fields."""
    stem = ANALYZER
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title_key=fields.ID(),  # the title hash: finds the same paper under another id
        # No word positions: they tripled the cost of reading a posting list and of writing
        # one; phrases are checked on their candidates' text instead
        # (paperdeck.index.engine.phrases).
        title=CountedText(analyzer=stem, field_boost=TITLE_BOOST, phrase=False),
        abstract=CountedText(analyzer=stem, phrase=False),
        author=fields.TEXT(analyzer=NameAnalyzer(), phrase=False),
        date=fields.DATETIME(stored=True, sortable=True),
        # Newest day first, page order within: a column only (sorting needs no postings, and
        # an indexed 64-bit number costs 16 of them per paper).
        order=fields.COLUMN(columns.NumericColumn("q")),
        # Hugging Face upvotes for the upvotes order (-1: none known), a column only.
        votes=fields.COLUMN(columns.NumericColumn("i", default=NO_VOTES)),
        added=fields.DATETIME(),  # first import time, for "new since you last looked"
        # Hugging Face's signals: `upvotes:>=50`, `upvotes:[10 to 50]`; `has:code`. Unscored
        # (they filter, they do not rank); 8-bit steps: 4 terms a paper, not 8.
        upvotes=fields.NUMERIC(int, bits=32, shift_step=8),
        has=fields.KEYWORD(lowercase=True, scorable=False),
        # What arXiv says: `cat:cs.CL` (primary or cross-listed), `cat:cs.` (a whole archive),
        # `doi:10.1103/...`, `comments:neurips` (its comments: venue, pages). Filters, unscored
        # but the comments' words.
        cat=fields.KEYWORD(lowercase=True, scorable=False),
        doi=fields.KEYWORD(lowercase=True, scorable=False),
        comments=fields.TEXT(analyzer=stem, phrase=False),
        paper=fields.STORED(),
        row=fields.COLUMN(columns.VarBytesColumn()),  # list rows without unpickling papers
    )


SCHEMA = make_schema()


TEXT_FIELDS = ("title", "abstract", "author")


def indexed_text(paper: Paper, fieldname: str) -> str:
    """The text a paper gives a text field (phrases are checked against it again)."""
    if fieldname == "author":
        return " ; ".join(paper.authors)
    if fieldname == "comments":
        return paper.arxiv_comments
    return paper.title if fieldname == "title" else paper.abstract


def paper_document(paper: Paper) -> dict[str, Any]:
    """The fields Whoosh indexes for a paper; `paper` keeps the whole record as JSON."""
    doc: dict[str, Any] = {
        "id": paper.id,
        "title_key": title_key(paper.title),
        **{name: indexed_text(paper, name) for name in TEXT_FIELDS},
        "order": listing_order(paper),
        "votes": NO_VOTES if paper.upvotes is None else min(paper.upvotes, 2**31 - 1),
        "paper": json.dumps(paper.to_dict(), ensure_ascii=False),
        "row": paper.row().encode(),
    }
    if paper.date:
        doc["date"] = dt.datetime(paper.date.year, paper.date.month, paper.date.day)
    if paper.added:
        doc["added"] = naive_utc(paper.added)
    if paper.upvotes is not None:
        doc["upvotes"] = paper.upvotes
    if has := paper_has(paper):
        doc["has"] = " ".join(has)
    if paper.categories:
        doc["cat"] = " ".join(category_terms(paper.categories))
    if paper.doi:
        doc["doi"] = paper.doi
    if paper.arxiv_comments:
        doc["comments"] = paper.arxiv_comments
    return doc


def category_terms(categories: Iterable[str]) -> list[str]:
    """`cs.CL` -> `cs.CL`, `cs.`, `cs`: a category finds it, and so does its archive."""
    terms: dict[str, None] = {}
    for category in categories:
        archive = category.split(".", 1)[0]
        terms |= dict.fromkeys((category, f"{archive}.", archive))
    return list(terms)


def paper_has(paper: Paper) -> list[str]:
    """What `has:` finds a paper by: `code` (a GitHub repo is known, or its text links to
    code), `project` (a project page), `summary` (an AI summary), `doi`, `journal` (a
    journal reference: published)."""
    code = paper.github_repo or any(link.label == CODE_LABEL for link in paper.links)
    known = {"code": code, "project": paper.project_page, "summary": paper.ai_summary}
    known |= {"doi": paper.doi, "journal": paper.journal_ref}
    return [name for name, value in known.items() if value]


def paper_from_stored(stored: dict[str, Any]) -> Paper:
    return Paper.from_dict(json.loads(stored["paper"]))


def _storage(gen_dir: Path) -> FileStorage:
    """Plain file reads, not mmap: Whoosh touches most of a mapped index when it opens a
    searcher, which in a big library meant most of it resident and a slow start; plain reads
    cost queries a little more time (both in bench/README.md)."""
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


@dataclass
class Generation:
    """A written, not yet live generation: what Store.adopt makes live after the commit."""

    name: str
    opened: index.Index
    vocabulary: Vocabulary
    digests: list[str]
    papers: int


class Store:
    """The live generation of the index, with a shared searcher guarded by a lock.

    Writing methods (build, derive) need the library's write lock, not `self.lock`: they
    write a new directory and touch the live one only to read it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = threading.RLock()
        self._index: index.Index | None = None
        self._searcher: Searcher | None = None
        self.generation: str | None = None
        self.digests: list[str] = []
        self.vocabulary = Vocabulary()

    # -- opening -----------------------------------------------------------------------------
    def open(self, generation: str | None, digests: list[str]) -> None:
        """Make this generation live, or raise IndexStale saying why it cannot be."""
        if generation is None:
            raise IndexStale("no index yet")
        gen_dir = self.root / generation
        read_meta(gen_dir, digests)
        opened = _open_generation(gen_dir)
        vocabulary = Vocabulary.load(gen_dir)
        with self.lock:
            self.close()
            self._index, self.generation, self.vocabulary = opened, generation, vocabulary
            self.digests = list(digests)

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

    # -- writing (under the library's write lock) --------------------------------------------
    def build(
        self,
        papers: Iterable[Paper],
        digests: list[str],
        progress: Written | None = None,
    ) -> Generation:
        """A whole new generation holding exactly `papers` (a rebuild, a removal)."""
        gen_dir = self._next_generation_dir()
        try:  # (made inside: a Ctrl-C just after mkdir must not leave it behind)
            gen_dir.mkdir()
            created = _storage(gen_dir).create_index(make_schema())
            return self._fill(gen_dir, created, papers, (), digests, (Vocabulary(), None), progress)
        except BaseException:
            shutil.rmtree(gen_dir, ignore_errors=True)
            raise

    def derive(
        self,
        papers: Iterable[Paper],
        digests: list[str],
        delete_ids: Collection[str] = (),
        progress: Written | None = None,
        base: Generation | None = None,
    ) -> Generation:
        """The live generation (or `base`, written but not yet live) plus `papers`
        (replacing papers of the same id) minus `delete_ids`, as a new generation; the
        base's files are shared, not copied. `papers` may be a stream: each is written as
        it comes and not kept, and `delete_ids` is read once they have all come."""
        if base is None:
            self.require()  # the live generation is open
        source = self.root / (base.name if base else str(self.generation))
        gen_dir = self._next_generation_dir()
        try:  # (made inside: a Ctrl-C just after mkdir must not leave it behind)
            gen_dir.mkdir()
            _link_files(source, gen_dir)
            opened = _storage(gen_dir).open_index()
            vocabulary = Vocabulary.load(gen_dir)
            keys = KeyFilter.load(gen_dir)  # the base's, linked
            return self._fill(
                gen_dir, opened, papers, delete_ids, digests, (vocabulary, keys), progress
            )
        except BaseException:
            shutil.rmtree(gen_dir, ignore_errors=True)
            raise

    @staticmethod
    def _fill(
        gen_dir: Path,
        target: index.Index,
        papers: Iterable[Paper],
        delete_ids: Collection[str],
        digests: list[str],
        base: tuple[Vocabulary, KeyFilter | None],
        progress: Written | None,
    ) -> Generation:
        """Write the papers, then the files beside the segments: vocabulary, listing, keys
        (`base`: the base generation's vocabulary and keys; no keys for one built afresh).
        Each new segment's for-you terms are kept by the process that wrote it, so the
        first for-you ranking after a big import only assembles them."""
        vocabulary, keys = base
        notes = KeyNotes()
        with ListingRows(gen_dir) as rows:
            noted = notes.noted(rows.noted(papers))
            from paperdeck.index.engine.foryou import segments as foryou_segments
            from paperdeck.index.engine.writer import write_papers  # a write's, not a read's

            kept = functools.partial(
                foryou_segments.cached_segment,
                foryou_segments.segments_dir(gen_dir.parent),
                scratch=gen_dir,
            )
            counts = write_papers(target, noted, paper_document, delete_ids, progress, kept)
            vocabulary.update(ANALYZER.vocabulary_counts(counts))
            vocabulary.save(gen_dir)
            rows.merge_into(gen_dir, delete_ids)
            notes.save(gen_dir, keys)
        with target.reader() as reader:
            leaves = reader.leaf_readers() if reader.doc_count_all() else []
            prune_segment_keys(gen_dir, [leaf.segment().segment_id() for leaf, _ in leaves])
        count = target.doc_count()
        write_meta(gen_dir, digests, count)
        return Generation(gen_dir.name, target, vocabulary, list(digests), count)

    @contextlib.contextmanager
    def lookups(self, generation: Generation) -> Iterator[tuple[FindById, FindByTitle]]:
        """Find papers by id and by title key in a written, not yet live, generation (an
        import settles with it the papers it could not merge while they streamed, and a
        resumed import continues on top of one)."""
        from paperdeck.index.engine.lookups import Lookups

        gen_dir = self.root / generation.name
        with generation.opened.searcher() as searcher:
            found = Lookups(lambda: searcher, threading.RLock(), KeyFilter.load(gen_dir), gen_dir)
            yield found.by_id, found.by_title

    def adopt(self, generation: Generation) -> None:
        """Make a generation live once the library has committed it."""
        with self.lock:
            self.close()
            self._index, self.generation = generation.opened, generation.name
            self.digests, self.vocabulary = generation.digests, generation.vocabulary

    def reopen(self, name: str, digests: list[str]) -> Generation | None:
        """A written, never published generation (an interrupted import's checkpoint) as it
        was left, or None when it is gone, damaged or of other digests."""
        gen_dir = self.root / name
        try:
            if not plain_name(name):
                raise IndexStale("not a generation's name")
            meta = read_meta(gen_dir, digests)
            opened = _open_generation(gen_dir)
        except (IndexStale, OSError):
            return None
        papers = int(meta.get("papers", opened.doc_count()))
        return Generation(name, opened, Vocabulary.load(gen_dir), list(digests), papers)

    def forget(self, name: str) -> None:
        """Remove a generation that was never published, by name (never the live one)."""
        if name != self.generation and name.startswith("g-") and plain_name(name):
            shutil.rmtree(self.root / name, ignore_errors=True)

    def discard(self, generation: Generation) -> None:
        """Drop a generation that was never committed (the write failed after it)."""
        generation.opened.close()
        shutil.rmtree(self.root / generation.name, ignore_errors=True)

    def prune(self, keep: Iterable[str]) -> None:
        """Remove every generation but `keep` (the live one and the one before it, which a
        process that read the catalog a moment ago may still be opening), and the leftovers
        of writes that were killed."""
        kept = set(keep)
        for path in self.root.glob("g-*"):
            if path.name not in kept:
                shutil.rmtree(path, ignore_errors=True)
        from paperdeck.index.engine.foryou import segments as foryou_segments  # (a write's)

        foryou_segments.prune_segments(self.root)  # (the gone ones' for-you terms)

    def _next_generation_dir(self) -> Path:
        """The next generation's directory, not made yet."""
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name[2:8]) for p in self.root.glob("g-*") if p.name[2:8].isdigit()]
        # The random part keeps a name from ever meaning two generations (a cache dir wiped
        # and refilled, a catalog copied from another machine).
        return self.root / f"g-{max(numbers, default=0) + 1:06d}-{secrets.token_hex(3)}"

    def listing(self, limit: int | None) -> list[PaperRow] | None:
        """Newest-first rows of the live generation (see paperdeck.index.engine.listing); None if
        absent."""
        with self.lock:
            gen = self.generation if self._index is not None else None
        return read_listing(self.root / gen, limit) if gen else None

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

    def close(self) -> None:
        with self.lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            if self._index is not None:
                self._index.close()
            self._index = None


def _link_files(source: Path, target: Path) -> None:
    """Share a generation's files with a new one. Whoosh never changes a written file (a
    commit writes a new table of contents; deletions live in it), and the files beside the
    segments are replaced, never edited, so a hard link is as good as a copy."""
    for path in source.iterdir():
        if path.name.startswith(".") or path.name.endswith("LOCK") or not path.is_file():
            continue  # temporary files, Whoosh's lock, a killed writer's temp dirs
        try:
            os.link(path, target / path.name)
        except OSError:  # a file system without hard links
            shutil.copy2(path, target / path.name)
