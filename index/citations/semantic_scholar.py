"""The Semantic Scholar Graph API: a paper's counts, its citations and references, many papers
in one batch request.

Papers are asked by `arXiv:ID`, `DOI:...`, `CorpusId:N` or Semantic Scholar's own id
(`s2_ref`). The client returns the API's JSON as it came (the cache keeps answers whole);
the `parse_*` functions make typed results of it. Citation and reference lists are paged by
offset and `next` until the list ends or `limit` positions are covered; the batch endpoint
takes at most 500 ids a request. SEMANTIC_SCHOLAR_API_KEY, when set, is sent as x-api-key;
PAPERDECK_SEMANTIC_SCHOLAR_URL points at a mirror, a proxy or a test server.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from paperdeck.index.citations.http import CitationSourceError, Http, RetryPolicy
from paperdeck.index.citations.models import (
    CITATIONS,
    SEMANTIC_SCHOLAR,
    CitationCounts,
    CitationList,
    CitedPaper,
    ListKind,
)
from paperdeck.index.links import normalise_arxiv_id
from paperdeck.index.models import Progress

DEFAULT_URL = "https://api.semanticscholar.org"
ENV_URL = "PAPERDECK_SEMANTIC_SCHOLAR_URL"
ENV_KEY = "SEMANTIC_SCHOLAR_API_KEY"
NAME = "Semantic Scholar"
BATCH_MAX = 500  # ids in one POST /paper/batch (the API's limit)
PAGE_MAX = 1000  # items in one page of citations or references (the API's limit)
MAX_PAGES = 50  # pages of one list at most: a server that pages oddly cannot loop us
_LIST = "title,authors,year,venue,externalIds,abstract,citationCount"
PAPER_FIELDS = _LIST + ",influentialCitationCount,referenceCount"
_S2_ID = re.compile(r"^[0-9a-f]{40}$")
_PREFIXED = re.compile(r"^(arxiv|doi|corpusid|mag|acl|pmid|pmcid|url):", re.I)


def s2_ref(ref: str) -> str:
    """The API's form of a paper id: `2405.17428` -> `arXiv:2405.17428`, `10.1/x` ->
    `DOI:10.1/x`; prefixed ids and Semantic Scholar ids as they are."""
    text = ref.strip()
    arxiv = normalise_arxiv_id(text)
    if arxiv:
        return "arXiv:" + arxiv
    if _S2_ID.match(text) or _PREFIXED.match(text):
        return text
    return "DOI:" + text if text.startswith("10.") else text


class SemanticScholar:
    """The API's answers, raw; one `Http` counts every request sent."""

    def __init__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        env = os.environ if env is None else env
        self.base = (env.get(ENV_URL) or DEFAULT_URL).rstrip("/") + "/graph/v1"
        key = env.get(ENV_KEY, "").strip()
        hint = "" if key else f"set {ENV_KEY} for a higher rate limit"
        self.http = Http(
            name=NAME, headers={"x-api-key": key} if key else {}, policy=policy,
            sleep=sleep, busy_hint=hint,
        )  # fmt: skip

    def paper(self, ref: str) -> dict[str, Any] | None:
        """One paper with its counts; None when Semantic Scholar does not know it."""
        answer = self.http.get(f"{self._paper_url(ref)}?fields={PAPER_FIELDS}")
        return answer if isinstance(answer, dict) else None

    def batch(
        self, refs: Sequence[str], progress: Progress | None = None
    ) -> list[dict[str, Any] | None]:
        """Many papers, in order, None where unknown: one request per 500 ids."""
        found: list[dict[str, Any] | None] = []
        for start in range(0, len(refs), BATCH_MAX):
            chunk = [s2_ref(ref) for ref in refs[start : start + BATCH_MAX]]
            answer = self.http.post(
                f"{self.base}/paper/batch?fields={PAPER_FIELDS}", {"ids": chunk}
            )
            rows = answer if isinstance(answer, list) and len(answer) == len(chunk) else None
            if rows is None:
                raise CitationSourceError(f"{NAME} answered a batch with something unexpected")
            found.extend(row if isinstance(row, dict) else None for row in rows)
            if progress:
                progress(len(found), len(refs))
        return found

    def listing(self, ref: str, kind: ListKind, limit: int) -> dict[str, Any] | None:
        """The first `limit` positions of a paper's citations or references, every page
        joined: `{"data": [...], "next": N or None}`; None for an unknown paper. Pages are
        followed by `next` while it moves on, at most MAX_PAGES of them."""
        url, items = f"{self._paper_url(ref)}/{kind}?fields={_LIST}", []
        nxt: int | None = 0
        for _ in range(MAX_PAGES):
            if nxt is None or nxt >= limit:
                break
            offset = nxt
            page = self.http.get(f"{url}&offset={offset}&limit={min(PAGE_MAX, limit - offset)}")
            if not isinstance(page, dict):  # unknown paper; past the first page, the end
                if offset == 0:
                    return None
                nxt = None
                break
            data = _list(page, "data")
            items.extend(data)
            following = page.get("next")
            # A `next` that does not move on, or an empty page, would page for ever.
            moves = isinstance(following, int) and following > offset and bool(data)
            nxt = following if moves else None
        return {"data": items, "next": nxt}

    def _paper_url(self, ref: str) -> str:
        return f"{self.base}/paper/{quote(s2_ref(ref), safe='/:')}"


def parse_paper(obj: Mapping[str, Any]) -> CitedPaper:
    """A paper object of any answer (a paper, a batch row, a citing or cited paper)."""
    ids = _dict(obj, "externalIds")
    authors = _list(obj, "authors")
    return CitedPaper(
        title=_text(obj.get("title")),
        source=SEMANTIC_SCHOLAR,
        authors=tuple(_text(a.get("name")) for a in authors if isinstance(a, dict)),
        year=_int(obj.get("year")),
        venue=_text(obj.get("venue")),
        arxiv_id=normalise_arxiv_id(_text(ids.get("ArXiv"))),
        doi=_text(ids.get("DOI")).lower(),
        s2_id=_text(obj.get("paperId")),
        abstract=_text(obj.get("abstract")),
        citation_count=_int(obj.get("citationCount")),
    )


def parse_counts(obj: Mapping[str, Any]) -> CitationCounts:
    return CitationCounts(
        paper=parse_paper(obj),
        cited_by=_int(obj.get("citationCount")),
        influential=_int(obj.get("influentialCitationCount")),
        references=_int(obj.get("referenceCount")),
    )


def parse_listing(
    answer: Mapping[str, Any], kind: ListKind, limit: int | None = None
) -> CitationList:
    """`listing`'s answer as papers, the first `limit` of them (a kept answer may list many
    more than are asked for: only those are parsed); rows without a paper object are left
    out. `complete`: the whole list, nothing left out by the source or by `limit`."""
    side = "citingPaper" if kind == CITATIONS else "citedPaper"
    rows = _list(answer, "data")
    papers = [
        row[side] for row in rows if isinstance(row, dict) and isinstance(row.get(side), dict)
    ]
    shown = papers if limit is None else papers[:limit]
    return CitationList(
        kind=kind,
        source=SEMANTIC_SCHOLAR,
        papers=tuple(parse_paper(p) for p in shown),
        complete=answer.get("next") is None
        and not answer.get("lines_unread")  # (rows the cache did not read: CitationCache.get)
        and len(shown) == len(papers),
    )


def _list(obj: Mapping[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _dict(obj: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    """Whitespace runs made one space. Most texts already are (every whitespace but the space
    is unprintable): kept as they are, not split into words and joined (1,000 abstracts of
    a cited-by list each time it is read)."""
    if not isinstance(value, str):
        return ""
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value
    return " ".join(value.split())


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
