"""paperdeck's import of a real Hugging Face daily-papers answer (tests/fixtures/real,
SOURCES.md says where it comes from) against an independent json parse, paper by paper:
id, title, authors in order, abstract, date (the item's publishedAt)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from index.library import Library

REAL = Path(__file__).parent / "fixtures" / "real"
HF_DAILY = REAL / "hf-daily-papers-2026-07-31.json"
ITEMS: list[dict[str, Any]] = json.loads(HF_DAILY.read_text())


@pytest.fixture(scope="module")
def hf_lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    library = Library(tmp_path_factory.mktemp("hf") / "library")
    library.import_digests([HF_DAILY])
    return library


def test_the_real_answer_is_a_whole_day() -> None:
    assert len(ITEMS) == 30 and len({item["paper"]["id"] for item in ITEMS}) == 30


@pytest.mark.parametrize("item", ITEMS, ids=[item["paper"]["id"] for item in ITEMS])
def test_hf_daily_paper_fields(item: dict[str, Any], hf_lib: Library) -> None:
    paper_json = item["paper"]
    paper = hf_lib.get(paper_json["id"])
    assert paper is not None
    assert paper.arxiv_id == paper_json["id"]
    assert paper.title == " ".join(item["title"].split())
    assert list(paper.authors) == [a["name"] for a in paper_json["authors"]]
    assert paper.abstract == " ".join(paper_json["summary"].split())
    assert paper.date == dt.date.fromisoformat(item["publishedAt"][:10])
    assert paper.upvotes == paper_json["upvotes"]
