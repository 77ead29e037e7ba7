"""The status line: what the list shows, or what is going on, fitted to the width it has
whenever it is drawn, so a resize refits it (the screen hands it parts, not a string)."""

from __future__ import annotations

from paperdeck.tui.screens.texts import Part, fit_parts
from rich.text import Text
from textual.widget import Widget


class StatusLine(Widget):
    """One line; its parts give way by rank and titles in their middle (texts.fit_parts)."""

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: list[Part] = [Part(text)]
        self.activity: list[Part] = []  # an import's progress, before whatever else is shown

    def show(self, parts: list[Part]) -> None:
        self.parts = parts
        self.refresh()

    def show_activity(self, parts: list[Part]) -> None:
        """What runs in the background (an import): kept in front of the other statuses,
        which come and go as they did, until it is replaced or cleared (`[]`)."""
        self.activity = parts
        self.refresh()

    def render(self) -> Text:
        width = self.content_region.width or self.size.width
        parts = [*self.activity, *self.parts]
        return Text(fit_parts(parts, width) if width else "", no_wrap=True)
