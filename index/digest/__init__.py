"""Digest readers: bytes in, Papers out, with a report of what was skipped.

Each format has a reader module; `sniff_format` picks one from the content.
"""

from __future__ import annotations

import datetime as dt

from index.digest.decode import decode_digest
from index.digest.hftext import read_page_text
from index.digest.report import DigestReport, Skipped
from index.errors import DigestError

__all__ = ["FORMATS", "DigestReport", "Skipped", "read_digest", "sniff_format"]

FORMATS = ("hf-text",)


def sniff_format(text: str) -> str:
    """Name the format of decoded digest text, or refuse it with one clear reason."""
    head = text.lstrip()[:200].lower()
    if head.startswith(("{", "[")):
        raise DigestError("JSON digests are not supported yet (plain-text pages only)")
    if head.startswith("<"):
        raise DigestError("XML/HTML digests are not supported yet (plain-text pages only)")
    return "hf-text"


def read_digest(
    data: bytes, name: str, *, today: dt.date | None = None, fmt: str | None = None
) -> DigestReport:
    """Read one digest. `today` anchors year-less dates (`Mar 13`): pass the import date."""
    decoded = decode_digest(data, name)
    try:
        chosen = fmt or sniff_format(decoded.text)
    except DigestError as exc:
        raise DigestError(f"{name}: {exc}") from None
    if chosen not in FORMATS:
        raise DigestError(f"{name}: unknown format {chosen!r} (known: {', '.join(FORMATS)})")
    papers, skipped = read_page_text(decoded.text, name, today or dt.date.today())
    if not papers:
        raise DigestError(f"{name}: no papers found (only page chrome or stray text)")
    return DigestReport(
        name=name,
        format=chosen,
        encoding=decoded.encoding,
        papers=tuple(papers),
        skipped=tuple(skipped),
        warnings=decoded.warnings,
    )
