"""The search box: where the reader starts, so that a word typed at once is searched.

Letters typed here are text; the keys of its scope in paperdeck.tui.keymap (↓) take the reader
to the list, where letters are commands (enter and tab do too: the screen and the app).
"""

from __future__ import annotations

from paperdeck.tui import keymap
from textual.message import Message
from textual.widgets import Input


class SearchBox(Input):
    BINDINGS = keymap.bindings("search")

    class ToList(Message):
        """The reader asked for the list (↓ in the box)."""

    def action_to_list(self) -> None:
        self.post_message(self.ToList())
