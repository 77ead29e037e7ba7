"""For you's seeds on the sample: three bookmarked papers on retrieval, and how to tell the
papers of that topic."""

from __future__ import annotations

from paperdeck.index.library import Library
from paperdeck.index.models import Paper

SEEDS = (
    "A Deep Look into Neural Ranking Models for Information Retrieval",
    "Utilizing BERT for Information Retrieval: Survey, Applications, Resources, and Challenges",
    "Efficiently Teaching an Effective Dense Retriever with Balanced Topic Aware Sampling",
)


def on_retrieval(paper: Paper) -> bool:
    return "retriev" in f"{paper.title} {paper.abstract}".lower()


def for_you(lib: Library, text: str = "") -> list[Paper]:
    result = lib.query(text, limit=None, order="for-you")
    assert result.order == "for-you"
    return [hit.paper for hit in result.hits]
