"""Digest readers: bytes in, Papers out, with a report of what was skipped.

Each format has a reader module; `sniff_format` picks one from the content, and `--format`
overrides it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from index.digest.arxiv import read_arxiv_atom, read_arxiv_rss
from index.digest.decode import decode_digest
from index.digest.hfjson import read_hf_json
from index.digest.hftext import read_page_text
from index.digest.report import DigestReport, Skipped
from index.errors import DigestError
from index.models import Paper

__all__ = ["FORMATS", "DigestReport", "Skipped", "read_digest", "sniff_format"]

Reader = Callable[[str, str, dt.date], tuple[list[Paper], list[Skipped]]]
READERS: dict[str, Reader] = {
    "hf-text": read_page_text,
    "hf-json": lambda text, name, today: read_hf_json(text, name),
    "arxiv-atom": lambda text, name, today: read_arxiv_atom(text, name),
    "arxiv-rss": lambda text, name, today: read_arxiv_rss(text, name),
}
FORMATS = tuple(READERS)


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
    decoded = decode_digest(data, name)
    if fmt is not None and fmt not in READERS:
        raise DigestError(f"{name}: unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    try:
        chosen = fmt or sniff_format(decoded.text)
        papers, skipped = READERS[chosen](decoded.text, name, today or dt.date.today())
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
