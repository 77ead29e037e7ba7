"""The newest-first listing beside each generation: a write adds its rows to a small delta
(the base, a million rows, is not rewritten for a day's papers) until the delta outgrows its
share and everything is merged into a new base. Either way the listing is the index's order,
each paper once."""

from __future__ import annotations

from pathlib import Path

import pytest
from paperdeck.index.engine import listing
from paperdeck.index.library import Library

from tests.support import FIXTURES, live_dir
from tests.support.digests import snapshot_line, write_snapshot


def listing_ids(lib: Library) -> list[str]:
    return [row.id for row in lib.browse("", None).rows]


def index_ids(lib: Library) -> list[str]:
    return [hit.paper.id for hit in lib.query("", limit=None).hits]


def a_day(tmp_path: Path, day: int) -> Path:
    path = tmp_path / f"day-{day}.txt"
    path.write_text(f"Mar {day}, 2026\n\nA Paper Of Day {day}\n\n" + "Its abstract. " * 20)
    return path


@pytest.mark.parametrize("compact", [False, True], ids=["into the delta", "into a new base"])
def test_the_listing_stays_the_index_order_through_additions_and_replacements(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch, compact: bool
) -> None:
    if compact:
        monkeypatch.setattr(listing, "DELTA_AT_LEAST", 0)
        monkeypatch.setattr(listing, "DELTA_SHARE", 0.0)
    lib = Library(tmp_path / "lib")
    lib.import_digests([sample_path])
    # The day's JSON gives papers of the page their arXiv ids: those rows are replaced; and
    # a newer snapshot line replaces a paper's row under the same id.
    lib.import_digests([FIXTURES / "hf-daily-2026-03-13.json", a_day(tmp_path, 20)])
    lines = [snapshot_line(n) for n in range(5)]
    lib.import_digests([write_snapshot(tmp_path / "s1.json", lines)])
    lines[3] = snapshot_line(3, abstract="A revised abstract.")
    lib.import_digests([write_snapshot(tmp_path / "s2.json", lines)])
    lib.import_digests([a_day(tmp_path, 21)])
    ids = listing_ids(lib)
    assert ids == index_ids(lib) and len(ids) == len(set(ids)) == lib.count()
    assert ids[0] == lib.query('"day 21"').hits[0].paper.id  # the newest first
    files = {p.name for p in live_dir(lib).glob("listing*")}
    delta = {listing.DELTA_NAME, listing.GONE_NAME}
    assert (files & delta == set()) if compact else delta <= files
    # The delta (with the replaced rows' new versions) merged into a new base.
    monkeypatch.setattr(listing, "DELTA_AT_LEAST", 0)
    monkeypatch.setattr(listing, "DELTA_SHARE", 0.0)
    lib.import_digests([a_day(tmp_path, 22)])
    ids = listing_ids(lib)
    assert ids == index_ids(lib) and len(ids) == len(set(ids)) == lib.count()
    assert not {p.name for p in live_dir(lib).glob("listing*")} & delta
    lib.rebuild()  # from an empty listing, digest after digest
    assert listing_ids(lib) == index_ids(lib) == ids
    lib.close()
