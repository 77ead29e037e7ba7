"""paperdeck's own tiny digest of papers a citation source described (Semantic Scholar,
OpenAlex): how the reader adds a citing or cited paper to the library through the normal
import path, so the raw copy and the catalog stay the source of truth (a rebuild reads it
again). Written by paperdeck.index.citations.digest; never downloaded.

    {"paperdeck": "cited-papers", "source": "semantic-scholar",
     "papers": [{"title", "authors", "year", "venue", "arxiv_id", "doi", "s2_id",
                 "openalex_id", "abstract"}]}

Each paper's `sources` is the citation source, so the reader can say where it came from.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from paperdeck.index.digest.build import ArxivFields, make_paper
from paperdeck.index.digest.report import Skipped
from paperdeck.index.errors import DigestError
from paperdeck.index.models import Link, Paper

MARK = "cited-papers"  # the value of "paperdeck" that names this format (sniffed)
PAGES = {
    "s2_id": ("https://www.semanticscholar.org/paper/{}", "Semantic Scholar"),
    "openalex_id": ("https://openalex.org/{}", "OpenAlex"),
    "doi": ("https://doi.org/{}", "DOI"),
}


def read_cited(
    text: str, name: str, today: dt.date | None = None
) -> tuple[list[Paper], list[Skipped]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DigestError(f"not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict) or data.get("paperdeck") != MARK:
        raise DigestError("not a digest of cited papers")
    source = _text(data.get("source")) or name
    items = _list(data.get("papers"))
    papers, skipped = [], []
    for position, item in enumerate(items):
        paper = _paper(item, source, position) if isinstance(item, dict) else None
        if paper is None:
            skipped.append(
                Skipped(
                    line=position + 1, text=str(item)[:60], reason="no paper title", unit="item"
                )
            )
        else:
            papers.append(paper)
    return papers, skipped


def _paper(item: dict[str, Any], source: str, position: int) -> Paper | None:
    links = [
        Link(url.format(_text(item.get(key))), label)
        for key, (url, label) in PAGES.items()
        if _text(item.get(key))
    ]
    year = item.get("year") if isinstance(item.get("year"), int) else None
    where = ", ".join(x for x in (_text(item.get("venue")), str(year or "")) if x)
    authors = _list(item.get("authors"))
    return make_paper(
        title=_text(item.get("title")),
        abstract=_text(item.get("abstract")),
        source=source,
        authors=[a for a in authors if isinstance(a, str)],
        arxiv_id=_text(item.get("arxiv_id")) or None,
        extra_links=links,
        position=position,
        arxiv_fields=ArxivFields(doi=_text(item.get("doi")), journal_ref=where),
        markup=False,
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
