"""What to keep of a digest: `--categories cs.CL,cs.IR` (a prefix like `cs.` allowed) and
`--since 2023-01-01`, for a file such as the arXiv snapshot that holds far more than a user
wants. A selection is part of what was imported: the catalog keeps its text, a rebuild
applies it again, and the same file with another selection is another digest."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from paperdeck.index.errors import DigestError
from paperdeck.index.models import Paper

_CATEGORY_RE = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z-]*)?$")


@dataclass(frozen=True)
class Selection:
    categories: tuple[str, ...] = ()  # `cs.CL` exactly, or `cs.` every cs category
    since: dt.date | None = None  # papers dated on or after it (undated ones are left out)

    @classmethod
    def of(cls, categories: str | None = None, since: str | None = None) -> Selection:
        """From the command line's text; a bad value is one clear DigestError."""
        wanted = tuple(sorted({c.strip() for c in (categories or "").split(",") if c.strip()}))
        for category in wanted:
            if not _CATEGORY_RE.match(category):
                raise DigestError(f"--categories: {category!r} is not an arXiv category")
        try:
            day = dt.date.fromisoformat(since) if since else None
        except ValueError:
            raise DigestError(f"--since: {since!r} is not a date (YYYY-MM-DD)") from None
        return cls(wanted, day)

    @classmethod
    def parse(cls, text: str) -> Selection:
        """Read back what `text` wrote (the catalog's record of an import)."""
        fields = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
        return cls.of(fields.get("categories"), fields.get("since"))

    @property
    def text(self) -> str:
        """`categories=cs.CL,cs.IR;since=2023-01-01`, or "" for everything."""
        parts = [f"categories={','.join(self.categories)}"] if self.categories else []
        return ";".join(parts + ([f"since={self.since}"] if self.since else []))

    def keeps(self, paper: Paper) -> bool:
        if self.since and (paper.date is None or paper.date < self.since):
            return False
        return not self.categories or any(self._matches(category) for category in paper.categories)

    def _matches(self, category: str) -> bool:
        return any(
            category.startswith(wanted) if wanted.endswith(".") else category == wanted
            for wanted in self.categories
        )


class Kept:
    """The papers the selection keeps, counting those it leaves out (`left_out` of them
    so far, when an import continues)."""

    def __init__(self, selection: Selection, kept: int = 0, left_out: int = 0) -> None:
        self.selection, self.kept, self.left_out = selection, kept, left_out

    def papers(self, papers: Iterable[Paper]) -> Iterator[Paper]:
        for paper in papers:
            if not self.selection.text or self.selection.keeps(paper):
                self.kept += 1
                yield paper
            else:
                self.left_out += 1

    def check(self) -> None:
        """A selection that keeps nothing is a mistake, not an empty digest."""
        if self.selection.text and not self.kept and self.left_out:
            what = self.selection.text.replace(";", " and ").replace("=", " ")
            raise DigestError(f"nothing kept: {what} left out all {self.left_out} papers")
