"""Other programs (clipboard tools, the browser opener), run away from the reader's terminal.

The reader owns the terminal: a child that inherits its stdin, stdout or stderr draws over the
screen (xclip's "Error: Can't open display: :99") or steals keys. Every child started here
gets none of them: stdin is a pipe or /dev/null, stdout /dev/null, stderr a temporary file
that is read to say what went wrong, and a session of its own, so it has no controlling
terminal to open either. Call these from thread workers: they wait for the child.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

TIMEOUT_S = 5.0
REASON_WIDTH = 100  # a tool's message is cropped to this: the notice must stay short


@dataclass(frozen=True)
class Ran:
    """Whether a program did its job; if not, why, in a few words."""

    ok: bool
    reason: str = ""


def run_quietly(
    argv: list[str],
    data: bytes | None = None,
    *,
    timeout: float = TIMEOUT_S,
    detach_after: float | None = None,
) -> Ran:
    """Run `argv` with `data` on its stdin and judge it by its exit status. With
    `detach_after`, a program still running then has started well (an opener that stays
    with the browser it launched) and is left to run."""
    name = Path(argv[0]).name
    with tempfile.TemporaryFile() as err:
        try:
            child = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL if data is None else subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=err,
                start_new_session=True,
            )
        except OSError as exc:
            return Ran(False, f"{name} could not start: {exc.strerror or exc}")
        try:
            child.communicate(data, timeout=timeout if detach_after is None else detach_after)
        except subprocess.TimeoutExpired:
            return _still_running(child, name, timeout, detached=detach_after is not None)
        if child.returncode == 0:
            return Ran(True)
        return Ran(False, _failure(name, child.returncode, err))


def _still_running(
    child: subprocess.Popen[bytes], name: str, timeout: float, detached: bool
) -> Ran:
    if detached:
        threading.Thread(target=child.wait, daemon=True).start()  # reaped when it ends
        return Ran(True)
    child.kill()
    child.wait()
    return Ran(False, f"{name} did not finish within {timeout:g} s")


def _failure(name: str, status: int, err: IO[bytes]) -> str:
    """`name: ` and the first line the program wrote to stderr, or its exit status."""
    err.seek(0)
    said = err.read(4096).decode("utf-8", "replace")
    line = next((s.strip() for s in said.splitlines() if s.strip()), "")
    if not line:
        return f"{name} failed (exit status {status})"
    if len(line) > REASON_WIDTH:
        line = line[: REASON_WIDTH - 1] + "…"
    return f"{name}: {line}"
