"""The arXiv metadata snapshot (Kaggle's arxiv-metadata-oai-snapshot.json): one JSON object
per line, for every paper on arXiv.

Each line gives `id` (new style `2403.12345` or old style `math/0406594`), `title` and
`abstract` (hard-wrapped, with LaTeX), `authors` and `authors_parsed`, `categories`
(space-separated), `versions` (the first one's `created` date is the paper's date),
`update_date` and `doi`. A line that is not such an object is counted and skipped, never the
end of the import.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from email.utils import parsedate_to_datetime
from typing import Any

from index.digest.build import make_paper, parse_iso_date
from index.digest.report import Skipped
from index.models import Link, Paper

_AUTHOR_SPLIT_RE = re.compile(r",\s*|\s+and\s+")
EXCERPT = 200  # characters of a bad line kept for --explain


def read_snapshot(
    text: str, name: str, today: dt.date | None = None
) -> tuple[list[Paper], list[Skipped]]:
    skipped: list[Skipped] = []
    papers = list(stream_snapshot(text.split("\n"), name, today, skipped))
    return papers, skipped


def stream_snapshot(
    lines: Iterable[str], name: str, today: dt.date | None, skipped: list[Skipped]
) -> Iterator[Paper]:
    """Papers as their lines are read; a bad line is noted in `skipped` (with an excerpt:
    a file of millions of lines may have many) and the reading goes on."""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            fields = json.loads(line)
        except ValueError:
            skipped.append(Skipped(number, line[:EXCERPT], "not a JSON object", damaged=True))
            continue
        paper = _to_paper(fields, name, number) if isinstance(fields, dict) else None
        if paper is None:
            skipped.append(Skipped(number, line[:EXCERPT], "no arXiv id or no title", damaged=True))
        else:
            yield paper


def _to_paper(fields: dict[str, Any], name: str, number: int) -> Paper | None:
    arxiv_id, title = fields.get("id"), fields.get("title")
    if not isinstance(arxiv_id, str) or not isinstance(title, str):
        return None
    abstract = fields.get("abstract")
    categories = fields.get("categories")
    doi = fields.get("doi")
    paper = make_paper(
        title=title,
        abstract=abstract if isinstance(abstract, str) else "",
        source=name,
        date=_first_version_date(fields.get("versions"))
        or parse_iso_date(fields.get("update_date")),
        authors=_authors(fields),
        arxiv_id=arxiv_id,
        extra_links=[Link(f"https://doi.org/{doi}", "DOI")] if isinstance(doi, str) and doi else [],
        position=number,
        keywords=categories.split() if isinstance(categories, str) else (),
    )
    return paper if paper is not None and paper.arxiv_id else None


def _first_version_date(versions: object) -> dt.date | None:
    """The date of `v1` (RFC 2822, as `Mon, 2 Apr 2007 19:18:42 GMT`)."""
    if not isinstance(versions, list) or not versions or not isinstance(versions[0], dict):
        return None
    created = versions[0].get("created")
    try:
        return parsedate_to_datetime(created).date() if isinstance(created, str) else None
    except (TypeError, ValueError):
        return None


def _authors(fields: dict[str, Any]) -> list[str]:
    """`authors_parsed` ([last, first, suffix] each) when present, else the `authors` text."""
    parsed = fields.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for parts in parsed:
            if isinstance(parts, list) and parts and all(isinstance(p, str) for p in parts):
                last, first, *suffix = [*parts, "", ""][:3]
                names.append(" ".join(p for p in (first, last, *suffix) if p.strip()))
        return names
    text = fields.get("authors")
    return [a for a in _AUTHOR_SPLIT_RE.split(text) if a.strip()] if isinstance(text, str) else []
