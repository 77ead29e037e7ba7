"""Where to write an export: a path to confirm or change, and a question before replacing."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

Result = tuple[str, bool]  # (the path typed, whether to replace the file there)


class ExportDialog(ModalScreen[Result | None]):
    """Offers `path` (a name no file has yet, from a worker); when `exists`, the file there
    is replaced only if the path is confirmed unchanged."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    SCOPED_CSS = False  # (as in app.tcss: loaded when the dialog first opens)
    CSS = """
    ExportDialog {
        align: center middle;
    }

    #export-dialog {
        width: 80;
        max-width: 95%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 1 2;
    }

    #export-title {
        text-style: bold;
    }

    #export-exists {
        color: $warning;
        margin-top: 1;
    }

    #export-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    """

    def __init__(self, what: str, path: Path, exists: bool = False) -> None:
        super().__init__()
        self.what, self.path, self.exists = what, path, exists

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Label(f"Export {self.what} to", id="export-title")
            yield Input(str(self.path), id="export-path")
            if self.exists:
                yield Label(
                    f"{self.path.name} is already there: Replace writes over it; or change "
                    "the name.",
                    id="export-exists",
                )
            with Horizontal(id="export-buttons"):
                yield Button("Replace" if self.exists else "Export", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        box = self.query_one("#export-path", Input)
        box.cursor_position = len(box.value)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        typed = self.query_one("#export-path", Input).value.strip()
        if typed:
            self.dismiss((typed, self.exists and typed == str(self.path)))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
