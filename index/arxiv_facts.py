"""What arXiv says about a paper, in the words the CLI, the reader and the exports share:
one place for the JSON keys and for the lines `show` and the detail pane print (Hugging
Face's signals line too: the detail pane draws it in the first frame, without the export
module)."""

from __future__ import annotations

from typing import Any

from paperdeck.index.models import Paper


def arxiv_record(paper: Paper) -> dict[str, Any]:
    """arXiv's fields as JSON (null or empty where the digests gave none). `arxiv_comments`
    is arXiv's comments; Hugging Face's comment count is `hf_comment_count`."""
    return {
        "arxiv_comments": paper.arxiv_comments or None,
        "journal_ref": paper.journal_ref or None,
        "doi": paper.doi or None,
        "report_no": paper.report_no or None,
        "license": paper.license or None,
        "primary_category": paper.primary_category or None,
        "categories": list(paper.categories),
        "version": paper.version,
        "submitted": paper.submitted or None,
        "revised": paper.revised or None,
        "affiliations": list(paper.affiliations),
        "submitter": paper.submitter or None,
        "announce_type": paper.announce_type or None,
        "name_parts": [list(parts) for parts in paper.name_parts],
    }


def authors_text(paper: Paper) -> str:
    """`Andrew Gould (Ohio State), B. Scott Gaudi (CfA)`: each author with an affiliation."""
    places = paper.affiliations if len(paper.affiliations) == len(paper.authors) else ()
    if not places:
        return ", ".join(paper.authors)
    return ", ".join(f"{a} ({p})" if p else a for a, p in zip(paper.authors, places, strict=True))


def _versions(paper: Paper) -> str:
    """`v3 · submitted 2007-04-02 · revised 2008-11-26`."""
    said = [f"v{paper.version}"] if paper.version else []
    said += [f"submitted {paper.submitted}"] if paper.submitted else []
    if paper.revised and paper.revised != paper.submitted:
        said.append(f"revised {paper.revised}")
    return " · ".join(said)


def arxiv_lines(paper: Paper) -> list[tuple[str, str]]:
    """(label, text) for each field arXiv gave, in the order a reader wants them."""
    cats = [f"{c} (primary)" if c == paper.primary_category else c for c in paper.categories]
    found = [
        ("categories", ", ".join(cats)),
        ("version", _versions(paper)),
        ("announced", paper.announce_type),
        ("comments", paper.arxiv_comments),
        ("journal", paper.journal_ref),
        ("DOI", paper.doi),
        ("report", paper.report_no),
        ("licence", paper.license),
        ("submitter", paper.submitter),
    ]
    return [(label, text) for label, text in found if text]


def signals_line(paper: Paper) -> str:
    """Hugging Face's signals in one line: `▲ 212 upvotes · 14 comments · 1,843 GitHub
    stars` (the repo and project page are among the links); "" when there are none."""
    said = []
    if paper.upvotes is not None:
        said.append(f"▲ {paper.upvotes:,} upvote{'' if paper.upvotes == 1 else 's'}")
    if paper.hf_comment_count:
        said.append(
            f"{paper.hf_comment_count:,} comment{'' if paper.hf_comment_count == 1 else 's'}"
        )
    if paper.github_stars is not None and paper.github_repo:
        said.append(f"{paper.github_stars:,} GitHub star{'' if paper.github_stars == 1 else 's'}")
    elif paper.github_repo:
        said.append("code on GitHub")
    return " · ".join(said)
