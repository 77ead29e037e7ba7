"""Hugging Face papers JSON: `/api/daily_papers?date=...` and `/api/papers/search?q=...`.

Both are lists of items holding a `paper` object (id = arXiv id, title, summary, authors,
upvotes, githubRepo, githubStars, projectPage, ai_summary, ai_keywords) and the item's
numComments; a bare list of paper objects reads too.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from paperdeck.index.digest.build import Signals, make_paper, parse_iso_date
from paperdeck.index.digest.report import Skipped
from paperdeck.index.errors import DigestError
from paperdeck.index.links import CODE_LABEL
from paperdeck.index.models import Link, Paper


def _paper_fields(item: Any) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        return None
    paper = item.get("paper")
    if isinstance(paper, dict):
        merged = {**paper}
        for key in ("title", "summary", "publishedAt"):
            if not merged.get(key) and item.get(key):
                merged[key] = item[key]
        merged["_item_published"] = item.get("publishedAt")
        for key in ("numComments", "githubStars"):  # the item's, where the paper has none
            if merged.get(key) is None and item.get(key) is not None:
                merged[key] = item[key]
        return merged
    is_bare_paper = "title" in item and ("id" in item or "summary" in item)
    return item if is_bare_paper else None


def _authors(raw: Any) -> list[str]:
    if not isinstance(raw, list):
        return []
    names = [a.get("name") if isinstance(a, dict) else a for a in raw]
    return [n for n in names if isinstance(n, str)]


def _extra_links(fields: dict[str, Any]) -> list[Link]:
    links = []
    for key, label in (("githubRepo", CODE_LABEL), ("projectPage", "project page")):
        url = fields.get(key)
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            links.append(Link(url, label))
    return links


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _url(value: Any) -> str:
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else ""


def _signals(fields: dict[str, Any]) -> Signals:
    summary = fields.get("ai_summary")
    return Signals(
        hf_comment_count=_count(fields.get("numComments")),
        github_repo=_url(fields.get("githubRepo")),
        github_stars=_count(fields.get("githubStars")),
        project_page=_url(fields.get("projectPage")),
        ai_summary=summary if isinstance(summary, str) else "",
    )


def _to_paper(fields: dict[str, Any], name: str, position: int) -> Paper | None:
    title = fields.get("title")
    if not isinstance(title, str):
        return None
    keywords = fields.get("ai_keywords")
    summary = fields.get("summary")
    return make_paper(
        title=title,
        abstract=summary if isinstance(summary, str) else "",
        source=name,
        date=parse_iso_date(fields.get("_item_published"))
        or parse_iso_date(fields.get("publishedAt")),
        authors=_authors(fields.get("authors")),
        arxiv_id=fields.get("id") if isinstance(fields.get("id"), str) else None,
        extra_links=_extra_links(fields),
        position=position,
        upvotes=_count(fields.get("upvotes")),
        keywords=[k for k in keywords if isinstance(k, str)] if isinstance(keywords, list) else [],
        signals=_signals(fields),
        markup=False,  # the API gives arXiv's plain text (and Hugging Face's own)
    )


def read_hf_json(
    text: str, name: str, today: dt.date | None = None
) -> tuple[list[Paper], list[Skipped]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DigestError(f"not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    if isinstance(data, dict):
        data = data.get("papers") or data.get("items") or [data]
    if not isinstance(data, list):
        raise DigestError("JSON is not a list of Hugging Face papers")
    papers, skipped = [], []
    for position, item in enumerate(data):
        fields = _paper_fields(item)
        paper = _to_paper(fields, name, position) if fields else None
        if paper is None:
            skipped.append(
                Skipped(
                    line=position + 1, text=str(item)[:60], reason="no paper title", unit="item"
                )
            )
        else:
            papers.append(paper)
    return papers, skipped
