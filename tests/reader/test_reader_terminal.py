"""The reader ends when its terminal goes away, even when no SIGHUP tells it so (a pane
killed under `make run`, a dropped connection): it used to go on reading a dead terminal,
half a core busy, for good."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

PAPERDECK = str(Path(sys.executable).with_name("paperdeck"))


def read_until(fd: int, text: bytes, seconds: float = 60) -> None:
    seen, deadline = b"", time.monotonic() + seconds
    while text not in seen:
        assert time.monotonic() < deadline, f"never saw {text!r}: {seen[-300:]!r}"
        if select.select([fd], [], [], 0.5)[0]:
            seen += os.read(fd, 65536)


def test_the_reader_ends_when_its_terminal_is_gone(sample_dir: Path) -> None:
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "PAPERDECK_DATA_DIR": str(sample_dir)}
    proc = subprocess.Popen(
        [PAPERDECK], stdin=slave, stdout=slave, stderr=slave, env=env,
        start_new_session=True,  # no controlling terminal: closing it sends no SIGHUP
    )  # fmt: skip
    os.close(slave)
    try:
        read_until(master, b"65 papers")  # the first screen is drawn
    finally:
        os.close(master)  # the terminal goes away
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("the reader went on without its terminal") from None
