"""The whole library newest first, as a file of list rows beside each index generation.

The reader opens on this listing. Sorting every paper through Whoosh costs about 10 µs a
paper (a column read each), a second at 100,000 papers; reading the first screenful of a
pre-sorted file costs almost nothing, and the rest follows. Every write merges its rows into
the new generation's copy (a rebuild's starts empty).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

from index.fsutil import atomic_write_text
from index.models import Paper, PaperRow

FILE_NAME = "listing.txt"
SEP = "\x1f"


def listing_order(paper: Paper) -> int:
    """One sortable number for "newest day first, the page's own order within a day": a
    single column sorts much faster in Whoosh than two facets."""
    day = paper.date.toordinal() if paper.date else 0
    return day * 1_000_000 - min(paper.position, 999_999)


def _line(order: int, paper: Paper) -> str:
    return f"{order}{SEP}{paper.row().encode().decode('utf-8')}"


def _key(line: str) -> int:
    return int(line.split(SEP, 1)[0])


class ListingRows:
    """The rows of the papers a write streams past, noted on their way (a row is a small
    part of a paper), then merged into the new generation's listing."""

    def __init__(self) -> None:
        self._rows: dict[str, str] = {}

    def noted(self, papers: Iterable[Paper]) -> Iterator[Paper]:
        for paper in papers:
            self._rows[paper.id] = _line(listing_order(paper), paper)
            yield paper

    def merge_into(self, gen_dir: Path, delete_ids: Iterable[str]) -> None:
        """Replace and add these rows, drop the deleted papers', keep newest first."""
        fresh, self._rows = self._rows, {}
        gone = set(delete_ids) | set(fresh)
        try:
            with open(gen_dir / FILE_NAME, encoding="utf-8") as handle:
                kept = [line.rstrip("\n") for line in handle if _row_id(line) not in gone]
        except FileNotFoundError:
            kept = []
        lines = sorted([*kept, *fresh.values()], key=_key, reverse=True)
        atomic_write_text(gen_dir / FILE_NAME, "\n".join(lines) + ("\n" if lines else ""))


def _row_id(line: str) -> str:
    return line.split(SEP, 2)[1]


def read_listing(gen_dir: Path, limit: int | None = None) -> list[PaperRow] | None:
    """The first `limit` rows (all when None); None when there is no listing to read."""
    try:
        with open(gen_dir / FILE_NAME, encoding="utf-8") as handle:
            lines = itertools.islice(handle, limit) if limit is not None else handle
            return [
                PaperRow.decode(line.rstrip("\n").split(SEP, 1)[1].encode("utf-8"))
                for line in lines
            ]
    except (FileNotFoundError, ValueError, IndexError):
        return None
