"""The plain-text dump of a Hugging Face Papers page: chrome, date lines, title, abstract.

Paragraphs are separated by blank lines; lines inside one are rejoined with a single space,
which restores text that a mail client hard-wrapped. A paragraph is a title or an abstract by
its shape, so a title with no abstract, several pasted days and stray page chrome all read.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from paperdeck.index.clean import squash_whitespace
from paperdeck.index.digest.build import make_paper
from paperdeck.index.digest.report import Skipped
from paperdeck.index.models import Paper

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_DAY_RE = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2})"
    r"(?:(?:st|nd|rd|th)?,?\s+(?P<year>\d{4}))?$",
    re.I,
)
_ISO_DATE_RE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")
_CHROME = {
    "new",
    "get trending papers in your email inbox!",
    "subscribe",
    "byak and the research community",
    "daily papers",
    "trending papers",
    "submit paper",
    "submit",
    "search",
    "previous",
    "next",
    "upvote",
    "see all",
    "hugging face",
    "papers",
}
_CHROME_RE = re.compile(
    r"^(?:\d{1,6}|submitted by .{1,60}|· ?\d+ authors?|\d+ comments?|upvoted by .{1,60})$", re.I
)


@dataclass
class _Paragraph:
    line: int
    text: str


def parse_date_line(text: str, today: dt.date) -> dt.date | None:
    """`Mar 13` -> the most recent March 13 not after today; also `Mar 13, 2024`, ISO dates."""
    stripped = text.strip()
    if len(stripped) > 32:
        return None
    if iso := _ISO_DATE_RE.match(stripped):
        return _safe_date(int(iso["year"]), int(iso["month"]), int(iso["day"]))
    match = _MONTH_DAY_RE.match(stripped)
    if not match or match["month"].lower() not in _MONTHS:
        return None
    month, day = _MONTHS[match["month"].lower()], int(match["day"])
    if match["year"]:
        return _safe_date(int(match["year"]), month, day)
    for year in range(today.year, today.year - 8, -1):
        candidate = _safe_date(year, month, day)
        if candidate and candidate <= today:
            return candidate
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def is_chrome(text: str) -> bool:
    """A line of page furniture (navigation, subscribe box, upvote counts), not a paper."""
    if len(text) > 80:
        return False
    line = squash_whitespace(text)
    return line.casefold() in _CHROME or bool(_CHROME_RE.match(line))


def _broke_at_hyphen(previous: str, line: str) -> bool:
    """A wrap inside a hyphenated word ("Super-" / "resolution"), not after a suspended
    hyphen ("zero-" / "and low-resource"), which keeps its space."""
    if len(previous) < 2 or previous[-1] != "-" or not previous[-2].isalpha():
        return False
    return line[0].isalpha() and line.split(" ", 1)[0].lower() not in {"and", "or", "to", "nor"}


def _is_date_line(line: str) -> bool:
    return parse_date_line(line, dt.date.max) is not None


def _lines(text: str) -> Iterator[str]:
    """The text's lines, one at a time (a split list of a 200 MB digest costs as much again)."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def _paragraphs(source: Iterable[str]) -> Iterator[_Paragraph]:
    """Blank-line separated paragraphs; a date or chrome line always stands alone."""
    lines: list[str] = []
    start = 0
    for number, raw in enumerate(itertools.chain(source, [""]), start=1):
        line = raw.strip()
        alone = bool(line) and (_is_date_line(line) or (not lines and is_chrome(line)))
        if (not line or alone) and lines:
            yield _Paragraph(start, " ".join(lines))
            lines = []
        if alone:
            yield _Paragraph(number, line)
        elif line:
            start = start if lines else number
            if lines and _broke_at_hyphen(lines[-1], line):
                lines[-1] += line  # "Super-" + "resolution": the wrap split a hyphenated word
            else:
                lines.append(line)


def _looks_like_title(text: str) -> bool:
    if len(text) > 300:
        return False
    words = len(text.split())
    sentences = len(re.findall(r"[.!?]\s+[A-Z]", text))
    return words <= 40 and len(text) <= 300 and sentences < 2


def _looks_like_abstract_after_title(text: str) -> bool:
    return not _looks_like_title(text) or (text.endswith(".") and len(text.split()) >= 12)


class _PageReader:
    """Walks the paragraphs once, pairing titles with abstracts under the current date."""

    def __init__(self, name: str, today: dt.date) -> None:
        self.name = name
        self.today = today
        self.date: dt.date | None = None
        self.seen_date = False
        self.pending: _Paragraph | None = None
        self.dates: dict[str, dt.date | None] = {}  # each paper's date, to see it repeated
        self.skipped: list[Skipped] = []
        self.day_position = 0
        self.ready: list[Paper] = []  # read, not yet taken

    def feed(self, paragraph: _Paragraph) -> None:
        text = paragraph.text
        if is_chrome(text):
            self.skipped.append(Skipped(line=paragraph.line, text=text, reason="page chrome"))
        elif (date := parse_date_line(text, self.today)) is not None:
            self._flush_pending(chrome_if_undated=True)
            self.date, self.seen_date, self.day_position = date, True, 0
        elif self.pending and _looks_like_abstract_after_title(text):
            self._add(self.pending, text)
            self.pending = None
        elif _looks_like_title(text):
            self._flush_pending(chrome_if_undated=False)
            self.pending = paragraph
        else:
            self.skipped.append(
                Skipped(line=paragraph.line, text=text, reason="text with no title before it")
            )

    def finish(self) -> None:
        self._flush_pending(chrome_if_undated=False)

    def _flush_pending(self, *, chrome_if_undated: bool) -> None:
        if self.pending is None:
            return
        if chrome_if_undated and not self.seen_date:
            self.skipped.append(
                Skipped(
                    line=self.pending.line,
                    text=self.pending.text,
                    reason="short line before the first date",
                )
            )
        else:
            self.skipped.append(
                Skipped(
                    line=self.pending.line,
                    text=self.pending.text,
                    reason="title without an abstract (kept)",
                )
            )
            self._add(self.pending, "")
        self.pending = None

    def _add(self, title_paragraph: _Paragraph, abstract_text: str) -> None:
        paper = make_paper(
            title=title_paragraph.text,
            abstract=abstract_text,
            source=self.name,
            date=self.date,
            position=self.day_position,
            markup=False,  # a page saved as text: no tags left
        )
        if paper is None:
            return
        known = self.dates.get(paper.id)  # None too when it came undated: then it is replaced
        if known and (not self.date or known <= self.date):
            self.skipped.append(
                Skipped(line=title_paragraph.line, text=paper.title, reason="repeated paper")
            )
            return
        self.dates[paper.id] = paper.date
        self.ready.append(paper)
        self.day_position += 1


def stream_page_text(
    lines: Iterable[str], name: str, today: dt.date, skipped: list[Skipped]
) -> Iterator[Paper]:
    """Papers in page order as the lines are read; a paper seen again on an earlier day
    comes again (whoever collects them keeps the later one, or merges the two)."""
    reader = _PageReader(name, today)
    reader.skipped = skipped
    for paragraph in _paragraphs(lines):
        reader.feed(paragraph)
        if reader.ready:
            yield from reader.ready
            reader.ready.clear()
    reader.finish()
    yield from reader.ready


def read_page_text(text: str, name: str, today: dt.date) -> tuple[list[Paper], list[Skipped]]:
    """Papers in page order, and what was skipped and why."""
    skipped: list[Skipped] = []
    papers: dict[str, Paper] = {}
    for paper in stream_page_text(_lines(text), name, today, skipped):
        papers[paper.id] = paper  # a repeat on an earlier day replaces the first one
    return list(papers.values()), skipped


def write_page_text(papers: list[Paper]) -> str:
    """Papers as a plain-text page (date lines, titles, abstracts): what the reader reads back.
    Used to hand a selection to someone as a digest, and by the round-trip tests."""
    out: list[str] = []
    current: object = object()
    for paper in papers:
        if paper.date != current and paper.date is not None:
            out.append(f"{paper.date:%b} {paper.date.day}, {paper.date.year}")
        current = paper.date
        out.append(paper.title)
        if paper.abstract:
            out.append(paper.abstract)
    return "\n\n".join(out) + "\n"
