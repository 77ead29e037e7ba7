"""Digest readers: bytes in, Papers out, with a report of what was skipped.

Each format is one row of FORMAT_TABLE (its name, reader module and function, and how to
recognise it); `sniff_format` picks one from the content, and `--format` overrides it.
`read_digest` reads a digest held in memory; `open_digest` streams one from a file, paper
by paper, for formats whose reader can (a file of gigabytes is never held whole).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, Protocol

from paperdeck.index.digest.report import DigestReport, Skipped
from paperdeck.index.errors import DigestError
from paperdeck.index.models import Paper

if TYPE_CHECKING:  # the decoders (gzip, zlib) load with the first digest read
    from paperdeck.index.digest.decode import TextLines

__all__ = ["FORMATS", "DigestReport", "DigestStream", "Skipped", "open_digest", "read_digest"]

Reader = Callable[[str, str, dt.date], tuple[list[Paper], list[Skipped]]]
# (lines, name, today, skipped) -> papers as they are read; `skipped` filled on the way
StreamReader = Callable[[Iterable[str], str, dt.date, list[Skipped]], Iterator[Paper]]


class LineFilter(Protocol):
    """Lines of a one-paper-a-line digest in, the same lines out but those to skip blanked
    (so line numbers stay true); `blanked` counts them."""

    blanked: int

    def __call__(self, lines: Iterable[str]) -> Iterator[str]: ...


@dataclass(frozen=True)
class Format:
    """One digest format: adding a format is one row below plus its reader module."""

    name: str
    module: str  # imported when first needed: the package itself stays light
    reader: str  # its function (text, name, today) -> (papers, skipped)
    sniff: Callable[[str, str], bool]  # (head of the text, lowered) -> is it this format?
    stream: str = ""  # its streaming function, if it has one (formats of one line per paper)
    line_per_paper: bool = False  # each paper is one line: a line seen before can be skipped


# Keys only the snapshot's records have (Hugging Face's papers have none of them).
_SNAPSHOT_KEYS = {"categories", "submitter", "authors_parsed", "update_date", "journal-ref"}


def _jsonl(head: str) -> bool:
    """A JSON object on the first line with an arXiv id and a key of the snapshot's: the
    arXiv snapshot. The keys are read from as much of the line as the head holds, so a
    first line longer than the head (thousands of authors) is still known by its first
    keys (`id`, `submitter`)."""
    if not head.startswith("{"):
        return False
    keys = _first_keys(head.split("\n", 1)[0])
    return "id" in keys and not keys.isdisjoint(_SNAPSHOT_KEYS)


def _first_keys(line: str) -> set[str]:
    """The top-level keys of the JSON object `line` starts with, as far as it goes (it may
    be cut anywhere)."""
    keys: set[str] = set()
    depth, at = 0, 0
    while at < len(line):
        char = line[at]
        if char == '"':
            end = _string_end(line, at + 1)
            if end < 0:
                break
            if depth == 1 and line[end + 1 : end + 2 + 8].lstrip().startswith(":"):
                keys.add(line[at + 1 : end])
            at = end
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        at += 1
    return keys


def _string_end(line: str, at: int) -> int:
    """Where the JSON string starting at `at` closes, or -1 when the line is cut in it."""
    while (end := line.find('"', at)) >= 0:
        backslashes = len(line[at:end]) - len(line[at:end].rstrip("\\"))
        if backslashes % 2 == 0:
            return end
        at = end + 1
    return -1


def _xml(head: str, lowered: str, *roots: str) -> bool:
    return head.startswith("<") and any(root in lowered for root in roots)


# Tried in order; hf-text, the plain text of a page, takes whatever is left.
FORMAT_TABLE: tuple[Format, ...] = (
    Format(  # paperdeck's own, written when the reader adds a cited paper (before hf-json)
        "cited-papers",
        "paperdeck.index.digest.cited",
        "read_cited",
        lambda h, _: h.startswith("{") and '"paperdeck": "cited-papers"' in h,
    ),
    Format(
        "arxiv-snapshot",
        "paperdeck.index.digest.snapshot",
        "read_snapshot",
        lambda h, _: _jsonl(h),
        "stream_snapshot",
        line_per_paper=True,
    ),
    Format(
        "hf-json",
        "paperdeck.index.digest.hfjson",
        "read_hf_json",
        lambda h, _: h.startswith(("[", "{")),
    ),
    Format(
        "arxiv-atom",
        "paperdeck.index.digest.arxiv",
        "read_arxiv_atom",
        lambda h, low: _xml(h, low, "<feed"),
    ),
    Format(
        "arxiv-rss",
        "paperdeck.index.digest.arxiv",
        "read_arxiv_rss",
        lambda h, low: _xml(h, low, "<rss", "<rdf:rdf"),
    ),
    Format(
        "hf-text",
        "paperdeck.index.digest.hftext",
        "read_page_text",
        lambda h, _: not h.startswith("<"),
        "stream_page_text",
    ),
)
FORMATS = tuple(f.name for f in FORMAT_TABLE)


def reader_for(fmt: str) -> Reader:
    """The reader of a format, imported when first needed."""
    chosen = next(f for f in FORMAT_TABLE if f.name == fmt)
    reader: Reader = getattr(importlib.import_module(chosen.module), chosen.reader)
    return reader


def stream_reader_for(fmt: str) -> StreamReader:
    """A format's streaming reader; a format without one is read whole and then streamed."""
    chosen = next(f for f in FORMAT_TABLE if f.name == fmt)
    if chosen.stream:
        streamer: StreamReader = getattr(importlib.import_module(chosen.module), chosen.stream)
        return streamer
    whole = reader_for(fmt)

    def read_whole(
        lines: Iterable[str], name: str, today: dt.date, skipped: list[Skipped]
    ) -> Iterator[Paper]:
        papers, skips = whole("".join(lines), name, today)
        skipped.extend(skips)
        yield from papers

    return read_whole


def sniff_format(text: str) -> str:
    """Name the format of decoded digest text, or refuse it with one clear reason."""
    head = text.lstrip()[:2000]
    lowered = head.lower()
    for candidate in FORMAT_TABLE:
        if candidate.sniff(head, lowered):
            return candidate.name
    if "<html" in lowered or "<!doctype html" in lowered:
        raise DigestError("an HTML page: save the page as text (select all, copy, paste)")
    raise DigestError("XML that is neither an Atom nor an RSS feed")


def read_digest(
    data: bytes, name: str, *, today: dt.date | None = None, fmt: str | None = None
) -> DigestReport:
    """Read one digest. `today` anchors year-less dates (`Mar 13`): pass the import date."""
    from paperdeck.index.digest.decode import decode_digest

    decoded = decode_digest(data, name)
    if fmt is not None and fmt not in FORMATS:
        raise DigestError(f"{name}: unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    try:
        chosen = fmt or sniff_format(decoded.text)
        papers, skipped = reader_for(chosen)(decoded.text, name, today or dt.date.today())
    except DigestError as exc:
        raise DigestError(f"{name}: {exc}") from None
    except RecursionError:
        raise DigestError(f"{name}: nested too deeply to read") from None
    if not papers:
        raise DigestError(f"{name}: no papers found ({_why_empty(chosen)})")
    return DigestReport(
        name=name,
        format=chosen,
        encoding=decoded.encoding,
        papers=tuple(papers),
        skipped=tuple(skipped),
        warnings=decoded.warnings,
    )


@dataclass
class DigestStream:
    """A digest being read from a file: its papers come as they are read; what was skipped
    and the warnings are complete once they have all come."""

    name: str
    format: str
    lines: TextLines
    papers: Iterator[Paper]
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def encoding(self) -> str:
        return self.lines.encoding

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self.lines.warnings)

    def fraction(self) -> float:
        """How far through the file the reading is (0.0 to 1.0), for progress."""
        return self.lines.fraction()


def open_digest(
    raw: BinaryIO,
    size: int,
    name: str,
    *,
    today: dt.date,
    fmt: str | None = None,
    line_filter: LineFilter | None = None,
) -> DigestStream:
    """Start reading a digest from a binary file of `size` bytes (sniffed from its head);
    iterating its papers reads the rest. Bad content raises DigestError, also mid-way.
    `line_filter` sees the lines of a format of one paper a line (paperdeck.index.linememo blanks
    those the library already holds); other formats are read as they are."""
    from paperdeck.index.digest.decode import open_lines

    if fmt is not None and fmt not in FORMATS:
        raise DigestError(f"{name}: unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    lines = open_lines(raw, size, name)
    try:
        chosen = fmt or sniff_format(lines.head)
    except DigestError as exc:
        lines.close()
        raise DigestError(f"{name}: {exc}") from None
    stream = DigestStream(name, chosen, lines, iter(()))
    per_line = next(f for f in FORMAT_TABLE if f.name == chosen).line_per_paper
    used = line_filter if line_filter and per_line else None
    stream.papers = _checked_papers(stream, used, stream_reader_for(chosen), today)
    return stream


def _checked_papers(
    stream: DigestStream, line_filter: LineFilter | None, reader: StreamReader, today: dt.date
) -> Iterator[Paper]:
    """The reader's papers, with its errors named after the file, and none at all an error
    (unless the line filter blanked lines: a file the library holds whole has none to give)."""
    count = 0
    try:
        text = line_filter(stream.lines) if line_filter else stream.lines
        for paper in reader(text, stream.name, today, stream.skipped):
            count += 1
            yield paper
    except DigestError as exc:
        message = str(exc)
        prefix = f"{stream.name}: "
        raise DigestError(message if message.startswith(prefix) else prefix + message) from None
    except RecursionError:
        raise DigestError(f"{stream.name}: nested too deeply to read") from None
    if not count and not (line_filter and line_filter.blanked):
        raise DigestError(f"{stream.name}: no papers found ({_why_empty(stream.format)})")


def _why_empty(fmt: str) -> str:
    return "only page chrome or stray text" if fmt == "hf-text" else f"no entries in this {fmt}"
