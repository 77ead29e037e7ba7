"""What the main screen says: hints for an empty list, the status line; fitted to the width,
so that the advice at the end of a line is never the part cut off."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from index.models import RowResult

EMPTY_LIBRARY = (
    "Your library is empty.\n\nImport a digest from the shell:\n\n"
    "  paperdeck import DIGEST.txt\n\nor start the reader with one:  paperdeck DIGEST.txt\n"
    "or fetch today's papers from Hugging Face: press F.\n\n"
    "A digest is the text of a Hugging Face Papers page (select all, copy, paste into a file),\n"
    "the daily-papers JSON, or an arXiv Atom/RSS feed."
)
NO_MATCH = "No papers match. Try fewer words, or a prefix like transfor."
FILTER_NAMES = {"bookmarks_only": ("bookmarks", "B"), "new_only": ("new papers", "n")}


def plural(count: int, word: str, suffix: str = "s") -> str:
    return f"{count:,} {word}{'' if count == 1 else suffix}"


def empty_message(size: int, filters: dict[str, bool], query: str, first_opening: bool) -> str:
    """Why the list is empty, and the key that shows more."""
    if size == 0:
        return "No papers yet: import a digest (see the right pane)."
    on = [name for name, active in filters.items() if active]
    if not on:
        return NO_MATCH
    keys = " and ".join(FILTER_NAMES[name][1] for name in on)
    if query.strip():
        what = " or ".join(FILTER_NAMES[name][0] for name in on)
        return f"None of your {what} match. Press {keys} to search all papers."
    if filters["new_only"] and first_opening:
        return (
            "Nothing is new: this is the first time you opened paperdeck, so there is no "
            f"earlier visit to compare with. Press {keys} to show all papers."
        )
    if filters["new_only"]:
        return f"Nothing new since you last opened paperdeck. Press {keys} to show all papers."
    return f"No bookmarks yet: press b on a paper to bookmark it, {keys} to show all papers."


def status_line(size: int, filters: dict[str, bool], marks: int, query: str, result: RowResult):
    parts = [plural(size, "paper")]
    if filters["bookmarks_only"]:
        parts.append(f"{marks:,} bookmarked")
    if filters["new_only"]:
        parts.append("new since last time")
    if query.strip():
        parts.append(plural(result.total, "match", "es"))
    if len(result.rows) < result.total:
        parts.append(f"showing the first {len(result.rows):,}")
    if result.suggestion:
        parts.append(f"did you mean: {result.suggestion}  (ctrl+n)")
    if result.fell_back:
        parts.append("query syntax not understood: searched the words")
    return " · ".join(parts)


def about_title(before: str, title: str, after: str, width: int) -> str:
    """`before“title”after` in `width` cells: the title gives way, in its middle."""
    room = width - cell_len(before) - cell_len(after) - 2
    return f"{before}“{fit_middle(title, max(room, 8))}”{after}"


def fit_middle(text: str, width: int) -> str:
    """`text` in at most `width` cells, with an ellipsis in the middle if it must be cut."""
    if cell_len(text) <= width:
        return text
    head = set_cell_size(text, (width - 1) // 2 + (width - 1) % 2).rstrip()
    tail_room = width - 1 - cell_len(head)
    tail = ""
    for char in reversed(text):
        if cell_len(char + tail) > tail_room:
            break
        tail = char + tail
    return f"{head}…{tail.lstrip()}"
