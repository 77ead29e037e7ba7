"""Ctrl-C or SIGTERM during a command: one line, exit 130 or 143, the library unchanged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from filelock import FileLock

from tests.support import run_cli

# The CLI in a child process, telling the test (by a file) when it starts waiting for the
# library's lock, which the test holds: the command is then blocked where a signal may land.
BLOCKED_IMPORT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from paperdeck.index.importing import Writes
    from paperdeck.tui.cli import main

    data_dir, digest, ready = sys.argv[1:4]
    real_lock = Writes._write_lock

    def announcing_lock(self):
        Path(ready).touch()
        return real_lock(self)

    Writes._write_lock = announcing_lock
    sys.exit(main(["--data-dir", data_dir, "import", digest]))
    """
)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_while_importing_says_one_line_and_changes_nothing(
    sample_dir: Path, sample_bytes: bytes, tmp_path: Path, signum: int, code: int
) -> None:
    digest = tmp_path / "more.txt"
    digest.write_bytes(sample_bytes.replace(b"Mamba", b"Mambo"))
    before = (sample_dir / "library.json").read_bytes()
    ready = tmp_path / "ready"
    with FileLock(str(sample_dir / "library.lock")):
        child = subprocess.Popen(
            [sys.executable, "-c", BLOCKED_IMPORT, str(sample_dir), str(digest), str(ready)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.02)
        time.sleep(0.2)  # into filelock's polling
        os.kill(child.pid, signum)
        out, err = child.communicate(timeout=60)
    assert child.returncode == code
    assert err == "paperdeck: interrupted; the library is as it was\n"
    assert out == ""
    assert (sample_dir / "library.json").read_bytes() == before
    assert len(run_cli("list", data_dir=sample_dir).stdout.splitlines()) == 65


def test_main_puts_the_signal_handlers_back(sample_dir: Path, capsys) -> None:
    from paperdeck.tui.cli import main

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    assert main(["--data-dir", str(sample_dir), "digests"]) == 0
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
