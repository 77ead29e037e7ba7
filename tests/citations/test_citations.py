"""Citation sources against a loopback server playing recorded real answers (issue 22).

The Semantic Scholar and OpenAlex answers are real recordings (tests/fixtures/real/,
SOURCES.md); what paperdeck reads of them is compared with a plain json parse. The error
replies (429, 500, a timeout, a cut-off body, OpenAlex's 404) are synthetic, made here.
No test touches the internet; waits between retries are counted, never slept.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from paperdeck.index.citations import (
    CITATIONS,
    OPENALEX,
    REFERENCES,
    SEMANTIC_SCHOLAR,
    CitationSource,
    CitationSourceError,
    RetryPolicy,
)
from paperdeck.index.citations.cache import CitationCache
from paperdeck.index.citations.semantic_scholar import parse_paper

from tests.support.citation_server import Reply, State, real, serving

S2_PAPER = "GET /graph/v1/paper/DOI:10.1093/mind/lix.236.433"
REFS = "GET /graph/v1/paper/DOI:10.2139/ssrn.2250500/references"
CITES = "GET /graph/v1/paper/CorpusID:14514057/citations"
PEERJ_S2 = "GET /graph/v1/paper/DOI:10.7717/peerj.4375"
PEERJ_OA = "GET /works/doi:10.7717/peerj.4375"
BATCH = json.loads(real("s2-batch-2024-12-four-ids-first-unknown.json"))
# The ids of that recorded batch request, as paperdeck's client sends them.
BATCH_IDS = ["CorpusId:211530585", "CorpusId:470667", "DOI:10.2139/ssrn.2250500",
             "0f40b1f08821e22e859c6050916cec3667778613"]  # fmt: skip
BUSY = {"Retry-After": "7"}
TURING = "s2-paper-2024-06-turing-1950-first-10-citations.json"


@pytest.fixture
def server() -> Iterator[tuple[str, State]]:
    with serving() as served:
        yield served


def source_for(
    base: str, tmp_path: Path, *, key: str = "", **kwargs: object
) -> tuple[CitationSource, list[float]]:
    """A source pointed at the loopback server; its waits go to the returned list."""
    waits: list[float] = []
    env = {"PAPERDECK_SEMANTIC_SCHOLAR_URL": base, "PAPERDECK_OPENALEX_URL": base}
    if key:
        env["SEMANTIC_SCHOLAR_API_KEY"] = key
    policy = kwargs.pop("policy", RetryPolicy(timeout_s=5))
    source = CitationSource(
        tmp_path / "cache",
        env=env,
        policy=policy,
        sleep=waits.append,
        **kwargs,  # type: ignore[arg-type]
    )
    return source, waits


def ok(name: str) -> list[Reply]:
    return [Reply(200, real(name))]


# -- counts and papers -----------------------------------------------------------------------
def test_counts_of_a_paper_match_the_recorded_answer(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[S2_PAPER] = ok(TURING)
    source, _ = source_for(base, tmp_path)
    got = source.counts("10.1093/mind/lix.236.433")
    raw = json.loads(real(TURING))
    assert got is not None and not got.from_cache
    counts = got.value
    assert (counts.cited_by, counts.influential, counts.references) == (
        raw["citationCount"],
        raw["influentialCitationCount"],
        raw["referenceCount"],
    )
    assert counts.summary() == "cited by 10,059 (530 influential)"
    assert counts.source == SEMANTIC_SCHOLAR
    assert counts.paper.title == raw["title"] and counts.paper.year == raw["year"]
    assert counts.paper.doi == raw["externalIds"]["DOI"].lower()
    fields = state.seen[0].query["fields"][0].split(",")
    assert {"citationCount", "influentialCitationCount", "externalIds", "venue"} <= set(fields)


def test_each_recorded_citing_paper_reads_field_by_field() -> None:
    raw = json.loads(real(TURING))
    for record in raw["citations"]:
        paper = parse_paper(record)
        ids = record["externalIds"] or {}
        assert paper.title == " ".join(record["title"].split())
        assert paper.authors == tuple(a["name"] for a in record["authors"])
        assert paper.year == record["year"] and paper.venue == (record["venue"] or "")
        assert paper.arxiv_id == ids.get("ArXiv") and paper.doi == ids.get("DOI", "").lower()
        assert paper.s2_id == record["paperId"] and paper.abstract == (record["abstract"] or "")
        assert paper.source == SEMANTIC_SCHOLAR
    assert sum(parse_paper(r).arxiv_id is not None for r in raw["citations"]) == 4


def test_an_arxiv_id_is_asked_as_arxiv_and_the_api_key_is_sent(server, tmp_path: Path) -> None:
    base, state = server
    source, _ = source_for(base, tmp_path, key="k-123")
    assert source.counts("2405.17428v2") is None  # both sources answer 404 here
    s2, oa = state.seen
    assert s2.path == "/graph/v1/paper/arXiv:2405.17428" and s2.headers["x-api-key"] == "k-123"
    assert oa.path == "/works/doi:10.48550/arXiv.2405.17428" and "x-api-key" not in oa.headers


def test_no_api_key_sends_no_key_header(server, tmp_path: Path) -> None:
    base, state = server
    source, _ = source_for(base, tmp_path)
    source.counts("2405.17428")
    assert "x-api-key" not in state.seen[0].headers


def test_openalex_answers_where_semantic_scholar_has_nothing(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[PEERJ_S2] = [Reply(404, real("s2-not-found-2024-12-paper-0.json"))]
    state.routes[PEERJ_OA] = ok("openalex-work-2025-06-W2741809807-peerj.4375.json")
    source, _ = source_for(base, tmp_path)
    got = source.counts("10.7717/peerj.4375")
    raw = json.loads(real("openalex-work-2025-06-W2741809807-peerj.4375.json"))
    assert got is not None
    counts = got.value
    assert counts.source == OPENALEX and counts.influential is None
    assert counts.cited_by == raw["cited_by_count"] == 962
    assert counts.references == raw["referenced_works_count"]
    paper = counts.paper
    assert paper.title == raw["display_name"] and paper.year == raw["publication_year"]
    assert paper.authors == tuple(a["author"]["display_name"] for a in raw["authorships"])
    assert paper.venue == raw["primary_location"]["source"]["display_name"]
    assert paper.openalex_id == "W2741809807" and paper.doi == "10.7717/peerj.4375"
    words = sorted((p, w) for w, ps in raw["abstract_inverted_index"].items() for p in ps)
    assert paper.abstract == " ".join(w for _, w in words)
    refs = source.references("10.7717/peerj.4375")
    assert refs is not None and refs.value.source == OPENALEX and refs.value.complete
    assert [p.openalex_id for p in refs.value.papers] == [
        w.rsplit("/", 1)[1] for w in raw["referenced_works"]
    ]
    assert len(state.seen) == 3  # the references came from the kept OpenAlex answer


def test_a_paper_no_source_knows_is_none_and_kept_as_unknown(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[PEERJ_S2] = [Reply(404, real("s2-not-found-2024-12-paper-0.json"))]
    source, _ = source_for(base, tmp_path)
    assert source.counts("10.7717/peerj.4375") is None
    assert source.counts("10.7717/peerj.4375") is None
    assert len(state.seen) == 2  # the second time both "unknown" answers came from the cache


# -- lists and paging ------------------------------------------------------------------------
def test_references_follow_next_to_the_end_of_the_list(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[REFS + "@0"] = ok("s2-references-2024-12-ssrn.2250500-offset-0.json")
    state.routes[REFS + "@50"] = ok("s2-references-2024-12-ssrn.2250500-offset-50.json")
    source, _ = source_for(base, tmp_path)
    got = source.references("10.2139/ssrn.2250500")
    pages = [
        json.loads(real(f"s2-references-2024-12-ssrn.2250500-offset-{n}.json")) for n in (0, 50)
    ]
    expected = [" ".join(row["citedPaper"]["title"].split()) for p in pages for row in p["data"]]
    assert got is not None and got.value.kind == REFERENCES and got.value.complete
    assert [p.title for p in got.value.papers] == expected
    assert [s.query["offset"] for s in state.seen] == [["0"], ["50"]]


def test_citations_stop_at_the_limit_and_say_the_list_goes_on(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[CITES + "@0"] = ok("s2-citations-2024-07-CorpusID-14514057-offset-0.json")
    state.routes[CITES + "@100"] = ok("s2-citations-2024-07-CorpusID-14514057-offset-100.json")
    source, _ = source_for(base, tmp_path)
    got = source.cited_by("CorpusID:14514057", limit=200)
    assert got is not None and got.value.kind == CITATIONS and not got.value.complete
    first = json.loads(real("s2-citations-2024-07-CorpusID-14514057-offset-0.json"))["data"]
    assert len(got.value.papers) == 200
    assert got.value.papers[0].s2_id == first[0]["citingPaper"]["paperId"]
    assert len(state.seen) == 2
    fewer = source.cited_by("CorpusID:14514057", limit=50)  # inside what is kept: no request
    assert fewer is not None and fewer.from_cache and len(fewer.value.papers) == 50
    assert len(state.seen) == 2
    more = source.cited_by("CorpusID:14514057", limit=300)  # more than is kept: asked again
    assert more is not None and not more.from_cache and len(state.seen) == 5
    assert len(more.value.papers) == 200  # offset 200 is not recorded: the list ends there


def test_a_long_kept_list_is_read_only_as_far_as_asked_and_whole_when_asked(
    tmp_path: Path,
) -> None:
    """2,500 citing papers kept (synthetic: the two recorded pages' rows repeated, their
    paperIds varied); the first 1,000 come from the first line of rows, the rest unread,
    and the whole list reads back row for row."""
    pages = [f"s2-citations-2024-07-CorpusID-14514057-offset-{n}.json" for n in (0, 100)]
    recorded = [row for name in pages for row in json.loads(real(name))["data"]]
    rows = [
        {"citingPaper": {**r["citingPaper"], "paperId": f"{n:08x}" + "0" * 32}}
        for n, r in enumerate(recorded * 13)
    ][:2500]
    cache = CitationCache(tmp_path / "cache" / "citations")
    cache.put("s2:citations:CorpusID:1", {"data": rows, "next": None, "limit": 2500})
    first = cache.get("s2:citations:CorpusID:1", rows=1000)
    assert first is not None and len(first.answer["data"]) == 1000
    assert first.answer["lines_unread"] == 2
    whole = cache.get("s2:citations:CorpusID:1")
    assert whole is not None and whole.answer["data"] == rows
    source = CitationSource(tmp_path / "cache", env={})
    shown = source.cited_by("CorpusID:1", limit=1000)
    assert shown is not None and shown.from_cache and not shown.value.complete
    assert [p.s2_id for p in shown.value.papers] == [
        r["citingPaper"]["paperId"] for r in rows[:1000]
    ]
    every = source.cited_by("CorpusID:1", limit=5000)
    assert every is not None and every.value.complete and len(every.value.papers) == 2500
    assert every.value.papers[-1].title == " ".join(rows[-1]["citingPaper"]["title"].split())


# -- the batch endpoint ----------------------------------------------------------------------
def test_500_papers_are_one_batch_request_and_501_two(server, tmp_path: Path) -> None:
    base, state = server
    state.batch_rows = dict(zip(BATCH_IDS, BATCH, strict=True))
    others = [f"2401.{n:05d}" for n in range(497)]
    refs = ["CorpusId:211530585", "CorpusId:470667", "10.2139/ssrn.2250500", *others]
    source, _ = source_for(base, tmp_path)
    got = source.refresh_counts(refs)
    assert len(refs) == 500 and len(state.seen) == 1
    assert len(json.loads(state.seen[0].body)["ids"]) == 500
    assert got["CorpusId:211530585"] is None and got["2401.00000"] is None
    known = got["10.2139/ssrn.2250500"]
    assert known is not None and known.value.cited_by == BATCH[2]["citationCount"]
    assert known.value.influential == BATCH[2]["influentialCitationCount"]
    more = source.refresh_counts([*refs, "0f40b1f08821e22e859c6050916cec3667778613"], force=True)
    assert len(state.seen) == 3  # 501 papers: two requests
    last = more["0f40b1f08821e22e859c6050916cec3667778613"]
    assert last is not None and last.value.paper.title == BATCH[3]["title"]


def test_a_batch_keeps_fresh_answers_and_asks_only_for_the_rest(server, tmp_path: Path) -> None:
    base, state = server
    state.batch_rows = dict(zip(BATCH_IDS, BATCH, strict=True))
    source, _ = source_for(base, tmp_path)
    source.refresh_counts(["CorpusId:470667"])
    source.refresh_counts(["CorpusId:470667", "10.2139/ssrn.2250500"])
    assert [json.loads(s.body)["ids"] for s in state.seen] == [
        ["CorpusId:470667"], ["DOI:10.2139/ssrn.2250500"],
    ]  # fmt: skip
    counts = source.counts("CorpusId:470667")  # the batch's answer serves a single paper
    assert counts is not None and counts.from_cache and counts.value.cited_by == 10670
    assert len(state.seen) == 2


# -- errors (synthetic replies) --------------------------------------------------------------
def test_a_429_waits_as_retry_after_says_then_reads_the_answer(server, tmp_path: Path) -> None:
    base, state = server
    busy = Reply(429, b'{"message": "Too Many Requests"}', BUSY)
    state.routes[S2_PAPER] = [busy, *ok(TURING)]
    source, waits = source_for(base, tmp_path)
    got = source.counts("10.1093/mind/lix.236.433")
    assert got is not None and got.value.cited_by == 10059
    assert waits == [7.0] and source.requests == 2


def test_a_500_backs_off_doubling_then_succeeds(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[S2_PAPER] = [Reply(500, b"oops"), Reply(503, b""), *ok(TURING)]
    source, waits = source_for(base, tmp_path)
    assert source.counts("10.1093/mind/lix.236.433") is not None
    assert waits == [2.0, 4.0]


def test_rate_limiting_that_outlasts_the_retries_is_one_line_and_keeps_nothing(
    server, tmp_path: Path
) -> None:
    base, state = server
    state.routes[S2_PAPER] = [Reply(429, b"{}", {"Retry-After": "1"})]
    source, waits = source_for(base, tmp_path)
    with pytest.raises(CitationSourceError) as caught:
        source.counts("10.1093/mind/lix.236.433")
    message = str(caught.value)
    assert "\n" not in message and "HTTP 429 after 4 tries" in message
    assert "SEMANTIC_SCHOLAR_API_KEY" in message
    assert waits == [1.0, 1.0, 1.0] and len(state.seen) == 4
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_a_retry_after_longer_than_allowed_gives_up_at_once(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[S2_PAPER] = [Reply(429, b"{}", {"Retry-After": "3600"})]
    source, waits = source_for(base, tmp_path)
    with pytest.raises(CitationSourceError, match="asked to wait 3600 s"):
        source.counts("10.1093/mind/lix.236.433")
    assert waits == [] and len(state.seen) == 1


def test_a_cut_off_body_is_retried_and_never_kept_half(server, tmp_path: Path) -> None:
    base, state = server
    body = real(TURING)
    state.routes[S2_PAPER] = [Reply(200, body, cut=True)]
    source, waits = source_for(base, tmp_path)
    with pytest.raises(CitationSourceError, match="cut off"):
        source.counts("10.1093/mind/lix.236.433")
    assert len(waits) == 3
    assert not list((tmp_path / "cache").rglob("*"))  # no answer file, no temp file
    state.routes[S2_PAPER] = [Reply(200, body, cut=True), Reply(200, body)]
    got = source.counts("10.1093/mind/lix.236.433")
    assert got is not None and got.value.cited_by == 10059


def test_a_timeout_is_one_clear_line(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[S2_PAPER] = [Reply(hang=True)]
    source, waits = source_for(base, tmp_path, policy=RetryPolicy(timeout_s=0.2))
    with pytest.raises(CitationSourceError) as caught:
        source.counts("10.1093/mind/lix.236.433")
    assert str(caught.value) == (
        f"Semantic Scholar ({base.removeprefix('http://')}) did not answer within 0.2 s; "
        "are you online?"
    )
    assert waits == [] and len(state.seen) == 1


def test_no_network_is_one_clear_line(tmp_path: Path) -> None:
    with serving() as (base, _):
        pass  # the server is gone: its port refuses connections
    source, _ = source_for(base, tmp_path)
    with pytest.raises(
        CitationSourceError, match=r"^cannot reach Semantic Scholar .*are you online\?$"
    ):
        source.counts("2405.17428")


def test_an_answer_that_is_not_json_is_one_line(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[S2_PAPER] = [Reply(200, b"<html>maintenance</html>")]
    source, _ = source_for(base, tmp_path)
    with pytest.raises(CitationSourceError, match="not JSON"):
        source.counts("10.1093/mind/lix.236.433")


# -- the cache -------------------------------------------------------------------------------
def test_after_one_fetch_the_answer_is_read_offline(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[S2_PAPER] = ok(TURING)
    source, _ = source_for(base, tmp_path)
    first = source.counts("10.1093/mind/lix.236.433")
    assert first is not None and not first.from_cache
    state.routes[S2_PAPER] = [Reply(500, b"down")]  # from now on the server cannot help
    again = source.counts("10.1093/mind/lix.236.433")
    kept = source.cached_counts("10.1093/mind/lix.236.433")
    assert again is not None and again.from_cache and not again.stale
    assert kept is not None and kept.value == first.value == again.value
    assert again.age_text() == "fetched just now"
    assert len(state.seen) == 1
    assert source.cached_counts("2405.17428") is None  # never fetched: nothing, no request
    assert len(state.seen) == 1


def test_an_old_answer_is_refetched_and_when_that_fails_shown_stale_with_its_age(
    server, tmp_path: Path
) -> None:
    base, state = server
    raw = json.loads(real(TURING))
    cache = CitationCache(tmp_path / "cache" / "citations")
    three_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=3, minutes=1)
    cache.put("s2:paper:DOI:10.1093/mind/lix.236.433", raw, now=three_days_ago)
    state.routes[S2_PAPER] = [Reply(500, b"")]
    source, _ = source_for(base, tmp_path, max_age=dt.timedelta(days=1))
    got = source.counts("10.1093/mind/lix.236.433")
    assert got is not None and got.stale and got.from_cache
    assert got.age_text() == "fetched 3 days ago" and "HTTP 500" in got.note
    assert got.value.cited_by == raw["citationCount"]
    state.routes[S2_PAPER] = ok(TURING)
    fresh = source.counts("10.1093/mind/lix.236.433")
    assert fresh is not None and not fresh.from_cache and not fresh.stale
    assert fresh.age_text() == "fetched just now"


def test_refresh_asks_again_even_when_the_kept_answer_is_young(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[S2_PAPER] = ok(TURING)
    source, _ = source_for(base, tmp_path)
    source.counts("10.1093/mind/lix.236.433")
    again = source.counts("10.1093/mind/lix.236.433", refresh=True)
    assert again is not None and not again.from_cache and len(state.seen) == 2


def test_a_damaged_cache_file_is_only_a_miss(server, tmp_path: Path) -> None:
    base, state = server
    state.routes[S2_PAPER] = ok(TURING)
    source, _ = source_for(base, tmp_path)
    source.counts("10.1093/mind/lix.236.433")
    (kept,) = (tmp_path / "cache" / "citations").glob("*.json")
    kept.write_text('{"version": 1, "key": "s2:paper:DOI:10.1093/mi')
    assert source.cached_counts("10.1093/mind/lix.236.433") is None
    got = source.counts("10.1093/mind/lix.236.433")
    assert got is not None and not got.from_cache and len(state.seen) == 2


def test_retry_after_reads_seconds_and_http_dates() -> None:
    from email.utils import format_datetime

    from paperdeck.index.citations.http import retry_after

    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=120)
    waited = retry_after(format_datetime(later, usegmt=True))
    assert retry_after("30") == 30.0 and waited is not None and 100 < waited <= 120
    assert retry_after("soon") is None and retry_after(None) is None


def test_paper_ids_are_asked_in_the_apis_forms() -> None:
    from paperdeck.index.citations.openalex import doi_of
    from paperdeck.index.citations.semantic_scholar import s2_ref

    assert s2_ref("arXiv:2405.17428v3") == "arXiv:2405.17428"
    assert s2_ref("hep-th/9901001") == "arXiv:hep-th/9901001"
    assert s2_ref("10.7717/peerj.4375") == "DOI:10.7717/peerj.4375"
    assert s2_ref("CorpusId:470667") == "CorpusId:470667"
    assert doi_of("2405.17428") == "10.48550/arXiv.2405.17428"
    assert doi_of("DOI:10.7717/peerj.4375") == "10.7717/peerj.4375"
    assert doi_of("CorpusId:470667") is None


@pytest.mark.parametrize(
    "text",
    ["a b", " a b", "a b ", "a  b", "a\nb", "a\tb", "a\xa0b", "a\u2009b", "a\u3000b", "a\x1fb",
     "a\u2028b", "", " ", "ab", "α β γ", "a\r\nb"],
)  # fmt: skip
def test_texts_of_an_answer_have_their_whitespace_runs_made_one_space(text: str) -> None:
    """As str.split does it, for every kind of whitespace (the kept-as-is shortcut agrees)."""
    paper = parse_paper({"title": text, "abstract": text})
    assert paper.title == paper.abstract == " ".join(text.split())
