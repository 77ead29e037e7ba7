"""Following papers for citations: "1 new paper cites …" from two recorded answers (issue 22).

The two answers are the real recorded first page of citations of CorpusID:14514057 without
its first citing paper (the day before) and as recorded (SOURCES.md): the second refresh finds
exactly that one paper new.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from paperdeck.index.citations import (
    CitationSource,
    FollowedPaper,
    FollowError,
    Follows,
    RetryPolicy,
    refresh_follows,
)

from tests.support.citation_server import Reply, State, real, serving

CITES = "GET /graph/v1/paper/CorpusID:14514057/citations"
BEFORE = "s2-citations-2024-07-CorpusID-14514057-offset-0-without-first.json"
AFTER = "s2-citations-2024-07-CorpusID-14514057-offset-0.json"
PAGE_2 = "s2-citations-2024-07-CorpusID-14514057-offset-100.json"
FOLLOWED = FollowedPaper(
    paper_id="p-14514057", ref="CorpusID:14514057", title="Banerjee et al., microcredit"
)


@pytest.fixture
def server() -> Iterator[tuple[str, State]]:
    with serving() as served:
        yield served


def source_for(base: str, tmp_path: Path) -> CitationSource:
    env = {"PAPERDECK_SEMANTIC_SCHOLAR_URL": base, "PAPERDECK_OPENALEX_URL": base}
    return CitationSource(
        tmp_path / "cache", env=env, policy=RetryPolicy(timeout_s=5), sleep=lambda s: None
    )


def test_a_second_answer_with_one_more_citing_paper_says_1_new(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[CITES + "@0"] = [Reply(200, real(BEFORE))]
    state.routes[CITES + "@100"] = [Reply(200, real(PAGE_2))]
    source, follows = source_for(base, tmp_path), Follows(tmp_path)
    assert follows.follow("p-14514057")
    first = refresh_follows(source, follows, [FOLLOWED], limit=200)
    (baseline,) = first.alerts
    assert baseline.first_check and baseline.new == () and first.news == ()
    assert len(follows.seen("p-14514057")) == 199

    state.routes[CITES + "@0"] = [Reply(200, real(AFTER))]
    second = refresh_follows(source, follows, [FOLLOWED], limit=200)
    (alert,) = second.news
    newest = json.loads(real(AFTER))["data"][0]["citingPaper"]
    assert [p.s2_id for p in alert.new] == [newest["paperId"]]
    assert alert.new[0].title == newest["title"]
    assert alert.summary() == "1 new paper cites “Banerjee et al., microcredit”"
    assert alert.to_dict()["new"][0]["title"] == newest["title"]

    third = refresh_follows(source, follows, [FOLLOWED], limit=200)
    assert third.news == () and len(third.alerts) == 1  # seen now: not new twice
    assert len(follows.seen("p-14514057")) == 200
    assert len(state.seen) == 6  # every refresh asked afresh (two pages each)


def test_a_refresh_that_cannot_fetch_is_a_problem_line_and_changes_nothing(
    server, tmp_path: Path
) -> None:
    base, state = server
    state.routes[CITES + "@0"] = [Reply(200, real(BEFORE))]
    state.routes[CITES + "@100"] = [Reply(200, real(PAGE_2))]
    source, follows = source_for(base, tmp_path), Follows(tmp_path)
    refresh_follows(source, follows, [FOLLOWED], limit=200)
    seen = follows.seen("p-14514057")
    state.routes[CITES + "@0"] = [Reply(500, b"synthetic outage")]
    other = FollowedPaper(paper_id="p-2", ref="2405.17428", title="unknown to both")
    done: list[tuple[int, int]] = []
    result = refresh_follows(
        source, follows, [FOLLOWED, other], limit=200, progress=lambda *d: done.append(d)
    )
    (problem,) = result.problems
    assert problem.startswith("p-14514057: Semantic Scholar is busy (HTTP 500")
    assert result.alerts == () and follows.seen("p-14514057") == seen
    assert done == [(1, 2), (2, 2)]  # the unknown paper was passed over, the refresh went on


def test_several_new_citing_papers_are_counted_in_the_plural(tmp_path: Path) -> None:
    from paperdeck.index.citations import SEMANTIC_SCHOLAR, CitedPaper

    follows = Follows(tmp_path)
    paper = [
        CitedPaper(title=f"P{n}", source=SEMANTIC_SCHOLAR, s2_id=f"{n:040x}") for n in range(4)
    ]
    follows.record("x", paper[:1], title="MUVERA")
    alert = follows.record("x", paper, title="MUVERA")
    assert alert.summary() == "3 new papers cite “MUVERA”"


def test_follows_of_papers_and_tags(tmp_path: Path) -> None:
    follows = Follows(tmp_path)
    assert follows.follow("2405.17428") and not follows.follow(" 2405.17428 ")
    assert follows.follow("Tag: GAN Stuff")
    assert [(f.kind, f.name, f.target) for f in follows.all()] == [
        ("paper", "2405.17428", "2405.17428"), ("tag", "gan-stuff", "tag:gan-stuff"),
    ]  # fmt: skip
    tagged = {"gan-stuff": ["2401.00001", "2405.17428"]}
    assert follows.paper_ids(lambda tag: tagged[tag]) == ["2405.17428", "2401.00001"]
    assert follows.unfollow("tag:gan stuff") and not follows.unfollow("tag:gan-stuff")
    assert [f.target for f in Follows(tmp_path).all()] == ["2405.17428"]
    for bad in ("", "tag:", "two words"):
        with pytest.raises(FollowError):
            follows.follow(bad)


def test_a_damaged_follows_file_is_set_aside(tmp_path: Path) -> None:
    (tmp_path / "follows.json").write_text('{"version": 1, "follows": {"2405')
    follows = Follows(tmp_path)
    assert follows.all() == []
    assert any("moved aside" in notice for notice in follows.notices)
    assert list(tmp_path.glob("follows.json.unreadable-*"))
    follows.follow("2405.17428")
    assert [f.name for f in Follows(tmp_path).all()] == ["2405.17428"]
