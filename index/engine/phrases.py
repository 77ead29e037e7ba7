"""Phrase checks on candidate papers, for fields indexed without positions.

Abstracts are indexed without word positions (they tripled the cost of every posting), so a
phrase first narrows the library to papers holding all of its words, and the best of those are
then checked here against their text, analysed as it was indexed. The rule is Whoosh's own
(SpanNear2, ordered, mindist 1): each next word 1..slop positions after the previous one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import cast

from whoosh.analysis import Analyzer

FieldText = Callable[[int, str], str]  # (document number, field name) -> the indexed text


def word_positions(
    analyzer: Analyzer, text: str, words: Sequence[str] = ()
) -> dict[str, list[int]]:
    """Analysed words of a text and their positions, in order: those of `words` only, when
    given and the analyzer can skip the rest cheaply (see PaperAnalyzer.positions_of)."""
    if words and hasattr(analyzer, "positions_of"):
        return cast(dict[str, list[int]], analyzer.positions_of(text, set(words)))
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


def text_has_phrase(analyzer: Analyzer, text: str, words: Sequence[str], slop: int = 1) -> bool:
    """has_phrase on the text's positions; read only around the first word's occurrences
    where the analyzer can (PaperAnalyzer.phrase_in), the answer being the same."""
    if hasattr(analyzer, "phrase_in"):
        found = analyzer.phrase_in(text, words, slop)
        if found is not None:
            return bool(found)
    return has_phrase(word_positions(analyzer, text, words), words, slop)


class PhraseChecker:
    """Checks documents of one searcher; recent documents' answers are cached."""

    def __init__(self, field_text: FieldText, analyzers: dict[str, Analyzer]) -> None:
        self.field_text = field_text
        self.analyzers = analyzers
        self._checked = lru_cache(maxsize=1024)(self._check)

    def _check(self, docnum: int, fieldname: str, words: tuple[str, ...], slop: int) -> bool:
        text = self.field_text(docnum, fieldname)
        return text_has_phrase(self.analyzers[fieldname], text, words, slop)

    def check(self, docnum: int, fieldname: str, words: Sequence[str], slop: int) -> bool:
        return self._checked(docnum, fieldname, tuple(words), slop)
