"""A damaged or missing library.json (issue 25.5): the catalog is rebuilt from the raw copies
and the index generation's meta, with one notice; no command refuses, no paper is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paperdeck.index.library import Library

from tests.support import REAL, InProcessCli

DIGESTS = (REAL / "arxiv-snapshot-first-150.jsonl", REAL / "hf-daily-papers-2026-07-31.json")

DAMAGE = {
    "missing": None,
    "truncated": lambda text: text[: len(text) // 2],
    "string version": lambda _: json.dumps({"version": "x"}),
    "a list": lambda _: "[]",
    "a bad byte": lambda text: "\xff" + text,
    "a digest of the wrong type": lambda _: json.dumps({"version": 2, "digests": [5]}),
    "a bad date": lambda text: text.replace('"imported_at": "', '"imported_at": "x', 1),
}


def library_of_two(root: Path) -> tuple[list[str], list[str]]:
    """A library of the two real digests: its paper ids and its digests' keys."""
    lib = Library(root)
    lib.import_digests(DIGESTS)
    ids = sorted(row.id for row in lib.browse("", limit=None).rows)
    keys = [record.sha256 for record in lib.digests()]
    lib.close()
    return ids, keys


def damage(root: Path, kind: str) -> None:
    library = root / "library.json"
    change = DAMAGE[kind]
    if change is None:
        library.unlink()
    else:
        library.write_bytes(change(library.read_text("utf-8")).encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_catalog_is_rebuilt_from_the_raw_copies(tmp_path: Path, kind: str) -> None:
    ids, keys = library_of_two(tmp_path)
    damage(tmp_path, kind)
    lib = Library(tmp_path)
    lib.open()
    assert sorted(row.id for row in lib.browse("", limit=None).rows) == ids
    assert [record.sha256 for record in lib.digests()] == keys  # in their import order
    notices = lib.take_notices()
    assert len(notices) == 1 and "library.json was rebuilt from the 2 raw copies" in notices[0]
    assert lib.rebuild() == len(ids)  # the recovered catalog rebuilds the same library
    assert lib.take_notices() == []
    lib.close()
    if kind != "missing":  # the damaged file is kept, not overwritten
        assert len(list(tmp_path.glob("library.json.unreadable-*"))) == 1


@pytest.mark.parametrize("kind", ["truncated", "string version"])
def test_every_command_works_on_a_damaged_catalog(
    cli_run: InProcessCli, tmp_path: Path, kind: str
) -> None:
    ids, _ = library_of_two(tmp_path)
    damage(tmp_path, kind)
    listed = cli_run("digests", data_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "internal error" not in listed.stderr and "Traceback" not in listed.stderr
    assert "library.json was rebuilt" in listed.stderr + listed.stdout
    shown = cli_run("show", ids[0], data_dir=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "rebuilt" not in shown.stderr + shown.stdout  # said once


def test_a_missing_catalog_with_no_index_is_an_empty_library(tmp_path: Path) -> None:
    """Raw copies no generation holds are what an import killed before its commit leaves."""
    library_of_two(tmp_path)
    (tmp_path / "library.json").unlink()
    for gen in (tmp_path / "cache" / "index").glob("*/meta.json"):
        gen.unlink()
    lib = Library(tmp_path)
    assert lib.digests() == []
    lib.close()
