"""The search box: where the reader starts, so that a word typed at once is searched.

Letters typed here are text; the keys of its scope in paperdeck.tui.keymap (↓) take the reader
to the list, where letters are commands (enter and tab do too: the screen and the app).
"""

from __future__ import annotations

from paperdeck.tui import keymap
from textual.widgets import Input


class SearchBox(Input):
    BINDINGS = keymap.bindings("search")

    def action_to_list(self) -> None:
        """The focus moves at once, in the key's own handling (a message would move it after
        the keys queued behind ↓ had been typed into the box: a burst `↓jjb` searched "jjb")."""
        self.screen.focus_next(LIST_SELECTOR)


LIST_SELECTOR = "PaperList"  # the pane ↓ goes to (a selector: the box imports no sibling)
