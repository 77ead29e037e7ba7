"""What the main screen says: hints for an empty list, the status line; fitted to the width,
so that the advice at the end of a line is never the part cut off."""

from __future__ import annotations

from dataclasses import dataclass, replace

from paperdeck.index.models import UNFINISHED, RowResult
from rich.cells import cell_len, set_cell_size

EMPTY_LIBRARY = (
    "Your library is empty.\n\nImport a digest from the shell:\n\n"
    "  paperdeck import DIGEST.txt\n\nor start the reader with one:  paperdeck DIGEST.txt\n"
    "or fetch today's papers from Hugging Face: press F.\n\n"
    "A digest is the text of a Hugging Face Papers page (select all, copy, paste into a file),\n"
    "the daily-papers JSON, or an arXiv Atom/RSS feed."
)
NO_MATCH = "No papers match. Try fewer words, or a prefix like transfor."
FILTER_NAMES = {
    "bookmarks_only": ("bookmarks", "B"),
    "new_only": ("new papers", "n"),
    "dismissed_only": ("papers marked not interested", "X"),
}


@dataclass(frozen=True, kw_only=True)
class Filters:
    """Which marks the list is narrowed to (B, n, X): a value, replaced whole on a toggle, so
    the screen's reactive `filters` sees every change."""

    bookmarks_only: bool = False
    new_only: bool = False
    dismissed_only: bool = False

    def toggled(self, name: str) -> Filters:
        if name not in FILTER_NAMES:
            raise ValueError(f"no filter {name!r}")
        return replace(self, **{name: not getattr(self, name)})

    def on(self) -> list[str]:
        """The names of the filters on, in FILTER_NAMES' order."""
        return [name for name in FILTER_NAMES if getattr(self, name)]

    def query_suffix(self) -> str:
        """What the filters add to the typed query (` is:bookmarked is:new`)."""
        words = {"bookmarks_only": "is:bookmarked", "new_only": "is:new"}
        words["dismissed_only"] = "is:dismissed"
        return "".join(f" {words[name]}" for name in self.on())


def cleared(query: str, filters: Filters) -> Part:
    """What escape cleared: `cleared the search “wavelet” and bookmarks only`."""
    what = [f"the search “{query.strip()}”"] if query.strip() else []
    what += [f"{FILTER_NAMES[name][0]} only" for name in filters.on()]
    said = ", ".join(what[:-1]) + (" and " if len(what) > 1 else "") + what[-1] if what else ""
    return Part(f"cleared {said}" if said else "cleared", keep=5)


def plural(count: int, word: str, suffix: str = "s") -> str:
    return f"{count:,} {word}{'' if count == 1 else suffix}"


def empty_message(size: int, filters: Filters, query: str, first_opening: bool) -> str:
    """Why the list is empty, and the key that shows more."""
    if size == 0:
        return "No papers yet: import a digest (see the right pane)."
    on = filters.on()
    if not on:
        return NO_MATCH
    keys = " and ".join(FILTER_NAMES[name][1] for name in on)
    if query.strip():
        what = " or ".join(FILTER_NAMES[name][0] for name in on)
        return f"None of your {what} match. Press {keys} to search all papers."
    if filters.new_only and first_opening:
        return (
            "Nothing is new: this is the first time you opened paperdeck, so there is no "
            f"earlier visit to compare with. Press {keys} to show all papers."
        )
    if filters.new_only:
        return (
            "Nothing new: every import so far was shown by a reader since closed. "
            f"Press {keys} to show all papers."
        )
    if filters.dismissed_only:
        return f"Nothing is marked not interested (x on a paper). Press {keys} to show all papers."
    return f"No bookmarks yet: press b on a paper to bookmark it, {keys} to show all papers."


@dataclass(frozen=True)
class Part:
    """A piece of a status line: text around a title that gives way in its middle when the
    line is narrow (the advice after it never does); `keep`: the higher, the longer it stays
    when pieces must go."""

    before: str
    title: str = ""
    after: str = ""
    keep: int = 0
    quoted: bool = False  # “the title” in quotes

    def text(self, title_width: int | None = None) -> str:
        title = self.title if title_width is None else fit_middle(self.title, title_width)
        return self.before + (f"“{title}”" if self.quoted else title) + self.after


SEPARATOR = " · "


def fit_parts(parts: list[Part], width: int) -> str:
    """The parts in `width` cells: the least kept go first, then titles give way in their
    middle, and a last one too long is cut in its middle (its end is the advice)."""
    shown = list(parts)
    while len(shown) > 1 and cell_len(SEPARATOR.join(p.text() for p in shown)) > width:
        shown.remove(min(shown, key=lambda p: p.keep))
    line = SEPARATOR.join(p.text() for p in shown)
    if cell_len(line) <= width:
        return line
    over = cell_len(line) - width
    fitted = [p.text(max(cell_len(p.title) - over, 8)) if p.title else p.text() for p in shown]
    line = SEPARATOR.join(fitted)
    return line if cell_len(line) <= width else fit_middle(line, max(width, 1))


def status_parts(
    size: int, filters: Filters, marks: int, query: str, result: RowResult, kept: bool = False
) -> list[Part]:
    """The list's status: counts, the filters on, and advice (kept longest)."""
    parts = [Part(plural(size, "paper"))]
    if filters.bookmarks_only:
        parts.append(Part(f"{marks:,} bookmarked", keep=2))
    if filters.new_only:
        parts.append(Part("new since last time", keep=2))
    if filters.dismissed_only:
        parts.append(Part("not interested", keep=2))
    if query.strip():
        parts.append(Part(plural(result.total, "match", "es"), keep=3))
    if len(result.rows) < result.total:
        parts.append(Part(f"showing the first {len(result.rows):,}", keep=1))
    if result.suggestion:
        parts.append(Part("did you mean: ", result.suggestion, "  (ctrl+n)", keep=4))
    if result.fell_back:
        parts.append(Part("query syntax not understood: searched the words", keep=4))
    if result.incomplete:
        waiting = UNFINISHED.get(result.incomplete, "an unfinished query")
        shown = "still showing the last answer" if kept else "matching what is typed so far"
        parts.append(Part(f"{waiting}: {shown}", keep=4))
    return parts


def import_progress(name: str, done: int, total: int, rate: float | None) -> list[Part]:
    """`importing NAME: 120,000 of ~1,000,000 papers · 5,400/s · 2 min left` (the total is
    estimated from how far through the file the import is). Kept longer than the list's
    counts; the name gives way in its middle."""
    if not done:
        return [Part("importing ", name, "…", keep=9)]
    parts = [Part("importing ", name, f": {done:,} of ~{max(total, done):,} papers", keep=9)]
    if rate:
        parts.append(Part(f"{rate:,.0f}/s", keep=6))
        if total > done:
            parts.append(Part(f"{duration((total - done) / rate)} left", keep=7))
    return parts


def duration(seconds: float) -> str:
    """`40 s`, `2 min`, `1 h 5 min`: a time left, as precise as it is worth."""
    if seconds < 60:
        return f"{max(round(seconds), 1)} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"


def about_title(before: str, title: str, after: str) -> list[Part]:
    """`before“title”after`: the title gives way, in its middle."""
    return [Part(before, title, after, quoted=True)]


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


ERROR_TEXT_LIMIT = 160  # characters of an unexpected error's own words in its notice


def unexpected_error(error: BaseException, where: str) -> str:
    """One line for an error the reader did not expect: its kind, the start of its words
    (an error may carry a whole file), and where its traceback went."""
    words = " ".join(str(error).split())
    if len(words) > ERROR_TEXT_LIMIT:
        words = words[: ERROR_TEXT_LIMIT - 1] + "…"
    kind = type(error).__name__
    return (
        f"Something went wrong ({kind}: {words}); {where}."
        if words
        else (f"Something went wrong ({kind}); {where}.")
    )
