"""A cited paper (a citing paper or a reference) as paperdeck's tiny digest of one paper
(read back by paperdeck.index.digest.cited), so adding it goes through the normal import:
raw copy, catalog, index, all or nothing."""

from __future__ import annotations

import json
import re

from paperdeck.index.citations.models import CitedPaper

FORMAT = "cited-papers"  # the FORMAT_TABLE row that reads it


def cited_digest(paper: CitedPaper) -> tuple[bytes, str]:
    """The digest's bytes and its file name (`semantic-scholar-<key>.json`)."""
    record = {
        "title": paper.title, "authors": list(paper.authors), "year": paper.year,
        "venue": paper.venue, "arxiv_id": paper.arxiv_id, "doi": paper.doi,
        "s2_id": paper.s2_id, "openalex_id": paper.openalex_id, "abstract": paper.abstract,
    }  # fmt: skip
    data = {"paperdeck": FORMAT, "source": paper.source, "papers": [record]}
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", paper.key)[:60].strip("-")
    return json.dumps(data, ensure_ascii=False).encode("utf-8"), f"{paper.source}-{slug}.json"
