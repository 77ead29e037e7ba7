"""Search terms the library answers from the user's own files rather than the index: read
marks (read.json) and citation counts (the citation cache). One table, `LIBRARY_TERMS`: the
README's query table and the reader's help read their rows from it, and `split_library_terms`
takes them out of the text before the rest goes to the engine.

`citations:>=100` (also `>`, `<`, `<=`, `=`) keeps papers whose cached cited-by count passes;
a paper without a count never matches, as `upvotes:` does. No search asks the network.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from paperdeck.index.clean import squash_whitespace


@dataclass(frozen=True, kw_only=True)
class SearchTerm:
    """One row of the query table: what you type, what it finds."""

    example: str
    meaning: str


LIBRARY_TERMS: tuple[SearchTerm, ...] = (
    SearchTerm(
        example="`is:read`, `is:unread`",
        meaning="papers you marked read (`paperdeck read ID`), or not",
    ),
    SearchTerm(
        example="`citations:>=100`, `citations:<5`, `citations:=0`",
        meaning="by cited-by count, from the citations fetched before (`paperdeck citations "
        "refresh`; never the network; papers without a count never match)",
    ),
)

_COMPARE: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "=": operator.eq,
    "": operator.eq,
}  # fmt: skip
_READ_RE = re.compile(r"(?<!\S)is:(read|unread)(?!\S)", re.I)
_CITATIONS_RE = re.compile(r"(?<!\S)citations:(>=|<=|>|<|=)?(\d{1,12})(?!\S)", re.I)


@dataclass(frozen=True, kw_only=True)
class LibraryTerms:
    """What of LIBRARY_TERMS a query asked for."""

    read: bool | None = None  # True: is:read, False: is:unread, None: either
    counts: tuple[tuple[str, int], ...] = ()  # (comparison, number) for each citations: term

    @property
    def any(self) -> bool:
        return self.read is not None or bool(self.counts)

    def allows_count(self, count: int | None) -> bool:
        return not self.counts or (
            count is not None and all(_COMPARE[op](count, n) for op, n in self.counts)
        )


def split_library_terms(text: str) -> tuple[str, LibraryTerms]:
    """The text without the library's terms, and the terms. `is:read is:unread` both: the
    last one counts, as the reader's filters toggle."""
    reads = [m.lower() == "read" for m in _READ_RE.findall(text)]
    counts = tuple((op, int(n)) for op, n in _CITATIONS_RE.findall(text))
    rest = _CITATIONS_RE.sub(" ", _READ_RE.sub(" ", text))
    if not reads and not counts:
        return text, LibraryTerms()
    trailing = " " if rest.endswith(" ") and rest.strip() else ""
    return squash_whitespace(rest) + trailing, LibraryTerms(
        read=reads[-1] if reads else None, counts=counts
    )


def query_table_rows() -> list[str]:
    """The README's query table rows for these terms (its test compares them)."""
    return [f"| {term.example} | {term.meaning} |" for term in LIBRARY_TERMS]
