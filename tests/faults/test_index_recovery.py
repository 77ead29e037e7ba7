"""A damaged, missing or outdated index is rebuilt from the raw digests, with a notice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paperdeck.index.library import Library

from tests.support import InProcessCli, hits


def live_meta(data_dir: Path) -> Path:
    """The meta file of the generation the library file names."""
    generation = json.loads((data_dir / "library.json").read_text())["index"]["generation"]
    return data_dir / "cache" / "index" / generation / "meta.json"


def index_files(data_dir: Path) -> list[Path]:
    """The live generation's files (damaged in place: the links to them are damaged too)."""
    return sorted(p for p in live_meta(data_dir).parent.iterdir() if p.is_file())


def damage(path: Path, how: str) -> None:
    if how == "delete":
        path.unlink()
    elif how == "truncate":
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])
    elif how == "zero":
        path.write_bytes(b"\x00" * path.stat().st_size)
    else:
        path.write_bytes(b"garbage" * 50)


@pytest.mark.parametrize("how", ["delete", "truncate", "zero", "garble"])
def test_any_damaged_index_file_is_rebuilt(sample_dir: Path, how: str) -> None:
    for path in index_files(sample_dir):
        damage(path, how)
    lib = Library(sample_dir)
    assert hits(lib, "wavelet discriminator")[0].paper.title.startswith("DISGAN")
    assert lib.count() == 65
    assert any("rebuilt" in notice for notice in lib._shared.notices)


def test_each_file_damaged_in_turn_is_survived(sample_dir: Path) -> None:
    for number in range(len(index_files(sample_dir))):
        damage(index_files(sample_dir)[number], "garble")
        lib = Library(sample_dir)
        assert lib.count() == 65, f"after garbling file {number}"
        lib.engine.store.close()


def test_missing_meta_or_whole_index(sample_dir: Path) -> None:
    live_meta(sample_dir).unlink()
    assert Library(sample_dir).count() == 65
    import shutil

    shutil.rmtree(sample_dir / "cache")
    assert Library(sample_dir).count() == 65


def test_index_from_another_schema_version_is_rebuilt(sample_dir: Path) -> None:
    pointer = live_meta(sample_dir)
    data = json.loads(pointer.read_text())
    data["schema"] = 0
    pointer.write_text(json.dumps(data))
    lib = Library(sample_dir)
    assert lib.count() == 65
    assert any("another version" in notice for notice in lib._shared.notices)


def test_cli_commands_work_after_damage(cli_run: InProcessCli, sample_dir: Path) -> None:
    for path in index_files(sample_dir):
        damage(path, "truncate")
    result = cli_run("search", "wavelet", "discriminator", data_dir=sample_dir)
    assert result.returncode == 0, result.stderr
    assert "DISGAN" in result.stdout.splitlines()[0]
    assert "rebuilt" in result.stderr
    assert "Traceback" not in result.stderr


def test_first_rows_come_from_the_listing_before_whoosh_opens(sample_dir: Path) -> None:
    lib = Library(sample_dir)
    first = lib.first_rows(5)
    assert first is not None and not lib._index.engine_started  # nothing opened yet
    assert first.total == 65
    assert [row.id for row in first.rows] == [row.id for row in lib.browse("").rows[:5]]


@pytest.mark.parametrize("change", ["no meta", "other digests", "other schema"])
def test_no_first_rows_when_the_index_would_be_rebuilt(sample_dir: Path, change: str) -> None:
    pointer = live_meta(sample_dir)
    data = json.loads(pointer.read_text())
    if change == "no meta":
        pointer.unlink()
    else:
        data["digests" if change == "other digests" else "schema"] = ["x"]
        pointer.write_text(json.dumps(data))
    lib = Library(sample_dir)
    assert lib.first_rows(5) is None
    assert lib.count() == 65  # opening rebuilds, as before
