"""OpenAlex, the second source: a work by DOI (arXiv's own DOI 10.48550/arXiv.ID included)
when Semantic Scholar has nothing. Its counts (`cited_by_count`) and the ids of the works it
cites (`referenced_works`: ids only, no titles). PAPERDECK_OPENALEX_URL points elsewhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from paperdeck.index.citations.http import Http, RetryPolicy
from paperdeck.index.citations.models import (
    OPENALEX,
    REFERENCES,
    CitationCounts,
    CitationList,
    CitedPaper,
)
from paperdeck.index.links import normalise_arxiv_id

DEFAULT_URL = "https://api.openalex.org"
ENV_URL = "PAPERDECK_OPENALEX_URL"
NAME = "OpenAlex"
ARXIV_DOI_PREFIX = "10.48550/arxiv."


def doi_of(ref: str) -> str | None:
    """The DOI OpenAlex can be asked by: a DOI as it is, an arXiv id as arXiv's DOI."""
    text = ref.strip().removeprefix("DOI:").removeprefix("doi:")
    arxiv = normalise_arxiv_id(text)
    if arxiv:
        return "10.48550/arXiv." + arxiv
    return text if text.startswith("10.") else None


class OpenAlex:
    """The API's answers, raw."""

    def __init__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        env = os.environ if env is None else env
        self.base = (env.get(ENV_URL) or DEFAULT_URL).rstrip("/")
        self.http = Http(name=NAME, policy=policy, sleep=sleep)

    def work(self, doi: str) -> dict[str, Any] | None:
        """The work with that DOI; None when OpenAlex does not know it."""
        answer = self.http.get(f"{self.base}/works/doi:{quote(doi, safe='/:')}")
        return answer if isinstance(answer, dict) else None


def parse_work(obj: Mapping[str, Any]) -> CitedPaper:
    doi = _text(obj.get("doi")).lower().removeprefix("https://doi.org/")
    arxiv = doi[len(ARXIV_DOI_PREFIX) :] if doi.startswith(ARXIV_DOI_PREFIX) else None
    authorships = _list(obj, "authorships")
    names = (a.get("author") for a in authorships if isinstance(a, dict))
    return CitedPaper(
        title=_text(obj.get("display_name") or obj.get("title")),
        source=OPENALEX,
        authors=tuple(_text(n.get("display_name")) for n in names if isinstance(n, dict)),
        year=_int(obj.get("publication_year")),
        venue=_venue(obj),
        arxiv_id=normalise_arxiv_id(arxiv),
        doi=doi,
        openalex_id=_short_id(obj.get("id")),
        abstract=abstract_text(obj.get("abstract_inverted_index")),
        citation_count=_int(obj.get("cited_by_count")),
    )


def parse_counts(obj: Mapping[str, Any]) -> CitationCounts:
    refs = obj.get("referenced_works")
    count = _int(obj.get("referenced_works_count"))
    return CitationCounts(
        paper=parse_work(obj),
        cited_by=_int(obj.get("cited_by_count")),
        references=count if count is not None else len(refs) if isinstance(refs, list) else None,
    )


def parse_references(obj: Mapping[str, Any]) -> CitationList:
    """The works a work cites, as OpenAlex ids (the work's answer names no titles)."""
    refs = _list(obj, "referenced_works")
    papers = (CitedPaper(title="", source=OPENALEX, openalex_id=_short_id(r)) for r in refs)
    return CitationList(
        kind=REFERENCES, source=OPENALEX, papers=tuple(p for p in papers if p.openalex_id),
        complete=True,
    )  # fmt: skip


def abstract_text(index: Any) -> str:
    """OpenAlex gives abstracts as {word: [positions]}; the words back in order."""
    if not isinstance(index, dict):
        return ""
    placed = sorted(
        (pos, word) for word, spots in index.items() if isinstance(spots, list)
        for pos in spots if isinstance(pos, int)
    )  # fmt: skip
    return " ".join(word for _, word in placed)


def _venue(obj: Mapping[str, Any]) -> str:
    location = obj.get("primary_location")
    source = location.get("source") if isinstance(location, dict) else None
    return _text(source.get("display_name")) if isinstance(source, dict) else ""


def _short_id(value: Any) -> str:
    return _text(value).rsplit("/", 1)[-1]


def _list(obj: Mapping[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
