"""The status line: what the list shows, or what is going on, fitted to the width it has
whenever it is drawn, so a resize refits it (the screen binds it parts, not a string)."""

from __future__ import annotations

from paperdeck.tui.screens.texts import Part, fit_parts
from rich.text import Text
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

SAID_FOR_S = 15.0  # a finished import's summary stays on the line this long


class StatusLine(Widget):
    """One line; its parts give way by rank and titles in their middle (texts.fit_parts).
    `parts` is bound to the screen's status; `activity` (an import's progress) is set by the
    screen and kept in front of it."""

    parts: reactive[list[Part]] = reactive(list, always_update=True)
    activity: reactive[list[Part]] = reactive(list, always_update=True)

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(StatusLine.parts, [Part(text)])
        self._clear_timer: Timer | None = None

    def show_activity(self, parts: list[Part], *, for_a_while: bool = False) -> None:
        """What runs in the background (an import): kept in front of the other statuses,
        which come and go as they did, until it is replaced or cleared (`[]`);
        `for_a_while`: cleared after SAID_FOR_S (a finished import's summary)."""
        if self._clear_timer is not None:
            self._clear_timer.stop()
            self._clear_timer = None
        self.activity = parts
        if for_a_while:
            self._clear_timer = self.set_timer(SAID_FOR_S, lambda: self.show_activity([]))

    def render(self) -> Text:
        width = self.content_region.width or self.size.width
        parts = [*self.activity, *self.parts]
        return Text(fit_parts(parts, width) if width else "", no_wrap=True)
