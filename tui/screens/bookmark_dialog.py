"""A small dialog for a bookmark's tags and note."""

from __future__ import annotations

from paperdeck.index.models import Bookmark, PaperRow
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

Result = tuple[str, list[str], str]


class BookmarkDialog(ModalScreen[Result | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    SCOPED_CSS = False  # (as in app.tcss: loaded when the dialog first opens)
    CSS = """
    BookmarkDialog {
        align: center middle;
    }

    #bookmark-dialog {
        width: 70;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 1 2;
    }

    #bookmark-title {
        text-style: bold;
        margin-bottom: 1;
        width: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;  /* a long title is cut where it is seen to be */
    }

    #bookmark-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    """

    def __init__(self, paper: PaperRow, bookmark: Bookmark | None) -> None:
        super().__init__()
        self.paper, self.bookmark = paper, bookmark  # (None: not bookmarked yet)

    def compose(self) -> ComposeResult:
        tags, note = (self.bookmark.tags, self.bookmark.note) if self.bookmark else ((), "")
        with Vertical(id="bookmark-dialog"):
            yield Label(self.paper.title, id="bookmark-title")
            yield Label("Tags (comma separated)")
            yield Input(", ".join(tags), id="tags")
            yield Label("Note")
            yield Input(note, id="note")
            with Horizontal(id="bookmark-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        tags = [t for t in self.query_one("#tags", Input).value.split(",") if t.strip()]
        self.dismiss((self.paper.id, tags, self.query_one("#note", Input).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
