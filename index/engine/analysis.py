"""The text analyzers for titles, abstracts and authors, fused into one pass for speed.

PaperAnalyzer does what Whoosh's StemmingAnalyzer does (the same token pattern, lowercasing,
stop words with a minimum length of 2, Porter stemming with a cache) plus accent folding, but
in one generator instead of four chained ones: indexing spends much of its time here.
NameAnalyzer is the same without stop words or stemming, for authors.

Every word is folded (`Jörg` -> `jorg`, see `fold`) after lowercasing, in every path (index,
query, phrase check, highlight, vocabulary), so that either spelling finds the other. Only
words that are not ASCII pay for it, once each (cached).
"""

from __future__ import annotations

import itertools
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Collection, Container, Iterator, Sequence
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.analysis.tokenizers import default_pattern
from whoosh.fields import TEXT
from whoosh.lang.porter import stem
from whoosh.system import pack_uint

_WORDS = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*")  # default_pattern without its capture group
# The same words in lowercased ASCII text (a character class is quicker to match than \w).
_ASCII_WORDS = re.compile(r"[a-z0-9_*]+(?:\.[a-z0-9_*]+)*")
_ASCII_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_*")


def _word_starts_at(lowered: str, at: int) -> bool:
    """Whether a word of lowercased ASCII text (as _ASCII_WORDS splits it) starts at `at`:
    no word character before it, nor a dot after one (`e.g.large` is one word)."""
    if at == 0:
        return True
    before = lowered[at - 1]
    if before in _ASCII_WORD_CHARS:
        return False
    return not (before == "." and at >= 2 and lowered[at - 2] in _ASCII_WORD_CHARS)


def _kept(tokens: Iterator[re.Match[str]], dropped: Container[str]) -> Iterator[str]:
    return (word for token in tokens if (word := token.group()) not in dropped)


def _chain_from_start(found: dict[str, list[int]], words: Sequence[str], slop: int) -> bool:
    """phrases.has_phrase's rule for a chain whose first word is at position 0."""
    ends = {0}
    for word in words[1:]:
        ends = {p for p in found.get(word, ()) if any(1 <= p - e <= slop for e in ends)}
        if not ends:
            return False
    return True


_stem = lru_cache(maxsize=200_000)(stem)
# Letters that carry no combining mark to strip, written as their usual ASCII spelling.
_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# Latin, Greek and Cyrillic accents only: marks such as kana's dakuten change the letter.
_MARKS = re.compile("[\u0300-\u036f]")


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> str:
    """NFKD also spells ligatures and full-width forms out (`ﬁne` -> `fine`); the rest is
    recomposed (Hangul). Not Whoosh's accent_map: it folds combining marks into letters
    (U+0308 -> `t`), `ß` into `s` and leaves `æ` alone."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_LETTERS))
    return unicodedata.normalize("NFC", _MARKS.sub("", decomposed)).lower()


def fold(word: str) -> str:
    """A lowercased word without its accents (`jörg` -> `jorg`): what the index holds."""
    return word if word.isascii() else _fold_word(word)


def _unchanged(word: str) -> str:
    return word


def _folded(counts: Counter[str]) -> Counter[str]:
    """Word counts under their folded words (`Jörg` and `jorg` counted as one)."""
    for word in [w for w in counts if not w.isascii()]:
        count = counts.pop(word)
        counts[_fold_word(word)] += count
    return counts


class PaperAnalyzer(Analyzer):
    """Tokenize, lowercase, fold accents, drop stop words and one-letter words, stem."""

    stemming = True

    def positions_of(self, text: str, stems: set[str]) -> dict[str, list[int]]:
        """Positions (numbered as __call__ numbers them) of the tokens whose stem is one of
        `stems`. Only distinct words sharing a stem's start are stemmed, and the words are
        filtered and found by C-level calls: a phrase check reads whole abstracts, and a
        Python step a word was most of its cost."""
        starts = tuple({stem[: max(1, len(stem) - 2)] for stem in stems})
        dropped: Container[str]
        if text.isascii():  # lowering the whole text splits it as lowering each word would
            lowered = _ASCII_WORDS.findall(text.lower())
            dropped = _dropped_ascii(frozenset(self.stoplist), self.minsize)
        else:
            lowered = list(map(fold, self.raw_words(text)))  # as __call__ does, word by word
            dropped = _Dropped(self.stoplist, self.minsize)
        kept = list(itertools.filterfalse(dropped.__contains__, lowered))
        # __call__ numbers the first kept word by its raw index, the next ones one by one.
        first = next((i for i, w in enumerate(lowered) if w not in dropped), 0)
        term = _stem if self.stemming else _unchanged
        stem_of = {w: s for w in set(kept) if w.startswith(starts) and (s := term(w)) in stems}
        found: dict[str, list[int]] = {}
        for index in itertools.compress(itertools.count(first), map(stem_of.__contains__, kept)):
            found.setdefault(stem_of[kept[index - first]], []).append(index)
        return found

    def phrase_in(self, text: str, words: Sequence[str], slop: int) -> bool | None:
        """Whether the stems occur in order in `text`, each 1..slop positions after the one
        before, as phrases.has_phrase finds them in positions_of's positions; None when this
        cannot tell (text that is not ASCII). Only the words from each occurrence of the
        first stem on are read: a chain that starts there ends within (len - 1) * slop kept
        words, and the words after a word's start split as they do in the whole text. A word
        stems to a stem that starts as it does, but for the last two letters at most (the
        rule positions_of also keeps to)."""
        if not text.isascii() or not words:
            return None
        stems, first = set(words), words[0]
        starts = tuple({stem[: max(1, len(stem) - 2)] for stem in stems})
        lowered, dropped = text.lower(), _dropped_ascii(frozenset(self.stoplist), self.minsize)
        term = _stem if self.stemming else _unchanged
        lead, span = first[: max(1, len(first) - 2)], (len(words) - 1) * slop
        at = lowered.find(lead)
        while at != -1:
            if _word_starts_at(lowered, at):
                tokens = _ASCII_WORDS.finditer(lowered, at)
                head = next(tokens).group()
                if head not in dropped and term(head) == first:
                    kept = [head, *itertools.islice(_kept(tokens, dropped), span)]
                    found: dict[str, list[int]] = {}
                    for index, word in enumerate(kept):
                        if word.startswith(starts) and (stem := term(word)) in stems:
                            found.setdefault(stem, []).append(index)
                    if _chain_from_start(found, words, slop):
                        return True
            at = lowered.find(lead, at + 1)
        return False

    def term_counts(self, text: str, words_into: Counter[str] | None = None) -> dict[str, int]:
        """How often each term __call__ yields occurs in `text`, counted in one pass: each
        distinct word is folded, checked and stemmed once, and the counting is left to C.
        The words as written (lowercased) are also counted into `words_into` (see
        raw_words)."""
        stoplist, minsize = self.stoplist, self.minsize
        words = self.raw_words(text)
        if words_into is not None:
            words_into.update(words)
        distinct = Counter(words)
        if not text.isascii():
            distinct = _folded(distinct)
        counts: dict[str, int] = {}
        stem_of = _stem if self.stemming else _unchanged
        for word, count in distinct.items():
            if len(word) >= minsize and word not in stoplist:
                term = stem_of(word)
                counts[term] = counts.get(term, 0) + count
        return counts

    def raw_words(self, text: str) -> list[str]:
        """Lowercased words as written, stop words included (see vocabulary_counts)."""
        return list(map(str.lower, _WORDS.findall(text)))  # lowered one by one, as __call__

    def vocabulary_counts(self, counts: Counter[str]) -> Counter[str]:
        """Counts of raw_words, folded, without stop words and one-letter words. Folding and
        filtering once at the end rather than word by word leaves the counting to C: it runs
        for every paper."""
        counts = _folded(counts)
        for word in [w for w in counts if len(w) < self.minsize or w in self.stoplist]:
            del counts[word]
        return counts

    def __init__(self) -> None:
        self.stoplist = STOP_WORDS
        self.minsize = 2

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        matches = default_pattern.finditer(value) if tokenize else [_Whole(value)]
        stoplist, minsize = self.stoplist, self.minsize
        stem_of = _stem if self.stemming else _unchanged
        kept_pos: int | None = None  # kept words are numbered without gaps, as StopFilter does
        for raw_pos, match in enumerate(matches):
            text = match.group()
            word = text.lower()
            if not word.isascii():
                word = _fold_word(word)
            stopped = word in stoplist or len(word) < minsize
            if stopped and removestops:
                continue
            token.text = word if stopped else stem_of(word)
            token.stopped = stopped
            token.boost = 1.0
            if keeporiginal:
                token.original = text
            if positions:
                if stopped:
                    token.pos = start_pos + raw_pos
                else:
                    kept_pos = start_pos + raw_pos if kept_pos is None else kept_pos + 1
                    token.pos = kept_pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


@lru_cache(maxsize=8)
def _dropped_ascii(stoplist: frozenset[str], minsize: int) -> frozenset[str]:
    """The ASCII words __call__ drops: the stop words and those shorter than minsize
    (words are of _WORDS' characters: letters, digits, `_` and `*`)."""
    alphabet = string.ascii_lowercase + string.digits + "_*"
    short = ("".join(w) for n in range(1, minsize) for w in itertools.product(alphabet, repeat=n))
    return stoplist | frozenset(short)


class _Dropped(Container[str]):
    """The words __call__ drops (stop words, words shorter than minsize), as a container."""

    def __init__(self, stoplist: Collection[str], minsize: int) -> None:
        self.stoplist, self.minsize = stoplist, minsize

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (len(word) < self.minsize or word in self.stoplist)


class NameAnalyzer(PaperAnalyzer):
    """Authors: tokenize, lowercase and fold accents, as Whoosh's StandardAnalyzer without
    stop words does (plus the folding); names are not stemmed and initials are kept."""

    stemming = False

    def __init__(self) -> None:
        self.stoplist = frozenset()
        self.minsize = 1


class CountedText(TEXT):
    """A TEXT field whose postings (the same as TEXT's, the same bytes) come from
    PaperAnalyzer.term_counts, instead of one Token object per word passed through two
    generators: indexing does this for every title and abstract."""

    def term_counts(
        self, value: Any, words_into: Counter[str] | None = None
    ) -> dict[str, int] | None:
        """The value's term counts (see PaperAnalyzer.term_counts), or None when it is not
        plain text for a PaperAnalyzer and Whoosh's own way must index it."""
        if not (isinstance(value, str) and isinstance(self.analyzer, PaperAnalyzer)):
            return None
        return self.analyzer.term_counts(value, words_into)

    def encoded(self, frequencies: list[int]) -> tuple[list[float], list[bytes]]:
        """The weights and values Whoosh's Frequency format stores for these frequencies."""
        boost = self.format.field_boost
        return [n * boost for n in frequencies], list(map(pack_uint, frequencies))

    def index(self, value: Any, **kwargs: Any) -> Any:
        counts = self.term_counts(value)
        if counts is None:
            return super().index(value, **kwargs)
        frequencies = list(counts.values())
        weights, values = self.encoded(frequencies)
        terms = [term.encode("utf-8") for term in counts]
        return list(zip(terms, frequencies, weights, values, strict=True))


class _Whole:
    """The whole value as one match, for `tokenize=False` (how the parser passes prefixes)."""

    def __init__(self, value: str) -> None:
        self.value = value

    def group(self) -> str:
        return self.value

    def start(self) -> int:
        return 0

    def end(self) -> int:
        return len(self.value)
