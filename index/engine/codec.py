"""Whoosh's own on-disk format (whoosh3), written with less Python per posting.

Importing 100,000 papers writes about 18 million postings, and Whoosh's writer handles them one
by one in Python: for each it read the document's field length back from disk, checked its
order and type, and appended it to a block. This codec writes a term's postings block by block
with C-level operations (a field's lengths are read once per segment). The files are the same
bytes as Whoosh's codec writes (tests/unit/test_codec.py compares them), so any whoosh3 reader reads
them. Its classes subclass whoosh3's format writers and use their private attributes; the
version check of paperdeck.index.engine.whoosh_private (imported here) guards them.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, groupby
from operator import itemgetter, sub
from typing import Any, cast

from paperdeck.index.engine import whoosh_private  # noqa: F401  (its whoosh3 version check)
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3Codec,
    W3FieldWriter,
    W3PerDocReader,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.util.numeric import byte_to_length

# A length byte of 0 means "no length stored"; Whoosh's per-posting lookup gives None then.
_LENGTH_OF_BYTE: list[int | None] = [None] + [byte_to_length(b) for b in range(1, 256)]
_TERM = itemgetter(0, 1)  # a pool posting is (fieldname, btext, docnum, weight, value)
_DOCNUMS, _WEIGHTS, _VALUES = itemgetter(2), itemgetter(3), itemgetter(4)


# A term's postings as columns: docnums (ascending), weights, encoded values.
Columns = tuple[list[int], list[float], list[bytes]]
LengthOf = Callable[[int], int | None]  # a document's field length (None: not stored)


class SortedTerms:
    """Postings already grouped: ((fieldname, btext), Columns), sorted by term. A pool that
    keeps postings by term hands these to the field writer, one term at a time, so that it
    can build each term's columns as they are written and free its own copy."""

    def __init__(self, terms: Iterable[tuple[tuple[str, bytes], Columns]]) -> None:
        self._terms = terms

    def __iter__(self) -> Iterator[tuple[tuple[str, bytes], Columns]]:
        return iter(self._terms)


def columns_of(postings: Iterable[tuple[Any, ...]]) -> Columns:
    """Pool postings (fieldname, btext, docnum, weight, value) of one term as Columns."""
    postings = list(postings)
    return (
        list(map(_DOCNUMS, postings)),
        list(map(_WEIGHTS, postings)),
        list(map(_VALUES, postings)),
    )


class PaperCodec(W3Codec):
    """W3Codec whose segment flush writes postings a term at a time."""

    def per_document_reader(self, storage: Any, segment: Any) -> W3PerDocReader:
        return _PreloadedLengthsReader(storage, segment)

    def field_writer(self, storage: Any, segment: Any) -> W3FieldWriter:
        return _TermAtATimeFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _BlockPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class _PreloadedLengthsReader(W3PerDocReader):
    def doc_field_length_reader(self, fieldname: str, default: int = 0) -> LengthOf:
        """All of a field's lengths decoded at once; the writer then calls a list lookup."""
        reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if reader is None:
            return cast(LengthOf, super().doc_field_length_reader(fieldname, default))
        lengths = [_LENGTH_OF_BYTE[b] for b in reader]
        return lengths.__getitem__


class _TermAtATimeFieldWriter(W3FieldWriter):
    def add_postings(self, schema: Any, lengths: Any, items: Iterable[tuple[Any, ...]]) -> None:
        """Whoosh's FieldWriter.add_postings, grouped by term: same calls, same order."""
        if lengths is None or any(schema[name].separate_spelling() for name in schema.names()):
            super().add_postings(schema, lengths, items)  # spelling postings: Whoosh's way
            return
        field, last_term, length_of = None, None, None
        if isinstance(items, SortedTerms):
            grouped: Iterable[tuple[Any, Columns]] = items
        else:
            grouped = ((term, columns_of(group)) for term, group in groupby(items, key=_TERM))
        for term, columns in grouped:
            if last_term is not None and term <= last_term:
                raise OutOfOrderError(f"{last_term!r} .. {term!r}")
            if term[0] != field:
                if field is not None:
                    self.finish_field()
                field = term[0]
                self.start_field(field, schema[field])
                length_of = lengths.doc_field_length_reader(field)
            last_term = term
            self.start_term(term[1])
            self._postwriter.add_term_postings(columns, length_of)
            self.finish_term()
        if field is not None:
            self.finish_field()


class _BlockPostingsWriter(W3PostingsWriter):
    def add_term_postings(self, columns: Columns, length_of: LengthOf) -> None:
        """All of a term's postings as full blocks; the last one stays buffered for
        finish_postings, as add_posting leaves it."""
        limit, (ids, weights, values) = self._blocklimit, columns
        for start in range(0, len(ids), limit):
            if start:
                self._write_block()
            end = start + limit
            self._fill_block(ids[start:end], weights[start:end], values[start:end], length_of)

    def _fill_block(
        self, ids: list[int], weights: list[float], values: list[bytes], length_of: LengthOf
    ) -> None:
        self._ids, self._weights = array("I", ids), array("f", weights)
        self._values = [v for v in values if v]
        self._maxweight = max(0, max(weights))  # before float32 rounding, as Whoosh does
        known = list(filter(None, map(length_of, ids)))
        self._minlength = min(known) if known else None
        self._maxlength = max(known) if known else 0

    def _mini_ids(self) -> tuple[int, ...]:
        ids = self._ids
        return tuple(ids) if self._byteids else tuple(map(sub, ids, chain((0,), ids)))

    def _mini_weights(self) -> Any:
        weights = self._weights
        if weights.count(1.0) == len(weights):
            return None
        if weights.count(weights[0]) == len(weights):
            return weights[0]
        return tuple(weights)
