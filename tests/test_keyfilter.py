"""A daily import into a big library knows its new papers are new from the generation's key
hashes (keys.bin) instead of a Whoosh lookup that walks every segment; a paper the library
has is still found and merged, and a generation without the file has no filter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from paperdeck.index.engine import keyfilter
from paperdeck.index.library import Library
from whoosh.searching import Searcher

from tests.test_streaming import snapshot, snapshot_line


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


def write(path: Path, numbers: range, revised: int | None = None) -> Path:
    lines = [snapshot_line(n, "A revision." if n == revised else "") for n in numbers]
    path.write_bytes(snapshot(lines))
    return path


def live_dir(lib: Library) -> Path:
    return lib._shared.paths.index_dir / str(lib.engine.generation)


def test_new_papers_need_no_lookup_and_known_ones_are_still_merged(
    tmp_path: Path, whoosh_lookups: list[Any]
) -> None:
    lib = Library(tmp_path / "lib")
    lib.import_digest(write(tmp_path / "a.json", range(20)))
    assert (live_dir(lib) / keyfilter.FILE_NAME).exists()
    whoosh_lookups.clear()
    report = lib.import_digest(write(tmp_path / "b.json", range(20, 25)))
    assert report.new == 5 and whoosh_lookups == []  # surely new: Whoosh never asked
    report = lib.import_digest(write(tmp_path / "c.json", range(3, 4), revised=3))
    assert report.new == 0 and {"id": "2301.00003"} in whoosh_lookups  # known: looked up
    assert lib.count() == 25
    assert [hit.paper.id for hit in lib.query("revision").hits] == ["2301.00003"]
    lib.close()


def test_a_generation_without_the_file_filters_nothing(
    tmp_path: Path, whoosh_lookups: list[Any]
) -> None:
    lib = Library(tmp_path / "lib")
    lib.import_digest(write(tmp_path / "a.json", range(20)))
    (live_dir(lib) / keyfilter.FILE_NAME).unlink()  # as a generation written before it
    report = lib.import_digest(write(tmp_path / "b.json", range(15, 25), revised=16))
    assert (report.new, lib.count()) == (5, 25)  # the five known ones merged, not doubled
    assert not (live_dir(lib) / keyfilter.FILE_NAME).exists()  # still no filter
    report = lib.import_digest(write(tmp_path / "c.json", range(10, 12), revised=10))
    assert (report.new, lib.count()) == (0, 25)
    lib.close()
