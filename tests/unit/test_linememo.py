"""Importing a newer arXiv snapshot reads only the lines that changed: the lines a digest of
the library kept are skipped before they are parsed (paperdeck.index.linememo)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from paperdeck.index.digest import snapshot as snapshot_reader
from paperdeck.index.library import Library, Selection
from paperdeck.index.linememo import SUFFIX

from tests.support.digests import snapshot_line, write_snapshot


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the snapshot lines parsed into papers."""
    seen: list[str] = []
    to_paper = snapshot_reader._to_paper

    def counting(fields: dict[str, Any], *args: Any) -> Any:
        seen.append(fields.get("id", "?"))
        return to_paper(fields, *args)

    monkeypatch.setattr(snapshot_reader, "_to_paper", counting)
    return seen


def memos(lib_dir: Path) -> list[Path]:
    return sorted((lib_dir / "digests").glob(f"*{SUFFIX}"))


def test_a_newer_snapshot_parses_only_its_changed_and_new_lines(
    tmp_path: Path, parsed: list[str]
) -> None:
    lines = [snapshot_line(n) for n in range(60)]
    lib = Library(tmp_path / "lib")
    lib.import_digest(write_snapshot(tmp_path / "s1.json", lines))
    assert len(parsed) == 60 and len(memos(tmp_path / "lib")) == 1
    lines[17] = snapshot_line(17, abstract="A revised abstract about quokkas.")
    lines.append(snapshot_line(60))
    parsed.clear()
    report = lib.import_digest(write_snapshot(tmp_path / "s2.json", lines))
    assert sorted(parsed) == ["2301.00017", "2301.00060"]  # 59 lines not even parsed
    assert (report.papers, report.new, report.unchanged) == (61, 1, 59)
    assert [hit.paper.id for hit in lib.query("quokkas").hits] == ["2301.00017"]
    assert lib.count() == 61 and len(memos(tmp_path / "lib")) == 2
    lib.close()


def test_a_snapshot_with_every_line_known_is_all_unchanged_not_empty(
    tmp_path: Path, parsed: list[str]
) -> None:
    lines = [snapshot_line(n) for n in range(10)]
    lib = Library(tmp_path / "lib")
    lib.import_digest(write_snapshot(tmp_path / "s1.json", lines))
    parsed.clear()
    report = lib.import_digest(write_snapshot(tmp_path / "s2.json", [*reversed(lines), ""]))
    assert parsed == []
    assert (report.papers, report.new, report.unchanged) == (10, 0, 10)
    assert "10 unchanged" in report.summary()
    lib.close()


def test_another_selection_reads_every_line_and_counts_what_it_leaves_out(
    tmp_path: Path, parsed: list[str]
) -> None:
    lines = [snapshot_line(n, categories="cs.IR" if n % 2 else "math.LO") for n in range(20)]
    lib = Library(tmp_path / "lib")
    lib.import_digest(write_snapshot(tmp_path / "s1.json", lines))
    parsed.clear()
    digest = write_snapshot(tmp_path / "s2.json", [*lines, snapshot_line(20, categories="cs.IR")])
    report = lib.import_digest(digest, selection=Selection.of("cs."))
    assert len(parsed) == 21  # the first import's lines were kept without a selection
    assert (report.papers, report.left_out, report.new) == (11, 10, 1)
    lib.close()


def test_bad_lines_are_reported_again_and_a_removed_digest_takes_its_memo(
    tmp_path: Path, parsed: list[str]
) -> None:
    lines = [snapshot_line(n) for n in range(5)] + ["{not json"]
    lib = Library(tmp_path / "lib")
    first = lib.import_digest(write_snapshot(tmp_path / "s1.json", lines))
    second = lib.import_digest(write_snapshot(tmp_path / "s2.json", [*lines, snapshot_line(5)]))
    assert [len(r.skipped) for r in (first, second)] == [1, 1]  # the bad line, both times
    assert len(memos(tmp_path / "lib")) == 2
    lib.remove_digest("s1.json")
    assert len(memos(tmp_path / "lib")) == 1
    parsed.clear()
    third = lib.import_digest(write_snapshot(tmp_path / "s3.json", [*lines, snapshot_line(6)]))
    assert parsed == ["2301.00006"]  # the second digest's memo still knows the rest
    assert third.unchanged == 5
    lib.close()
