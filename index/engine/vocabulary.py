"""The library's words as written (unstemmed), with counts: for "did you mean" and prefixes.

Kept beside each index generation as `vocabulary.json`, filled by the analyzer while papers
are indexed. A prefix expands to its most frequent words; a misspelled word is corrected to the
most frequent word within one edit, else two (Whoosh's Levenshtein automata do the search).
"""

from __future__ import annotations

import heapq
import json
from bisect import bisect_left
from collections import Counter
from pathlib import Path

from paperdeck.index.fsutil import atomic_write_text
from whoosh.spelling import ListCorrector

FILE_NAME = "vocabulary.json"


class Vocabulary:
    def __init__(self, counts: Counter[str] | None = None) -> None:
        self.counts: Counter[str] = counts if counts is not None else Counter()
        self._sorted: list[str] | None = None
        self._completions: dict[tuple[str, int], list[str]] = {}

    @classmethod
    def load(cls, directory: Path) -> Vocabulary:
        try:
            data = json.loads((directory / FILE_NAME).read_text("utf-8"))
        except (OSError, ValueError):
            return cls()
        return cls(
            Counter({str(k): int(v) for k, v in data.items()}) if isinstance(data, dict) else None
        )

    def save(self, directory: Path) -> None:
        # Sorted, so that the next load's sort (see words) is one pass over sorted input.
        text = json.dumps(dict(sorted(self.counts.items())), separators=(",", ":"))
        atomic_write_text(directory / FILE_NAME, text)

    def update(self, counts: Counter[str]) -> None:
        self.counts.update(counts)
        self._sorted = None
        self._completions.clear()

    @property
    def words(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.counts)
        return self._sorted

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The `limit` most frequent words that start with `prefix`, most frequent first.
        Kept: one letter starts a twentieth of the words, and typing asks again."""
        key = (prefix, limit)
        if (known := self._completions.get(key)) is not None:
            return known
        words = self.words
        start = bisect_left(words, prefix)
        end = bisect_left(words, prefix + "\U0010ffff", start)
        found = heapq.nlargest(limit, words[start:end], key=self.counts.__getitem__)
        if len(self._completions) >= 4096:
            self._completions.clear()
        self._completions[key] = found
        return found

    def has_prefix(self, prefix: str) -> bool:
        words = self.words
        index = bisect_left(words, prefix)
        return index < len(words) and words[index].startswith(prefix)

    def correct(self, word: str) -> str | None:
        """The likeliest intended word, or None (never the word itself)."""
        corrector = ListCorrector(self.words)
        for maxdist in (1, 2):
            suggested: list[str] = corrector.suggest(word, limit=20, maxdist=maxdist)
            found = [w for w in suggested if w != word]
            if found:
                return max(found, key=lambda w: (self.counts[w], w))
        return None
