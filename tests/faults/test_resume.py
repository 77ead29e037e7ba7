"""A big import interrupted (Ctrl-C, a kill) leaves the library as it was, and importing the
same file again continues from its last checkpoint instead of starting over."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
from paperdeck.index import checkpoint
from paperdeck.index.importing import Writes
from paperdeck.index.library import Library
from paperdeck.index.models import Paper

from tests.support import REAL
from tests.support.digests import snapshot, snapshot_line, write_snapshot

PART = 40  # papers a part, instead of CHECKPOINT_EVERY's 200,000


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checkpoint, "CHECKPOINT_EVERY", PART)


def big_snapshot(path: Path, papers: int = 110, first: int = 0) -> Path:
    path.write_bytes(snapshot([snapshot_line(n) for n in range(first, first + papers)]))
    return path


def stopping_at(papers: int) -> Callable[[int, int], None]:
    """A progress callback that interrupts the import once `papers` have been written, as
    Ctrl-C would (KeyboardInterrupt raised in the middle of the write)."""

    def progress(written: int, _total: int) -> None:
        if written >= papers:
            raise KeyboardInterrupt

    return progress


def generations(lib_dir: Path) -> list[str]:
    return sorted(p.name for p in (lib_dir / "cache" / "index").glob("g-*"))


def test_a_big_import_in_parts_has_every_paper_and_leaves_no_checkpoint(tmp_path: Path) -> None:
    lib = Library(tmp_path / "lib")
    report = lib.import_digest(big_snapshot(tmp_path / "s.json"))
    assert (report.papers, report.new, report.resumed_after) == (110, 110, 0)
    assert lib.count() == 110
    assert [hit.paper.id for hit in lib.query("paper 105").hits][:1] == ["2301.00105"]
    assert not (tmp_path / "lib" / "cache" / "index" / checkpoint.FILE_NAME).exists()
    assert len(generations(tmp_path / "lib")) <= 2  # live, the one before: no part left


def test_interrupted_then_run_again_continues_from_the_last_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = big_snapshot(tmp_path / "s.json")
    lib = Library(tmp_path / "lib")
    lib.import_digest(big_snapshot(tmp_path / "other.json", 3, first=500))  # as it was
    with pytest.raises(KeyboardInterrupt) as stopped:
        lib.import_digest(digest, progress=stopping_at(PART * 2 + 5))  # in the third part
    assert stopped.value.__notes__ == [checkpoint.CONTINUE_NOTE]  # the CLI's line says it
    assert lib.count() == 3 and len(lib.digests()) == 1  # as it was
    again = Library(tmp_path / "lib")  # a new run of paperdeck
    assert again.count() == 3
    written: list[str] = []
    write_stream = Writes._write_stream

    def counting(self: Writes, base: Any, papers: Iterable[Paper], *args: Any) -> Any:
        return write_stream(self, base, (written.append(p.id) or p for p in papers), *args)

    monkeypatch.setattr(Writes, "_write_stream", counting)
    report = again.import_digest(digest)
    assert report.resumed_after == PART * 2  # two parts were checkpointed
    assert "continued an interrupted import after its first 80 papers" in report.summary()
    assert (report.papers, report.new) == (110, 110)
    assert written == [f"2301.{n:05d}" for n in range(PART * 2, 110)]  # on, not over again
    assert again.count() == 113
    assert again.query("abstract about topic").total == 113  # every part is searchable
    assert again.get("2301.00100") is not None
    again.close()
    lib.close()
    assert not (tmp_path / "lib" / "cache" / "index" / checkpoint.FILE_NAME).exists()


def test_a_checkpoint_is_dropped_when_the_library_changed_in_between(tmp_path: Path) -> None:
    digest = big_snapshot(tmp_path / "s.json")
    lib = Library(tmp_path / "lib")
    with pytest.raises(KeyboardInterrupt):
        lib.import_digest(digest, progress=stopping_at(PART + 5))
    assert lib.count() == 0
    lib.import_digest(big_snapshot(tmp_path / "other.json", 2))  # another import commits
    report = lib.import_digest(digest)
    assert report.resumed_after == 0  # started afresh: the checkpoint was of another library
    assert lib.count() == 110
    assert len(generations(tmp_path / "lib")) <= 2  # the live one and the one before


def test_another_digest_drops_the_checkpoint_and_its_generation(tmp_path: Path) -> None:
    lib = Library(tmp_path / "lib")
    with pytest.raises(KeyboardInterrupt):
        lib.import_digest(big_snapshot(tmp_path / "s.json"), progress=stopping_at(PART + 5))
    held = checkpoint.read_checkpoint(tmp_path / "lib" / "cache" / "index")
    assert held is not None and held.generation in generations(tmp_path / "lib")
    lib.import_digest(big_snapshot(tmp_path / "small.json", 5))
    assert lib.count() == 5
    assert not (tmp_path / "lib" / "cache" / "index" / checkpoint.FILE_NAME).exists()
    assert held.generation not in generations(tmp_path / "lib")
    lib.close()


def test_a_paper_met_again_in_a_later_part_is_still_one_paper(tmp_path: Path) -> None:
    """Each part finds the papers of the parts before it (in its base) and the library's."""
    lib = Library(tmp_path / "lib")
    lib.import_digest(big_snapshot(tmp_path / "other.json", 1, first=500))
    lines = [snapshot_line(n) for n in range(110)]
    lines.insert(50, snapshot_line(500, abstract="A revision about kangaroos."))  # part two
    lines.insert(95, snapshot_line(5, abstract="A revision about wombats."))  # part three
    report = lib.import_digest(write_snapshot(tmp_path / "s.json", lines))
    assert (report.papers, report.new) == (111, 110)
    ids = [row.id for row in lib.browse("", limit=None).rows]
    assert len(ids) == len(set(ids)) == lib.count() == 111
    assert [hit.paper.id for hit in lib.query("wombats").hits] == ["2301.00005"]
    assert [hit.paper.id for hit in lib.query("kangaroos").hits] == ["2301.00500"]
    lib.close()


def test_a_resumed_import_of_a_digest_with_repeats_reports_what_a_fresh_one_does(
    tmp_path: Path,
) -> None:
    """The real snapshot's lines with two of them repeated after the checkpoint (a paper of
    the first part in the third, one of the second in the fourth): a continued import knew
    nothing of the skipped parts' papers and counted each repeat as one more paper."""
    real = REAL / "arxiv-snapshot-first-150.jsonl"
    lines = real.read_text().splitlines()
    lines.insert(100, lines[5])
    lines.insert(130, lines[60])
    digest = write_snapshot(tmp_path / "repeats.json", lines)
    fresh = Library(tmp_path / "fresh").import_digest(digest)
    lib = Library(tmp_path / "resumed")
    with pytest.raises(KeyboardInterrupt):
        lib.import_digest(digest, progress=stopping_at(PART * 2 + 5))
    resumed = Library(tmp_path / "resumed").import_digest(digest)
    assert resumed.resumed_after == PART * 2
    assert (fresh.papers, fresh.new) == (150, 150)
    assert resumed.summary() == fresh.summary() + (
        f"; continued an interrupted import after its first {PART * 2} papers"
    )
    assert Library(tmp_path / "resumed").count() == 150
