"""The for-you model: a linear SVM over the features, trained on the user's marks, and what
it tells of one paper (its neighbours, its terms the model likes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from paperdeck.index.engine.foryou.features import Features

WEAK_NEGATIVES = 2000  # unmarked papers sampled as negatives
ITERATIONS = 80
# Each class's loss weighs this much in all against the unit L2 penalty on the weights
# (balanced classes, as arxiv-sanity-lite's LinearSVC with C=0.01 on a library of a thousand;
# fixed, so that a sample of negatives weighs what the whole library would; bench/README.md).
CLASS_WEIGHT = 5.0
DISMISSED_WEIGHT = 10.0  # a paper marked not interested, against one merely unmarked
# A word's positive weight times (share of the bookmarks holding it) ** SHARED: a word most
# bookmarks share says more than one a single bookmark happens to use.
SHARED = 0.5


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
    """A linear SVM (squared hinge loss, L2, balanced classes, as arxiv-sanity-lite's
    LinearSVC) by Nesterov-accelerated gradient descent: the bookmarks against the papers
    marked not interested and a sample of the others; then the bookmarks' shared words
    favoured (SHARED)."""
    pos = np.unique(np.fromiter(positives, dtype=np.int64))
    neg = np.setdiff1d(np.unique(np.fromiter(negatives, dtype=np.int64)), pos)
    weak = _weak_negatives(alive, np.concatenate([pos, neg]), seed)
    docs = np.concatenate([pos, neg, weak])
    labels = np.concatenate([np.ones(len(pos)), -np.ones(len(neg) + len(weak))])
    each = CLASS_WEIGHT / max(len(neg) * DISMISSED_WEIGHT + len(weak), 1)
    cost = np.concatenate(
        [
            np.full(len(pos), CLASS_WEIGHT / max(len(pos), 1)),
            np.full(len(neg), each * DISMISSED_WEIGHT),
            np.full(len(weak), each),
        ]
    )
    which, cols, vals = features.rows(docs)
    used, local = np.unique(cols, return_inverse=True)
    weights = _descend(which, local, vals.astype(np.float64), labels, cost, len(used))
    share = np.bincount(local[which < len(pos)], minlength=len(used)) / max(len(pos), 1)
    weights = np.where(weights > 0, weights * share**SHARED, weights)
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
    """Minimise sum(cost * max(0, 1 - label * (x.w + b))^2) + (|w|^2 + b^2) / 2 (the bias
    penalised too, as LinearSVC does); returns w."""
    rows = len(labels)
    step = 1 / (1 + 2 * float(cost.sum()) * 2)  # 1/L: unit rows, plus the bias
    w, b = np.zeros(width), 0.0
    w_prev, b_prev = w, b
    for k in range(1, ITERATIONS + 1):
        momentum = (k - 1) / (k + 2)
        v = w + momentum * (w - w_prev)
        c = b + momentum * (b - b_prev)
        output = np.bincount(which, vals * v[cols], minlength=rows) + c
        slope = -2 * cost * labels * np.maximum(0, 1 - labels * output)  # d loss / d output
        grad = np.bincount(cols, vals * slope[which], minlength=width) + v
        w_prev, b_prev = w, b
        w, b = v - step * grad, c - step * (float(slope.sum()) + c)
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
