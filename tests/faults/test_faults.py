"""Faults: killed imports, concurrent processes, a full or read-only disk. Nothing is lost,
every error is one clear line."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from paperdeck.index import fsutil
from paperdeck.index.errors import PaperdeckError
from paperdeck.index.library import Library
from paperdeck.tui import cli

from tests.support import hits, listed, run_cli
from tests.support.digests import big_digest


@pytest.mark.parametrize("delay", [0.4, 0.9, 1.6, 2.5])
def test_an_import_killed_at_any_moment_leaves_a_working_library(
    sample_dir: Path, sample_bytes: bytes, tmp_path: Path, delay: float
) -> None:
    Library(sample_dir).add_bookmarks([listed(sample_dir)[0]["id"]])
    marks_before = (sample_dir / "bookmarks.json").read_bytes()
    digest = tmp_path / "big.txt"
    digest.write_bytes(big_digest(sample_bytes, 20, "copy"))
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(sample_dir)}
    exe = str(Path(sys.executable).with_name("paperdeck"))
    proc = subprocess.Popen(
        [exe, "import", str(digest)], env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)  # with its writer processes, as a closed terminal does
    proc.wait()
    papers = listed(sample_dir)
    catalog = json.loads((sample_dir / "library.json").read_text())["digests"]
    assert len(papers) == (65 if len(catalog) == 1 else 65 + 65 * 20)
    assert run_cli("search", "wavelet", "discriminator", data_dir=sample_dir).returncode == 0
    assert (sample_dir / "bookmarks.json").read_bytes() == marks_before


def test_two_readers_and_an_import_at_once_lose_nothing(
    sample_dir: Path, sample_bytes: bytes, tmp_path: Path
) -> None:
    digest = tmp_path / "more.txt"
    digest.write_bytes(big_digest(sample_bytes, 5, "more"))
    importer = subprocess.Popen(
        [str(Path(sys.executable).with_name("paperdeck")), "import", str(digest)],
        env={**os.environ, "PAPERDECK_DATA_DIR": str(sample_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    readers = [Library(sample_dir), Library(sample_dir)]
    ids = [p["id"] for p in listed(sample_dir)]
    errors: list[BaseException] = []

    def use(reader: Library, mine: list[str]) -> None:
        try:
            for pid in mine:
                hits(reader, "attention")
                reader.toggle_bookmark(pid)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=use, args=(readers[0], ids[0:30:2])),
        threading.Thread(target=use, args=(readers[1], ids[1:30:2])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    _out, err = importer.communicate(timeout=180)
    assert not errors, errors
    assert importer.returncode == 0, err
    assert Library(sample_dir).bookmark_ids() == set(ids[:30])
    assert len(listed(sample_dir)) == 65 + 65 * 5


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_disk_changes_nothing(
    sample_dir: Path, sample_bytes: bytes, tmp_path: Path, monkeypatch, capsys, code: int
) -> None:
    before = (sample_dir / "library.json").read_bytes()
    digest = tmp_path / "new.txt"
    digest.write_bytes(big_digest(sample_bytes, 1, "new"))

    def no_space(path: Path, data: bytes) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(fsutil, "_write_replace", no_space)
    assert cli.main(["--data-dir", str(sample_dir), "import", str(digest)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and os.strerror(code) in err and "nothing changed" in err
    assert (sample_dir / "library.json").read_bytes() == before
    assert len(list((sample_dir / "digests").iterdir())) == 1
    paper = listed(sample_dir)[0]["id"]
    assert cli.main(["--data-dir", str(sample_dir), "bookmark", "add", paper]) == 2
    assert "cannot save bookmarks" in capsys.readouterr().err
    monkeypatch.undo()
    assert len(listed(sample_dir)) == 65
    assert not (sample_dir / "bookmarks.json").exists()


def test_an_index_write_failing_mid_import_changes_nothing(
    sample_dir: Path, sample_bytes: bytes, tmp_path: Path, monkeypatch
) -> None:
    digest = tmp_path / "new.txt"
    digest.write_bytes(big_digest(sample_bytes, 1, "new"))
    lib = Library(sample_dir)

    def disk_full(*args: object, **kwargs: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    before = sorted(p.name for p in (sample_dir / "cache" / "index").iterdir())
    monkeypatch.setattr(
        "paperdeck.index.engine.writer.write_papers", disk_full
    )  # store imports it per write
    with pytest.raises(PaperdeckError, match="nothing changed"):
        lib.import_digests([digest])
    monkeypatch.undo()
    assert len(listed(sample_dir)) == 65
    assert len(json.loads((sample_dir / "library.json").read_text())["digests"]) == 1
    assert sorted(p.name for p in (sample_dir / "cache" / "index").iterdir()) == before
    assert len(list((sample_dir / "digests").iterdir())) == 1


@pytest.mark.parametrize("delay", [0.3, 1.0])
def test_a_rebuild_killed_midway_is_finished_by_the_next_command(
    sample_dir: Path, sample_bytes: bytes, tmp_path: Path, delay: float
) -> None:
    digest = tmp_path / "big.txt"
    digest.write_bytes(big_digest(sample_bytes, 10, "rb"))
    assert run_cli("import", str(digest), data_dir=sample_dir).returncode == 0
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(sample_dir)}
    exe = str(Path(sys.executable).with_name("paperdeck"))
    proc = subprocess.Popen(
        [exe, "rebuild"], env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert len(listed(sample_dir)) == 65 + 65 * 10
    generations = list((sample_dir / "cache" / "index").glob("g-*"))
    assert len(generations) >= 1  # a half-built generation may stay until the next rebuild
