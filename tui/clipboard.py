"""Copy text so it reaches the user however they are connected.

Two ways, both tried: the terminal's OSC 52 escape (works over SSH and in tmux with
`set-clipboard on`), sent by Textual; and the system clipboard through the tool the
environment calls for (wl-copy on Wayland, xclip or xsel on X11, pbcopy on macOS), run away
from the terminal (paperdeck.tui.external) and judged by its exit status. The text is also kept in a
file. The notice says which ways the text went and, when the clipboard was not reached, why.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from paperdeck.tui.external import Ran, run_quietly

X11_TOOLS = (["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"])
WAYLAND_TOOLS = (["wl-copy"],)
NO_TOOL = "No clipboard tool: install wl-clipboard, xclip or xsel."
NO_DISPLAY = "No display here (SSH or a console?), so no system clipboard."


@dataclass(frozen=True)
class CopyOutcome:
    what: str
    native: bool
    saved_to: Path | None
    reason: str = ""  # why the system clipboard was not reached

    @property
    def title(self) -> str:
        return "" if self.native else "Not copied to the system clipboard"

    def message(self) -> str:
        if self.native:
            return f"Copied {self.what} to the clipboard (and via the terminal)."
        where = f" and to {_home_short(self.saved_to)}" if self.saved_to else ""
        return f"{self.reason}\n{self.what.capitalize()} went through the terminal (OSC 52){where}."


def _home_short(path: Path) -> str:
    """`~/…` for a path in the home directory: the notice has two lines to say it all."""
    with contextlib.suppress(ValueError, RuntimeError):
        return "~/" + str(path.relative_to(Path.home()))
    return str(path)


def clipboard_command(
    env: Mapping[str, str] = os.environ, platform: str = sys.platform
) -> tuple[list[str] | None, str]:
    """The command that fills the clipboard here, or None and the reason there is none."""
    if platform == "darwin":
        return (["pbcopy"], "") if shutil.which("pbcopy") else (None, "pbcopy was not found.")
    candidates = [
        *(WAYLAND_TOOLS if env.get("WAYLAND_DISPLAY") else ()),
        *(X11_TOOLS if env.get("DISPLAY") else ()),
    ]
    if not candidates:
        return None, NO_DISPLAY
    for argv in candidates:
        if shutil.which(argv[0], path=env.get("PATH")):
            return argv, ""
    return None, NO_TOOL


def copy_native(text: str) -> Ran:
    """Fill the system clipboard; never a byte on the terminal."""
    if sys.platform == "win32":  # pyperclip calls the Windows API itself: no child process
        return _copy_with_pyperclip(text)
    argv, reason = clipboard_command()
    if argv is None:
        return Ran(False, reason)
    ran = run_quietly(argv, text.encode("utf-8"))
    return ran if ran.ok else Ran(False, ran.reason.rstrip(".") + ".")


def _copy_with_pyperclip(text: str) -> Ran:
    import pyperclip  # imported at the first copy: its ctypes set-up kept out of start-up

    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            pyperclip.copy(text)
    except Exception as exc:  # PyperclipException and whatever a broken backend raises
        return Ran(False, f"The clipboard failed: {exc}")
    return Ran(True)


def copy_everywhere(text: str, what: str, keep: Callable[[str], Path | None]) -> CopyOutcome:
    """The blocking part (call it from a thread worker); OSC 52 is sent by the app itself.
    `keep` leaves the text in a file (Library.keep_last_copy) for when no clipboard is
    reachable at all, and returns that file."""
    ran = copy_native(text)
    return CopyOutcome(what, ran.ok, keep(text), ran.reason)
