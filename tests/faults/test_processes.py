"""Processes an import starts: killed with their parent, silent on Ctrl-C, never a stale lock.

Each test starts a real `paperdeck import` of more than 1,000 new papers (the size at which
two writer processes are forked), waits for a moment of the import to be reached (a state,
read from /proc and the index dir), and signals it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import listed, run_cli
from tests.support.digests import big_digest

COPIES = 30  # 65 papers a copy: 1,950 new papers
PAPERDECK = str(Path(sys.executable).with_name("paperdeck"))


def processes_reading(path: Path) -> list[int]:
    """Pids of live processes whose command line names `path` (the importer and its forks)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(path).encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    """Poll a state; fail loudly (never pass silently) when it does not come."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.005)


def generations(data_dir: Path) -> set[str]:
    return {p.name for p in (data_dir / "cache" / "index").glob("g-*")}


def start_import(data_dir: Path, digest: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [PAPERDECK, "import", str(digest)],
        env={**os.environ, "PAPERDECK_DATA_DIR": str(data_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
    )


def reach(moment: str, proc: subprocess.Popen, data_dir: Path, digest: Path) -> None:
    """Wait until the import is writing its new generation, or has its workers running."""
    before = generations(data_dir) if data_dir.exists() else set()
    if moment == "writing":
        wait_for(lambda: data_dir.exists() and generations(data_dir) - before, "a new generation")
    else:
        wait_for(lambda: len(processes_reading(digest)) >= 3, "two writer processes")
    assert proc.poll() is None, "the import ended before the moment was reached"


@pytest.fixture(params=["empty", "sample"])
def library(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, int]:
    """An empty library, or one holding the sample's 65 papers."""
    if request.param == "empty":
        return tmp_path / "empty", 0
    return request.getfixturevalue("sample_dir"), 65


@pytest.mark.parametrize("moment", ["writing", "workers"])
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_killing_the_importer_alone_leaves_no_process_and_no_lock(
    library: tuple[Path, int], sample_bytes: bytes, tmp_path: Path, moment: str, signum: int
) -> None:
    data_dir, papers_before = library
    digest = tmp_path / "many.txt"
    digest.write_bytes(big_digest(sample_bytes, COPIES, "many"))
    proc = start_import(data_dir, digest)
    reach(moment, proc, data_dir, digest)
    os.kill(proc.pid, signum)  # the importer only, as the out-of-memory killer does
    proc.communicate(timeout=60)
    wait_for(lambda: not processes_reading(digest), "the writer processes to end", 5)
    # Whole: as before, or (the signal came after the commit) with every new paper.
    assert len(listed(data_dir)) in (papers_before, papers_before + 65 * COPIES)
    again = run_cli("import", str(digest), data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert "rebuilt" not in again.stderr and "internal error" not in again.stderr
    assert len(listed(data_dir)) == papers_before + 65 * COPIES


@pytest.mark.parametrize("moment", ["writing", "workers"])
def test_ctrl_c_during_an_import_is_one_line_and_changes_nothing(
    sample_dir: Path, sample_bytes: bytes, tmp_path: Path, moment: str
) -> None:
    digest = tmp_path / "many.txt"
    digest.write_bytes(big_digest(sample_bytes, COPIES, "many"))
    catalog_before = (sample_dir / "library.json").read_bytes()
    generations_before = generations(sample_dir)
    proc = start_import(sample_dir, digest)
    reach(moment, proc, sample_dir, digest)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.splitlines() == ["paperdeck: interrupted; the library is as it was"]
    wait_for(lambda: not processes_reading(digest), "the writer processes to end", 5)
    if (sample_dir / "library.json").read_bytes() != catalog_before:  # Ctrl-C after the commit
        assert len(listed(sample_dir)) == 65 + 65 * COPIES
        return
    assert generations(sample_dir) == generations_before  # the unfinished one is gone
    assert len(listed(sample_dir)) == 65
