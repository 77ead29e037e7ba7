"""The status line: what the list shows, or what is going on, fitted to the width it has
whenever it is drawn, so a resize refits it (the screen hands it parts, not a string)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.screens.texts import Part, fit_parts


class StatusLine(Widget):
    """One line; its parts give way by rank and titles in their middle (texts.fit_parts)."""

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: list[Part] = [Part(text)]

    def show(self, parts: list[Part]) -> None:
        self.parts = parts
        self.refresh()

    def render(self) -> Text:
        width = self.content_region.width or self.size.width
        return Text(fit_parts(self.parts, width) if width else "", no_wrap=True)
