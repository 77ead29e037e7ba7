"""A list of papers that draws only the rows on screen, so 100,000 rows cost nothing.

Textual's ListView and OptionList build a widget or a prompt per row; this is a ScrollView
whose `render_line` formats one visible row at a time (the approach of toolong's log view).
The screen hands it rows (set_rows) and binds it the bookmark marks (attributes down); it
reports the highlighted and selected paper by message (messages up).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Collection, Mapping, Sequence

from paperdeck.index.models import PaperRow
from paperdeck.tui import keymap
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

MARK = "★ "
GONE_MARK = "☆ "  # a bookmark whose paper left the library (shown from its bookmark)
NEW_MARK = "• "
READ_MARK = "✓ "  # marked read (the row is dimmed too)
NO_MARK = "  "


def today() -> dt.date:
    """Dates in this year show as `Mar 13`, older ones as `Mar 2025` (patched in snapshots)."""
    return dt.date.today()


def short_date(date: dt.date | None, today: dt.date) -> str:
    if date is None:
        return ""
    return f"{date:%b} {date.day}" if date.year == today.year else f"{date:%b %Y}"


class PaperList(ScrollView, can_focus=True):
    """Rows of `★ title … date` (★ bookmarked, ☆ bookmarked but gone from the library, • new
    since last time, ✓ read and dimmed); the cursor row stands out. `side_text` puts other
    words in the date's place (a reference's year and count)."""

    COMPONENT_CLASSES = {"paper-list--cursor", "paper-list--mark", "paper-list--date"}
    BINDINGS = keymap.bindings("list")

    # No repaint: watch_cursor repaints what the move changed.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    marks: reactive[Collection[str]] = reactive(frozenset, always_update=True)  # bookmarked ids
    read_ids: reactive[Collection[str]] = reactive(frozenset, always_update=True)  # marked read
    empty_message: reactive[str] = reactive("No papers.")

    class Highlighted(Message):
        def __init__(self, row: PaperRow | None) -> None:
            super().__init__()
            self.row = row

    class Selected(Message):
        def __init__(self, row: PaperRow) -> None:
            super().__init__()
            self.row = row

    class NearEnd(Message):
        """The reader moved to within a screenful of the last row: the screen may have more
        rows to give (a typed query lists its best 1,000 first)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[PaperRow] = ()
        self.new_ids: Collection[str] = frozenset()  # set before set_rows, as the rows' marks
        self.gone_ids: Collection[str] = frozenset()
        self.side_text: Mapping[str, str] = {}  # row id -> what shows in the date's place

    # -- data in -------------------------------------------------------------------------------
    def set_rows(
        self, rows: Sequence[PaperRow], keep: str | None = None, place: int | None = None
    ) -> None:
        """Replace the rows. The cursor goes to paper `keep` while it is still listed, else
        to row `place` (its paper left the list: the next one comes under the cursor), else
        to the first row; a cursor kept in place keeps its line on the screen."""
        line = self.cursor - round(self.scroll_offset.y)
        self.rows = rows
        # No width: rows are cut to the pane, never scrolled sideways, so a new width (the
        # first layout, a resize) does not lay the screen out again.
        self.virtual_size = Size(0, len(rows))
        found = next((i for i, p in enumerate(rows) if p.id == keep), None) if keep else None
        self.cursor = found if found is not None else place or 0
        stays = (found is not None or place is not None) and 0 <= line < self.size.height
        top = self.cursor - (line if stays else self.size.height // 2)
        self.scroll_to(y=max(0, top), animate=False)
        self.refresh()

    @property
    def current(self) -> PaperRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # -- cursor --------------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, value: int) -> None:
        """Scroll the cursor into view; a move within the screen repaints only the two rows
        it left and reached (the toolong idiom), not the pane."""
        top, height = round(self.scroll_offset.y), self.scrollable_content_region.height
        if value < top:
            self.scroll_to(y=value, animate=False)
        elif height and value >= top + height:
            self.scroll_to(y=value - height + 1, animate=False)
        if round(self.scroll_offset.y) != top or old == value:
            self.refresh()
        else:
            self.refresh_line(old)
            self.refresh_line(value)
        self.post_message(self.Highlighted(self.current))

    def action_move(self, delta: int) -> None:
        self.cursor += delta
        self._moved()

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - 1)
        self._moved()

    def action_jump(self, index: int) -> None:
        self.cursor = index if index >= 0 else len(self.rows) - 1
        self._moved()

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self.current))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        self.cursor = round(self.scroll_offset.y) + offset.y
        self._moved()
        if event.chain >= 2:
            self.action_select()

    def on_mouse_scroll_down(self) -> None:
        self.call_after_refresh(self._moved)  # once the wheel's scroll is done

    def _moved(self) -> None:
        """Say when the last rows are near: only on the reader's moves, not on new rows."""
        height = max(1, self.scrollable_content_region.height)
        bottom = max(round(self.scroll_offset.y) + height, self.cursor + 1)
        if self.rows and bottom + height >= len(self.rows):
            self.post_message(self.NearEnd())

    # -- drawing -------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_offset.y) + y
        base = self.rich_style
        if not self.rows:  # the hint wraps: its advice comes last and must not be cut
            lines = textwrap.wrap(self.empty_message, max(width - 2, 10)) or [""]
            text = lines[y] if y < len(lines) else ""
            return Strip([Segment(set_cell_size(f" {text}", width), base)], width)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        return self._row_strip(self.rows[index], index == self.cursor, width, base)

    def _row_strip(self, paper: PaperRow, selected: bool, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("paper-list--cursor") if selected else base
        mark = MARK if paper.id in self.marks else NEW_MARK if paper.id in self.new_ids else NO_MARK
        mark = GONE_MARK if paper.id in self.gone_ids else mark
        if paper.id in self.read_ids:
            mark = READ_MARK if mark == NO_MARK else mark
            style += Style(dim=True)
        # Partial: the mark's and the date's colour only, so the cursor's background runs
        # through the whole row (the full style brought the list's own background back).
        mark_style = style + self.get_component_rich_style("paper-list--mark", partial=True)
        date = self.side_text.get(paper.id) or short_date(paper.date, today())
        date_width = cell_len(date) + 1 if width > 40 and date else 0
        title_width = max(0, width - len(MARK) - date_width)
        segments = [
            Segment(mark, mark_style),
            Segment(_fit(paper.title, title_width), style),
        ]
        if date_width:
            date_style = style + self.get_component_rich_style("paper-list--date", partial=True)
            segments.append(Segment(date.rjust(date_width), date_style))
        return Strip(segments, width)


def _fit(text: str, width: int) -> str:
    """Crop to `width` cells with an ellipsis, or pad: wide characters are counted right."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(0, width - 1)) + "…" if width else ""
