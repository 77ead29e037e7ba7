"""Papers are never lost or mixed up (issue 20 items 1-2): two arXiv ids never merge, a page's
title joins one paper with an id at most, the order of imports never changes the library,
and an arXiv listing's replacements are not new papers of that day."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import paperdeck.index.merge
import pytest
from paperdeck.index.library import Library

from tests.support import FIXTURES, SAMPLE

REAL = FIXTURES / "real"
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
    # the page's title without an id joined the day's paper: named, not just counted
    assert '(0 new, 64 unchanged, 1 merged into 2403.10448 "NV-Embed: Improved' in summary


def test_the_summary_names_a_few_merges_then_counts_the_rest(tmp_path: Path) -> None:
    """The real daily-papers answer cut in two overlapping halves (whole records): the
    second half's papers of the first are updated (a new source), the rest named."""
    answer = json.loads((REAL / "hf-daily-papers-2026-07-31.json").read_text())
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps(answer[:20]))
    revised = [{**item, "paper": {**item["paper"], "upvotes": 10_000 + n}} for n, item in
               enumerate(answer[10:20])]  # fmt: skip
    second.write_text(json.dumps(revised + answer[20:]))
    library = imported(tmp_path, [first], "lib")
    summary = library.import_digest(second).summary()
    ids = [item["paper"]["id"] for item in revised[:3]]
    assert "(10 new, 10 updated: updated " + ids[0] in summary
    assert all(f"updated {pid} " in summary for pid in ids) and "; and 7 more)" in summary


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


def test_every_field_but_the_import_time_is_the_same_in_either_order(tmp_path: Path) -> None:
    """The real daily-papers answer cut into two overlapping files of whole records (10
    papers in both) and the real Atom answer: `sources` too is the same in either order."""
    answer = json.loads((REAL / "hf-daily-papers-2026-07-31.json").read_text())
    early, late = tmp_path / "early.json", tmp_path / "late.json"
    early.write_text(json.dumps(answer[:20]))
    late.write_text(json.dumps(answer[10:]))
    files = [early, late, REAL / "arxiv-api-2026-query-testing.xml"]

    def every_field(library: Library) -> dict[str, dict[str, Any]]:
        held = {}
        for row in library.browse("", limit=None).rows:
            paper = library.get(row.id)
            assert paper is not None
            held[row.id] = {k: v for k, v in paper.to_dict().items() if k != "added"}
        return held

    one = every_field(imported(tmp_path, files, "one"))
    other = every_field(imported(tmp_path, files[::-1], "other"))
    assert len(one) == 40 and one.keys() == other.keys()
    for pid in one:
        assert one[pid] == other[pid], pid
    both = answer[10]["paper"]["id"]
    assert one[both]["sources"] == ["early.json", "late.json"]
