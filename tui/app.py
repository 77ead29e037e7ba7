"""PaperDeckApp: thin. Bindings, styles, the command palette; the work is in the main screen."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.screen import Screen

from index.library import Library
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
        commands = [
            ("Search", "Focus the search box", "focus_search"),
            ("Bookmark", "Bookmark or un-bookmark the selected paper", "bookmark"),
            (
                "Bookmarks only",
                "Show only bookmarked papers, or all again",
                "toggle_filter('bookmarks_only')",
            ),
            (
                "New papers only",
                "Show papers added since you last opened paperdeck",
                "toggle_filter('new_only')",
            ),
            (
                "Fetch today's papers",
                "Download today's Hugging Face daily papers and import them",
                "fetch",
            ),
            ("Tags and note", "Edit the selected bookmark's tags and note", "edit_bookmark"),
            ("Copy link", "Copy the selected paper's link", "copy('link')"),
            ("Copy abstract", "Copy the selected paper's abstract", "copy('abstract')"),
            ("Copy citation", "Copy a BibTeX entry for the selected paper", "copy('citation')"),
            (
                "Copy Markdown link",
                "Copy a Markdown link (title and URL) for the paper",
                "copy('markdown')",
            ),
            ("Open in browser", "Open the selected paper's link", "open_link"),
            ("Similar papers", "List papers similar to the selected one", "similar"),
            ("Apply suggestion", "Search for the 'did you mean' suggestion", "apply_suggestion"),
            ("Help", "All keys and the query syntax", "help"),
        ]
        for title, help_text, action in commands:
            yield SystemCommand(title, help_text, partial(screen.run_action, action))
        for fmt in ("bibtex", "markdown", "json", "csv"):
            for only in (True, False):
                what = "bookmarks" if only else "all papers"
                yield SystemCommand(
                    f"Export {what} as {fmt}",
                    f"Write {what} to a {fmt} file in the current directory",
                    partial(screen.export_papers, fmt, only),
                )


def make_reader(library: Library) -> PaperDeckApp:
    """The reader as `paperdeck` starts it: the first screenful read before the loop runs."""
    return PaperDeckApp(library, read_first_screen(library))


def run_reader(library: Library) -> None:
    make_reader(library).run()
    library.close()
