"""Copy text so it reaches the user however they are connected.

Two ways, both tried: the terminal's OSC 52 escape (works over SSH and in tmux with
`set-clipboard on`), sent by Textual; and the native clipboard through pyperclip where one
exists. pyperclip's own error text is never shown: the outcome is one sentence saying which
way the text went and how to enable the other. The text is also kept in a file, named in the
notice when no native clipboard could be reached.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from index.fsutil import atomic_write_text


@dataclass(frozen=True)
class CopyOutcome:
    what: str
    native: bool
    saved_to: Path | None

    def message(self) -> str:
        if self.native:
            return f"Copied {self.what} to the clipboard (and via the terminal)."
        where = f" Also saved to {self.saved_to}." if self.saved_to else ""
        return (
            f"Copied {self.what} through the terminal (OSC 52); no system clipboard here "
            f"(install xclip, xsel or wl-clipboard for one).{where}"
        )


def copy_native(text: str) -> bool:
    """Try the native clipboard quietly; pyperclip may print or raise when none exists."""
    import pyperclip  # imported at the first copy: ~8 ms (ctypes) saved at start-up

    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            pyperclip.copy(text)
    except Exception:  # PyperclipException and whatever a broken backend raises
        return False
    return True


def keep_last_copy(text: str, path: Path) -> Path | None:
    """Leave the copied text in a file for when no clipboard is reachable at all."""
    try:
        atomic_write_text(path, text)
    except OSError:
        return None
    return path


def copy_everywhere(text: str, what: str, last_copy_file: Path) -> CopyOutcome:
    """The blocking part (call it from a thread worker); OSC 52 is sent by the app itself."""
    native = copy_native(text)
    saved = keep_last_copy(text, last_copy_file)
    return CopyOutcome(what, native, saved)
