"""Whole-posting-list scoring with numpy, straight from Whoosh's index.

Whoosh scores one posting at a time in Python (a few microseconds each, most of it reading a
field length from disk), so a word found in most abstracts of a 100,000-paper library costs
several hundred milliseconds. Here each term's posting blocks are decoded once, scored as
arrays with the statistics and BM25F formula Whoosh itself uses, and subqueries combine as
array operations over every document number. The results are Whoosh's results (tested), only
faster; a query shape this module does not know raises Unsupported and Whoosh runs it.
"""

from __future__ import annotations

import heapq
import io
import itertools
import pickle
import struct
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from index.engine import whoosh_private as private
from index.engine.phrases import FieldText, PhraseChecker

_BLOCK_LENGTH = struct.Struct("!i")  # a posting block's byte length (whoosh.system's int)
# Whoosh stores a field length as one byte; this table turns the byte back into a length.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class Unsupported(Exception):
    """A query shape left to Whoosh's own matchers."""


@dataclass(frozen=True)
class Ranked:
    """The best documents, best first, and how many matched in all."""

    docnums: tuple[int, ...]
    scores: tuple[float, ...]
    total: int


@dataclass
class _Scored:
    matched: np.ndarray  # bool per document number; a superset where not exact
    score: np.ndarray  # float64 per document number (exact for documents that match)
    exact: bool = True  # False under an unchecked phrase: `matched` may hold too many


class ArrayScorer:
    """Scores queries over one searcher; it caches field lengths, so make one per searcher.

    `field_text` gives a document's indexed text, for checking phrases (see
    index.engine.phrases)."""

    CACHE_POSTINGS = 2_000_000  # decoded postings kept between searches (~32 MB)
    MAX_EXPANSION = 1024  # terms a fuzzy or regex query may stand for, as Whoosh's Or allows

    def __init__(self, searcher: Searcher, field_text: FieldText) -> None:
        if type(searcher.weighting) is not BM25F:
            raise Unsupported("only BM25F scoring is vectorised")
        self.searcher = searcher
        self.schema = searcher.schema
        self.size = searcher.reader().doc_count_all()
        self.leaves = list(searcher.reader().leaf_readers())
        self.alive = self._alive()
        self._lengths: dict[str, np.ndarray] = {}
        analyzers = {name: field.analyzer for name, field in self.schema.items() if field.analyzer}
        self.phrases = PhraseChecker(field_text, analyzers)
        self._parts: dict[int, _Scored] = {}
        self._cache: OrderedDict[tuple[str, bytes], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cached = 0  # postings held in _cache

    def _alive(self) -> np.ndarray:
        alive = np.ones(self.size, dtype=bool)
        for leaf, offset in self.leaves:
            deleted = private.deleted_docs(leaf)
            if deleted:
                alive[np.asarray(deleted, dtype=np.int64) + offset] = False
        return alive

    def lengths(self, fieldname: str) -> np.ndarray:
        """Every document's length of a field, read once as one block per segment."""
        if fieldname not in self._lengths:
            column = np.ones(self.size, dtype=np.float64)  # Whoosh's default length is 1
            for leaf, offset in self.leaves:
                raw = private.length_bytes(leaf, fieldname)
                if raw is not None:
                    count = min(len(raw), leaf.doc_count_all())
                    codes = np.frombuffer(raw, dtype=np.uint8, count=count)
                    column[offset : offset + count] = _LENGTH_OF_BYTE[codes]
            self._lengths[fieldname] = column
        return self._lengths[fieldname]

    # -- ranking -----------------------------------------------------------------------------
    def rank(self, q: query.Query, limit: int | None, allowed: np.ndarray | None) -> Ranked:
        """The top `limit` documents (all when None), ties broken by document number."""
        try:
            scored = self._eval(q)
            matched = scored.matched & self.alive
            if allowed is not None:
                matched &= allowed
            docs = np.flatnonzero(matched)
            if not scored.exact:
                return self._rank_checked(q, docs, scored.score[docs], limit)
        finally:
            self._parts.clear()  # a query's arrays: a few MB each at 100,000 papers
        scores = scored.score[docs]
        if limit is not None and len(docs) > limit:
            kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= kth
            docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))[:limit]
        return Ranked(
            tuple(docs[order].tolist()), tuple(scores[order].tolist()), int(matched.sum())
        )

    MAX_CHECKS = 5000  # candidates checked for a phrase before the rest are estimated
    COUNT_ALL_UP_TO = 500  # fewer candidates than this are all checked, for an exact count

    def _rank_checked(
        self, q: query.Query, docs: np.ndarray, bounds: np.ndarray, limit: int | None
    ) -> Ranked:
        """Best first by the unchecked score (an upper bound), checking phrases until the
        next candidate cannot beat the `limit`-th confirmed one."""
        order = np.lexsort((docs, -bounds))
        best: list[tuple[float, int]] = []  # min-heap of (score, -docnum)
        found = checked = 0
        for index in order.tolist():
            settled = limit is not None and len(best) >= limit and best[0][0] > bounds[index]
            if settled and len(docs) > self.COUNT_ALL_UP_TO:
                break
            if checked >= self.MAX_CHECKS:
                break
            checked += 1
            matches, score = self._exact(q, int(docs[index]))
            if not matches:
                continue
            found += 1
            heapq.heappush(best, (score, -int(docs[index])))
            if limit is not None and len(best) > limit:
                heapq.heappop(best)
        ranked = sorted(best, reverse=True)
        total = found if checked == len(docs) else round(len(docs) * found / max(checked, 1))
        return Ranked(
            tuple(-doc for _, doc in ranked), tuple(score for score, _ in ranked), max(total, found)
        )

    # -- whole-library evaluation --------------------------------------------------------------
    def _eval(self, node: query.Query) -> _Scored:
        if isinstance(node, query.MultiTerm):
            result = self._multi_term(node)
        else:
            handler = _HANDLERS.get(type(node), ArrayScorer._other)
            result = handler(self, node)
        self._parts[id(node)] = result
        return result

    def _empty(self) -> _Scored:
        return _Scored(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def _term(self, node: query.Term) -> _Scored:
        fieldname = node.fieldname
        if fieldname not in self.schema:
            return self._empty()
        field = self.schema[fieldname]
        if not field.scorable:
            return self._other(node)
        try:
            text = field.to_bytes(node.text)
        except ValueError:
            return self._empty()
        if (fieldname, text) not in self.searcher.reader():
            return self._empty()
        docs, weights = self._postings(fieldname, text)
        bm25 = self.searcher.weighting.scorer(self.searcher, fieldname, text)
        length = self.lengths(fieldname)[docs]
        k1, b = bm25.K1, bm25.B
        norm = weights + k1 * ((1 - b) + b * length / bm25.avgfl)
        result = self._empty()
        result.matched[docs] = True
        result.score[docs] = bm25.idf * ((weights * (k1 + 1)) / norm) * node.boost
        return result

    def _postings(self, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers and weights of a term over every segment, kept for the next
        searches: while typing, each keystroke asks for the earlier words again."""
        key = (fieldname, text)
        if (cached := self._cache.get(key)) is not None:
            self._cache.move_to_end(key)
            return cached
        postings = self._read_postings(fieldname, text)
        self._cache[key] = postings
        self._cached += len(postings[0])
        while self._cached > self.CACHE_POSTINGS and len(self._cache) > 1:
            _, (docs, _) = self._cache.popitem(last=False)
            self._cached -= len(docs)
        return postings

    def _read_postings(self, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        all_docs, all_weights = [], []
        fmt = self.schema[fieldname].format
        for leaf, offset in self.leaves:
            if (fieldname, text) not in leaf:
                continue
            docs, weights = _leaf_postings(private.term_matcher(leaf, fieldname, text, fmt))
            all_docs.append(docs + offset)
            all_weights.append(weights)
        if not all_docs:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(all_docs), np.concatenate(all_weights)

    def _multi_term(self, node: query.MultiTerm) -> _Scored:
        """Fuzzy, regex and other expanding terms: an Or of what they stand for."""
        expanded = private.expanded_terms(node, self.searcher.reader())
        words = itertools.islice(expanded, self.MAX_EXPANSION)
        terms = [query.Term(node.field(), word, boost=node.boost) for word in words if word]
        return self._or(query.Or(terms))  # scored, as Whoosh does even when "constant"

    def _phrase(self, node: query.Phrase) -> _Scored:
        """Papers holding every word of the phrase; checked later (see _rank_checked)."""
        parts = [self._term(query.Term(node.fieldname, word)) for word in node.words]
        if not parts:
            return self._empty()
        result = _Scored(parts[0].matched.copy(), parts[0].score.copy(), exact=len(parts) == 1)
        for part in parts[1:]:
            result.matched &= part.matched
            result.score += part.score
        return self._boosted(result, node.boost)

    def _or(self, node: query.Or) -> _Scored:
        if node.scale is not None:
            raise Unsupported("Or with a coordination bonus")
        result = self._empty()
        for sub in node.subqueries:
            part = self._eval(sub)
            result.matched |= part.matched
            result.score += np.where(part.matched, part.score, 0.0)
            result.exact &= part.exact
        return self._boosted(result, node.boost)

    def _and(self, node: query.And) -> _Scored:
        parts = [self._eval(sub) for sub in node.subqueries]
        if not parts:
            return self._empty()
        result = _Scored(parts[0].matched.copy(), parts[0].score.copy(), parts[0].exact)
        for part in parts[1:]:
            result.matched &= part.matched
            result.score += part.score
            result.exact &= part.exact
        return self._boosted(result, node.boost)

    def _not(self, node: query.Not) -> _Scored:
        """Whoosh scores a negation as 1; an unchecked phrase cannot rule anything out."""
        inner = self._eval(node.query)
        matched = ~inner.matched if inner.exact else np.ones(self.size, dtype=bool)
        return _Scored(matched, np.ones(self.size), inner.exact)

    def _and_not(self, node: query.AndNot) -> _Scored:
        positive, negative = self._eval(node.a), self._eval(node.b)
        matched = positive.matched & ~negative.matched if negative.exact else positive.matched
        return _Scored(matched, positive.score, positive.exact and negative.exact)

    def _and_maybe(self, node: query.AndMaybe) -> _Scored:
        required, optional = self._eval(node.a), self._eval(node.b)
        extra = np.where(optional.matched, optional.score, 0.0)
        exact = required.exact and optional.exact
        return _Scored(required.matched, required.score + extra, exact)

    def _require(self, node: query.Require) -> _Scored:
        scored, required = self._eval(node.a), self._eval(node.b)
        exact = scored.exact and required.exact
        return _Scored(scored.matched & required.matched, scored.score, exact)

    def _null(self, node: query.Query) -> _Scored:
        return self._empty()

    def _other(self, node: query.Query) -> _Scored:
        """Ranges, dates, ids: Whoosh finds the documents; each scores 1, as constant-score
        queries do in Whoosh."""
        result = self._empty()
        docs = np.fromiter(self.searcher.docs_for_query(node), dtype=np.int64)
        result.matched[docs] = True
        result.score[docs] = node.boost if hasattr(node, "boost") else 1.0
        return result

    @staticmethod
    def _boosted(result: _Scored, boost: float) -> _Scored:
        if boost != 1.0:
            result.score *= boost
        return result

    # -- one document, phrases checked ---------------------------------------------------------
    def _exact(self, node: query.Query, doc: int) -> tuple[bool, float]:
        """Whether one document matches and its score, with phrases checked on its text."""
        part = self._parts[id(node)]
        if part.exact or not part.matched[doc]:
            return bool(part.matched[doc]), float(part.score[doc])
        boost = getattr(node, "boost", 1.0)
        if isinstance(node, query.Phrase):
            found = self.phrases.check(doc, node.fieldname, node.words, node.slop)
            return found, float(part.score[doc])
        if isinstance(node, query.Or):
            subs = [self._exact(sub, doc) for sub in node.subqueries]
            return any(m for m, _ in subs), sum(s for m, s in subs if m) * boost
        if isinstance(node, query.And):
            subs = [self._exact(sub, doc) for sub in node.subqueries]
            return all(m for m, _ in subs), sum(s for _, s in subs) * boost
        if isinstance(node, query.Not):
            return not self._exact(node.query, doc)[0], 1.0
        first, second = self._exact(node.a, doc), self._exact(node.b, doc)
        if isinstance(node, query.AndNot):
            return first[0] and not second[0], first[1]
        if isinstance(node, query.AndMaybe):
            return first[0], first[1] + (second[1] if second[0] else 0.0)
        return first[0] and second[0], first[1]  # Require


_HANDLERS = {
    query.Term: ArrayScorer._term,
    query.Phrase: ArrayScorer._phrase,
    query.Or: ArrayScorer._or,
    query.And: ArrayScorer._and,
    query.Not: ArrayScorer._not,
    query.AndNot: ArrayScorer._and_not,
    query.AndMaybe: ArrayScorer._and_maybe,
    query.Require: ArrayScorer._require,
    type(query.NullQuery): ArrayScorer._null,
}


def _leaf_postings(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """A segment's posting list for one term: document numbers and weights."""
    if (raw := private.posting_blocks(matcher)) is not None:
        return _decode_blocks(raw)
    docs, weights = [], []
    while matcher.is_active():  # inlined (single-posting) terms and other matchers
        docs.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(docs, dtype=np.int64), np.asarray(weights, dtype=np.float64)


def _decode_blocks(raw: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Whoosh 3 posting blocks, read from one buffer rather than ~20 small file reads each:
    [length][pickled info][data], the length negative on the last block. Ids are
    delta-coded from 0 in each block; all blocks are converted to arrays in one go."""
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise Unsupported("not a Whoosh 3 posting list")
    buffer = io.BytesIO(raw)
    deltas: list[int] = []
    weights: list[float] = []
    counts: list[int] = []
    position, last = 4, False
    while not last:
        (length,) = _BLOCK_LENGTH.unpack_from(raw, position)
        last, length = length < 0, abs(length)
        buffer.seek(position + _BLOCK_LENGTH.size)
        count, _, _, compression, _, _ = pickle.load(buffer)
        data = raw[buffer.tell() : position + _BLOCK_LENGTH.size + length]
        block_ids, block_weights, _ = pickle.loads(zlib.decompress(data) if compression else data)
        deltas.extend(block_ids)
        if block_weights is None or isinstance(block_weights, float):
            weights.extend([1.0 if block_weights is None else block_weights] * count)
        else:
            weights.extend(block_weights)
        counts.append(count)
        position += _BLOCK_LENGTH.size + length
    running = np.cumsum(np.array(deltas, dtype=np.int64))
    block_ends = np.cumsum(counts)
    before_block = np.concatenate(([0], running[block_ends[:-1] - 1]))
    return running - np.repeat(before_block, counts), np.array(weights, dtype=np.float64)
