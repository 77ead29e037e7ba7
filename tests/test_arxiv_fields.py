"""What arXiv says about a paper (comments, journal-ref, DOI, categories, versions ...) is kept."""

from __future__ import annotations

from index.models import Paper


def test_arxiv_fields_survive_a_store_round_trip() -> None:
    paper = Paper(
        id="2405.00001",
        title="T",
        arxiv_comments="12 pages, accepted at NeurIPS 2024",
        journal_ref="Phys. Rev. D 76, 013009 (2007)",
        doi="10.1103/PhysRevD.76.013009",
        report_no="ANL-HEP-PR-07-12",
        license="http://creativecommons.org/licenses/by/4.0/",
        primary_category="hep-ph",
        categories=("hep-ph", "cs.CL"),
        version=3,
        submitted="2007-04-02",
        revised="2008-11-13",
        affiliations=("LORIA, CNRS", ""),
        submitter="Pavel Nadolsky",
        announce_type="replace",
        name_parts=(("Balázs", "C.", ""), ("Evans", "Neal J.", "II")),
        hf_comment_count=4,
    )
    assert Paper.from_dict(paper.to_dict()) == paper


def test_a_record_stored_before_the_rename_keeps_its_hugging_face_comment_count() -> None:
    old = {"id": "2405.00001", "title": "T", "comments": 14, "keywords": ["diffusion"]}
    paper = Paper.from_dict(old)
    assert paper.hf_comment_count == 14 and paper.arxiv_comments == ""
    assert paper.keywords == ("diffusion",) and paper.categories == () and paper.version is None
