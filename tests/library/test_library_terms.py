"""The library's own search terms and the order citations, through Library.query and browse
(issue 22): counts read from the citation cache only, read marks from read.json.

The cache is filled with the real recorded batch rows (tests/fixtures/real/, SOURCES.md) as
the client keeps them, under three arXiv ids of the real arXiv answer the library holds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from paperdeck.index.citations.cache import CitationCache
from paperdeck.index.library import Library
from paperdeck.index.search_terms import split_library_terms

from tests.support import REAL
from tests.support.citation_server import real

ARXIV = REAL / "arxiv-api-2026-query-testing.xml"
BATCH = json.loads(real("s2-batch-2024-12-four-ids-first-unknown.json"))
PLAYED = {"2503.05378": BATCH[1], "2502.07719": BATCH[2], "2405.13786": BATCH[3]}


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("terms-library")
    Library(root).import_digests([ARXIV])
    return root


@pytest.fixture
def lib(_template: Path, tmp_path: Path) -> Library:
    shutil.copytree(_template, tmp_path / "lib")
    return Library(tmp_path / "lib")


def _cache_dir(lib: Library) -> Path:
    return lib._shared.paths.cache_dir / "citations"  # white-box: where the client keeps answers


def test_counts_filter_and_sort_from_the_cache_as_it_changes(lib: Library) -> None:
    for pid, row in list(PLAYED.items())[:2]:
        CitationCache(_cache_dir(lib)).put(f"s2:paper:arXiv:{pid}", row)
    assert {h.paper.id for h in lib.query("citations:>=100").hits} == {"2503.05378", "2502.07719"}
    assert lib.query("citations:=0").total == 0
    CitationCache(_cache_dir(lib)).put("s2:paper:arXiv:2405.13786", PLAYED["2405.13786"])
    assert [h.paper.id for h in lib.query("citations:=0").hits] == ["2405.13786"]  # seen at once
    rows = lib.browse("", order="citations").rows
    assert [r.id for r in rows[:3]] == ["2503.05378", "2502.07719", "2405.13786"]
    assert len(rows) == lib.count()
    assert lib.cached_citation_count(lib.get("2503.05378")) == BATCH[1]["citationCount"]


def test_read_marks_filter_browse_and_query(lib: Library) -> None:
    lib.mark_read(["2503.05378"])
    assert [r.id for r in lib.browse("is:read").rows] == ["2503.05378"]
    assert lib.browse("is:unread").total == lib.count() - 1
    assert lib.query("is:read is:unread").total == lib.count() - 1  # the last one counts
    assert lib.toggle_read("2503.05378") is False
    assert lib.browse("is:read").total == 0


def test_the_terms_leave_the_rest_of_the_text_as_typed() -> None:
    rest, terms = split_library_terms("mamba citations:>=100 is:unread author:gu")
    assert rest == "mamba author:gu" and terms.read is False and terms.counts == ((">=", 100),)
    assert split_library_terms("citations of mamba")[0] == "citations of mamba"
    assert not terms.allows_count(None) and terms.allows_count(100) and not terms.allows_count(99)
