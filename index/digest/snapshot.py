"""The arXiv metadata snapshot (Kaggle's arxiv-metadata-oai-snapshot.json): one JSON object
per line, for every paper on arXiv.

Each line gives `id` (new style `2403.12345` or old style `math/0406594`), `title` and
`abstract` (hard-wrapped, with LaTeX), `authors` and `authors_parsed` ([last, first, suffix]
and at times an affiliation), `categories` (space-separated, the primary first), `versions`
(the first one's `created` date is the paper's date), `update_date`, `submitter`, `comments`,
`journal-ref`, `doi`, `report-no` and `license`. A line that is not such an object is
counted and skipped, never the end of the import.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from email.utils import parsedate_to_datetime
from typing import Any

from paperdeck.index.digest.build import ArxivFields, arxiv_categories, make_paper, parse_iso_date
from paperdeck.index.digest.report import Skipped
from paperdeck.index.models import Link, Paper

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
            skipped.append(
                Skipped(line=number, text=line[:EXCERPT], reason="not a JSON object", damaged=True)
            )
            continue
        paper = _to_paper(fields, name, number) if isinstance(fields, dict) else None
        if paper is None:
            skipped.append(
                Skipped(
                    line=number,
                    text=line[:EXCERPT],
                    reason="no arXiv id or no title",
                    damaged=True,
                )
            )
        else:
            yield paper


def _to_paper(fields: dict[str, Any], name: str, number: int) -> Paper | None:
    arxiv_id, title = fields.get("id"), fields.get("title")
    if not isinstance(arxiv_id, str) or not isinstance(title, str):
        return None
    abstract = fields.get("abstract")
    doi = _string(fields, "doi")
    paper = make_paper(
        title=title,
        abstract=abstract if isinstance(abstract, str) else "",
        source=name,
        date=_first_version_date(fields.get("versions"))
        or parse_iso_date(fields.get("update_date")),
        authors=_authors(fields),
        arxiv_id=arxiv_id,
        extra_links=[Link(f"https://doi.org/{doi}", "DOI")] if doi else [],
        position=number,
        arxiv_fields=_arxiv_fields(fields),
        markup=False,  # plain text with LaTeX: `<` is math (`d Lambda < k < Lambda`)
    )
    return paper if paper is not None and paper.arxiv_id else None


def _string(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    return value if isinstance(value, str) else ""


def _arxiv_fields(fields: dict[str, Any]) -> ArxivFields:
    categories = arxiv_categories(_string(fields, "categories").split())
    versions = fields.get("versions")
    versions = [v for v in versions if isinstance(v, dict)] if isinstance(versions, list) else []
    last = _version_date(versions[-1]) if versions else None
    first = _first_version_date(versions)
    parsed = _parsed(fields)
    return ArxivFields(
        arxiv_comments=_string(fields, "comments"),
        journal_ref=_string(fields, "journal-ref"),
        doi=_string(fields, "doi"),
        report_no=_string(fields, "report-no"),
        license=_string(fields, "license"),
        primary_category=categories[0] if categories else "",
        categories=categories,
        version=_version_number(versions[-1]) if versions else None,
        submitted=first.isoformat() if first else "",
        revised=last.isoformat() if last else "",
        affiliations=tuple(parts[3] if len(parts) > 3 else "" for parts in parsed),
        submitter=_string(fields, "submitter"),
        name_parts=tuple((parts[0], parts[1], parts[2]) for parts in parsed),
    )


def _parsed(fields: dict[str, Any]) -> list[list[str]]:
    """`authors_parsed` padded to [last, first, suffix, ...]; [] when absent or odd."""
    parsed = fields.get("authors_parsed")
    if not isinstance(parsed, list):
        return []
    good = [p for p in parsed if isinstance(p, list) and p and all(isinstance(x, str) for x in p)]
    return [[*p, "", ""][: max(3, len(p))] for p in good] if len(good) == len(parsed) else []


def _version_number(version: dict[str, Any]) -> int | None:
    """`v3` -> 3."""
    label = version.get("version")
    digits = label[1:] if isinstance(label, str) and label.startswith("v") else ""
    return int(digits) if digits.isdigit() else None


def _version_date(version: dict[str, Any]) -> dt.date | None:
    """A version's `created` date (RFC 2822, as `Mon, 2 Apr 2007 19:18:42 GMT`)."""
    created = version.get("created")
    try:
        return parsedate_to_datetime(created).date() if isinstance(created, str) else None
    except (TypeError, ValueError):
        return None


def _first_version_date(versions: object) -> dt.date | None:
    """The date of `v1`."""
    if not isinstance(versions, list) or not versions or not isinstance(versions[0], dict):
        return None
    return _version_date(versions[0])


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
