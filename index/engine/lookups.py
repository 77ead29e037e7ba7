"""Finding an import's papers in a generation: one index lookup a paper for a daily digest,
a table read once for a big file.

Two Whoosh lookups a paper (by id, by title key), each walking every segment: most of
re-importing a snapshot whose papers the library already has. Once enough papers were looked
up that reading a table would have cost less (`table_after`: the more segments a lookup walks,
the sooner), the generation's ids and title keys are read once into two sorted arrays of
hashes (each segment's keys file, written with it, or its rows when it has none; 16 bytes a
paper: a million papers are looked up in 32 MB) and each paper found is read by its document
number and checked, since two keys can share a hash. A key the generation's keys.bin says is
surely new costs no lookup and so does not count toward the table.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
from paperdeck.index.engine import whoosh_private as private
from paperdeck.index.engine.keyfilter import (
    KeyFilter,
    has_segment_keys,
    key_hash,
    load_segment_keys,
)
from paperdeck.index.engine.store import paper_from_stored
from paperdeck.index.links import title_key
from paperdeck.index.models import Paper, PaperRow
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

TABLE_AFTER = 200  # papers looked up one by one, at least, before the table is read
# The table costs, for every paper of the generation, its row read from its segment (or its 16
# bytes of the segment's keys file: almost nothing); a paper looked up one by one costs its two
# lookups' walk of every segment plus reading what they find (which the table reads once). In
# rows read (measured, bench/README.md): a paper's two lookups cost this many rows per segment
# walked, and this many more for what they read twice.
ROWS_PER_SEGMENT = 2.5
ROWS_PER_PAPER = 30.0
ROWS_PER_SAVED_KEY = 0.02  # a paper whose keys its segment's file holds


def table_after(rows: float, segments: int) -> int:
    """Papers looked up one by one past which a table costing `rows` would have cost less."""
    per_paper = ROWS_PER_PAPER + ROWS_PER_SEGMENT * max(segments, 1)
    return max(TABLE_AFTER, int(rows / per_paper))


class _Table:
    """Document numbers by the hash of a key: sorted hashes and their documents."""

    def __init__(self, kind: str, hashes: np.ndarray, docs: np.ndarray) -> None:
        order = np.argsort(hashes, kind="stable")
        self._kind, self._hashes, self._docs = kind, hashes[order], docs[order]

    def docnums(self, key: str) -> list[int]:
        wanted = key_hash(self._kind, key)
        start = int(np.searchsorted(self._hashes, wanted, side="left"))
        end = int(np.searchsorted(self._hashes, wanted, side="right"))
        return [int(doc) for doc in self._docs[start:end]]


class Lookups:
    """`by_id` and `by_title` over one generation for one import (under the library's write
    lock, so the generation does not change meanwhile). `searcher` gives the generation's
    searcher, used while holding `lock`; `gen_dir` is where its segments' keys files are."""

    def __init__(
        self,
        searcher: Callable[[], Searcher],
        lock: threading.RLock,
        keys: KeyFilter,
        gen_dir: Path | None = None,
    ) -> None:
        self._searcher, self._lock, self._keys, self._dir = searcher, lock, keys, gen_dir
        self._asked = 0
        self._tables: tuple[_Table, _Table] | None = None
        self._walks_after: int | None = None  # lookups walking the segments, then a table
        self._last: tuple[int, Paper] | None = None  # the last paper read, by document number

    def by_id(self, paper_id: str) -> Paper | None:
        if self._tables is None and not self._keys.may_hold("id", paper_id):
            return None  # surely new: no walk of every segment
        tables = self._tables_if_worth_it()
        if tables is None:
            with self._lock:
                stored = self._searcher().document(id=paper_id)
            return paper_from_stored(stored) if stored else None
        found = self._papers(tables[0].docnums(paper_id))
        return next((paper for paper in found if paper.id == paper_id), None)

    def by_title(self, key: str) -> list[Paper]:
        if self._tables is None and not self._keys.may_hold("title", key):
            return []
        tables = self._tables_if_worth_it()
        if tables is None:
            with self._lock:
                return [paper_from_stored(d) for d in self._searcher().documents(title_key=key)]
        found = self._papers(tables[1].docnums(key))
        return [paper for paper in found if title_key(paper.title) == key]

    def _tables_if_worth_it(self) -> tuple[_Table, _Table] | None:
        """The tables once more lookups walked the segments than they would have cost."""
        self._asked += 1
        if self._tables is None and self._asked > 2 * self._threshold():  # two asks a paper
            self._tables = self._read_tables()
        return self._tables

    def _threshold(self) -> int:
        if self._walks_after is None:
            with self._lock:
                leaves = _leaves(self._searcher().reader())
                rows = sum(self._table_cost(leaf) for leaf, _ in leaves)
            self._walks_after = table_after(rows, len(leaves))
        return self._walks_after

    def _table_cost(self, leaf: IndexReader) -> float:
        documents = int(leaf.doc_count_all())
        saved = self._dir is not None and has_segment_keys(
            self._dir, leaf.segment().segment_id(), documents
        )
        return documents * (ROWS_PER_SAVED_KEY if saved else 1.0)

    def _read_tables(self) -> tuple[_Table, _Table]:
        """Every live document's key hashes: its segment's keys file, or its row read."""
        parts, docs = [], []
        with self._lock:
            for leaf, base in _leaves(self._searcher().reader()):
                documents = int(leaf.doc_count_all())
                saved = None
                if self._dir is not None:
                    segment_id = leaf.segment().segment_id()
                    saved = load_segment_keys(self._dir, segment_id, documents)
                alive = np.ones(documents, dtype=bool)
                alive[private.deleted_docs(leaf)] = False
                hashes = saved if saved is not None else _row_keys(leaf, documents)
                parts.append(hashes[alive])
                docs.append(np.flatnonzero(alive) + base)
        table = np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)
        numbers = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
        return _Table("id", table[:, 0], numbers), _Table("title", table[:, 1], numbers)

    def _papers(self, docnums: list[int]) -> list[Paper]:
        """The papers of these documents; the one just read by id is not read again when
        its title is looked up next."""
        found = []
        with self._lock:
            searcher = self._searcher()
            for docnum in docnums:
                if self._last is None or self._last[0] != docnum:
                    self._last = (docnum, paper_from_stored(searcher.stored_fields(docnum)))
                found.append(self._last[1])
        return found


def _leaves(reader: IndexReader) -> list[tuple[IndexReader, int]]:
    """The segments' readers and first document numbers (none for an empty index)."""
    return list(reader.leaf_readers()) if reader.doc_count_all() else []


def _row_keys(leaf: IndexReader, documents: int) -> np.ndarray:
    """A segment's keys from its documents' rows (a segment written without its file)."""
    keys = np.zeros((documents, 2), dtype=np.int64)
    if documents:
        column = leaf.column_reader("row")
        for docnum in range(documents):
            row = PaperRow.decode(column[docnum])
            keys[docnum] = (key_hash("id", row.id), key_hash("title", title_key(row.title)))
    return keys
