"""paperdeck's import of a real Hugging Face daily-papers answer (tests/fixtures/real,
SOURCES.md says where it comes from) against an independent json parse, paper by paper:
id, title, authors in order, abstract, date (the item's publishedAt)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from paperdeck.index.library import Library

from tests.support import REAL

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


# -- a real rss.arxiv.org listing (new, cross and replace items) ------------------------------

RSS = REAL / "arxiv-rss-2026-09-24-cs.LG+cs.AI+cs.CL+stat.ML.xml"
RSS_NS = {"arxiv": "http://arxiv.org/schemas/atom", "dc": "http://purl.org/dc/elements/1.1/"}


def rss_items() -> list[Any]:
    import xml.etree.ElementTree as ET

    return list(ET.parse(RSS).getroot().iter("item"))


@pytest.fixture(scope="module")
def rss_lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    library = Library(tmp_path_factory.mktemp("rss") / "library")
    library.import_digests([RSS])
    return library


@pytest.mark.parametrize("item", rss_items(), ids=lambda item: item.findtext("link")[-10:])
def test_rss_item_fields(item: Any, rss_lib: Library) -> None:
    arxiv_id = item.findtext("link").rsplit("/", 1)[1]
    paper = rss_lib.get(arxiv_id)
    assert paper is not None and paper.arxiv_id == arxiv_id
    assert paper.title == item.findtext("title")
    description = item.findtext("description")
    assert paper.abstract == " ".join(description.split("Abstract:", 1)[1].split())
    creators = item.findtext("dc:creator", namespaces=RSS_NS)
    assert list(paper.authors) == [name.strip() for name in creators.split(",")]
    assert list(paper.categories) == [c.text for c in item.findall("category")]
    assert paper.announce_type == item.findtext("arxiv:announce_type", namespaces=RSS_NS)
    assert paper.license == item.findtext("dc:rights", namespaces=RSS_NS)
    assert paper.version == int(item.findtext("guid").rsplit("v", 1)[1])
    day = dt.datetime.strptime(item.findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z").date()
    if paper.announce_type.startswith("replace"):  # a revision's day, not the paper's
        assert paper.date is None and paper.revised == day.isoformat()
    else:
        assert paper.date == day
    doi = item.findtext("arxiv:DOI", namespaces=RSS_NS) or ""
    assert paper.doi == doi
