"""Digest readers: bytes in, Papers out, with a report of what was skipped.

Each format has a reader module; `sniff_format` picks one from the content, and `--format`
overrides it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from index.digest.report import DigestReport, Skipped
from index.errors import DigestError
from index.models import Paper

__all__ = ["FORMATS", "DigestReport", "Skipped", "read_digest", "sniff_format"]

Reader = Callable[[str, str, dt.date], tuple[list[Paper], list[Skipped]]]
FORMATS = ("hf-text", "hf-json", "arxiv-atom", "arxiv-rss")


def reader_for(fmt: str) -> Reader:
    """The reader of a format, imported when first needed: the package itself stays light,
    as the library and the reader's start-up import it without reading any digest."""
    if fmt == "hf-text":
        from index.digest.hftext import read_page_text

        return read_page_text
    if fmt == "hf-json":
        from index.digest.hfjson import read_hf_json

        return lambda text, name, today: read_hf_json(text, name)
    from index.digest.arxiv import read_arxiv_atom, read_arxiv_rss

    read = read_arxiv_atom if fmt == "arxiv-atom" else read_arxiv_rss
    return lambda text, name, today: read(text, name)


def sniff_format(text: str) -> str:
    """Name the format of decoded digest text, or refuse it with one clear reason."""
    head = text.lstrip()[:2000]
    lowered = head.lower()
    if head.startswith(("[", "{")):
        return "hf-json"
    if head.startswith("<"):
        if "<feed" in lowered:
            return "arxiv-atom"
        if "<rss" in lowered or "<rdf:rdf" in lowered:
            return "arxiv-rss"
        if "<html" in lowered or "<!doctype html" in lowered:
            raise DigestError("an HTML page: save the page as text (select all, copy, paste)")
        raise DigestError("XML that is neither an Atom nor an RSS feed")
    return "hf-text"


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
