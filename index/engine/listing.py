"""The whole library newest first, as a file of list rows beside each index generation.

The reader opens on this listing. Sorting every paper through Whoosh costs about 10 µs a
paper (a column read each), a second at 100,000 papers; reading the first screenful of a
pre-sorted file costs almost nothing, and the rest follows. Every write merges its rows into
the new generation's copy (a rebuild's starts empty).
"""

from __future__ import annotations

import array
import contextlib
import heapq
import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

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
    """The rows of the papers a write streams past, noted on their way into a spool file
    (with their order and place in two arrays), then merged into the new generation's
    listing: a million rows never sit in memory as strings."""

    def __init__(self, gen_dir: Path) -> None:
        self._spool = tempfile.TemporaryFile(dir=gen_dir)  # noqa: SIM115 (closed in merge_into)
        self._orders, self._offsets = array.array("q"), array.array("q")

    def noted(self, papers: Iterable[Paper]) -> Iterator[Paper]:
        for paper in papers:
            order = listing_order(paper)
            self._orders.append(order)
            self._offsets.append(self._spool.tell())
            self._spool.write(_line(order, paper).encode("utf-8") + b"\n")
            yield paper

    def merge_into(self, gen_dir: Path, delete_ids: Iterable[str]) -> None:
        """Drop the replaced and deleted papers' rows, add these, keep newest first (the
        old rows first among equals, as a stable sort of old then new would)."""
        gone = set(delete_ids)
        target = gen_dir / FILE_NAME
        try:
            with (
                _old_lines(target, gone) as kept,
                tempfile.NamedTemporaryFile(
                    "w", encoding="utf-8", dir=gen_dir, delete=False
                ) as out,
            ):
                out.writelines(heapq.merge(kept, self._fresh_lines(), key=_key, reverse=True))
                out.flush()
                os.fsync(out.fileno())
            os.replace(out.name, target)
        except BaseException:
            with contextlib.suppress(NameError, OSError):
                os.unlink(out.name)
            raise

    def __enter__(self) -> ListingRows:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._spool.close()

    def _fresh_lines(self) -> Iterator[str]:
        """The noted rows, newest first (stable: the page's order within one order value)."""
        import numpy as np

        orders = np.frombuffer(self._orders, dtype=np.int64)
        self._spool.flush()
        for index in np.argsort(-orders, kind="stable"):
            self._spool.seek(self._offsets[index])
            yield self._spool.readline().decode("utf-8")


@contextlib.contextmanager
def _old_lines(path: Path, gone: set[str]) -> Iterator[Iterator[str]]:
    """The listing's lines but the gone papers', read as they are merged."""
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        yield iter(())
        return
    with handle:
        yield (line for line in handle if _row_id(line) not in gone)


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
