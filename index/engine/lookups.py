"""Finding an import's papers in a generation: one index lookup a paper for a daily digest,
a table read once for a big file.

Two Whoosh lookups a paper (by id, by title key), each walking every segment: most of
re-importing a snapshot whose papers the library already has. Past TABLE_AFTER papers the
generation's ids and title keys are read once from the row column into two sorted arrays of
hashes (16 bytes a paper, not the ~250 a dict of strings costs: a million papers are looked
up in 32 MB) and each paper found is read by its document number and checked, since two keys
can share a hash.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable

import numpy as np
from paperdeck.index.engine.keyfilter import KeyFilter
from paperdeck.index.engine.store import paper_from_stored
from paperdeck.index.links import title_key
from paperdeck.index.models import Paper, PaperRow
from whoosh.searching import Searcher

TABLE_AFTER = 2000  # papers looked up one by one before the table is read
# ... and at least this share of the generation's papers: reading the table costs a little
# for every paper of the generation, a lookup far more but only for a paper looked up (a newer
# snapshot whose lines are mostly known looks up only its changed ones: one by one is cheaper;
# the two costs are in bench/README.md).
TABLE_SHARE = 0.05


class _Table:
    """Document numbers by the hash of a key: sorted hashes and their documents."""

    def __init__(self, hashes: array[int], docs: array[int]) -> None:
        keys = np.frombuffer(hashes, dtype=np.int64) if hashes else np.zeros(0, np.int64)
        order = np.argsort(keys, kind="stable")
        self._hashes = keys[order]
        self._docs = (np.frombuffer(docs, dtype=np.int64) if docs else keys)[order]

    def docnums(self, key: str) -> list[int]:
        wanted = hash(key)
        start = int(np.searchsorted(self._hashes, wanted, side="left"))
        end = int(np.searchsorted(self._hashes, wanted, side="right"))
        return [int(doc) for doc in self._docs[start:end]]


class Lookups:
    """`by_id` and `by_title` over one generation for one import (under the library's write
    lock, so the generation does not change meanwhile). `searcher` gives the generation's
    searcher, used while holding `lock`."""

    def __init__(
        self, searcher: Callable[[], Searcher], lock: threading.RLock, keys: KeyFilter
    ) -> None:
        self._searcher, self._lock, self._keys = searcher, lock, keys
        self._asked = 0
        self._tables: tuple[_Table, _Table] | None = None
        self._papers_there: int | None = None
        self._last: tuple[int, Paper] | None = None  # the last paper read, by document number

    def by_id(self, paper_id: str) -> Paper | None:
        tables = self._tables_if_worth_it()
        if tables is None:
            if not self._keys.may_hold("id", paper_id):
                return None  # surely new: no walk of every segment
            with self._lock:
                stored = self._searcher().document(id=paper_id)
            return paper_from_stored(stored) if stored else None
        found = self._papers(tables[0].docnums(paper_id))
        return next((paper for paper in found if paper.id == paper_id), None)

    def by_title(self, key: str) -> list[Paper]:
        tables = self._tables_if_worth_it()
        if tables is None:
            if not self._keys.may_hold("title", key):
                return []
            with self._lock:
                return [paper_from_stored(d) for d in self._searcher().documents(title_key=key)]
        found = self._papers(tables[1].docnums(key))
        return [paper for paper in found if title_key(paper.title) == key]

    def _tables_if_worth_it(self) -> tuple[_Table, _Table] | None:
        self._asked += 1
        if self._tables is None and self._asked > 2 * self._threshold():  # two asks a paper
            self._tables = self._read_tables()
        return self._tables

    def _threshold(self) -> int:
        if self._papers_there is None:
            with self._lock:
                self._papers_there = int(self._searcher().doc_count())
        return max(TABLE_AFTER, int(self._papers_there * TABLE_SHARE))

    def _read_tables(self) -> tuple[_Table, _Table]:
        ids, titles, docs = array("q"), array("q"), array("q")  # 8 bytes each, no objects
        with self._lock:
            reader = self._searcher().reader()
            if reader.doc_count():
                column = reader.column_reader("row")
                for docnum in reader.all_doc_ids():
                    row = PaperRow.decode(column[docnum])
                    ids.append(hash(row.id))
                    titles.append(hash(title_key(row.title)))
                    docs.append(docnum)
        return _Table(ids, docs), _Table(titles, docs)

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
