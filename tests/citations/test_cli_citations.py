"""The citation and reading-queue commands (issue 22 items 4-6), in-process, against the
loopback server playing real recorded Semantic Scholar answers (tests/fixtures/real/,
SOURCES.md).

The library holds the ten papers of a real arXiv API answer. The recorded batch rows are
played for three of its arXiv ids (the server answers a batch by the ids asked): the counts
paperdeck shows are compared with json.load of the recording, field by field, as are the
listed papers of the recorded reference and citation pages. No test touches the internet.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from paperdeck.tui import cli

from tests.support import ROOT
from tests.support.citation_server import (
    OPENCAT,
    PLAYED,
    RANKING,
    REFS_0,
    REFS_50,
    SURVEY,
    Reply,
    State,
    real,
)

REFS = "GET /graph/v1/paper/DOI:10.2139/ssrn.2250500/references"
CITES_0 = "s2-citations-2024-07-CorpusID-14514057-offset-0.json"
BEFORE = "s2-citations-2024-07-CorpusID-14514057-offset-0-without-first.json"
PAGE_2 = "s2-citations-2024-07-CorpusID-14514057-offset-100.json"
ATOM = "{http://www.w3.org/2005/Atom}"


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def records(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> list[dict]:
    code, out, err = run(capsys, data_dir, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_references_json_is_the_recording_field_by_field_and_offline_after(
    server: State, data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch, offline: str
) -> None:
    server.routes[REFS + "@0"] = [Reply(200, real(REFS_0))]
    server.routes[REFS + "@50"] = [Reply(200, real(REFS_50))]
    got = records(capsys, data_dir, "references", "10.2139/ssrn.2250500")
    recorded = [
        row["citedPaper"] for name in (REFS_0, REFS_50) for row in json.loads(real(name))["data"]
    ]
    assert len(got) == len(recorded) == 67
    for mine, theirs in zip(got, recorded, strict=True):  # no years: the source's order
        assert mine["title"] == " ".join(theirs["title"].split())
        assert mine["s2_id"] == theirs["paperId"]
        assert mine["source"] == "semantic-scholar" and mine["in_library"] is None
    asked = len(server.seen)
    monkeypatch.setenv("PAPERDECK_SEMANTIC_SCHOLAR_URL", offline)
    again = records(capsys, data_dir, "references", "10.2139/ssrn.2250500")
    assert again == got and len(server.seen) == asked  # the cache answered


def test_cited_by_json_lists_the_recorded_citing_papers(
    server: State, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes["GET /graph/v1/paper/CorpusID:14514057/citations@0"] = [Reply(200, real(CITES_0))]
    got = records(capsys, data_dir, "cited-by", "CorpusID:14514057", "--limit", "100")
    recorded = [row["citingPaper"] for row in json.loads(real(CITES_0))["data"]]
    assert [r["s2_id"] for r in got] == [p["paperId"] for p in recorded]
    assert [r["title"] for r in got] == [" ".join(p["title"].split()) for p in recorded]
    assert len(server.seen) == 1  # --limit 100: one page


def refresh_counts(server: State, data_dir: Path, capsys) -> str:
    server.batch_rows.update({f"arXiv:{pid}": row for pid, row in PLAYED.items()})
    code, out, err = run(capsys, data_dir, "citations", "refresh")
    assert code == 0, err
    return out


def test_citations_refresh_batches_and_search_sorts_by_the_cached_counts(
    server: State, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = refresh_counts(server, data_dir, capsys)
    assert "citation counts: 3 of 10 papers known" in out
    assert [s.path for s in server.seen] == ["/graph/v1/paper/batch"]  # 10 papers: one request
    asked = len(server.seen)

    def ids(*query: str, sort: str = "relevance") -> list[str]:
        return [r["id"] for r in records(capsys, data_dir, "search", *query, "--sort", sort)]

    assert set(ids("citations:>=100")) == {SURVEY, OPENCAT}
    assert ids("citations:>2185") == [SURVEY]
    assert ids("citations:=0") == ids("citations:<5") == [RANKING]
    assert ids("citations:<=2185", "citations:>0") == [OPENCAT]
    counts = {pid: row["citationCount"] for pid, row in PLAYED.items()}
    ranked = [r["id"] for r in records(capsys, data_dir, "list", "--sort", "citations")]
    assert ranked[:3] == sorted(counts, key=lambda pid: -counts[pid])  # 10670, 2185, 0
    assert len(ranked) == 10  # papers without a count last, not left out
    assert ids("testing", sort="citations")[0] == SURVEY
    assert len(server.seen) == asked  # searches never asked the network


def test_the_follow_and_alert_path_says_1_new_and_is_a_feed(
    server: State, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cites = f"GET /graph/v1/paper/arXiv:{SURVEY}/citations"
    server.routes[cites + "@0"] = [Reply(200, real(BEFORE))]
    server.routes[cites + "@100"] = [Reply(200, real(PAGE_2))]
    code, out, err = run(capsys, data_dir, "follow", SURVEY)
    assert code == 0 and "following 2503.05378" in out, err
    assert "new" not in refresh_counts(server, data_dir, capsys).split("\n", 1)[1]  # baseline
    server.routes[cites + "@0"] = [Reply(200, real(CITES_0))]
    out = refresh_counts(server, data_dir, capsys)
    assert "1 new paper cites “A Survey on Web Testing: On the Rise of AI and Applications…”" in out
    (status,) = records(capsys, data_dir, "follows", "list")
    assert status["target"] == SURVEY and status["new"] == 1 and status["citing"] == 200
    newest = json.loads(real(CITES_0))["data"][0]["citingPaper"]
    (shown,) = records(capsys, data_dir, "follows", "show", SURVEY)
    assert shown["s2_id"] == newest["paperId"] and shown["cites"] == SURVEY
    code, feed, err = run(capsys, data_dir, "follows", "show", SURVEY, "--atom")
    entries = ET.fromstring(feed).findall(f"{ATOM}entry")
    assert code == 0 and [e.findtext(f"{ATOM}title") for e in entries] == [newest["title"]]
    # The follow is a watch like any other: in `watch list`, its feed by `watch show`.
    (watch,) = records(capsys, data_dir, "watch", "list")
    assert watch == {
        "name": f"follow:{SURVEY}",
        "query": f"cites {SURVEY}",
        "matches": 200,
        "new": 1,
    }
    code, out, _ = run(capsys, data_dir, "watch", "list")
    assert code == 0 and out.split()[:5] == [f"follow:{SURVEY}", "1", "new", "200", "matches"]
    assert run(capsys, data_dir, "watch", "show", f"follow:{SURVEY}", "--atom")[1] == feed
    assert "new" not in refresh_counts(server, data_dir, capsys).split("\n", 1)[1]
    assert run(capsys, data_dir, "watch", "show", f"follow:{SURVEY}", "--atom")[1] == feed  # same
    assert run(capsys, data_dir, "watch", "seen", f"follow:{SURVEY}")[0] == 0
    assert records(capsys, data_dir, "follows", "list")[0]["new"] == 0
    assert run(capsys, data_dir, "follows", "show", SURVEY)[0] == 1  # nothing new now


def test_no_network_is_one_line_and_its_own_exit_code(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch, offline: str
) -> None:
    monkeypatch.setenv("PAPERDECK_SEMANTIC_SCHOLAR_URL", offline)
    code, out, err = run(capsys, data_dir, "cited-by", SURVEY)
    assert code == 3 and out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith("paperdeck: cannot reach Semantic Scholar") and "online" in line
    assert not list((data_dir / "cache").glob("citations/*.json"))  # nothing kept, half or whole
    assert run(capsys, data_dir, "citations", "refresh")[0] == 3
    assert run(capsys, data_dir, "cited-by", SURVEY, "--sort", "oldest")[0] == 2  # bad input


def test_the_queue_keeps_the_users_order(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, data_dir, "queue", "add", SURVEY, OPENCAT, RANKING)[0] == 0

    def order() -> list[str]:
        return [r["id"] for r in records(capsys, data_dir, "queue", "list")]

    assert order() == [SURVEY, OPENCAT, RANKING]
    assert run(capsys, data_dir, "queue", "move", RANKING, "--to", "1")[0] == 0
    assert order() == [RANKING, SURVEY, OPENCAT]
    moved = records(capsys, data_dir, "queue", "move", SURVEY, "--down")
    assert [(r["id"], r["position"]) for r in moved] == [(RANKING, 1), (OPENCAT, 2), (SURVEY, 3)]
    run(capsys, data_dir, "queue", "move", RANKING, "--up")  # at the front already: stays
    run(capsys, data_dir, "queue", "remove", OPENCAT)
    assert order() == [RANKING, SURVEY]
    code, out, _ = run(capsys, data_dir, "export", "--queue", "--format", "json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == [RANKING, SURVEY]
    target = data_dir.parent / "queue.json"
    assert run(capsys, data_dir, "export", "--queue", "--format", "json", "-o", str(target))[0] == 0
    assert json.loads(target.read_text("utf-8")) == json.loads(out)
    code, _, err = run(capsys, data_dir, "queue", "move", OPENCAT, "--up")
    assert code == 2 and "not in the reading queue" in err


def test_read_marks_are_search_terms(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, data_dir, "read", SURVEY, OPENCAT)[0] == 0

    def ids(query: str) -> set[str]:
        return {r["id"] for r in records(capsys, data_dir, "search", query, "--limit", "50")}

    assert ids("is:read") == {SURVEY, OPENCAT}
    assert len(ids("is:unread")) == 8 and not ids("is:unread") & {SURVEY, OPENCAT}
    assert ids("testing is:read") <= {SURVEY, OPENCAT}
    run(capsys, data_dir, "unread", SURVEY)
    assert ids("is:read") == {OPENCAT}
    assert json.loads(run(capsys, data_dir, "queue", "list", "--json")[1] or "[]") == []


def test_the_readme_says_what_the_command_and_term_tables_say() -> None:
    from paperdeck.index.search_terms import query_table_rows
    from paperdeck.tui.cli.commands import citations_commands, readme_list

    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("\n## Citations and the reading queue\n", 1)[1].split("\n## ", 1)[0]
    assert readme_list(citations_commands()) in section
    table = readme.split("\n### Query syntax\n", 1)[1].split("\n### ", 1)[0]
    assert all(row in table.splitlines() for row in query_table_rows())


def test_a_tag_is_followed_through_its_bookmarks(
    server: State, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, data_dir, "bookmark", "add", SURVEY, OPENCAT)
    run(capsys, data_dir, "bookmark", "tag", SURVEY, "Web Testing")
    code, out, _ = run(capsys, data_dir, "follow", "tag:Web Testing")
    assert code == 0 and "following tag:web-testing" in out
    (status,) = records(capsys, data_dir, "follows", "list")
    assert status["kind"] == "tag" and status["papers"] == [SURVEY] and status["checked"] is None
    assert run(capsys, data_dir, "unfollow", "tag:web-testing")[0] == 0
    assert run(capsys, data_dir, "follows", "list")[0] == 1  # nothing followed: exit 1


def test_a_damaged_queue_is_set_aside_with_one_notice(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data_dir / "queue.json").write_text("{not json", "utf-8")
    code, _, err = run(capsys, data_dir, "queue", "add", SURVEY)
    assert code == 0 and "queue.json could not be read" in err
    assert len(list(data_dir.glob("queue.json.unreadable-*"))) == 1
    assert [r["id"] for r in records(capsys, data_dir, "queue", "list")] == [SURVEY]
