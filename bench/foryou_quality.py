"""How well for you ranks, against arxiv-sanity-lite's recipe, on real arXiv papers.

    python -m bench.foryou_quality [--snapshot bench/data/arxiv-snapshot-first-1000.json]

The papers are real records of Kaggle's arXiv metadata snapshot (bench/data/SOURCES.md); a
paper's topic is its primary arXiv category (the first of `categories`, read here with json,
not through paperdeck). For each category with at least MIN_PAPERS papers and each of DRAWS
seed draws (random.Random(draw), fixed): bookmark three papers of that category, rank the
library, and count how many of the first ten papers that are not seeds have the seeds'
primary category (precision@10). Averaged over every category and draw.

- paperdeck: its own for you, through the facade only (add_bookmarks, then browse("", ...,
  order="for-you")), on a library that imported the same file; nothing tuned here.
- arxiv-sanity-lite's recipe, written from its published description (compute.py, serve.py):
  tf-idf of title and abstract with unigrams and bigrams, sublinear tf, max_df 0.1 (and its
  min_df 5, English stop words, word tokens), then a LinearSVC with balanced class weights and
  C=0.01 trained on the bookmarks against every other paper, ranked by decision function.
- paperdeck with dismissals: after the first ranking, the one or two best-ranked papers of
  another category are marked not interested (what a user would do with a wrong row), and
  the library ranked again. The recipe cannot learn from them; its ranking just drops them,
  so both are scored on the same remaining papers.

A bench-only script: scikit-learn comes with `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from paperdeck.index.library import Library
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

SNAPSHOT = Path(__file__).parent / "data" / "arxiv-snapshot-first-1000.json"
SEEDS = 3
TOP = 10
MIN_PAPERS = 30  # a category with fewer has too few papers left to fill a top ten well
DRAWS = 10


@dataclass(frozen=True, kw_only=True)
class Corpus:
    ids: list[str]
    texts: list[str]  # title and abstract, as the recipe reads them
    authors: list[str]
    primary: dict[str, str]  # id -> primary category


def read_corpus(path: Path) -> Corpus:
    ids, texts, authors, primary = [], [], [], {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            ids.append(record["id"])
            texts.append(f"{record['title']} {record['abstract']}")
            authors.append(record.get("authors") or "")
            primary[record["id"]] = record["categories"].split()[0]
    return Corpus(ids=ids, texts=texts, authors=authors, primary=primary)


class Recipe:
    """arxiv-sanity-lite's ranking: one tf-idf matrix, one SVM per set of bookmarks. The
    keyword arguments change one ingredient at a time toward what paperdeck does (the
    `--ablations` rows), to see which of them costs precision; the defaults are the recipe."""

    def __init__(
        self,
        corpus: Corpus,
        *,
        ngrams: tuple[int, int] = (1, 2),
        with_authors: bool = False,
        top_terms: int | None = None,
    ) -> None:
        vectorizer = TfidfVectorizer(
            strip_accents="unicode",
            lowercase=True,
            analyzer="word",
            stop_words="english",
            token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
            ngram_range=ngrams,
            max_features=20_000,
            norm="l2",
            use_idf=True,
            smooth_idf=True,
            sublinear_tf=True,
            max_df=0.1,
            min_df=5,
        )
        self.ids = corpus.ids
        texts = corpus.texts
        if with_authors:
            texts = [f"{text} {names}" for text, names in zip(texts, corpus.authors, strict=True)]
        self.matrix = vectorizer.fit_transform(texts)
        if top_terms is not None:
            self.matrix = strongest(self.matrix, top_terms)

    def rank(self, seeds: list[str]) -> list[str]:
        marked = set(seeds)
        labels = np.array([1 if pid in marked else 0 for pid in self.ids])
        svm = LinearSVC(class_weight="balanced", max_iter=1_000_000, tol=1e-6, C=0.01)
        svm.fit(self.matrix, labels)
        scores = svm.decision_function(self.matrix)
        return [self.ids[i] for i in np.argsort(-scores, kind="stable")]


def strongest(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Each row's `keep` largest weights, the row normalised again (as paperdeck keeps each
    paper's TERMS_PER_PAPER strongest terms)."""
    out = matrix.tolil(copy=True)
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        weights = matrix.data[start:end]
        if len(weights) > keep:
            for i in np.argsort(weights)[: len(weights) - keep]:
                out[row, matrix.indices[start + i]] = 0
    kept = out.tocsr()
    kept.eliminate_zeros()
    norms = np.sqrt(np.asarray(kept.multiply(kept).sum(axis=1))).ravel()
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ kept)


ABLATIONS = {  # label: what changes in the recipe
    "recipe, unigrams only": {"ngrams": (1, 1)},
    "recipe, with authors' names": {"with_authors": True},
    "recipe, 24 strongest terms a paper": {"top_terms": 24},
    "recipe, all three": {"ngrams": (1, 1), "with_authors": True, "top_terms": 24},
}


def ablations(corpus: Corpus, picks: list[tuple[str, list[str]]]) -> dict[str, float]:
    """The recipe's mean precision@10 with one ingredient changed, on the same draws."""
    out = {}
    for label, change in ABLATIONS.items():
        recipe = Recipe(corpus, **change)
        out[label] = round(
            statistics.mean(
                precision(recipe.rank(seeds), category, corpus.primary, set(seeds))
                for category, seeds in picks
            ),
            3,
        )
    return out


def paperdeck_rank(lib: Library, seeds: list[str], dismissed: list[str]) -> list[str]:
    """For you's ranking with these marks, its marks taken off again after."""
    lib.add_bookmarks(seeds)
    if dismissed:
        lib.dismiss(dismissed)
    try:
        found = lib.browse("", None, order="for-you")
        if found.order != "for-you":
            raise RuntimeError(f"for you fell back to {found.order!r}")
        return [row.id for row in found.rows]
    finally:
        lib.remove_bookmarks(seeds)
        if dismissed:
            lib.undismiss(dismissed)


def precision(ranked: list[str], category: str, primary: dict[str, str], skip: set[str]) -> float:
    top = [pid for pid in ranked if pid not in skip][:TOP]
    return sum(primary[pid] == category for pid in top) / TOP


def wrong_rows(
    ranked: list[str], category: str, primary: dict[str, str], seeds: list[str]
) -> list[str]:
    return [pid for pid in ranked if pid not in seeds and primary[pid] != category]


def draws(corpus: Corpus, first: int = 0, count: int = DRAWS) -> list[tuple[str, list[str]]]:
    """Each category's seed draws `first` to `first + count` (other draws than the report's
    own, 0 to DRAWS, tell whether a change helps beyond the seeds it was measured on)."""
    by_category: dict[str, list[str]] = {}
    for pid in corpus.ids:
        by_category.setdefault(corpus.primary[pid], []).append(pid)
    out = []
    for category, members in sorted(by_category.items()):
        if len(members) < MIN_PAPERS:
            continue
        for draw in range(first, first + count):
            out.append((category, random.Random(draw).sample(members, SEEDS)))
    return out


def evaluate(
    lib: Library, recipe: Recipe, corpus: Corpus, picks: list[tuple[str, list[str]]]
) -> dict:
    """Every draw's precision@10 for each ranker, then the means per category and overall."""
    rows = []
    for category, seeds in picks:
        ours = paperdeck_rank(lib, seeds, [])
        theirs = recipe.rank(seeds)
        row = {"category": category, "seeds": seeds}
        row["paperdeck"] = precision(ours, category, corpus.primary, set(seeds))
        row["recipe"] = precision(theirs, category, corpus.primary, set(seeds))
        for count in (1, 2):
            dismissed = wrong_rows(ours, category, corpus.primary, seeds)[:count]
            skip = set(seeds) | set(dismissed)
            again = paperdeck_rank(lib, seeds, dismissed)
            row[f"paperdeck_{count}_dismissed"] = precision(again, category, corpus.primary, skip)
            row[f"recipe_{count}_dismissed"] = precision(theirs, category, corpus.primary, skip)
        rows.append(row)
    return {"draws": rows, "mean": means(rows), "per_category": per_category(rows)}


KEYS = [
    *("paperdeck", "recipe", "paperdeck_1_dismissed", "recipe_1_dismissed"),
    *("paperdeck_2_dismissed", "recipe_2_dismissed"),
]


def means(rows: list[dict]) -> dict[str, float]:
    return {key: round(statistics.mean(r[key] for r in rows), 3) for key in KEYS}


def per_category(rows: list[dict]) -> dict[str, dict[str, float]]:
    categories = sorted({r["category"] for r in rows})
    return {c: means([r for r in rows if r["category"] == c]) for c in categories}


def report(result: dict, corpus: Corpus) -> list[str]:
    mean = result["mean"]
    lines = [
        f"for you vs arxiv-sanity-lite's recipe: {len(corpus.ids)} real arXiv papers,"
        f" {len(result['per_category'])} categories x {result['draws_each']} draws of {SEEDS}"
        f" bookmarks,"
        f" precision@{TOP} of the seeds' primary category",
        f"{'':34} {'paperdeck':>10} {'recipe':>8} {'ratio':>7}",
    ]
    for label, suffix in (("no dismissal", ""), ("1 dismissed", "_1_dismissed")):
        lines.append(_line(label, mean[f"paperdeck{suffix}"], mean[f"recipe{suffix}"]))
    lines.append(_line("2 dismissed", mean["paperdeck_2_dismissed"], mean["recipe_2_dismissed"]))
    share = {
        c: sum(v == c for v in corpus.primary.values()) / len(corpus.ids)
        for c in result["per_category"]
    }
    for category, m in result["per_category"].items():
        lines.append(
            _line(f"  {category} ({share[category]:.0%} of papers)", m["paperdeck"], m["recipe"])
        )
    return lines


def _line(label: str, ours: float, theirs: float) -> str:
    ratio = f"{ours / theirs:6.2f}x" if theirs else "     -"
    return f"{label:34} {ours:>10.3f} {theirs:>8.3f} {ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    parser.add_argument("--json", type=Path, help="also write the per-draw results here")
    parser.add_argument("--ablations", action="store_true", help="the recipe, one change a row")
    parser.add_argument("--first-draw", type=int, default=0, help="other seeds: e.g. 100")
    parser.add_argument("--draws", type=int, default=DRAWS, help="draws a category")
    args = parser.parse_args()
    corpus = read_corpus(args.snapshot)
    with tempfile.TemporaryDirectory(prefix="paperdeck-foryou-") as tmp:
        lib = Library(Path(tmp))
        lib.import_digests([args.snapshot])
        lib.open()
        picks = draws(corpus, args.first_draw, args.draws)
        result = evaluate(lib, Recipe(corpus), corpus, picks)
        result["draws_each"], result["first_draw"] = args.draws, args.first_draw
        lib.close()
    if args.ablations:
        result["ablations"] = ablations(corpus, picks)
    print("\n".join(report(result, corpus)))
    for label, value in result.get("ablations", {}).items():
        print(_line(label, value, result["mean"]["recipe"]) + "  (vs the recipe)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
