"""A daily import into a big library knows its new papers are new from the generation's key
hashes (keys.bin) instead of a Whoosh lookup that walks every segment; a paper the library
has is still found and merged, and a generation without the file has no filter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from paperdeck.index.engine import keyfilter, lookups
from paperdeck.index.library import Library
from whoosh.searching import Searcher

from tests.support import live_dir
from tests.support.digests import snapshot_line, write_numbered, write_snapshot


@pytest.fixture
def whoosh_lookups(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The ids and title keys looked up through Whoosh."""
    asked: list[Any] = []
    document, documents = Searcher.document, Searcher.documents

    def counting_document(self: Searcher, **kw: Any) -> Any:
        asked.append(kw)
        return document(self, **kw)

    def counting_documents(self: Searcher, **kw: Any) -> Any:
        asked.append(kw)
        return documents(self, **kw)

    monkeypatch.setattr(Searcher, "document", counting_document)
    monkeypatch.setattr(Searcher, "documents", counting_documents)
    return asked


def test_new_papers_need_no_lookup_and_known_ones_are_still_merged(
    tmp_path: Path, whoosh_lookups: list[Any]
) -> None:
    lib = Library(tmp_path / "lib")
    lib.import_digest(write_numbered(tmp_path / "a.json", range(20)))
    assert (live_dir(lib) / keyfilter.FILE_NAME).exists()
    whoosh_lookups.clear()
    report = lib.import_digest(write_numbered(tmp_path / "b.json", range(20, 25)))
    assert report.new == 5 and whoosh_lookups == []  # surely new: Whoosh never asked
    report = lib.import_digest(write_numbered(tmp_path / "c.json", range(3, 4), revised=3))
    assert report.new == 0 and {"id": "2301.00003"} in whoosh_lookups  # known: looked up
    assert lib.count() == 25
    assert [hit.paper.id for hit in lib.query("revision").hits] == ["2301.00003"]
    lib.close()


def test_a_generation_without_the_file_filters_nothing(
    tmp_path: Path, whoosh_lookups: list[Any]
) -> None:
    lib = Library(tmp_path / "lib")
    lib.import_digest(write_numbered(tmp_path / "a.json", range(20)))
    (live_dir(lib) / keyfilter.FILE_NAME).unlink()  # as a generation written before it
    report = lib.import_digest(write_numbered(tmp_path / "b.json", range(15, 25), revised=16))
    assert (report.new, lib.count()) == (5, 25)  # the five known ones merged, not doubled
    assert not (live_dir(lib) / keyfilter.FILE_NAME).exists()  # still no filter
    report = lib.import_digest(write_numbered(tmp_path / "c.json", range(10, 12), revised=10))
    assert (report.new, lib.count()) == (0, 25)
    lib.close()


def test_a_table_of_many_segments_is_read_sooner_than_of_one() -> None:
    """The lookup table's threshold follows the number of segments a lookup walks: a
    million papers in 80 segments read it after a few thousand lookups, not after 5% of
    the library (50,000) as when the share was fixed."""
    one, many = lookups.table_after(1_000_000, 1), lookups.table_after(1_000_000, 80)
    assert many < one and many < 10_000  # a 1% newer snapshot's changed papers
    saved = lookups.table_after(1_000_000 * lookups.ROWS_PER_SAVED_KEY, 80)
    assert saved == lookups.TABLE_AFTER  # keys files: the table costs almost nothing


def test_each_segment_keeps_its_keys_and_a_damaged_file_is_read_from_the_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newer snapshot's changed papers found from the table, built from the segments'
    keys files; one damaged file is not believed (that segment's rows are read): the
    papers are still merged, not doubled."""
    lib = Library(tmp_path / "lib")
    lib.import_digest(write_numbered(tmp_path / "a.json", range(30)))
    lib.import_digest(write_numbered(tmp_path / "b.json", range(30, 60)))  # a second segment
    files = sorted(live_dir(lib).glob(f"{keyfilter.SEGMENT_PREFIX}*.bin"))
    assert len(files) == 2
    damaged = bytearray(files[0].read_bytes())
    damaged[3] ^= 0xFF
    files[0].write_bytes(bytes(damaged))
    monkeypatch.setattr(lookups, "TABLE_AFTER", 1)
    rows_read: list[int] = []
    row_keys = lookups._row_keys
    monkeypatch.setattr(
        lookups, "_row_keys", lambda leaf, n: rows_read.append(n) or row_keys(leaf, n)
    )
    lines = [snapshot_line(n, "A revision of quokkas." if n % 10 == 0 else "") for n in range(60)]
    report = lib.import_digest(write_snapshot(tmp_path / "c.json", lines))
    assert (report.new, lib.count()) == (0, 60)
    assert rows_read == [30]  # the damaged file's segment only
    assert len(lib.query("quokkas").hits) == 6
    lib.close()


def test_surely_new_papers_never_make_the_table_worth_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only lookups that walk the segments count toward the table: a big digest of new
    papers over a library asks Whoosh nothing and reads no table."""
    lib = Library(tmp_path / "lib")
    lib.import_digest(write_numbered(tmp_path / "a.json", range(20)))
    monkeypatch.setattr(lookups, "TABLE_AFTER", 1)
    read: list[int] = []
    read_tables = lookups.Lookups._read_tables
    monkeypatch.setattr(
        lookups.Lookups, "_read_tables", lambda self: read.append(1) or read_tables(self)
    )
    assert lib.import_digest(write_numbered(tmp_path / "b.json", range(20, 60))).new == 40
    assert read == []
    lib.close()


@pytest.mark.parametrize("damaged", [False, True])
def test_replaced_papers_are_deleted_by_the_keys_files_without_a_walk_an_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damaged: bool
) -> None:
    """Many replaced papers are found from the segments' keys files, not one Whoosh
    delete (a walk of every segment) an id; a damaged file falls back to those. Either way
    exactly the replaced papers go: none doubled, none lost."""
    from paperdeck.index.engine import writer
    from whoosh.writing import SegmentWriter

    lib = Library(tmp_path / "lib")
    lib.import_digest(write_numbered(tmp_path / "a.json", range(30)))
    lib.import_digest(write_numbered(tmp_path / "b.json", range(30, 60)))
    if damaged:
        path = sorted(live_dir(lib).glob(f"{keyfilter.SEGMENT_PREFIX}*.bin"))[1]
        path.write_bytes(path.read_bytes()[:-1] + b"?")
    monkeypatch.setattr(writer, "DELETE_BY_KEYS_FROM", 2)
    walks: list[str] = []
    by_term = SegmentWriter.delete_by_term
    monkeypatch.setattr(
        SegmentWriter,
        "delete_by_term",
        lambda self, f, t, **kw: walks.append(t) or by_term(self, f, t, **kw),
    )
    lines = [snapshot_line(n, "A revision of quokkas." if n % 10 == 3 else "") for n in range(60)]
    report = lib.import_digest(write_snapshot(tmp_path / "c.json", lines))
    assert (report.new, lib.count()) == (0, 60)
    assert len(walks) == (6 if damaged else 0)
    assert sorted(hit.paper.id for hit in lib.query("quokkas", 100).hits) == [
        f"2301.{n:05d}" for n in range(3, 60, 10)
    ]
    assert len(lib.query("topic", 100).hits) == 60
    lib.close()
