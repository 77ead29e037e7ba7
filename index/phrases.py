"""Phrase checks on candidate papers, for fields indexed without positions.

Abstracts are indexed without word positions (they tripled the cost of every posting), so a
phrase first narrows the library to papers holding all of its words, and the best of those are
then checked here against their text, analysed as it was indexed. The rule is Whoosh's own
(SpanNear2, ordered, mindist 1): each next word 1..slop positions after the previous one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from whoosh.analysis import Analyzer

FieldText = Callable[[int, str], str]  # (document number, field name) -> the indexed text


def word_positions(analyzer: Analyzer, text: str) -> dict[str, list[int]]:
    """Each analysed word of a text and its positions, in order."""
    positions: dict[str, list[int]] = {}
    for token in analyzer(text, positions=True):
        positions.setdefault(token.text, []).append(token.pos)
    return positions


def has_phrase(positions: dict[str, list[int]], words: Sequence[str], slop: int = 1) -> bool:
    """Whether the words occur in order, each 1..slop positions after the one before."""
    if not words:
        return False
    ends = set(positions.get(words[0], ()))
    for word in words[1:]:
        ends = {p for p in positions.get(word, ()) if any(1 <= p - e <= slop for e in ends)}
        if not ends:
            return False
    return bool(ends)


class PhraseChecker:
    """Checks documents of one searcher; recent documents' analysed fields are cached."""

    def __init__(self, field_text: FieldText, analyzers: dict[str, Analyzer]) -> None:
        self.field_text = field_text
        self.analyzers = analyzers
        self._positions = lru_cache(maxsize=256)(self._analyse)

    def _analyse(self, docnum: int, fieldname: str) -> dict[str, list[int]]:
        return word_positions(self.analyzers[fieldname], self.field_text(docnum, fieldname))

    def check(self, docnum: int, fieldname: str, words: Sequence[str], slop: int) -> bool:
        return has_phrase(self._positions(docnum, fieldname), words, slop)
