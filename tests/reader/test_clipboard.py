"""Clipboard tools and the browser opener never write to the terminal, and their exit status
decides what the reader says (fake tools on PATH: no X server needed)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from paperdeck.index.library import Library
from paperdeck.tui import clipboard
from paperdeck.tui.app import PaperDeckApp
from rich.cells import cell_len

from tests.support.reader import fake_program, ready, shown, until

NO_DISPLAY_XCLIP = """echo "Error: Can't open display: :99" >&2
echo "xclip's stdout"
echo "xclip on the tty" > /dev/tty 2>/dev/null
exit 1"""


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch) -> Path:
    """Only the fakes on PATH (a real xclip on the machine must not answer instead)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("BROWSER", raising=False)
    return folder


@contextmanager
def terminal_caught(path: Path) -> Iterator[None]:
    """The process's real stdout and stderr (fds 1 and 2) go to `path` meanwhile."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with path.open("wb") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, copy in zip((1, 2), saved, strict=True):
            os.dup2(copy, fd)
            os.close(copy)


def keep_nothing(text: str) -> None:
    """No file for the copied text (Library.keep_last_copy when the cache dir is read-only)."""
    return None


def test_a_failing_clipboard_tool_writes_nothing_and_is_named(bin_dir: Path, tmp_path) -> None:
    fake_program(bin_dir, "xclip", NO_DISPLAY_XCLIP)
    caught, library = tmp_path / "terminal", Library(tmp_path / "library")
    with terminal_caught(caught):
        outcome = clipboard.copy_everywhere("https://x.org/1", "the link", library.keep_last_copy)
    last_copy = library._shared.paths.last_copy_file
    assert caught.read_bytes() == b""
    assert not outcome.native and "Not copied" in outcome.title
    cause, went = outcome.message().splitlines()
    assert cause == "xclip: Error: Can't open display: :99."
    assert "through the terminal (OSC 52)" in went and str(last_copy) in went
    assert last_copy.read_text() == "https://x.org/1"


def test_a_working_clipboard_tool_gets_the_text(bin_dir: Path, tmp_path) -> None:
    fake_program(bin_dir, "xclip", f'[ "$2" = clipboard ] && /bin/cat > {tmp_path}/got')
    caught = tmp_path / "terminal"
    with terminal_caught(caught):
        outcome = clipboard.copy_everywhere("Mamba — ∑ ü", "the abstract", keep_nothing)
    assert outcome.native and caught.read_bytes() == b""
    assert (tmp_path / "got").read_text("utf-8") == "Mamba — ∑ ü"
    assert outcome.message() == "Copied the abstract to the clipboard (and via the terminal)."


@pytest.mark.parametrize(
    ("env", "tools", "expected"),
    [
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, ["xclip", "wl-copy"], "wl-copy"),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, ["xclip"], "xclip"),
        ({"DISPLAY": ":0"}, ["xclip", "xsel", "wl-copy"], "xclip"),
        ({"DISPLAY": ":0"}, ["xsel"], "xsel"),
        ({"DISPLAY": ":0"}, [], "No clipboard tool: install wl-clipboard, xclip or xsel."),
        ({}, ["xclip", "wl-copy"], "No display here (SSH or a console?), so no system clipboard."),
    ],
)
def test_the_tool_is_chosen_by_what_exists_and_the_environment(
    tmp_path: Path, env, tools, expected
) -> None:
    for tool in tools:
        fake_program(tmp_path, tool, "exit 0")
    argv, reason = clipboard.clipboard_command({**env, "PATH": str(tmp_path)}, "linux")
    assert (argv[0] if argv else reason) == expected


def test_a_hanging_tool_is_stopped() -> None:
    from paperdeck.tui.external import run_quietly

    ran = run_quietly(["/bin/sleep", "30"], b"text", timeout=0.2)
    assert not ran.ok and ran.reason == "sleep did not finish within 0.2 s"


def test_a_failing_browser_opener_writes_nothing_and_is_named(bin_dir: Path, tmp_path) -> None:
    from paperdeck.tui.actions import open_in_browser

    fake_program(bin_dir, "xdg-open", 'echo "xdg-open: no method available for $1" >&2; exit 3')
    caught = tmp_path / "terminal"
    with terminal_caught(caught):
        ran = open_in_browser("https://x.org/1")
    assert caught.read_bytes() == b""
    assert (
        not ran.ok and ran.reason == "xdg-open: xdg-open: no method available for https://x.org/1"
    )


def test_the_browser_from_BROWSER_gets_the_url(bin_dir: Path, tmp_path, monkeypatch) -> None:
    from paperdeck.tui.actions import open_in_browser

    fake_program(bin_dir, "mybrowser", f'echo "$1 $2" > {tmp_path}/got; echo chatter >&2')
    monkeypatch.setenv("BROWSER", "mybrowser --new-tab %s")
    caught = tmp_path / "terminal"
    with terminal_caught(caught):
        ran = open_in_browser("https://x.org/1")
    assert ran.ok and caught.read_bytes() == b""
    assert (tmp_path / "got").read_text() == "--new-tab https://x.org/1\n"


# -- in the reader ---------------------------------------------------------------------------
def _toasts(app: PaperDeckApp):
    from textual.widgets._toast import Toast

    return list(app.screen.query(Toast))


async def test_y_says_why_the_clipboard_was_not_reached(app: PaperDeckApp, bin_dir) -> None:
    fake_program(bin_dir, "xclip", NO_DISPLAY_XCLIP)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await ready(pilot)
        app.clear_notifications()
        await pilot.press("y")
        await until(pilot, lambda: app._notifications, "a notice about the copy")
        notice = list(app._notifications)[-1]
        assert notice.title == "Not copied to the system clipboard"
        assert notice.severity == "warning"
        assert "Can't open display: :99" in notice.message
        assert app.clipboard == shown(screen).paper.url  # OSC 52 all the same
        await until(pilot, lambda: _toasts(app), "the notice on screen")
        width = _toasts(app)[-1].content_region.width
        cause = notice.message.splitlines()[0]
        assert cell_len(cause) <= 2 * width  # the cause in at most two lines at 80x24


async def test_o_with_a_failing_opener_says_so_and_copies_the_link(
    app: PaperDeckApp, bin_dir: Path, tmp_path: Path
) -> None:
    fake_program(bin_dir, "xdg-open", 'echo "xdg-open: no method available" >&2; exit 3')
    fake_program(bin_dir, "xclip", f"/bin/cat > {tmp_path}/got")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        url = shown(screen).paper.url
        await pilot.press("o")
        await until(pilot, lambda: (tmp_path / "got").exists(), "the link copied instead")
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors and "xdg-open: no method available" in errors[-1]
        await until(pilot, lambda: (tmp_path / "got").read_text() == url, "the whole link")
