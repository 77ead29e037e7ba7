"""The write side under faults and hostile files: what is imported is exactly what is kept,
a damaged checkpoint is never trusted, no input eats the disk, no hidden copy is left."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from paperdeck.index import checkpoint
from paperdeck.index.library import Library

from tests.support import run_cli
from tests.support.digests import snapshot, snapshot_line

PART = 40  # papers a part of a checkpointed import, instead of CHECKPOINT_EVERY's


def write_snapshot(path: Path, papers: int, first: int = 0) -> Path:
    path.write_bytes(snapshot([snapshot_line(n) for n in range(first, first + papers)]))
    return path


def hidden_files(lib_dir: Path) -> list[str]:
    return sorted(p.name for p in (lib_dir / "digests").iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("change", ["appended", "truncated"])
def test_a_digest_changed_while_imported_is_indexed_as_its_raw_copy(
    tmp_path: Path, change: str
) -> None:
    digest = write_snapshot(tmp_path / "s.json", 1000)
    changed: list[bool] = []

    def progress(_written: int, _total: int) -> None:
        if not changed:  # the copy is made: the user's file changes under the import
            changed.append(True)
            if change == "appended":
                with digest.open("ab") as more:
                    more.write(snapshot([snapshot_line(n) for n in range(1000, 2000)]))
            else:
                os.truncate(digest, digest.stat().st_size // 3)

    lib = Library(tmp_path / "lib")
    report = lib.import_digest(digest, progress=progress)
    assert changed
    assert report.papers == lib.count() == 1000
    assert lib.rebuild() == 1000  # the raw copy holds what the index does
    lib.close()


def test_importing_again_leaves_no_hidden_copy_and_a_killed_copy_is_pruned(
    sample_dir: Path, sample_path: Path
) -> None:
    (sample_dir / "digests" / ".incoming-killed.tmp").write_bytes(b"left by a kill\n" * 100)
    result = run_cli("import", str(sample_path), data_dir=sample_dir)
    assert result.returncode == 0, result.stderr
    assert "already imported" in result.stdout
    assert hidden_files(sample_dir) == []


def test_a_device_is_refused_in_one_line(tmp_path: Path) -> None:
    result = run_cli("import", "/dev/zero", data_dir=tmp_path / "lib")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "paperdeck: /dev/zero: a device, not a digest file"
    ]


def test_endless_zeros_through_a_pipe_are_refused_from_their_head(tmp_path: Path) -> None:
    """`cat /dev/zero | paperdeck import -`: refused at once, not copied until the disk is
    full (the writer here stops after 64 MB, or when the import stops reading)."""
    exe = str(Path(sys.executable).with_name("paperdeck"))
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(tmp_path / "lib")}
    with subprocess.Popen(
        [exe, "import", "-"], env=env, stdin=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        stdin, stderr = proc.stdin, proc.stderr
        assert stdin is not None and stderr is not None

        def feed() -> None:
            try:
                for _ in range(64):
                    stdin.write(bytes(1 << 20))
                stdin.close()
            except (BrokenPipeError, ValueError):
                pass

        writer = threading.Thread(target=feed)
        writer.start()
        proc.wait(timeout=120)
        writer.join()
        err = stderr.read()
    assert proc.returncode == 2
    assert err.decode().strip().splitlines() == ["paperdeck: -: not a text digest (binary data)"]
    assert hidden_files(tmp_path / "lib") == []


def test_a_digest_from_stdin_or_a_fifo_is_imported(tmp_path: Path, sample_bytes: bytes) -> None:
    lib_dir = tmp_path / "lib"
    piped = run_cli("import", "-", data_dir=lib_dir, stdin=sample_bytes.decode())
    assert piped.returncode == 0, piped.stderr
    assert "65 papers (65 new)" in piped.stdout
    fifo = tmp_path / "digest.fifo"
    os.mkfifo(fifo)
    other = sample_bytes.replace(b"Mar 12", b"Mar 13").replace(b"\n\n", b" (again)\n\n", 1)

    def feed() -> None:
        with fifo.open("wb") as out:
            out.write(other)

    writer = threading.Thread(target=feed)
    writer.start()
    through_fifo = run_cli("import", str(fifo), data_dir=lib_dir)
    writer.join()
    assert through_fifo.returncode == 0, through_fifo.stderr
    assert len(Library(lib_dir).digests()) == 2
    assert Library(lib_dir).rebuild() == Library(lib_dir).count()


# -- checkpoints ---------------------------------------------------------------------------


def interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A library of one small digest, and a big snapshot whose import was stopped in its
    third part (two checkpointed parts on disk)."""
    monkeypatch.setattr(checkpoint, "CHECKPOINT_EVERY", PART)
    lib_dir = tmp_path / "lib"
    lib = Library(lib_dir)
    lib.import_digest(write_snapshot(tmp_path / "small.json", 3, first=500))
    digest = write_snapshot(tmp_path / "big.json", 110)

    def stop(written: int, _total: int) -> None:
        if written >= PART * 2 + 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        lib.import_digest(digest, progress=stop)
    lib.close()
    return lib_dir, digest


def damaged(held: dict, damage: str) -> dict:
    """The checkpoint's JSON with one kind of damage a crash, a bad disk or a hand makes."""
    tally = held["tally"]
    if damage == "huge consumed":
        return {**held, "tally": {**tally, "consumed": 10**9}}
    if damage == "negative consumed":
        return {**held, "tally": {**tally, "consumed": -30}}
    if damage == "short consumed":
        return {**held, "tally": {**tally, "consumed": tally["consumed"] - 7}}
    if damage == "string consumed":
        return {**held, "tally": {**tally, "consumed": "80"}}
    if damage == "bad date":
        return {**held, "tally": {**tally, "dates": ["2023-13-45"]}, "started": "yesterday"}
    if damage == "escaping generation":
        return {**held, "generation": f"{held['generation']}/../../../digests"}
    if damage == "a list":
        return [held]  # type: ignore[return-value]
    raise AssertionError(damage)


DAMAGES = [
    "huge consumed",
    "negative consumed",
    "short consumed",
    "string consumed",
    "bad date",
    "escaping generation",
    "a list",
]


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_checkpoint_is_discarded_and_the_import_starts_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    lib_dir, digest = interrupted(tmp_path, monkeypatch)
    held_file = lib_dir / "cache" / "index" / checkpoint.FILE_NAME
    held_file.write_text(json.dumps(damaged(json.loads(held_file.read_text()), damage)))
    raw_copies = sorted((lib_dir / "digests").iterdir())
    lib = Library(lib_dir)
    report = lib.import_digest(digest)
    notices = lib.take_notices()
    assert (report.papers, report.new, report.resumed_after) == (110, 110, 0)
    assert lib.count() == 113
    assert len(notices) == 1 and "checkpoint did not match" in notices[0], notices
    assert set(raw_copies) <= set((lib_dir / "digests").iterdir())  # none deleted
    assert lib.rebuild() == 113
    ids = [row.id for row in lib.browse("", limit=None).rows]
    assert len(ids) == len(set(ids)) == 113
    assert not held_file.exists()
    lib.close()


def test_a_resumed_import_reports_what_a_fresh_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib_dir, digest = interrupted(tmp_path, monkeypatch)
    resumed = Library(lib_dir).import_digest(digest)
    fresh_dir = tmp_path / "fresh"
    Library(fresh_dir).import_digest(write_snapshot(tmp_path / "small2.json", 3, first=500))
    fresh = Library(fresh_dir).import_digest(digest)
    assert resumed.resumed_after == PART * 2
    assert (resumed.papers, resumed.new, resumed.unchanged) == (
        fresh.papers,
        fresh.new,
        fresh.unchanged,
    )


@pytest.mark.parametrize("damage", ["flipped", "cut"])
def test_a_damaged_keys_file_never_hides_a_paper_the_library_has(
    sample_dir: Path, sample_path: Path, damage: str
) -> None:
    """keys.bin flipped or cut by 8 bytes: importing the same papers again (under another
    file) still finds every one of them, so none is added twice."""
    lib = Library(sample_dir)
    before = lib.count()
    gen = json.loads((sample_dir / "library.json").read_text())["index"]["generation"]
    keys = sample_dir / "cache" / "index" / gen / "keys.bin"
    data = bytearray(keys.read_bytes())
    if damage == "flipped":
        data[len(data) // 2] ^= 0xFF
    else:
        data = data[:-16] + data[-8:]
    keys.write_bytes(bytes(data))
    again = sample_dir.parent / "again.txt"
    again.write_bytes(sample_path.read_bytes() + b"\n")
    lib.import_digest(again)
    ids = [row.id for row in lib.browse("", limit=None).rows]
    assert len(ids) == len(set(ids)) == lib.count() == before
    lib.close()
