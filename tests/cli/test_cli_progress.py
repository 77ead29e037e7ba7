"""A progress line on stderr for long work when stderr is a terminal; nothing when piped."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from filelock import FileLock
from paperdeck.tui.cli.progress import CLEAR, ProgressLine, render

from tests.support import run_cli

SUMMARY = "hf-papers-sample.txt: 65 papers (65 new), dated March 13, "  # the year is today's
PAPERDECK = str(Path(sys.executable).with_name("paperdeck"))


def test_a_bar_with_a_count_and_time_left_when_the_total_is_known() -> None:
    line = render("rebuilding the index", 250, 1000, 10.0, 80)
    assert line.startswith("rebuilding the index [######------------------] 250/1,000")
    assert line.endswith("  25/s  0:30 left")
    assert len(render("x" * 200, 1, 2, 1.0, 60)) == 59  # never wraps


def test_a_spinner_and_seconds_when_it_is_not() -> None:
    assert render("importing a.txt", 0, None, 3.2, 80) in {
        f"importing a.txt {c} 3s" for c in "|/-\\"
    }


def test_the_library_callback_feeds_the_bar() -> None:
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as terminal:
        bar = ProgressLine("rebuilding", terminal)
        bar.update(50, 100)
        bar._tick(0, None)
    assert "rebuilding [############------------] 50/100" in os.read(master, 1000).decode()
    os.close(master)


def read_until(master: int, child: subprocess.Popen, wanted: str | None, limit: float) -> str:
    """What the terminal showed, until `wanted` appears (or, for None, the child ends)."""
    out, deadline = b"", time.monotonic() + limit
    while time.monotonic() < deadline:
        if wanted is not None and wanted in out.decode(errors="replace"):
            break
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                chunk = b""
            out += chunk
            if not chunk and child.poll() is not None:
                break
        elif wanted is None and child.poll() is not None:
            break
    return out.decode(errors="replace")


def in_a_terminal_while_locked(data_dir: Path, *args: str, shows: str) -> tuple[str, int]:
    """Run paperdeck in a pty, holding the library's lock until its progress line shows."""
    master, slave = pty.openpty()
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(data_dir)}
    data_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(data_dir / "library.lock")):
        child = subprocess.Popen([PAPERDECK, *args], stdout=slave, stderr=slave, env=env)
        os.close(slave)
        shown = read_until(master, child, shows, 60)
    shown += read_until(master, child, None, 60)
    os.close(master)
    return shown, child.wait(timeout=60)


def test_a_slow_import_shows_a_spinner_then_its_summary(tmp_path: Path, sample_path: Path) -> None:
    shown, code = in_a_terminal_while_locked(
        tmp_path / "lib", "import", str(sample_path), shows="importing hf-papers-sample.txt "
    )
    assert code == 0
    frames, summary = shown.rsplit(CLEAR, 1)
    assert "importing hf-papers-sample.txt " in frames
    assert summary.startswith(SUMMARY) and summary.endswith("\r\n")
    assert summary.count("\n") == 1


def test_a_slow_rebuild_shows_progress_then_its_summary(sample_dir: Path) -> None:
    shown, code = in_a_terminal_while_locked(sample_dir, "rebuild", shows="rebuilding the index")
    assert code == 0
    assert shown.rsplit(CLEAR, 1)[1] == "rebuilt the index: 65 papers\r\n"


def test_nothing_extra_when_stderr_is_a_pipe(tmp_path: Path, sample_path: Path) -> None:
    data_dir = tmp_path / "lib"
    data_dir.mkdir()
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(data_dir)}
    with FileLock(str(data_dir / "library.lock")):
        child = subprocess.Popen(
            [PAPERDECK, "import", str(sample_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        time.sleep(1.6)  # longer than the work a progress line waits for
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0 and err == ""
    assert out.startswith(SUMMARY) and out.count("\n") == 1
    assert run_cli("list", data_dir=data_dir).returncode == 0
