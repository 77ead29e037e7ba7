"""Sort orders: relevance, newest, upvotes and for you, over any query and filters.

A query's matches (or, for no words, every paper the filters allow) are ranked once as
document numbers, then ordered by per-document arrays read straight from index columns
(the listing order, the upvotes) or computed by the for-you model (paperdeck.index.engine.foryou):
no
paper is unpickled, so the whole library sorts in milliseconds. Only paperdeck.index.engine.engine
uses it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from paperdeck.index.engine import fastscore, foryou, querytext
from paperdeck.index.engine import search as searching
from paperdeck.index.engine import whoosh_private as private
from paperdeck.index.engine.analysis import fold
from paperdeck.index.engine.ranking import Ranker
from paperdeck.index.engine.request import Marks, SearchRequest
from paperdeck.index.engine.search import Found
from paperdeck.index.engine.store import (
    ANALYZER,
    NO_VOTES,
    SCHEMA,
    TITLE_BOOST,
    Store,
    indexed_text,
    paper_from_stored,
)
from paperdeck.index.lazy import lazy_module
from paperdeck.index.models import SORT_ORDERS, Paper, SortOrder
from whoosh import query
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

if TYPE_CHECKING:  # mypy reads them; at run time the first for-you ranking imports them
    from paperdeck.index.engine.foryou import features as foryou_features
    from paperdeck.index.engine.foryou import model as foryou_model
    from paperdeck.index.engine.foryou import segments as foryou_segments
else:  # (a search in relevance or newest order needs none of them)
    foryou_features = lazy_module("paperdeck.index.engine.foryou.features")
    foryou_model = lazy_module("paperdeck.index.engine.foryou.model")
    foryou_segments = lazy_module("paperdeck.index.engine.foryou.segments")

ORDERS = SORT_ORDERS


@dataclass(frozen=True, kw_only=True)
class Why:
    """Why a paper ranks high for you: its closest bookmarks' ids and the terms that lift it,
    as (field, index term) pairs."""

    like: tuple[str, ...]
    terms: tuple[tuple[str, str], ...]


class Orderer:
    """Sorts a store's documents; keeps the columns and the for-you model of its searcher."""

    def __init__(self, store: Store, ranker: Ranker) -> None:
        self.store = store
        self.ranker = ranker
        self._searcher: Searcher | None = None
        self._columns: dict[str, np.ndarray] = {}
        self._features: tuple[str, foryou_features.Features] | None = None  # (generation, features)
        self._model: tuple[bytes, foryou_model.Model] | None = None

    def _current(self) -> Searcher:
        """The store's searcher; what was kept for an earlier one is dropped."""
        searcher = self.store.searcher()
        if searcher is not self._searcher:
            self._searcher, self._columns, self._model = searcher, {}, None
        return searcher

    def run(self, request: SearchRequest) -> Found:
        """The query's matches in the request's order; Found.order says the order applied
        ("for-you" without a bookmark in the library is "newest")."""
        self._current()
        bookmarks, dismissed, order = request.bookmarks, request.dismissed, request.order
        parsed = querytext.split_filters(request.text)
        if parsed.text.strip():
            found = self.ranker.run(dataclasses.replace(request, limit=None))
            docnums = np.asarray(found.docnums, dtype=np.int64)
            scores = np.asarray(found.scores, dtype=np.float64)
        else:
            marks = bookmarks().values() if parsed.on_bookmarks else ()
            allowed = searching.filter_query(parsed, marks, request.new_since, dismissed)
            hidden = searching.hidden_query(parsed, dismissed)
            alive = self.alive()
            mask = self.ranker.mask(len(alive), allowed, hidden)
            docnums = np.flatnonzero(alive if mask is None else alive & mask)
            scores = np.zeros(len(docnums))
            found = Found(
                docnums=(), scores=(), terms=frozenset(), total=0, incomplete=parsed.incomplete
            )
        model = self.model(bookmarks().keys(), dismissed) if order == "for-you" else None
        if order == "for-you" and model is None:
            order = "newest"
        if model is not None:
            scores = model.scores[docnums].astype(np.float64)
        ranked = self._sorted(docnums, order, scores, model, bookmarks)[: request.limit]
        return dataclasses.replace(
            found,
            docnums=tuple(docnums[ranked].tolist()),
            scores=tuple(scores[ranked].tolist()),
            total=len(docnums),
            order=order,
        )

    def _sorted(
        self,
        docnums: np.ndarray,
        order: SortOrder,
        scores: np.ndarray,
        model: foryou_model.Model | None,
        bookmarks: Marks,
    ) -> np.ndarray:
        """Positions of `docnums` in the order asked; ties go newest first."""
        if order == "relevance":
            return np.arange(len(docnums))
        newest = -self.column("order", ">i8", 0)[docnums]
        if order == "upvotes":
            votes = self.column("votes", ">i4", NO_VOTES)[docnums]
            return np.lexsort((docnums, newest, -votes))
        if order == "for-you" and model is not None:
            # Papers already bookmarked are yours: after the ones to look at.
            marked = np.zeros(len(docnums), dtype=bool)
            marked[np.isin(docnums, model.positives)] = True
            return np.lexsort((docnums, newest, -scores, marked))
        return np.lexsort((docnums, newest))

    def column(self, fieldname: str, dtype: str, default: int) -> np.ndarray:
        """Every document's value of a numeric column (`dtype`: its values as Whoosh writes
        them, big-endian), read once per searcher."""
        if fieldname not in self._columns:
            parts = []
            for leaf, _ in self._current().reader().leaf_readers():
                values = np.full(leaf.doc_count_all(), default, dtype=np.int64)
                raw = private.column_bytes(leaf, fieldname) if len(values) else None
                if raw:
                    read = np.frombuffer(raw, dtype=dtype)[: len(values)]
                    values[: len(read)] = read
                parts.append(values)
            self._columns[fieldname] = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        return self._columns[fieldname]

    def alive(self) -> np.ndarray:
        """Which document numbers are papers (deleted ones are not)."""
        return self.ranker.array_scorer(self._current()).alive

    # -- for you -------------------------------------------------------------------------------
    def features(self) -> foryou_features.Features:
        """The tf-idf vectors of the live generation's documents: kept, saved beside the
        index, or assembled now from its segments' terms (see prepare, which reads the
        segments without the store's lock)."""
        generation = str(self.store.generation)
        if self._features is None or self._features[0] != generation:
            features = self.saved_features(generation)
            if features is None:  # (prepare reads them without the lock; this holds it)
                features = self.read_features(self._current().reader(), generation)
                self.save_features(generation, features)
            self._features = (generation, features)
        return self._features[1]

    def read_features(self, reader: IndexReader, generation: str) -> foryou_features.Features:
        """A generation's features, from its segments' terms (saved in the cache dir by
        segment id, each read once: a generation shares its parent's segments), or those
        of the generation before it (kept here or saved) extended with its new segments."""
        kept = self._features
        previous = kept[1] if kept is not None and kept[0] != generation else None
        if previous is None:
            previous = foryou_features.latest_features(self.store.root / "for-you", generation)
        return foryou_features.read_features(
            reader, foryou_segments.segments_dir(self.store.root), previous
        )

    def read_segments(self, reader: IndexReader) -> None:
        """Have a reader's segments' terms saved (only new segments are read)."""
        for leaf, _ in reader.leaf_readers():
            foryou_segments.cached_segment(foryou_segments.segments_dir(self.store.root), leaf)

    def saved_features(self, generation: str) -> foryou_features.Features | None:
        """The generation's features if kept here or in the cache dir (then kept here)."""
        if self._features is None or self._features[0] != generation:
            size = self._current().doc_count_all()
            loaded = foryou_features.load_features(self._features_path(generation), size)
            if loaded is None:
                return None
            self._features, self._model = (generation, loaded), None
        return self._features[1]

    def adopt_features(self, generation: str, features: foryou_features.Features) -> None:
        """Features read by `prepare` (outside the lock), if still for the live generation."""
        if generation == self.store.generation:
            self._features = (generation, features)
            self._model = None
            self.save_features(generation, features)

    def save_features(self, generation: str, features: foryou_features.Features) -> None:
        """Assembled features are saved for the next process (extended ones are not: the
        next extends the saved ones again, in less time than writing them takes); the
        terms of segments no generation holds go."""
        if features.extended:
            return
        foryou_features.save_features(features, self._features_path(generation))
        foryou_segments.prune_segments(self.store.root)

    def _features_path(self, generation: str) -> Path:
        return self.store.root / "for-you" / generation

    # -- similar papers ------------------------------------------------------------------------
    def similar(self, docnum: int, limit: int, hidden: Collection[str]) -> list[tuple[int, float]]:
        """The documents most like one, but it and the `hidden` papers: an OR of its
        strongest words (like_query), scored by BM25F over whole posting lists
        (paperdeck.index.engine.fastscore), as Whoosh's more-like-this but in milliseconds, and with
        or without the for-you features read."""
        searcher = self._current()
        paper = paper_from_stored(searcher.stored_fields(docnum))
        like = like_query(paper, docnum, searcher.reader())
        if like is None:
            return []
        allowed = np.ones(searcher.doc_count_all(), dtype=bool)
        allowed[docnum] = False
        allowed[self.docnums(hidden)] = False
        try:
            ranked = self.ranker.array_scorer(searcher).rank(like, limit, allowed)
        except fastscore.Unsupported:  # another weighting: Whoosh scores it
            hits = searcher.search(like, limit=None)
            found = [(hit.docnum, float(hit.score)) for hit in hits if allowed[hit.docnum]]
            return found[:limit]
        return list(zip(ranked.docnums, ranked.scores, strict=True))

    def docnums(self, paper_ids: Collection[str]) -> np.ndarray:
        """The document numbers of the papers of these ids that are in the index."""
        searcher = self._current()
        found = (searcher.document_number(id=pid) for pid in paper_ids)
        return np.array(sorted(n for n in found if n is not None), dtype=np.int64)

    def model(
        self, liked: Collection[str], dismissed: Collection[str]
    ) -> foryou_model.Model | None:
        """The ranking learned from these marks (trained again when they change); None when
        no bookmarked paper is in the library."""
        positives, negatives = self.docnums(liked), self.docnums(dismissed)
        if not len(positives):
            return None
        key = positives.tobytes() + b"|" + negatives.tobytes()
        if self._model is None or self._model[0] != key:
            features = self.features()
            model = foryou_model.train(features, positives, negatives, self.alive())
            self._model = (key, model)
        return self._model[1]

    def why(self, paper_id: str, liked: Collection[str], dismissed: Collection[str]) -> Why | None:
        """Why a paper ranks where it does for you: its two closest bookmarks and the terms
        that lift it most; None without a model or such a paper."""
        model = self.model(liked, dismissed)
        docnum = self._current().document_number(id=paper_id)
        if model is None or docnum is None:
            return None
        features = self.features()
        others = model.positives[model.positives != docnum]
        near = foryou_model.nearest(features, docnum, others, 2)
        stored = self._current().stored_fields
        like = tuple(str(stored(n)["id"]) for n in near)
        terms = foryou_model.strongest_terms(features, model, docnum, 5)
        return Why(like=like, terms=tuple(_field_term(term) for term in terms))


LIKE_TERMS = 12  # a paper's words asked for its similar papers (as Whoosh's more_like)
# A word in more papers says little of which are alike (on the sample: deep, learn, method,
# problem; "rank" in "3rd rank" made a table-detection paper a ranking paper's third), and
# costs most. No floor for a small library: there, such words are a quarter of it too.
LIKE_MAX_DF_SHARE = 0.25
# A word the paper shares with one other paper only tells which pair, not which topic (on the
# sample "question", "shortcom": a retrieval paper's neighbours were a GAN and an RNN paper).
LIKE_MIN_OTHERS = 2


SAMPLE_PAPERS = 50_000  # papers whose segments tell a word's document frequency


def like_query(paper: Paper, docnum: int, reader: IndexReader) -> query.Query | None:
    """An OR of a paper's LIKE_TERMS strongest words (of its title and abstract), asked of
    abstracts: their frequency in it (a title's count weighs its boost; as Whoosh's
    more_like, not sublinear: a paper's repeated words are its topic) times the square root
    of idf (the rarer shared word weighs more, but a rare word does not outweigh the topic
    the paper keeps repeating), of the words in LIKE_MIN_OTHERS other papers and in at most
    LIKE_MAX_DF_SHARE of them, each boosted by its strength; None when no word relates it to
    other papers. The document frequencies are
    counted in the paper's segment and the largest others, SAMPLE_PAPERS in all, and scaled
    to the library: a lookup a segment, and a million papers have ~70 of them."""
    counts: dict[str, float] = {}
    for fieldname, boost in (("title", TITLE_BOOST), ("abstract", 1.0)):
        for term, count in ANALYZER.term_counts(indexed_text(paper, fieldname)).items():
            counts[term] = counts.get(term, 0.0) + count * boost
    size = reader.doc_count_all()
    sample, sampled = _sample_segments(reader, docnum)
    most = max(foryou.MIN_DF, 1 + LIKE_MIN_OTHERS, int(size * LIKE_MAX_DF_SHARE))
    strengths = []
    for term, weight in counts.items():
        if len(term) <= 2 or term in foryou.PLAIN_WORDS or not term.isalnum():  # (e.g, i.e)
            continue
        others = -1  # (the paper itself is in the sample)
        for leaf in sample:
            found = leaf.doc_frequency("abstract", term) or leaf.doc_frequency("title", term)
            others += found
        df = 1 + others * size / sampled
        if others >= 1 and 1 + LIKE_MIN_OTHERS <= df <= most:
            strength = weight * math.sqrt(math.log((1 + size) / (1 + df)) + 1)
            strengths.append((strength, term))
    best = sorted(strengths, reverse=True)[:LIKE_TERMS]
    if not best:
        return None
    # Asked of abstracts only, as Whoosh's more_like did: a title's words are nearly always
    # in its abstract too, and each subquery holds two arrays as long as the library.
    top = best[0][0]
    return query.Or([query.Term("abstract", term, boost=s / top) for s, term in best])


def _sample_segments(reader: IndexReader, docnum: int) -> tuple[list[IndexReader], int]:
    """The segment holding a document, then the largest others until SAMPLE_PAPERS papers
    are in them; and how many papers that is."""
    leaves = list(reader.leaf_readers())
    own = [leaf for leaf, offset in leaves if offset <= docnum < offset + leaf.doc_count_all()]
    chosen, papers = own[:1], sum(leaf.doc_count_all() for leaf in own[:1])
    others = sorted((leaf for leaf, _ in leaves if leaf not in chosen), key=_size, reverse=True)
    for leaf in others:
        if papers >= SAMPLE_PAPERS:
            break
        chosen.append(leaf)
        papers += leaf.doc_count_all()
    return chosen, max(papers, 1)


def _size(leaf: IndexReader) -> int:
    return int(leaf.doc_count_all())


def _field_term(feature: str) -> tuple[str, str]:
    """A feature's (field, index term): "title:x", "author:x", or an abstract's "x"."""
    for fieldname, prefix in foryou.FIELDS:
        if prefix and feature.startswith(prefix):
            return fieldname, feature[len(prefix) :]
    return "abstract", feature


def surface_words(paper: Paper, terms: Collection[tuple[str, str]]) -> list[str]:
    """Index terms (stems, folded names) as the paper writes them: `retriev` is "retrieval",
    `author:smith` is "J. Smith"; each word once."""
    words: dict[str, str] = {}
    for fieldname, term in terms:
        if fieldname == "author":
            names = [a for a in paper.authors if term in fold(a.lower()).split()]
            word = names[0] if names else term
        else:  # a title's and an abstract's words are one feature
            word = _written(paper, "title", term) or _written(paper, "abstract", term) or term
        words.setdefault(word.casefold(), word)
    return list(words.values())


def _written(paper: Paper, fieldname: str, term: str) -> str | None:
    """The first word of a paper's field that the index holds as `term`."""
    text = indexed_text(paper, fieldname)
    spans = searching.match_spans(text, frozenset({(fieldname, term)}), fieldname, SCHEMA)
    if not spans:
        return None
    word = text[spans[0][0] : spans[0][1]]
    return word if word.isupper() else word.lower()
