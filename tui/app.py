"""PaperDeckApp: thin. Bindings, styles, the command palette; the work is in the main screen."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from paperdeck.index.library import Library
from paperdeck.index.paths import config_dir
from paperdeck.tui import keymap
from paperdeck.tui.messages import SearchDone
from paperdeck.tui.screens.main import MainScreen, read_first_screen
from textual.app import App, SystemCommand
from textual.screen import Screen

SAVING_GROUPS = frozenset({"bookmark", "watches", "watch-seen", "export", "seen"})  # that write
TERMINAL_CHECK_S = 1.0  # how often the reader looks whether its terminal is still there


class PaperDeckApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "paperdeck"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(
        self,
        library: Library,
        first_screen: SearchDone | None = None,
        imports: Sequence[str] = (),
        keys: keymap.UserKeys | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.first_screen = first_screen
        self.imports = imports  # digests the reader imports once it is up
        self.user_keys = keys or keymap.UserKeys()  # keys.toml, read before the loop starts

    def get_default_screen(self) -> MainScreen:
        """The main screen is the first on the stack: no empty default screen is composed
        and laid out under it before the first frame."""
        rows = keymap.rebound(self.user_keys.keymap)  # what the help and the bottom line say
        screen = MainScreen(self.library, self.first_screen, self.imports, rows)
        # The width's class now, not at the first resize: styled and laid out once, not twice.
        screen.add_class(*breakpoint_classes(self.size.width, self.HORIZONTAL_BREAKPOINTS))
        return screen

    def run(self, *args: Any, **kwargs: Any) -> None:
        """Textual's run, with collection paused already while it sets up its loop and
        driver (see on_load); given back when the run ends, whatever happened."""
        gc.disable()
        try:
            return super().run(*args, **kwargs)  # (what exit() was given: a test's picture)
        finally:
            gc.enable()

    def on_load(self) -> None:
        """No garbage collection until the first frame is drawn: the objects composing and
        laying it out are long-lived, and collecting them over and over costs start-up time
        (about a tenth of the reader's own). Collected again from the first frame on."""
        gc.disable()

    def on_unmount(self) -> None:
        gc.enable()  # (an app that never drew a frame gives it back too)

    def _collect_again(self) -> None:
        """gc.enable, called after the first frame. (Not handed to Textual itself: a builtin's
        signature is parsed from its text, and Python's tokenizer compiled for it.)"""
        gc.enable()

    def on_mount(self) -> None:
        self.call_after_refresh(self._collect_again)
        if self.user_keys.problem:
            self.notify(self.user_keys.problem, title="Keys", severity="warning", timeout=15)
        else:
            self.set_keymap(self.user_keys.keymap)  # bindings are rebound by their ids
        if not self.is_headless:
            self.set_interval(TERMINAL_CHECK_S, self._quit_if_the_terminal_is_gone)

    async def action_quit(self) -> None:
        """Quit once what is being saved is saved: a mark made just before `q` is kept (its
        worker may not have started yet, and quitting would cancel it), and what this
        reader showed is marked seen."""
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None and main.ready:
            main.follow.seen_worker()
        for worker in list(self.workers):
            if worker.group in SAVING_GROUPS and not worker.is_finished:
                with contextlib.suppress(Exception):  # a failed save has said so already
                    await worker.wait()
        self.exit()

    def _quit_if_the_terminal_is_gone(self) -> None:
        """A closed terminal (an SSH connection dropped, a tmux pane killed under `make`)
        does not always send the reader SIGHUP; without this it went on reading a dead
        terminal, half a core busy, for good."""
        if not terminal_alive():
            self.exit()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from paperdeck.index.library import EXPORT_FORMATS  # export's module: at the palette

        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        for row in keymap.palette():  # every action with a palette title
            yield SystemCommand(
                row.palette, row.palette_help, partial(screen.run_action, row.action)
            )
        for fmt in EXPORT_FORMATS:
            for only in (True, False):
                what = "bookmarks" if only else "all papers"
                yield SystemCommand(
                    f"Export {what} as {fmt}",
                    f"Write {what} to a {fmt} file (you pick where; nothing is written over)",
                    partial(screen.run_action, f"export({fmt!r}, {only})"),
                )


def breakpoint_classes(width: int, breakpoints: Sequence[tuple[int, str]]) -> set[str]:
    """The class Textual gives a screen of this width (the widest breakpoint it reaches)."""
    reached = [(at, name) for at, name in breakpoints if width >= at]
    return {max(reached)[1]} if reached else set()


def terminal_alive() -> bool:
    """Whether the reader's terminal still exists (a hung-up one fails these calls)."""
    try:
        return os.isatty(sys.__stdout__.fileno() if sys.__stdout__ else 1)
    except (OSError, ValueError):
        return False


def make_reader(
    library: Library, imports: Sequence[str] = (), keys_file: Path | None = None
) -> PaperDeckApp:
    """The reader as `paperdeck` starts it: the first screenful and the user's keys
    (`keys_file`, else keys.toml in the config dir) read before the loop runs; `imports` are
    imported once it is up, their progress on the status line."""
    keys = keymap.read_user_keys(keys_file or config_dir() / keymap.KEYS_FILE)
    return PaperDeckApp(library, read_first_screen(library), imports, keys)


def run_reader(library: Library, imports: Sequence[str] = ()) -> None:
    """Run the reader until it quits. An import it was running is cancelled by then and
    has dropped what it wrote (Textual waits for its thread to end)."""
    make_reader(library, imports).run()
    library.close()
