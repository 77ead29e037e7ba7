"""The help screen: every key (from paperdeck.tui.keymap), and the query syntax with examples."""

from __future__ import annotations

from collections.abc import Sequence

from paperdeck.index.library import LIBRARY_TERMS
from paperdeck.tui import keymap
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

SYNTAX = [
    ("wavelet discriminator", "both words, in title, abstract or authors; titles count more"),
    ("transfor", "the word being typed also matches as a prefix"),
    ('"sentence embeddings"', "the exact phrase (stemmed)"),
    ("title:mamba  author:smith", "one field (also abstract:)"),
    ("mamba OR attention", "either word; NOT survey excludes; ( ) groups"),
    ("embed*  mambo~", "wildcard; fuzzy match"),
    ("date:[2024-03-01 to 2024-03-31]", "a date range; date:2024 a year"),
    ("is:bookmarked  tag:toread", "your bookmarks, by tag"),
    ("is:new", "papers added since you last opened paperdeck"),
    ("has:code  upvotes:>=50", "Hugging Face's: a GitHub repo; upvotes (> < <= = [a to b])"),
    # the terms the library answers from your own files (paperdeck.index.search_terms)
    *[(t.example.replace("`", ""), t.meaning.replace("`", "")) for t in LIBRARY_TERMS],
]


def _table(rows: list[tuple[str, str]], title: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column("")
    for key, meaning in rows:
        table.add_row(key, meaning)
    return table


def help_content(rows: Sequence[keymap.KeyAction] = keymap.KEYS) -> Group:
    """The keys of `rows` (the table, with the user's keys.toml), then the query syntax."""
    return Group(
        _table(keymap.help_rows(rows), "Keys"),
        Text(keymap.in_search_box(rows), style="italic"),
        Text(),
        _table(SYNTAX, "Query syntax"),
        Text("Malformed syntax is never an error: the words are searched instead."),
        Text("Press escape or q to close.", style="bold"),
    )


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]
    SCOPED_CSS = False  # (as in app.tcss: loaded when the dialog first opens)
    CSS = """
    HelpScreen {
        align: center middle;
    }

    #help-body {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, rows: Sequence[keymap.KeyAction] = keymap.KEYS) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(help_content(self.rows), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
