"""What the user typed -> the best document numbers, over one store.

Parsing, prefix expansion and "did you mean" are paperdeck.index.engine.search; scoring is
paperdeck.index.engine.fastscore (whole posting lists as arrays), with Whoosh's own matchers for the
query shapes it does not cover. Only paperdeck.index.engine.engine uses it.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import OrderedDict
from typing import Any

import numpy as np
from paperdeck.index.engine import fastscore, querytext
from paperdeck.index.engine import search as searching
from paperdeck.index.engine import whoosh_private as private
from paperdeck.index.engine.request import SearchRequest
from paperdeck.index.engine.store import SCHEMA, Store, indexed_text, paper_from_stored
from paperdeck.index.models import Paper, PaperRow
from whoosh import query
from whoosh.qparser.common import QueryParserError
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

SUGGEST_BELOW = 3  # fewer matches than this: offer a "did you mean"
# What a query that parsed but cannot run raises (a phrase on a field without positions, a
# regex that does not compile): plain words instead. Anything else is a bug, and surfaces.
CANNOT_RUN = (query.QueryError, QueryParserError, re.error)


class Ranker:
    """Runs searches on one store; keeps the array scorer of its current searcher."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._scorer: fastscore.ArrayScorer | None = None
        self._row_column: tuple[Searcher, Any, dict[int, PaperRow]] | None = None
        # Document frequencies of the terms prefixes were expanded to, for this searcher.
        self._frequencies: tuple[Searcher | None, dict[tuple[str, str], int]] = (None, {})
        self._papers: tuple[Searcher | None, OrderedDict[int, Paper]] = (None, OrderedDict())

    PAPERS_KEPT = 1024  # whole papers kept per searcher (see paper)

    def paper(self, docnum: int) -> Paper:
        """A document's whole paper, kept for the searcher's next asks: a phrase query checks
        its best candidates' text, then returns the same papers; each costs a decompression,
        a JSON parse and Paper.from_dict, most of a one-word query's time."""
        searcher = self.store.searcher()
        if self._papers[0] is not searcher:
            self._papers = (searcher, OrderedDict())
        kept = self._papers[1]
        if (paper := kept.get(docnum)) is None:
            paper = kept[docnum] = paper_from_stored(searcher.stored_fields(docnum))
            if len(kept) > self.PAPERS_KEPT:
                kept.popitem(last=False)
        return paper

    ROWS_KEPT = 20_000  # list rows kept per searcher (see rows)

    def rows(self, docnums: tuple[int, ...]) -> tuple[PaperRow, ...]:
        """The list rows of documents, from the index's row column: one positioned read a
        row where the segments are real files (`RowColumn`), else Whoosh's column reader.
        Either is kept per searcher (opening it reads every document's offset), and so are
        the rows read: each keystroke of a word lists mostly the rows of the one before."""
        if not docnums:  # (an empty index has no column to read)
            return ()
        searcher = self.store.searcher()
        if self._row_column is None or self._row_column[0] is not searcher:
            self._row_column = (searcher, RowColumn.of(searcher.reader()), {})
        _, column, kept = self._row_column
        if len(docnums) > self.ROWS_KEPT:  # (a whole listing: read, not kept)
            return _read_rows(column, docnums)
        missing = tuple(dict.fromkeys(n for n in docnums if n not in kept))
        if len(kept) + len(missing) > self.ROWS_KEPT:
            kept.clear()
            missing = tuple(dict.fromkeys(docnums))
        kept.update(zip(missing, _read_rows(column, missing), strict=True))
        return tuple(map(kept.__getitem__, docnums))

    def run(self, request: SearchRequest) -> searching.Found:
        """Parse, expand, rank (the request's order is not this one's: see ordering); the
        caller holds the store's lock. Papers marked not interested (`dismissed`) are left out
        unless the text asks for them (`is:dismissed`)."""
        limit, prefix, dismissed = request.limit, request.prefix, request.dismissed
        parsed = querytext.split_filters(request.text)
        marks = request.bookmarks().values() if parsed.on_bookmarks else ()
        allowed = searching.filter_query(parsed, marks, request.new_since, dismissed)
        hidden = searching.hidden_query(parsed, dismissed)
        incomplete = parsed.incomplete
        searcher = self.store.searcher()
        if not parsed.text.strip():
            docnums, total = searching.newest_first(searcher, limit, allowed, hidden)
            scores = (0.0,) * len(docnums)
            return searching.Found(
                docnums=docnums,
                scores=scores,
                terms=frozenset(),
                total=total,
                incomplete=incomplete,
            )
        q, fell_back = searching.parse(parsed, SCHEMA, prefix=prefix)
        raw_words = searching.stem_map(parsed.words, SCHEMA)
        try:
            if self._frequencies[0] is not searcher or len(self._frequencies[1]) > 100_000:
                self._frequencies = (searcher, {})
            vocabulary, frequencies = self.store.vocabulary, self._frequencies[1]
            q = searching.expand_prefixes(
                q, searcher, raw_words, vocabulary, frequencies=frequencies
            )
            docnums, scores, total = self._rank(q, limit, allowed, hidden)
        except CANNOT_RUN:  # odd syntax that parsed but cannot run: plain words instead
            q, fell_back = searching.plain_query(parsed, SCHEMA), True
            docnums, scores, total = self._rank(q, limit, allowed, hidden)
        suggestion = None
        if total < SUGGEST_BELOW:
            typing = querytext.last_word_typed(parsed) if prefix else None
            vocabulary = self.store.vocabulary
            suggestion = searching.suggest(searcher, parsed, vocabulary, typing, total > 0)
        terms = searching.positive_terms(q)
        return searching.Found(
            docnums=docnums,
            scores=scores,
            terms=terms,
            total=total,
            suggestion=suggestion,
            fell_back=fell_back,
            incomplete=incomplete,
        )

    def _rank(
        self,
        q: query.Query,
        limit: int | None,
        allowed: query.Query | None,
        hidden: query.Query | None = None,
    ) -> tuple[tuple[int, ...], tuple[float, ...], int]:
        """Score with whole posting lists as arrays; Whoosh's own matchers otherwise."""
        searcher = self.store.searcher()
        try:
            scorer = self.array_scorer(searcher)
            mask = self.mask(scorer.size, allowed, hidden)
            ranked = scorer.rank(q, limit, mask)
            return ranked.docnums, ranked.scores, ranked.total
        except fastscore.Unsupported:
            found = searching.degrade_phrases(q)
            results = searcher.search(found, limit=limit, filter=allowed, mask=hidden)
            return searching.whoosh_ranked(results, limit)

    def mask(
        self, size: int, allowed: query.Query | None, hidden: query.Query | None
    ) -> np.ndarray | None:
        """The document numbers a filter allows, less the hidden ones (None: all)."""
        if allowed is None and hidden is None:
            return None
        searcher = self.store.searcher()
        mask = np.ones(size, dtype=bool)
        if allowed is not None:
            mask[:] = False
            mask[list(searcher.docs_for_query(allowed))] = True
        if hidden is not None:
            mask[list(searcher.docs_for_query(hidden))] = False
        return mask

    def warm(self) -> None:
        """Field lengths read, the vocabulary sorted (prefixes expand through it) and the
        row and stored-field columns opened now (each reads every document's offset in each
        segment), so that the first search is as quick as the next ones."""
        self.store.vocabulary.words  # noqa: B018 (sorted once, on first use)
        with contextlib.suppress(fastscore.Unsupported):
            scorer = self.array_scorer(self.store.searcher())
            for fieldname in querytext.SEARCH_FIELDS:
                scorer.lengths(fieldname)
        if self.store.searcher().doc_count_all():
            self.rows((0,))  # opens the row column
            for leaf, _ in self.store.searcher().reader().leaf_readers():
                if leaf.doc_count_all():
                    leaf.stored_fields(0)  # opens the segment's stored-field column

    def array_scorer(self, searcher: Searcher) -> fastscore.ArrayScorer:
        """One ArrayScorer per searcher: it caches lengths and postings of that index state."""
        if self._scorer is None or self._scorer.searcher is not searcher:
            self._scorer = fastscore.ArrayScorer(searcher, self._indexed_text)
        return self._scorer

    def _indexed_text(self, docnum: int, fieldname: str) -> str:
        return indexed_text(self.paper(docnum), fieldname)


def _read_rows(column: RowColumn | Any, docnums: tuple[int, ...]) -> tuple[PaperRow, ...]:
    if isinstance(column, RowColumn):
        return tuple(map(PaperRow.decode, column.values(docnums)))
    return tuple(PaperRow.decode(column[docnum]) for docnum in docnums)


class RowColumn:
    """The row column of every segment as three arrays by document number: the file that
    holds a document's row, where and how long (paperdeck.index.engine.whoosh_private)."""

    def __init__(self, filenos: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> None:
        self.filenos, self.starts, self.lengths = filenos, starts, lengths

    @classmethod
    def of(cls, reader: IndexReader) -> RowColumn | Any:
        """The reader's row column as a RowColumn, or Whoosh's column reader when a
        segment's column is not in a real file."""
        parts = []
        for leaf, _ in reader.leaf_readers():
            found = private.var_column(leaf, "row")
            if found is None:
                return reader.column_reader("row")
            fileno, starts, lengths = found
            parts.append((np.full(len(starts), fileno, dtype=np.int32), starts, lengths))
        filenos, starts, lengths = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
        return cls(filenos, starts, lengths)

    def values(self, docnums: tuple[int, ...]) -> list[bytes]:
        picked = np.asarray(docnums, dtype=np.int64)
        where = zip(
            self.filenos[picked].tolist(),
            self.lengths[picked].tolist(),
            self.starts[picked].tolist(),
            strict=True,
        )
        return [
            os.pread(fileno, length, start) if length else b"" for fileno, length, start in where
        ]
