"""PaperDeckApp: thin. Bindings, styles, the command palette; the work is in the main screen."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.screen import Screen

from index.library import EXPORT_FORMATS, Library
from tui import keymap
from tui.messages import SearchDone
from tui.screens.main import MainScreen, read_first_screen


class PaperDeckApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "paperdeck"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, library: Library, first_screen: SearchDone | None = None) -> None:
        super().__init__()
        self.library = library
        self.first_screen = first_screen

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.library, self.first_screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
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


def make_reader(library: Library) -> PaperDeckApp:
    """The reader as `paperdeck` starts it: the first screenful read before the loop runs."""
    return PaperDeckApp(library, read_first_screen(library))


def run_reader(library: Library) -> None:
    make_reader(library).run()
    library.close()
