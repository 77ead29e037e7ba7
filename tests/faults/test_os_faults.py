"""OSErrors a user's machine causes (issue 25.7): a data dir under a file, a read-only data
dir, a full or read-only cache. Each is one line on stderr naming the path and the cause,
a non-zero exit, never a traceback, and the library as it was. Running as root, chmod stops
nothing: a file where a dir should be is real, read-only and full disks are os-level
failures patched in."""

from __future__ import annotations

import builtins
import errno
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from paperdeck.index.library import Library
from paperdeck.tui.cli import main

from tests.support import REAL

HF = REAL / "hf-daily-papers-2026-07-31.json"
ARXIV = REAL / "arxiv-snapshot-first-150.jsonl"
COMMANDS = {
    "import": ["import", str(ARXIV)],
    "rebuild": ["rebuild"],
    "remove-digest": ["remove-digest", HF.name],
    "for you": ["list", "--sort", "for-you"],
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of one real digest and one bookmark (for you ranks only with one)."""
    root = tmp_path_factory.mktemp("os-faults")
    lib = Library(root)
    lib.import_digest(HF)
    lib.add_bookmarks([lib.browse("", limit=1).rows[0].id])
    lib.close()
    return root


@pytest.fixture
def library(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template, tmp_path / "lib")
    return tmp_path / "lib"


def run(argv: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    return code, capsys.readouterr().err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "internal error" not in err and "Traceback" not in err
    return lines[0]


def ids(data_dir: Path) -> list[str]:
    lib = Library(data_dir)
    try:
        return sorted(row.id for row in lib.browse("", limit=None).rows)
    finally:
        lib.close()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("blocked", ["digests", "cache/index", "cache", "."])
def test_a_file_where_a_dir_should_be_is_named(
    library: Path, capsys: pytest.CaptureFixture[str], command: str, blocked: str
) -> None:
    if command == "for you" and blocked == "digests":
        pytest.skip("for you reads no raw copy")
    before = ids(library)
    target = library if blocked == "." else library / blocked
    aside = target.with_name(target.name + ".moved")
    target.rename(aside)
    target.write_text("a file\n")
    data_dir = library / "sub" if blocked == "." else library
    code, err = run(COMMANDS[command], data_dir, capsys)
    assert code != 0
    assert one_line(err).endswith(f" {target} is a file, not a directory")
    assert "library.json" not in err
    target.unlink()
    aside.rename(target)
    assert ids(library) == before  # nothing changed


def failing(monkeypatch: pytest.MonkeyPatch, under: Path, code: int) -> None:
    """Every write under `under` fails with `code` (EROFS: a read-only disk; ENOSPC: full)."""
    root = str(under)

    def inside(path: Any) -> bool:
        return isinstance(path, str | os.PathLike) and os.fspath(path).startswith(root)

    def refuse(path: Any) -> None:
        raise OSError(code, os.strerror(code), os.fspath(path))

    real_open, real_os_open, real_mkdir = builtins.open, os.open, os.mkdir

    def fake_open(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if inside(path) and any(flag in mode for flag in "wax+"):
            refuse(path)
        return real_open(path, mode, *args, **kwargs)

    def fake_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT
        if inside(path) and flags & writing:
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    def fake_mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if inside(path) and not os.path.isdir(path):
            refuse(path)
        real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("where", "code"), [("data", errno.EROFS), ("cache", errno.EROFS), ("cache", errno.ENOSPC)]
)
def test_a_read_only_or_full_disk_is_one_line_naming_the_path(
    library: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    where: str,
    code: int,
) -> None:
    before = ids(library)
    (library / "library.lock").unlink(missing_ok=True)  # a read-only dir holds no new lock
    with monkeypatch.context() as patch:
        failing(patch, library / "cache" if where == "cache" else library, code)
        status, err = run(COMMANDS[command], library, capsys)
    if status == 0:  # a command that needs no write there
        assert "internal error" not in err and "Traceback" not in err
    else:
        line = one_line(err)
        assert os.strerror(code) in line and str(library) in line, line
    assert ids(library) == before
