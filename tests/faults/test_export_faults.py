"""Exports and watch feeds are written as the library writes its files (issue 25.4, 25.10):
a kill or a full disk mid-write leaves the previous file whole and no temp file behind, and
an export streams the library a batch at a time instead of holding every paper."""

from __future__ import annotations

import errno
import gc
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from paperdeck.index import fsutil
from paperdeck.index.engine import engine as engine_module
from paperdeck.index.library import Library
from paperdeck.index.models import Paper
from paperdeck.tui import cli

from tests.support import run_cli

# Exports the library to argv[2] with every piece flushed to disk as it comes, and stops
# after ten papers, saying so on stdout: the test kills it there, mid-write.
HELD_EXPORT = """
import signal, sys
from pathlib import Path
from paperdeck.index import fsutil
from paperdeck.index.library import Library

fsutil._FdText.BUFFER = 1
library = Library(Path(sys.argv[1]))
every = library._reads.each_paper  # (the export reads the papers there)

def held(*args, **kwargs):
    for number, paper in enumerate(every(*args, **kwargs)):
        if number == 10:
            print("mid-write", flush=True)
            signal.pause()
        yield paper

library._reads.each_paper = held
library.export("json", path=sys.argv[2])
"""


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def test_a_kill_mid_export_leaves_the_previous_export_and_the_next_export_cleans_up(
    sample_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "papers.json"
    target.write_text('["the previous export"]\n', encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", HELD_EXPORT, str(sample_dir), str(target)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "mid-write\n"
        (torn,) = temp_files(tmp_path)  # ten papers written, the rest to come
        assert torn.stat().st_size > 0
        with pytest.raises(json.JSONDecodeError):
            json.loads(torn.read_text(encoding="utf-8"))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        if child.stdout is not None:
            child.stdout.close()
    assert target.read_text(encoding="utf-8") == '["the previous export"]\n'
    done = run_cli(  # writing over the previous export is asked for (issue 21.10)
        "export", "--format", "json", "-o", str(target), "--force", data_dir=sample_dir
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 65
    assert temp_files(tmp_path) == []  # the killed export's copy went with the next one


def disk_full_after(monkeypatch: pytest.MonkeyPatch, folder: Path, writes: int) -> None:
    """Writes to temp files in `folder` fail as on a full disk after `writes` of them."""
    real_write, done = os.write, [0]

    def write(fd: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(folder)):
            done[0] += 1
            if done[0] > writes:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(fsutil._FdText, "BUFFER", 64)  # many writes: fail in the middle
    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize("fmt", ["json", "bibtex", "csl-json"])
def test_a_full_disk_mid_export_is_one_line_and_leaves_the_previous_export(
    sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, fmt: str
) -> None:
    target = tmp_path / "out" / "papers"
    target.parent.mkdir()
    target.write_text("the previous export\n", encoding="utf-8")
    disk_full_after(monkeypatch, target.parent, writes=3)
    argv = ["--data-dir", str(sample_dir), "export", "--format", fmt, "-o", str(target), "--force"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and str(target) in err
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert temp_files(target.parent) == []


def test_a_full_disk_writing_a_watch_feed_leaves_the_previous_feed(
    sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    assert cli.main(["--data-dir", str(sample_dir), "watch", "add", "d", "diffusion"]) == 0
    feed = tmp_path / "out" / "d.xml"
    feed.parent.mkdir()
    feed.write_text("<feed/>\n", encoding="utf-8")
    capsys.readouterr()
    disk_full_after(monkeypatch, feed.parent, writes=0)
    argv = ["--data-dir", str(sample_dir), "watch", "show", "d", "--atom", "-o", str(feed)]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert feed.read_text(encoding="utf-8") == "<feed/>\n"
    assert temp_files(feed.parent) == []


# -- streaming: an export holds a batch of papers, not the library --------------------------


def test_an_export_holds_one_batch_of_papers_at_a_time(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With batches of 5, no more than a batch's papers (and the one being written) are
    alive at any point of an export of the library's 65."""
    real = engine_module.Engine.each_paper

    def small_batches(self: engine_module.Engine, found: object, batch: int = 5) -> Iterator[Paper]:
        return real(self, found, 5)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_module.Engine, "each_paper", small_batches)
    library = Library(sample_dir)
    most = [0]

    class Sink:
        def write(self, text: str) -> int:
            gc.collect()
            alive = sum(isinstance(o, Paper) for o in gc.get_objects())
            most[0] = max(most[0], alive)
            return len(text)

    baseline = sum(isinstance(o, Paper) for o in gc.get_objects())
    done = library.export("json", out=Sink())
    assert done.papers == 65
    assert most[0] - baseline <= 5 + 2
