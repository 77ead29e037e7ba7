"""Digest readers: bytes in, Papers out, with a report of what was skipped.

Each format is one row of FORMAT_TABLE (its name, reader module and function, and how to
recognise it); `sniff_format` picks one from the content, and `--format` overrides it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from index.digest.report import DigestReport, Skipped
from index.errors import DigestError
from index.models import Paper

__all__ = ["FORMATS", "DigestReport", "Skipped", "read_digest", "sniff_format"]

Reader = Callable[[str, str, dt.date], tuple[list[Paper], list[Skipped]]]


@dataclass(frozen=True)
class Format:
    """One digest format: adding a format is one row below plus its reader module."""

    name: str
    module: str  # imported when first needed: the package itself stays light
    reader: str  # its function (text, name, today) -> (papers, skipped)
    sniff: Callable[[str, str], bool]  # (head of the text, lowered) -> is it this format?


def _jsonl(head: str) -> bool:
    """A JSON object on the first line with an arXiv id and categories: the arXiv snapshot."""
    first = head.split("\n", 1)[0]
    return first.startswith("{") and '"id"' in first and '"categories"' in first


def _xml(head: str, lowered: str, *roots: str) -> bool:
    return head.startswith("<") and any(root in lowered for root in roots)


# Tried in order; hf-text, the plain text of a page, takes whatever is left.
FORMAT_TABLE: tuple[Format, ...] = (
    Format("arxiv-snapshot", "index.digest.snapshot", "read_snapshot", lambda h, _: _jsonl(h)),
    Format("hf-json", "index.digest.hfjson", "read_hf_json", lambda h, _: h.startswith(("[", "{"))),
    Format(
        "arxiv-atom", "index.digest.arxiv", "read_arxiv_atom", lambda h, low: _xml(h, low, "<feed")
    ),
    Format(
        "arxiv-rss",
        "index.digest.arxiv",
        "read_arxiv_rss",
        lambda h, low: _xml(h, low, "<rss", "<rdf:rdf"),
    ),
    Format("hf-text", "index.digest.hftext", "read_page_text", lambda h, _: not h.startswith("<")),
)
FORMATS = tuple(f.name for f in FORMAT_TABLE)


def reader_for(fmt: str) -> Reader:
    """The reader of a format, imported when first needed."""
    chosen = next(f for f in FORMAT_TABLE if f.name == fmt)
    reader: Reader = getattr(importlib.import_module(chosen.module), chosen.reader)
    return reader


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
    from index.digest.decode import decode_digest

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


def _why_empty(fmt: str) -> str:
    return "only page chrome or stray text" if fmt == "hf-text" else f"no entries in this {fmt}"
