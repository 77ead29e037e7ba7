"""The whole library newest first, as a file of list rows beside each index generation.

The reader opens on this listing. Sorting every paper through Whoosh costs a column read a
paper, which grows with the library; reading the first screenful of a pre-sorted file costs
the same at any size, and the rest follows.

A generation's listing is three files: `listing.txt` (the base, linked from the generation
before), `listing-delta.txt` (the rows written since the base, newest first) and
`listing-gone.txt` (the ids whose base rows no longer count). A write merges its rows into
the delta only, and drops replaced rows from it; rewriting a million-row base for a day's
hundred papers took seconds. Once the delta outgrows DELTA_SHARE of the base (or a rebuild
starts one empty) the three are merged into a new base. Reading merges base and delta.
"""

from __future__ import annotations

import array
import contextlib
import heapq
import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from paperdeck.index.models import Paper, PaperRow

FILE_NAME = "listing.txt"
DELTA_NAME = "listing-delta.txt"
GONE_NAME = "listing-gone.txt"
SEP = "\x1f"
DELTA_SHARE = 0.05  # of the base's bytes: past it, a write merges everything into a new base
DELTA_AT_LEAST = 4 << 20  # bytes of delta always allowed (a small library just rewrites)


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
        import tempfile  # the write side's (the CLI's reads of the listing need none)

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
        old rows first among equals, as a stable sort of old then new would): into the
        delta while it stays small, else into a new base."""
        gone = set(delete_ids)
        base, delta = gen_dir / FILE_NAME, gen_dir / DELTA_NAME
        self._spool.flush()
        fresh_bytes = self._spool.tell()
        delta_bytes = delta.stat().st_size if delta.exists() else 0
        base_bytes = base.stat().st_size if base.exists() else 0
        if base_bytes and delta_bytes + fresh_bytes <= max(
            DELTA_AT_LEAST, base_bytes * DELTA_SHARE
        ):
            with _lines(delta, gone) as kept:
                _write_sorted(delta, [kept, self._fresh_lines()])
            _write_gone(gen_dir, _read_gone(gen_dir) | gone)
            return
        with _lines(base, gone | _read_gone(gen_dir)) as old, _lines(delta, gone) as newer:
            _write_sorted(base, [old, newer, self._fresh_lines()])
        for name in (DELTA_NAME, GONE_NAME):
            (gen_dir / name).unlink(missing_ok=True)

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


def _write_sorted(target: Path, sources: list[Iterator[str]]) -> None:
    """The sources' lines (each newest first) merged newest first into `target`, replaced
    whole (the file may be a link to the generation before: never written in place)."""
    import tempfile

    out = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below)
        "w", encoding="utf-8", dir=target.parent, delete=False
    )
    try:
        with out:
            out.writelines(heapq.merge(*sources, key=_key, reverse=True))
            out.flush()
            os.fsync(out.fileno())
        os.replace(out.name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(out.name)
        raise


def _read_gone(gen_dir: Path) -> set[str]:
    try:
        return set((gen_dir / GONE_NAME).read_text("utf-8").split("\n")) - {""}
    except FileNotFoundError:
        return set()


def _write_gone(gen_dir: Path, gone: set[str]) -> None:
    target = gen_dir / GONE_NAME
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text("".join(f"{paper_id}\n" for paper_id in sorted(gone)), "utf-8")
    os.replace(temporary, target)


@contextlib.contextmanager
def _lines(path: Path, gone: set[str]) -> Iterator[Iterator[str]]:
    """A listing file's lines but the gone papers', read as they are merged."""
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        yield iter(())
        return
    with handle:
        yield (line for line in handle if not gone or _row_id(line) not in gone)


def _row_id(line: str) -> str:
    return line.split(SEP, 2)[1]


def read_listing(gen_dir: Path, limit: int | None = None) -> list[PaperRow] | None:
    """The first `limit` rows (all when None); None when there is no listing to read."""
    if not (gen_dir / FILE_NAME).exists():
        return None
    try:
        gone = _read_gone(gen_dir)
        with (
            _lines(gen_dir / FILE_NAME, gone) as base,
            _lines(gen_dir / DELTA_NAME, set()) as delta,
        ):
            merged = heapq.merge(base, delta, key=_key, reverse=True)
            lines = itertools.islice(merged, limit) if limit is not None else merged
            return [
                PaperRow.decode(line.rstrip("\n").split(SEP, 1)[1].encode("utf-8"))
                for line in lines
            ]
    except (OSError, ValueError, IndexError):
        return None
