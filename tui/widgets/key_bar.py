"""The bottom line: the keys that fit the terminal's width, `?` help and `q` quit always.

Textual's Footer lays its keys out in a row that overflows a narrow terminal (at 60 columns
help and quit fell off and a letter of a cut key showed after the palette key); this draws
only whole keys, chosen by their rank in paperdeck.tui.keymap, and a click on one runs its action.
"""

from __future__ import annotations

from collections.abc import Sequence

from paperdeck.tui.keymap import KeyAction
from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

GAP = 2  # cells between two keys


def key_text(row: KeyAction) -> str:
    """How the bar writes a row's key: `^p` for ctrl+p, as terminals do."""
    return row.display.replace("ctrl+", "^")


def fit(rows: Sequence[KeyAction], width: int) -> list[KeyAction]:
    """The rows that fit in `width` cells, shown in the table's order: the rank-0 rows (help,
    quit) always, then by rank until one does not fit."""
    ranked = sorted(rows, key=lambda r: r.rank)
    used = sum(cell_len(f"{key_text(r)} {r.label}") + GAP for r in ranked if r.rank == 0)
    chosen = {r.action for r in ranked if r.rank == 0}
    for row in (r for r in ranked if r.rank != 0):
        used += cell_len(f"{key_text(row)} {row.label}") + GAP
        if used - GAP > width:
            break
        chosen.add(row.action)
    return [row for row in rows if row.action in chosen]


class KeyBar(Widget):
    """The keys of `rows` that fit, or of `box_rows` while the search box has the focus
    (`in_box`, set by the screen); the screen hands both down once (paperdeck.tui.keymap's
    footer() and box_footer())."""

    COMPONENT_CLASSES = {"key-bar--key"}
    in_box: reactive[bool] = reactive(False)

    def __init__(
        self,
        rows: Sequence[KeyAction],
        box_rows: Sequence[KeyAction] = (),
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.rows, self.box_rows = rows, box_rows
        self._spans: list[tuple[int, int, str]] = []  # (start, end, action) as drawn

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        text, self._spans = Text(no_wrap=True, overflow="crop"), []
        rows = self.box_rows if self.in_box and self.box_rows else self.rows
        for row in fit(rows, self.content_region.width or self.size.width):
            if text:
                text.append(" " * GAP)
            start = text.cell_len
            text.append(key_text(row), key_style)
            text.append(f" {row.label}")
            self._spans.append((start, text.cell_len, row.action))
        return text

    async def on_click(self, event: events.Click) -> None:
        """A click on a key does what the key does."""
        for start, end, action in self._spans:
            if start <= event.x < end:
                await self.screen.run_action(action)
                return
