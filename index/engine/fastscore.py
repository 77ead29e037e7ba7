"""Whole-posting-list scoring with numpy, straight from Whoosh's index.

Whoosh scores one posting at a time in Python (most of it reading a field length from disk),
so a word found in most abstracts of a big library costs a Python call for each of them.
Here each term's posting blocks are decoded once, scored as arrays with the statistics and
BM25F formula Whoosh itself uses, and subqueries combine as array operations over every
document number. The results are Whoosh's results (tested), only faster; a query shape this
module does not know raises Unsupported and Whoosh runs it.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from paperdeck.index.engine import whoosh_postings
from paperdeck.index.engine import whoosh_private as private
from paperdeck.index.engine.phrases import FieldText, PhraseChecker
from whoosh import query
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

# Whoosh stores a field length as one byte; this table turns the byte back into a length.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class Unsupported(Exception):
    """A query shape left to Whoosh's own matchers."""


@dataclass(frozen=True, kw_only=True)
class Ranked:
    """The best documents, best first, and how many matched in all."""

    docnums: tuple[int, ...]
    scores: tuple[float, ...]
    total: int


class _Scored:
    """What a subquery matched: sparse (the matching document numbers, ascending, and their
    scores) or dense (a flag and a score for every document number), whichever is cheaper.
    A word's postings are a few thousand of a million documents: dense arrays cost 9 MB each
    to make and to add, sparse ones only what matched. Either form is read as the other."""

    __slots__ = ("_matched", "_score", "docs", "exact", "size", "values")

    def __init__(
        self,
        size: int,
        *,
        matched: np.ndarray | None = None,
        score: np.ndarray | None = None,
        docs: np.ndarray | None = None,
        values: np.ndarray | None = None,
        exact: bool = True,  # False under an unchecked phrase: the matches may be too many
    ) -> None:
        self.size, self.exact = size, exact
        self._matched, self._score = matched, score  # dense: bool and float64 per document
        self.docs, self.values = docs, values  # sparse: int64 ascending, float64

    @property
    def sparse(self) -> bool:
        return self.docs is not None

    @property
    def matched(self) -> np.ndarray:
        """A flag per document number (a superset of the matches where not exact)."""
        if self._matched is None:
            self._matched = np.zeros(self.size, dtype=bool)
            self._matched[self.docs] = True
        return self._matched

    @property
    def score(self) -> np.ndarray:
        """A score per document number (exact for the documents that match)."""
        if self._score is None:
            self._score = np.zeros(self.size)
            self._score[self.docs] = self.values
        return self._score

    def found(self, docs: np.ndarray) -> np.ndarray:
        """Which of these document numbers (ascending) match."""
        if self.docs is None:
            flags: np.ndarray = self.matched[docs]
            return flags
        at = np.searchsorted(self.docs, docs)
        inside = at < len(self.docs)
        found = np.zeros(len(docs), dtype=bool)
        found[inside] = self.docs[at[inside]] == docs[inside]
        return found

    def scores_of(self, docs: np.ndarray) -> np.ndarray:
        """The scores of these document numbers (ascending; 0 where not matched)."""
        if self.docs is None or self.values is None:
            scores: np.ndarray = self.score[docs]
            return scores
        at = np.minimum(np.searchsorted(self.docs, docs), max(len(self.docs) - 1, 0))
        if not len(self.docs):
            return np.zeros(len(docs))
        return np.where(self.docs[at] == docs, self.values[at], 0.0)

    def has(self, doc: int) -> bool:
        """Whether one document matches (checking phrases asks document by document: the
        dense flags, made once, answer faster than a search of the sparse ones)."""
        return bool(self.matched[doc])

    def score_of(self, doc: int) -> float:
        return float(self.score[doc])

    def boost(self, boost: float) -> _Scored:
        """Scaled in place (its arrays are its own)."""
        if boost != 1.0:
            if self.values is not None:
                self.values *= boost
            if self._score is not None:
                self._score *= boost
        return self


class ArrayScorer:
    """Scores queries over one searcher; it caches field lengths, so make one per searcher.

    `field_text` gives a document's indexed text, for checking phrases (see
    paperdeck.index.engine.phrases)."""

    CACHE_POSTINGS = 3_000_000  # scored postings kept between searches (~48 MB)
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
        self._fields: dict[str, tuple[float, float, float]] = {}  # BM25F's K1, B, avgfl
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
            if scored.docs is not None and scored.values is not None:
                keep = self.alive[scored.docs]
                if allowed is not None:
                    keep &= allowed[scored.docs]
                docs, scores = scored.docs[keep], scored.values[keep]
            else:
                matched = scored.matched & self.alive
                if allowed is not None:
                    matched &= allowed
                docs = np.flatnonzero(matched)
                scores = scored.score[docs]
            total = len(docs)
            if not scored.exact:
                return self._rank_checked(q, docs, scores, limit)
        finally:
            self._parts.clear()  # a query's arrays: a few MB each at 100,000 papers
        if limit is not None and len(docs) > limit:
            kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            keep = scores >= kth
            docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))[:limit]
        return Ranked(
            docnums=tuple(docs[order].tolist()),
            scores=tuple(scores[order].tolist()),
            total=total,
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
            docnums=tuple(-doc for _, doc in ranked),
            scores=tuple(score for score, _ in ranked),
            total=max(total, found),
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
        return self._sparse(np.zeros(0, dtype=np.int64), np.zeros(0))

    def _sparse(self, docs: np.ndarray, values: np.ndarray, exact: bool = True) -> _Scored:
        return _Scored(self.size, docs=docs, values=values, exact=exact)

    def _dense(self, matched: np.ndarray, score: np.ndarray, exact: bool = True) -> _Scored:
        return _Scored(self.size, matched=matched, score=score, exact=exact)

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
        docs, scores = self._scored_postings(fieldname, text)
        return self._sparse(docs, scores * node.boost)

    def _scored_postings(self, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers and BM25F scores of a term over every segment, kept for the next
        searches: while typing, each keystroke asks for the earlier words again."""
        key = (fieldname, text)
        if (cached := self._cache.get(key)) is not None:
            self._cache.move_to_end(key)
            return cached
        docs, weights = self._read_postings(fieldname, text)
        postings = docs, self._bm25(fieldname, text, docs, weights)
        self._cache[key] = postings
        self._cached += len(postings[0])
        while self._cached > self.CACHE_POSTINGS and len(self._cache) > 1:
            _, (docs, _) = self._cache.popitem(last=False)
            self._cached -= len(docs)
        return postings

    def _bm25(
        self, fieldname: str, text: bytes, docs: np.ndarray, weights: np.ndarray
    ) -> np.ndarray:
        """Whoosh's BM25F of each posting. Its per-term scorer reads the term's statistics
        from every segment again (once a term, for each segment); only the idf differs from term to
        term, and it comes from the posting count, which is the document frequency."""
        if not len(docs):
            return np.zeros(0)
        if fieldname not in self._fields:
            bm25 = self.searcher.weighting.scorer(self.searcher, fieldname, text)
            self._fields[fieldname] = (bm25.K1, bm25.B, bm25.avgfl)
        k1, b, avgfl = self._fields[fieldname]
        idf = math.log(self.searcher.doc_count_all() / (len(docs) + 1)) + 1
        norm = weights + k1 * ((1 - b) + b * self.lengths(fieldname)[docs] / avgfl)
        scores: np.ndarray = idf * ((weights * (k1 + 1)) / norm)
        return scores

    def _read_postings(self, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        all_docs, all_weights = [], []
        fmt = self.schema[fieldname].format
        for leaf, offset in self.leaves:
            try:  # one lookup of the term in the segment, not three
                info = leaf.term_info(fieldname, text)
            except TermNotFound:
                continue
            raw = private.term_postings_bytes(leaf, info)
            if raw is not None:
                docs, weights = _decode_blocks(raw)
            else:
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
        result = self._all_of(parts)
        result.exact = len(parts) == 1
        return result.boost(node.boost)

    SPARSE_SHARE = 8  # an Or stays sparse while its postings are under 1/8 of the documents

    def _or(self, node: query.Or) -> _Scored:
        if node.scale is not None:
            raise Unsupported("Or with a coordination bonus")
        parts = [self._eval(sub) for sub in node.subqueries]
        exact = all(part.exact for part in parts)
        sparse = [(p.docs, p.values) for p in parts if p.docs is not None and p.values is not None]
        if (
            len(sparse) == len(parts)
            and sum(len(d) for d, _ in sparse) * self.SPARSE_SHARE < self.size
        ):
            if not sparse:
                return self._empty()
            docs = np.concatenate([d for d, _ in sparse])
            values = np.concatenate([v for _, v in sparse])
            # Summed in the subqueries' order (bincount adds in array order), as Whoosh does.
            unique, inverse = np.unique(docs, return_inverse=True)
            summed = np.bincount(inverse, weights=values, minlength=len(unique))
            return self._sparse(unique, summed, exact).boost(node.boost)
        matched, score = np.zeros(self.size, dtype=bool), np.zeros(self.size)
        for part in parts:
            if part.docs is not None and part.values is not None:
                matched[part.docs] = True
                score[part.docs] += part.values  # (a sparse part's documents are unique)
            else:
                matched |= part.matched
                score += np.where(part.matched, part.score, 0.0)
        return self._dense(matched, score, exact).boost(node.boost)

    def _and(self, node: query.And) -> _Scored:
        parts = [self._eval(sub) for sub in node.subqueries]
        if not parts:
            return self._empty()
        return self._all_of(parts).boost(node.boost)

    def _all_of(self, parts: list[_Scored]) -> _Scored:
        """Documents every part matches, their scores summed in order. Sparse when a part
        matches few documents: only the smallest sparse part's can match."""
        exact = all(part.exact for part in parts)
        sparse = [part.docs for part in parts if part.docs is not None]
        if not sparse or min(map(len, sparse)) * self.SPARSE_SHARE >= self.size:  # (faster)
            matched, score = parts[0].matched.copy(), parts[0].score.copy()
            for part in parts[1:]:
                matched &= part.matched
                score += part.score
            return self._dense(matched, score, exact)
        docs = min(sparse, key=len)
        for part in parts:
            if part.docs is not docs:
                docs = docs[part.found(docs)]
        values = parts[0].scores_of(docs)
        for part in parts[1:]:
            values = values + part.scores_of(docs)
        return self._sparse(docs, values, exact)

    def _not(self, node: query.Not) -> _Scored:
        """Whoosh scores a negation as 1; an unchecked phrase cannot rule anything out."""
        inner = self._eval(node.query)
        matched = ~inner.matched if inner.exact else np.ones(self.size, dtype=bool)
        return self._dense(matched, np.ones(self.size), inner.exact)

    def _and_not(self, node: query.AndNot) -> _Scored:
        positive, negative = self._eval(node.a), self._eval(node.b)
        exact = positive.exact and negative.exact
        if positive.docs is not None and positive.values is not None:
            keep = ~negative.found(positive.docs) if negative.exact else slice(None)
            return self._sparse(positive.docs[keep], positive.values[keep], exact)
        matched = positive.matched & ~negative.matched if negative.exact else positive.matched
        return self._dense(matched, positive.score, exact)

    def _and_maybe(self, node: query.AndMaybe) -> _Scored:
        required, optional = self._eval(node.a), self._eval(node.b)
        exact = required.exact and optional.exact
        if required.docs is not None and required.values is not None:
            extra = optional.scores_of(required.docs)  # 0 where the optional part is not
            return self._sparse(required.docs, required.values + extra, exact)
        extra = np.where(optional.matched, optional.score, 0.0)
        return self._dense(required.matched, required.score + extra, exact)

    def _require(self, node: query.Require) -> _Scored:
        scored, required = self._eval(node.a), self._eval(node.b)
        exact = scored.exact and required.exact
        if scored.docs is not None and scored.values is not None:
            keep = required.found(scored.docs)
            return self._sparse(scored.docs[keep], scored.values[keep], exact)
        return self._dense(scored.matched & required.matched, scored.score, exact)

    def _null(self, node: query.Query) -> _Scored:
        return self._empty()

    def _other(self, node: query.Query) -> _Scored:
        """Ranges, dates, ids: Whoosh finds the documents; each scores 1, as constant-score
        queries do in Whoosh."""
        docs = np.unique(np.fromiter(self.searcher.docs_for_query(node), dtype=np.int64))
        return self._sparse(docs, np.full(len(docs), getattr(node, "boost", 1.0), dtype=float))

    # -- one document, phrases checked ---------------------------------------------------------
    def _exact(self, node: query.Query, doc: int) -> tuple[bool, float]:
        """Whether one document matches and its score, with phrases checked on its text."""
        part = self._parts[id(node)]
        if part.exact or not part.has(doc):
            return part.has(doc), part.score_of(doc)
        boost = getattr(node, "boost", 1.0)
        if isinstance(node, query.Phrase):
            found = self.phrases.check(doc, node.fieldname, node.words, node.slop)
            return found, part.score_of(doc)
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
    """Whoosh 3 posting blocks, read from one buffer rather than ~20 small file reads each;
    all blocks are converted to arrays in one go (ids are delta-coded within a block)."""
    deltas: list[int] = []
    weights: list[float] = []
    counts: list[int] = []
    try:
        for block_ids, block_weights in whoosh_postings.blocks(raw):
            deltas.extend(block_ids)
            weights.extend(block_weights)
            counts.append(len(block_ids))
    except whoosh_postings.NotWhoosh3 as error:
        raise Unsupported(str(error)) from None
    running = np.cumsum(np.array(deltas, dtype=np.int64))
    block_ends = np.cumsum(counts)
    before_block = np.concatenate(([0], running[block_ends[:-1] - 1]))
    return running - np.repeat(before_block, counts), np.array(weights, dtype=np.float64)
