"""The detail pane: one paper with its matched words highlighted, links, and similar papers.

The screen sets what to show (`view`: paper, highlight spans, bookmark state, similar papers);
this widget draws it whenever it is set, keeping its scroll place when the paper is the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from paperdeck.index.library import arxiv_lines, authors_text, signals_line
from paperdeck.index.models import Bookmark, Hit, Paper, Why
from paperdeck.tui import keymap
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

Spans = list[tuple[int, int]]
HIGHLIGHT = Style(bold=True, reverse=True)
LINK_WIDTH = 60  # long search URLs are cropped on screen; the terminal link keeps all of it
# The most of one text (an abstract, a note) the pane lays out: far more than a screen, far
# less than a digest can hold (a 14 MB abstract froze the reader while it was wrapped).
TEXT_LIMIT = 20_000


def shown_text(text: str, limit: int = TEXT_LIMIT) -> str:
    """`text` as the pane shows it: whole, or cut at a word with how much more there is
    (highlight spans found in it hold in the whole text too: it starts the same)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit - 200, limit)
    head = text[: cut if cut > 0 else limit].rstrip()
    return f"{head}…, {len(text) - len(head):,} more characters"


@dataclass
class DetailView:
    """Everything the pane shows, handed down by the screen."""

    paper: Paper | None = None
    title_spans: Spans = field(default_factory=list)
    abstract_spans: Spans = field(default_factory=list)
    bookmark: Bookmark | None = None
    similar: list[Hit] = field(default_factory=list)
    placeholder: str = ""
    new: bool = False
    loading: bool = False  # only the row is known yet: title and date
    why: Why | None = None  # why "for you" ranks it there
    gone: bool = False  # a bookmark whose paper left the library: its snapshot
    citations: str = ""  # "cited by 1,204 (87 influential)", or where a listed paper is from
    outside: bool = False  # a listed reference or citing paper the library does not hold


def highlighted(text: str, spans: Spans, style: Style | str = "") -> Text:
    out = Text(text, style=style)
    for start, end in spans:
        out.stylize(HIGHLIGHT, start, end)
    return out


class PaperDetail(VerticalScroll, can_focus=True):
    BINDINGS = keymap.bindings("detail")
    # A view of its own for each pane (a default factory, not one shared instance).
    view: reactive[DetailView] = reactive(DetailView, always_update=True, init=False)

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")

    def watch_view(self, old: DetailView, view: DetailView) -> None:
        """Draw `view`; the same paper drawn again (a bookmark toggled, similar papers come,
        the list refreshed) keeps the reader's place in it. The same view is not drawn again
        (each draw lays the screen out anew)."""
        if view == old:
            return
        self.query_one("#detail-body", Static).update(render_detail(view))
        same = old.paper is not None and view.paper is not None and old.paper.id == view.paper.id
        if not same:
            self.scroll_home(animate=False)


def render_detail(view: DetailView) -> Group | Text:
    paper = view.paper
    if paper is None:
        return Text(view.placeholder, style="italic")
    parts: list[Text | Table] = [
        highlighted(paper.title, view.title_spans, "bold"),
        _meta_line(view),  # the bookmark state; its tags and note just under it
    ]
    if view.bookmark and (view.bookmark.tags or view.bookmark.note):
        parts.append(_bookmark_lines(view.bookmark))
    if paper.authors:
        parts.append(Text(authors_text(paper), style="italic"))
    for label, text in arxiv_lines(paper):
        parts.append(Text.assemble((f"{label}: ", "bold dim"), (text, "dim")))
    if paper.keywords:
        parts.append(Text(" · ".join(paper.keywords), style="dim"))
    if signals := signals_line(paper):
        parts.append(Text(signals, style="dim"))
    if line := _citations_line(view):
        parts.append(Text(line, style="bold dim"))
    if view.why is not None:
        parts.append(_why_line(view.why))
    parts.append(Text())
    for link in paper.links:
        parts.append(_link_line(link.label, link.url, link.broken))
    parts.append(Text())
    if view.loading:
        return Group(*parts, Text("Loading…", style="italic dim"))
    if paper.ai_summary:
        summary = shown_text(paper.ai_summary)
        parts += [Text.assemble(("AI summary: ", "bold"), (summary, "italic")), Text()]
    where = "the source's answer" if view.outside else "the digest"
    abstract = shown_text(paper.abstract) or f"(no abstract in {where})"
    parts.append(highlighted(abstract, view.abstract_spans))
    if view.similar:
        parts += [Text(), Text("Similar papers", style="bold"), _similar_list(view.similar[:8])]
    return Group(*parts)


SOURCE_NAMES = {"semantic-scholar": "Semantic Scholar", "openalex": "OpenAlex"}


def _citations_line(view: DetailView) -> str:
    """The cited-by count; for a paper added from a citation source, which one."""
    assert view.paper is not None
    source = next((SOURCE_NAMES[s] for s in view.paper.sources if s in SOURCE_NAMES), "")
    added = f"added from {source}" if source and not view.outside else ""
    return " · ".join(x for x in (view.citations, added) if x)


def _similar_list(hits: list[Hit]) -> Table:
    """A bullet column beside a title column: a wrapped title keeps its hanging indent."""
    table = Table.grid()
    table.add_column(no_wrap=True)
    table.add_column()
    for hit in hits:
        table.add_row("  • ", hit.paper.title)
    return table


def _why_line(why: Why) -> Text:
    """For you: "like “A”, “B” · shares retrieval, query"."""
    line = Text("For you: ", style="bold")
    if why.like:
        line.append("like " + ", ".join(f"“{title}”" for title in why.like))
    if why.words:
        line.append(" · " if why.like else "")
        line.append("shares " + ", ".join(why.words), style="italic")
    return line


def _meta_line(view: DetailView) -> Text:
    paper = view.paper
    assert paper is not None
    date = f"{paper.date:%B} {paper.date.day}, {paper.date.year}" if paper.date else "undated"
    line = Text(date, style="dim")
    if view.bookmark:
        line.append("  ★ bookmarked", style="bold")
    if view.new:
        line.append("  • new", style="bold")
    if view.gone:
        line.append("  ☆ no longer in the library", style="italic")
    line.append(f"  · {paper.id}", style="dim")
    return line


def _link_line(label: str, url: str, broken: bool) -> Text:
    line = Text(f"{label}: ", style="dim")
    if broken:
        line.append(url, style="underline")
        line.append("  ⚠ split by spaces in the text; check it", style="italic")
    else:
        shown = url if len(url) <= LINK_WIDTH else url[: LINK_WIDTH - 1] + "…"
        # A click runs the screen's follow_link (the terminal's own link handling does not
        # see clicks while the reader has the mouse); the link style serves OSC 8 terminals.
        click = Style.from_meta({"@click": f"screen.follow_link({url!r})"})
        line.append(shown, style=Style(underline=True, link=url) + click)
    return line


def _bookmark_lines(bookmark: Bookmark) -> Text:
    text = Text()
    if bookmark.tags:
        text.append("Tags: ", style="bold")
        text.append(", ".join(bookmark.tags))
    if bookmark.note:
        if bookmark.tags:
            text.append("\n")
        text.append("Note: ", style="bold")
        text.append(shown_text(bookmark.note))
    return text
