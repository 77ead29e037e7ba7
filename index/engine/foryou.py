"""For you: a ranking learned from the user's marks, in the spirit of arxiv-sanity-lite.

Every paper is a tf-idf vector of its title, abstract and authors, read once per index
generation straight from the posting lists (no paper is unpickled). A logistic regression,
trained by a few hundred numpy iterations, separates the bookmarked papers (positives) from
the papers marked not interested (negatives) and a random sample of the rest (weak
negatives, as arxiv-sanity-lite trains against everything untagged). Scoring the library is
one sparse product. Only index.engine.ordering uses this module.
"""

from __future__ import annotations

import math
import os
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.reading import IndexReader

from index.engine import whoosh_private as private
from index.engine.fastscore import _decode_blocks as decode_blocks

# (field, prefix of its features): a title's and an abstract's words are one feature (titles
# weigh their field boost), an author's name another.
FIELDS = (("title", ""), ("abstract", ""), ("author", "author:"))
MIN_DF = 2  # a term in one paper relates it to nothing
MAX_DF_SHARE = 0.1  # a term in many papers tells few apart (as arxiv-sanity-lite's max_df)
SMALL_LIBRARY = 50  # ... but in a small library, a topic's word can be in a tenth of it
TERMS_PER_PAPER = 48  # a paper's strongest terms are kept; the rest cost memory, not ranking
WEAK_NEGATIVES = 1000  # unmarked papers sampled as negatives
ITERATIONS = 200
L2 = 1e-3
# Words that say nothing of a topic, beyond the index's own stop words (as they are stemmed).
_PLAIN = (
    "about abov after again against all also although among ani anoth becaus been befor "
    "being below between both but could did differ do doe doing down dure each even ever "
    "few further given had ha has here how howev into itself just like made make mani "
    "might more most much must new no nor now onli other our out over own per same sever "
    "should sinc so some such than their them then there these thei they those though "
    "through thu too under until up upon veri via wa was were what whether which while who "
    "whom whose why within without would"
)
PLAIN_WORDS = frozenset(_PLAIN.split())


@dataclass(frozen=True)
class Features:
    """Every document's tf-idf vector (unit length), as CSR arrays over `terms`."""

    indptr: np.ndarray  # int64, one more than documents
    cols: np.ndarray  # int32
    vals: np.ndarray  # float32
    terms: tuple[str, ...]  # a column's feature: "title:stem", "stem" (abstract), "author:x"

    @property
    def size(self) -> int:
        return len(self.indptr) - 1

    def row(self, docnum: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.indptr[docnum], self.indptr[docnum + 1]
        return self.cols[start:end], self.vals[start:end]

    def rows(self, docnums: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows of some documents as COO arrays: (row position, column, value)."""
        starts, ends = self.indptr[docnums], self.indptr[docnums + 1]
        counts = ends - starts
        which = np.repeat(np.arange(len(docnums)), counts)
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        picked = np.repeat(starts, counts) + offsets
        return which, self.cols[picked], self.vals[picked]

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """Every document's vector times `weights` (one per column)."""
        out = np.zeros(self.size, dtype=np.float32)
        starts = self.indptr[:-1]
        filled = self.indptr[1:] > starts
        if len(self.vals):
            products = self.vals * weights[self.cols]
            out[filled] = np.add.reduceat(products, starts[filled])
        return out


def save_features(features: Features, path: Path) -> None:
    """Keep a generation's features for the next process (its reading costs seconds at
    100,000 papers): written atomically; the other generations' files are removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as out:
            terms = np.array(features.terms, dtype=np.str_)
            np.savez(out, indptr=features.indptr, cols=features.cols, vals=features.vals,
                     terms=terms)  # fmt: skip
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)
    for other in path.parent.glob("*.npz"):
        if other != path:
            other.unlink(missing_ok=True)


def load_features(path: Path, size: int) -> Features | None:
    """A generation's saved features; None when missing, damaged or for another size."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            indptr, terms = saved["indptr"], tuple(str(t) for t in saved["terms"])
            features = Features(indptr, saved["cols"], saved["vals"], terms)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return None
    return features if features.size == size else None


def read_features(reader: IndexReader) -> Features:
    """The tf-idf vectors of every document of a reader, from its posting lists: the terms
    in at least MIN_DF and at most MAX_DF_SHARE of the papers, sublinear term frequencies
    (titles weigh their field boost), each paper's TERMS_PER_PAPER strongest kept."""
    size = reader.doc_count_all()
    lexicon, counts = _lexicon(list(reader.leaf_readers()))
    kept = _worth_a_feature(counts, size)
    columns = {key: number for number, key in enumerate(sorted(kept))}
    docs, cols, weights = _postings(lexicon, columns)
    idf = np.zeros(len(columns), dtype=np.float32)
    for key, number in columns.items():
        idf[number] = math.log((1 + size) / (1 + kept[key])) + 1
    vals = (1 + np.log(np.maximum(weights, 1.0))).astype(np.float32) * idf[cols]
    del weights
    order = np.lexsort((-vals, docs))  # by document, its strongest terms first
    docs, cols, vals = docs[order], cols[order], vals[order]
    del order
    per_doc = np.bincount(docs, minlength=size)
    starts = (np.cumsum(per_doc) - per_doc).astype(np.int32)
    keep = (np.arange(len(docs), dtype=np.int32) - starts[docs]) < TERMS_PER_PAPER
    docs, cols, vals = docs[keep], cols[keep], vals[keep]
    norms = np.sqrt(np.bincount(docs, weights=vals.astype(np.float64) ** 2, minlength=size))
    vals = (vals / np.maximum(norms[docs], 1e-12)).astype(np.float32)
    indptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=size), out=indptr[1:])
    terms = tuple(prefix + text for prefix, text in sorted(kept))
    return Features(indptr, cols.astype(np.int32), vals, terms)


Lexicon = list[tuple[Any, int, list[tuple[Any, tuple[str, str]]]]]  # (leaf, offset, terms)


def _lexicon(leaves: list[tuple[Any, int]]) -> tuple[Lexicon, Counter[tuple[str, str]]]:
    """Each segment's (term info, feature) and every feature's document frequency: the
    lexicon is read once (its terms are many small reads)."""
    counts: Counter[tuple[str, str]] = Counter()
    lexicon: Lexicon = []
    for leaf, offset in leaves:
        terms = []
        for fieldname, prefix in FIELDS:
            if fieldname not in leaf.indexed_field_names():
                continue
            for term, info in leaf.iter_field(fieldname):
                key = (prefix, term.decode("utf-8"))
                counts[key] += info.doc_frequency()
                terms.append((info, key))
        lexicon.append((leaf, offset, terms))
    return lexicon, counts


def _worth_a_feature(counts: Counter[tuple[str, str]], size: int) -> Counter[tuple[str, str]]:
    """The features in enough papers to relate some, and not so many that they tell none
    apart; an author's initial or a stray letter says little of a topic either."""
    most = max(MIN_DF, int(size * MAX_DF_SHARE), SMALL_LIBRARY)
    return Counter(
        {
            key: n
            for key, n in counts.items()
            if MIN_DF <= n <= most and len(key[1]) > 2 and key[1] not in PLAIN_WORDS
        }
    )


def _postings(
    lexicon: Lexicon, columns: dict[tuple[str, str], int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every kept feature's postings as COO arrays (document, column, weight), each
    (document, column) once: a word in a title and in the abstract has its weights summed."""
    parts: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
    for leaf, offset, terms in lexicon:
        for info, key in terms:
            column = columns.get(key)
            if column is None:
                continue
            raw = private.term_postings_bytes(leaf, info)
            if raw is None:  # a term in one document: its posting is in its term info
                ids, inlined, _ = info.inlined_postings()
                found, weight = np.asarray(ids, np.int64), np.asarray(inlined, np.float64)
            else:
                found, weight = decode_blocks(raw)
            kept = ((found + offset).astype(np.int32), weight.astype(np.float32))
            parts.setdefault(column, []).append(kept)
    docs, cols, weights = [], [], []
    for column, held in parts.items():
        column_docs = np.concatenate([d for d, _ in held])
        column_weights = np.concatenate([w for _, w in held])
        if len(held) > 1:  # several segments or fields: a document may be there twice
            column_docs, where = np.unique(column_docs, return_inverse=True)
            column_weights = np.bincount(where, weights=column_weights)
        docs.append(column_docs.astype(np.int32))
        cols.append(np.full(len(column_docs), column, dtype=np.int32))
        weights.append(column_weights.astype(np.float32))
    if not docs:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float32)
    return np.concatenate(docs), np.concatenate(cols), np.concatenate(weights)


@dataclass(frozen=True)
class Model:
    """A trained ranking: a weight per feature, and every document's score."""

    weights: np.ndarray  # float32, one per feature column
    scores: np.ndarray  # float32, one per document number
    positives: np.ndarray  # the bookmarked documents it learned from


def train(
    features: Features,
    positives: Iterable[int],
    negatives: Iterable[int],
    alive: np.ndarray,
    seed: int = 0,
) -> Model:
    """Logistic regression, L2-regularised, by Nesterov-accelerated gradient descent over
    the marked papers and a sample of the others; each class weighs as much in all."""
    pos = np.unique(np.fromiter(positives, dtype=np.int64))
    neg = np.setdiff1d(np.unique(np.fromiter(negatives, dtype=np.int64)), pos)
    weak = _weak_negatives(alive, np.concatenate([pos, neg]), seed)
    docs = np.concatenate([pos, neg, weak])
    labels = np.concatenate([np.ones(len(pos)), -np.ones(len(neg) + len(weak))])
    cost = np.concatenate(
        [
            np.full(len(pos), 1 / max(len(pos), 1)),
            np.full(len(neg), 1 / max(len(pos), len(neg), 1)),
            np.full(len(weak), 1 / max(len(weak), 1)),
        ]
    )
    which, cols, vals = features.rows(docs)
    used, local = np.unique(cols, return_inverse=True)
    weights = _descend(which, local, vals.astype(np.float64), labels, cost, len(used))
    # A word most of the bookmarks share says more than one a single bookmark happens to use.
    in_positives = np.bincount(local[which < len(pos)], minlength=len(used))
    weights = np.where(weights > 0, weights * in_positives / max(len(pos), 1), weights)
    full = np.zeros(len(features.terms), dtype=np.float32)
    full[used] = weights
    return Model(full, features.dot(full), pos)


def _weak_negatives(alive: np.ndarray, marked: np.ndarray, seed: int) -> np.ndarray:
    """A fixed random sample of the unmarked papers (the same marks, the same ranking)."""
    unmarked = alive.copy()
    unmarked[marked] = False
    candidates = np.flatnonzero(unmarked)
    if len(candidates) <= WEAK_NEGATIVES:
        return candidates
    return np.sort(np.random.default_rng(seed).choice(candidates, WEAK_NEGATIVES, replace=False))


def _descend(
    which: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    labels: np.ndarray,
    cost: np.ndarray,
    width: int,
) -> np.ndarray:
    """Minimise sum(cost * log(1 + exp(-label * (x.w + b)))) + L2/2 |w|^2; returns w."""
    rows = len(labels)
    step = 1 / (0.25 * float(cost.sum()) * 2 + L2)  # 1/L: unit rows, plus the bias
    w, b = np.zeros(width), 0.0
    w_prev, b_prev = w, b
    for k in range(1, ITERATIONS + 1):
        momentum = (k - 1) / (k + 2)
        v = w + momentum * (w - w_prev)
        c = b + momentum * (b - b_prev)
        margin = labels * (np.bincount(which, vals * v[cols], minlength=rows) + c)
        slope = -cost * labels / (1 + np.exp(np.minimum(margin, 50)))  # d loss / d output
        grad = np.bincount(cols, vals * slope[which], minlength=width) + L2 * v
        w_prev, b_prev = w, b
        w, b = v - step * grad, c - step * float(slope.sum())
    return w


def nearest(features: Features, docnum: int, among: np.ndarray, count: int) -> list[int]:
    """The `count` documents of `among` whose vectors are closest to one document's."""
    if not len(among):
        return []
    cols, vals = features.row(docnum)
    dense = np.zeros(len(features.terms), dtype=np.float32)
    dense[cols] = vals
    which, other_cols, other_vals = features.rows(among)
    similarity = np.bincount(which, other_vals * dense[other_cols], minlength=len(among))
    best = np.argsort(-similarity, kind="stable")[:count]
    return [int(among[i]) for i in best if similarity[i] > 0]


def strongest_terms(features: Features, model: Model, docnum: int, count: int) -> list[str]:
    """The features that raise a document's score most (its terms the model likes)."""
    cols, vals = features.row(docnum)
    lift = vals * model.weights[cols]
    best = np.argsort(-lift, kind="stable")[:count]
    return [features.terms[int(cols[i])] for i in best if lift[i] > 0]
