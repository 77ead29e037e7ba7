"""For you's constants, one change at a time, on the real arXiv records of foryou_quality.

    python -m bench.foryou_levers [--first-draw 100 --draws 40]

Where foryou_quality goes through the facade only, this reaches into the engine (the
library's Orderer) to read its features again under other constants and train on them in
one process: what bench/README.md's "what else was measured" rows come from. Each row is the
mean precision@10 (no dismissal, 1, 2 dismissed, as foryou_quality counts them) with one
module constant of paperdeck.index.engine.foryou (features) or foryou.model (trainer) set.
A bench-only script.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
from paperdeck.index.engine import foryou
from paperdeck.index.engine.foryou import features as foryou_features
from paperdeck.index.engine.foryou import model as foryou_model
from paperdeck.index.library import Library

from bench.foryou_quality import DRAWS, SNAPSHOT, draws, precision, read_corpus, wrong_rows

# (label, module, constant, value): the rows; the first is today's settings.
LEVERS: list[tuple[str, object, str, object]] = [
    ("as it is", foryou, "MAX_DF_SHARE", None),
    ("MAX_DF_SHARE 0.1 (main)", foryou, "MAX_DF_SHARE", 0.1),
    ("MAX_DF_SHARE 0.2", foryou, "MAX_DF_SHARE", 0.2),
    ("MAX_DF_SHARE 0.3", foryou, "MAX_DF_SHARE", 0.3),
    ("TERMS_PER_PAPER 32", foryou, "TERMS_PER_PAPER", 32),
    ("TERMS_PER_PAPER 48", foryou, "TERMS_PER_PAPER", 48),
    ("MIN_DF 3", foryou, "MIN_DF", 3),
    ("CLASS_WEIGHT 20", foryou_model, "CLASS_WEIGHT", 20.0),
    ("SHARED 0", foryou_model, "SHARED", 0.0),
    ("DISMISSED_WEIGHT 100", foryou_model, "DISMISSED_WEIGHT", 100.0),
]


class Bench:
    """One imported library, its features read again under each lever."""

    def __init__(self, root: Path, first: int, count: int) -> None:
        self.corpus = read_corpus(SNAPSHOT)
        self.picks = draws(self.corpus, first, count)
        self.lib = Library(root)
        self.lib.import_digests([SNAPSHOT])
        self.lib.open()
        self.orderer = self.lib.engine._orderer
        self.alive = self.orderer.alive()
        self.paper = {int(self.orderer.docnums([p])[0]): p for p in self.corpus.ids}
        self.docnum = {pid: n for n, pid in self.paper.items()}

    def features(self) -> foryou_features.Features:
        reader = self.orderer._current().reader()
        with tempfile.TemporaryDirectory() as cache:
            return foryou_features.read_features(reader, Path(cache), None)

    def ranked(
        self, features: foryou_features.Features, seeds: list[str], wrong: list[str]
    ) -> list[str]:
        positives = [self.docnum[p] for p in seeds]
        negatives = [self.docnum[p] for p in wrong]
        model = foryou_model.train(features, positives, negatives, self.alive)
        order = np.argsort(-model.scores, kind="stable")
        return [self.paper[int(n)] for n in order if int(n) in self.paper]

    def row(self, features: foryou_features.Features) -> list[float]:
        """Mean precision@10 with 0, 1 and 2 dismissed, as foryou_quality counts them."""
        primary = self.corpus.primary
        scores: tuple[list[float], ...] = ([], [], [])
        for category, seeds in self.picks:
            first = self.ranked(features, seeds, [])
            scores[0].append(precision(first, category, primary, set(seeds)))
            for count in (1, 2):
                wrong = wrong_rows(first, category, primary, seeds)[:count]
                again = self.ranked(features, seeds, wrong)
                scores[count].append(precision(again, category, primary, set(seeds) | set(wrong)))
        return [round(statistics.mean(s), 3) for s in scores]


T = TypeVar("T")


def with_constant(module: object, name: str, value: object, run: Callable[[], T]) -> T:
    """`run()` with one module constant set (None: as it is), then set back."""
    old = getattr(module, name)
    setattr(module, name, old if value is None else value)
    try:
        return run()
    finally:
        setattr(module, name, old)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-draw", type=int, default=0)
    parser.add_argument("--draws", type=int, default=DRAWS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="paperdeck-levers-") as tmp:
        bench = Bench(Path(tmp), args.first_draw, args.draws)
        print(
            f"{'':28} {'none':>6} {'1 dis.':>6} {'2 dis.':>6}  (draws {args.first_draw}-"
            f"{args.first_draw + args.draws - 1})"
        )
        for label, module, name, value in LEVERS:
            row = with_constant(module, name, value, lambda: bench.row(bench.features()))
            print(f"{label:28} " + " ".join(f"{v:6.3f}" for v in row), flush=True)
        bench.lib.close()


if __name__ == "__main__":
    main()
