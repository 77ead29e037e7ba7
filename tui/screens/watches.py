"""The watches (saved searches) with their new counts, and the dialog that saves one."""

from __future__ import annotations

from paperdeck.index.library import WatchStatus
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

NO_WATCHES = (
    "No watches yet. Search for something, then press W to watch that search, or run "
    "paperdeck watch add NAME QUERY."
)


def watch_line(status: WatchStatus, width: int) -> Text:
    """`diffusion   3 new   41 matches   diffusion has:code`: the new count stands out."""
    line = Text(f"{status.name:<{width}}  ", style="bold")
    line.append(f"{status.new:>4} new", style="bold reverse" if status.new else "dim")
    said = "match  " if status.matches == 1 else "matches"  # (the columns stay aligned)
    line.append(f"  {status.matches:>6,} {said}   ", style="dim")
    line.append(status.query)
    return line


# The watches screen's and the save dialog's styles, loaded when either first opens.
WATCHES_CSS = """
WatchesScreen, WatchDialog {
    align: center middle;
}

#watches-dialog, #watch-dialog {
    width: 90;
    max-width: 95%;
    height: auto;
    max-height: 80%;
    border: round $accent;
    background: $surface;
    padding: 1 2;
}

#watches-title, #watch-title {
    text-style: bold;
    margin-bottom: 1;
    width: 100%;
    text-wrap: nowrap;
    text-overflow: ellipsis;
}

#watches {
    height: auto;
    max-height: 20;
}

#watches-empty {
    width: 100%;  /* (wrapped to the dialog, not cut at its edge on a narrow terminal) */
}

#watch-buttons {
    height: auto;
    margin-top: 1;
    align-horizontal: right;
}
"""


class WatchesScreen(ModalScreen[str | None]):
    """Pick a watch: the screen then searches its query and marks it seen."""

    BINDINGS = [Binding("escape,q,w", "cancel", "Close")]
    SCOPED_CSS, CSS = False, WATCHES_CSS

    def __init__(self, statuses: list[WatchStatus]) -> None:
        super().__init__()
        self.statuses = statuses

    def compose(self) -> ComposeResult:
        width = max((len(s.name) for s in self.statuses), default=0)
        with Vertical(id="watches-dialog"):
            yield Label("Watches: enter searches one and marks it seen", id="watches-title")
            if self.statuses:
                options = [Option(watch_line(s, width), id=s.name) for s in self.statuses]
                yield OptionList(*options, id="watches")
            else:
                yield Label(NO_WATCHES, id="watches-empty")

    @on(OptionList.OptionSelected, "#watches")
    def open_watch(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def follow(self, statuses: list[WatchStatus]) -> None:
        """The watches as they are now (another process added, removed or counted one): the
        rows drawn again, the highlight kept on its watch while it is still there."""
        if statuses != self.statuses:
            self.call_later(self._redraw, statuses, self._highlighted())

    async def _redraw(self, statuses: list[WatchStatus], highlighted: str | None) -> None:
        self.statuses = statuses
        await self.recompose()
        names = [s.name for s in statuses]
        for option_list in self.query("#watches").results(OptionList):
            option_list.focus()  # (the new list has it, as the old one had)
            if highlighted in names:
                option_list.highlighted = names.index(highlighted)

    def _highlighted(self) -> str | None:
        found = self.query("#watches").results(OptionList)
        option_list = next(iter(found), None)
        if option_list is None or option_list.highlighted is None:
            return None
        return option_list.get_option_at_index(option_list.highlighted).id

    def action_cancel(self) -> None:
        self.dismiss(None)


class WatchDialog(ModalScreen[tuple[str, str] | None]):
    """Name the current search as a watch; returns (name, query)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    SCOPED_CSS, CSS = False, WATCHES_CSS

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical(id="watch-dialog"):
            yield Label(f"Watch the search: {self.query_text}", id="watch-title")
            yield Label("Name (empty: the search itself)")
            yield Input(placeholder="a short name, such as diffusion", id="watch-name")
            with Horizontal(id="watch-buttons"):
                yield Button("Watch", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def save(self) -> None:
        name = self.query_one("#watch-name", Input).value.strip() or self.query_text[:60]
        self.dismiss((name, self.query_text))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
