"""Finding an import's papers in the library: one index lookup a paper for a daily digest,
a table read once for a big file.

Two Whoosh lookups a paper (by id, by title key) cost ~0.8 ms: most of re-importing a
snapshot whose papers the library already has. Past TABLE_AFTER papers the live generation's
ids and title keys are read once from the row column (a few µs a paper) and each paper found
is read by its document number.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from index.engine.store import Store, paper_from_stored
from index.links import title_key
from index.models import Paper, PaperRow

TABLE_AFTER = 2000  # papers looked up one by one before the table is read


@dataclass
class _Table:
    ids: dict[str, int] = field(default_factory=dict)
    titles: dict[str, list[int]] = field(default_factory=dict)


class Lookups:
    """`by_id` and `by_title` over the live generation, for one import (under the library's
    write lock, so the generation does not change meanwhile)."""

    def __init__(
        self,
        store: Store,
        lock: threading.RLock,
        get: Callable[[str], Paper | None],
        same_title: Callable[[str], list[Paper]],
    ) -> None:
        self._store, self._lock = store, lock
        self._get, self._same_title = get, same_title
        self._asked = 0
        self._table: _Table | None = None
        self._last: tuple[int, Paper] | None = None  # the last paper read, by document number

    def by_id(self, paper_id: str) -> Paper | None:
        table = self._table_if_worth_it()
        if table is None:
            return self._get(paper_id)
        docnum = table.ids.get(paper_id)
        return None if docnum is None else self._papers([docnum])[0]

    def by_title(self, key: str) -> list[Paper]:
        table = self._table_if_worth_it()
        if table is None:
            return self._same_title(key)
        return self._papers(table.titles.get(key, []))

    def _table_if_worth_it(self) -> _Table | None:
        self._asked += 1
        if self._table is None and self._asked > 2 * TABLE_AFTER:  # two asks a paper
            self._table = self._read_table()
        return self._table

    def _read_table(self) -> _Table:
        table = _Table()
        with self._lock:
            reader = self._store.searcher().reader()
            if not reader.doc_count():
                return table
            column = reader.column_reader("row")
            for docnum in reader.all_doc_ids():
                row = PaperRow.decode(column[docnum])
                table.ids[row.id] = docnum
                table.titles.setdefault(title_key(row.title), []).append(docnum)
        return table

    def _papers(self, docnums: list[int]) -> list[Paper]:
        """The papers of these documents; the one just read by id is not read again when
        its title is looked up next."""
        found = []
        with self._lock:
            searcher = self._store.searcher()
            for docnum in docnums:
                if self._last is None or self._last[0] != docnum:
                    self._last = (docnum, paper_from_stored(searcher.stored_fields(docnum)))
                found.append(self._last[1])
        return found
