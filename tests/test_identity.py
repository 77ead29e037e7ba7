"""Papers are never lost or mixed up (issue 20 items 1-2): two arXiv ids never merge, a page's
title joins one paper with an id at most, the order of imports never changes the library,
and an arXiv listing's replacements are not new papers of that day."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import paperdeck.index.merge
import pytest
from paperdeck.index.library import Library

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "real"
SAMPLE = Path(__file__).parents[1] / "index" / "samples" / "hf-papers-sample.txt"
# Synthetic pair: the day's JSON and an RSS listing give "Attention as an RNN" and "Yi: ..."
# under two different arXiv ids each; the real page (SAMPLE) gives the titles without ids.
SYNTHETIC_JSON = FIXTURES / "hf-daily-2026-03-13.json"
SYNTHETIC_RSS = FIXTURES / "arxiv-rss.xml"
REAL_RSS = REAL / "arxiv-rss-2026-09-24-cs.LG+cs.AI+cs.CL+stat.ML.xml"
REAL_FILES = [
    REAL / "hf-daily-papers-2026-07-31.json",
    REAL / "arxiv-snapshot-first-150.jsonl",
    REAL / "arxiv-api-2026-query-testing.xml",
    REAL_RSS,
    SAMPLE,
]


def holdings(library: Library) -> dict[str, dict[str, Any]]:
    """Every paper as the library holds it, but for when and from which file it came."""
    held = {}
    for row in library.browse("", limit=None).rows:
        paper = library.get(row.id)
        assert paper is not None
        record = paper.to_dict()
        record.pop("added"), record.pop("sources")
        held[row.id] = record
    return held


def imported(tmp_path: Path, files: list[Path] | tuple[Path, ...], name: str) -> Library:
    library = Library(tmp_path / name)
    for path in files:
        library.import_digest(path)
    return library


def test_two_arxiv_ids_of_one_title_never_merge_in_any_order(tmp_path: Path) -> None:
    files = [SYNTHETIC_JSON, SYNTHETIC_RSS, SAMPLE]
    libraries = [
        holdings(imported(tmp_path, order, f"l{n}"))
        for n, order in enumerate(itertools.permutations(files))
    ]
    for held in libraries:
        assert set(held) == set(libraries[0])
        for arxiv_id in ("2403.10336", "2405.13956", "2403.10343", "2403.04652"):
            assert arxiv_id in held, arxiv_id
            assert held[arxiv_id]["url"].endswith(arxiv_id)


def test_the_real_files_give_one_library_in_every_order(tmp_path: Path) -> None:
    first = holdings(imported(tmp_path, REAL_FILES, "first"))
    for n, order in enumerate(itertools.islice(itertools.permutations(REAL_FILES), 1, 8)):
        assert holdings(imported(tmp_path, order, f"o{n}")) == first


def test_show_finds_every_id_just_imported(tmp_path: Path) -> None:
    library = imported(tmp_path, [SYNTHETIC_RSS, SAMPLE, SYNTHETIC_JSON], "lib")
    for paper_id in ("2403.10336", "2405.13956"):
        paper = library.get(paper_id)
        assert paper is not None and paper.arxiv_id == paper_id


def test_the_summary_says_what_was_updated(tmp_path: Path) -> None:
    library = imported(tmp_path, [SYNTHETIC_JSON], "lib")
    summary = library.import_digest(SAMPLE).summary()
    assert "0 new" in summary and "updated" in summary


def test_a_rebuild_repairs_papers_merged_by_the_old_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def old_rule(found: Any, paper: Any) -> list[Any]:
        return [known for known in found if paperdeck.index.merge.same_paper(known, paper)]

    with monkeypatch.context() as patch:
        patch.setattr(paperdeck.index.merge, "title_matches", old_rule)
        library = imported(tmp_path, [SYNTHETIC_RSS, SYNTHETIC_JSON, SAMPLE], "lib")
        assert library.get("2405.13956") is None or library.get("2403.10336") is None
    library.rebuild()
    assert library.get("2405.13956") is not None and library.get("2403.10336") is not None


def test_a_replacement_in_a_real_listing_is_no_new_paper(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    report = library.import_digest(REAL_RSS)
    assert report.papers == 4 and report.new == 3  # two new, one cross-list, one replacement
    replaced = library.get("2009.13987")
    assert replaced is not None and replaced.version == 3 and replaced.is_replacement
    assert not library.is_new(replaced)


def test_a_watch_does_not_call_a_replacement_new(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    library.add_watch("polytopes", "polytope OR outlier")
    library.import_digest(REAL_RSS)
    status = library.watch_status("polytopes")
    assert status.new == 1  # the cross-listed outlier paper, not the replaced polytope one
