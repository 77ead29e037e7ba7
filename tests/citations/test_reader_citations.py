"""The reader's citations, reading queue and read marks (issue 22 items 3 and 6), with Pilot,
against the loopback server playing the real recorded Semantic Scholar answers of
tests/fixtures/real/ (SOURCES.md), as tests/citations/test_cli_citations.py does: the recorded batch
rows and reference pages are played for papers of the library (a real arXiv API answer).
What the reader shows is compared with json.load of the recordings. No test touches the
internet; every wait is on the screen's state.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp
from paperdeck.tui.screens.citation_actions import SEARCH_PLACEHOLDER
from paperdeck.tui.widgets.paper_list import PaperList

from tests.support.citation_server import PLAYED, REFS_0, REFS_50, SURVEY, Reply, State, real
from tests.support.reader import loaded, ready, screen_lines, searched, shown, status, until

REFS = f"GET /graph/v1/paper/arXiv:{SURVEY}/references"
RECORDED_REFS = [
    row["citedPaper"] for name in (REFS_0, REFS_50) for row in json.loads(real(name))["data"]
]


def clean(title: str) -> str:
    return " ".join(title.split())


def counts_fetched(server: State, data_dir: Path, days_ago: int = 0) -> None:
    """The counts of the played papers in the cache, as `citations refresh` leaves them;
    `days_ago` dates the kept answers back (the cache's own files)."""
    server.batch_rows.update({f"arXiv:{pid}": row for pid, row in PLAYED.items()})
    lib = Library(data_dir)
    lib.refresh_citation_counts([p for p in lib.listing() if p.id in PLAYED])
    for path in (data_dir / "cache" / "citations").glob("*.json"):
        record = json.loads(path.read_text("utf-8"))
        when = dt.datetime.fromisoformat(record["fetched"]) - dt.timedelta(days=days_ago)
        record["fetched"] = when.isoformat(timespec="seconds")
        path.write_text(json.dumps(record), "utf-8")


async def to_paper(pilot, screen, paper_id: str) -> None:
    """Move the cursor down to a paper; return once its detail is loaded."""
    ids = [row.id for row in screen.query_one(PaperList).rows]
    for _ in range(ids.index(paper_id) - screen.query_one(PaperList).cursor):
        await pilot.press("down")
    await until(pilot, lambda: loaded(screen) and shown(screen).paper.id == paper_id, paper_id)


def listing(screen, kind: str) -> bool:
    mode = screen.cites.mode
    return mode is not None and mode.kind == kind and bool(screen.query_one(PaperList).rows)


async def test_the_detail_pane_says_the_cached_count_and_its_age(
    server: State, data_dir: Path
) -> None:
    counts_fetched(server, data_dir, days_ago=3)
    asked = len(server.seen)
    async with PaperDeckApp(Library(data_dir)).run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await to_paper(pilot, screen, SURVEY)
        row = PLAYED[SURVEY]
        said = (
            f"cited by {row['citationCount']:,} ({row['influentialCitationCount']:,} influential)"
        )
        await until(pilot, lambda: shown(screen).citations.startswith(said), "the count shown")
        assert shown(screen).citations == f"{said} · Semantic Scholar, 3 days ago"
        assert any(said in line for line in screen_lines(pilot.app))
    assert len(server.seen) == asked  # from the cache: the reader asked nothing


async def test_R_lists_the_references_and_escape_goes_back_to_the_paper(
    server: State, data_dir: Path
) -> None:
    server.routes[REFS + "@0"] = [Reply(200, real(REFS_0))]
    server.routes[REFS + "@50"] = [Reply(200, real(REFS_50))]
    async with PaperDeckApp(Library(data_dir)).run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await to_paper(pilot, screen, SURVEY)
        title = shown(screen).paper.title
        await pilot.press("R")
        await until(pilot, lambda: listing(screen, "references"), "the references listed")
        titles = [row.title for row in screen.query_one(PaperList).rows]
        assert titles == [clean(p["title"]) for p in RECORDED_REFS]  # no years: as recorded
        assert screen.query_one("#search").placeholder.startswith(f"references: {title}")
        assert "67 references" in status(screen) and "fetched just now" in status(screen)
        await pilot.press("S")
        assert "most cited first" in status(screen)
        await pilot.press("escape")
        await until(pilot, lambda: searched(screen, "") and loaded(screen), "the library again")
        assert screen.cites.mode is None and shown(screen).paper.id == SURVEY
        assert screen.query_one("#search").placeholder == SEARCH_PLACEHOLDER
        await pilot.press("R")  # the kept answer at once; then typing searches again
        await until(pilot, lambda: listing(screen, "references"), "the references again")
        await pilot.press("slash", "w", "e", "b")
        await until(pilot, lambda: searched(screen, "web") and loaded(screen), "searched")
        assert screen.cites.mode is None and shown(screen).paper.id == SURVEY


async def test_a_listed_paper_not_in_the_library_opens_and_is_added(
    server: State, data_dir: Path
) -> None:
    server.routes[REFS + "@0"] = [Reply(200, real(REFS_0))]
    server.routes[REFS + "@50"] = [Reply(200, real(REFS_50))]
    first, second = RECORDED_REFS[0], RECORDED_REFS[1]
    async with PaperDeckApp(Library(data_dir)).run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await to_paper(pilot, screen, SURVEY)
        await pilot.press("R")
        await until(pilot, lambda: listing(screen, "references"), "the references listed")
        await until(pilot, lambda: shown(screen).paper.title == clean(first["title"]), "opened")
        view = shown(screen)
        assert view.outside and "from Semantic Scholar, not in your library" in view.citations
        assert any("(no abstract in the source's answer)" in x for x in screen_lines(pilot.app))
        await pilot.press("A")
        await until(pilot, lambda: not shown(screen).outside, "added to the library")
        await pilot.press("down", "b")  # the second: added and bookmarked
        await until(pilot, lambda: len(screen.marks) == 1, "bookmarked")
    lib = Library(data_dir)
    added = {p.title: p for p in lib.listing() if "semantic-scholar" in p.sources}
    assert set(added) == {clean(first["title"]), clean(second["title"])}
    assert lib.bookmark_ids() == {added[clean(second["title"])].id}
    assert any(link.url.endswith(first["paperId"]) for link in added[clean(first["title"])].links)
    assert sum(d.format == "cited-papers" for d in lib.digests()) == 2  # the normal import


async def test_r_marks_read_and_Q_shows_the_queue_in_its_order(data_dir: Path) -> None:
    async with PaperDeckApp(Library(data_dir)).run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        rows = screen.query_one(PaperList).rows
        first, second = rows[0], rows[1]
        await pilot.press("r")
        await until(pilot, lambda: first.id in screen.query_one(PaperList).read_ids, "read")
        assert any(line.startswith(f"│✓ {first.title[:20]}") for line in screen_lines(pilot.app))
        await pilot.press("L", "down", "L")
        await until(pilot, lambda: len(Library(data_dir).queue()) == 2, "two queued")
        await pilot.press("Q")
        await until(pilot, lambda: listing(screen, "queue"), "the queue listed")
        assert [r.id for r in screen.query_one(PaperList).rows] == [first.id, second.id]
        assert "reading queue" in screen.query_one("#search").placeholder
        await pilot.press("home", "J")  # the first down one place

        def order() -> list[str]:
            return [r.id for r in screen.query_one(PaperList).rows]

        await until(pilot, lambda: order() == [second.id, first.id], "moved down")
        assert screen.query_one(PaperList).current.id == first.id  # the cursor follows it
        await pilot.press("L")  # off the queue
        await until(pilot, lambda: order() == [second.id], "taken off")
        await pilot.press("escape")
        await until(pilot, lambda: searched(screen, "") and screen.cites.mode is None, "back")
    lib = Library(data_dir)
    assert lib.read_ids() == {first.id} and [i.paper_id for i in lib.queue()] == [second.id]


async def test_a_source_that_does_not_answer_is_one_line_and_the_kept_list_shows(
    server: State,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    offline: str,
) -> None:
    server.routes[REFS + "@0"] = [Reply(200, real(REFS_0))]
    server.routes[REFS + "@50"] = [Reply(200, real(REFS_50))]
    lib = Library(data_dir)
    lib.references(SURVEY)  # kept in the cache, then dated back past the week it is used
    for path in (data_dir / "cache" / "citations").glob("*.json"):
        record = json.loads(path.read_text("utf-8"))
        record["fetched"] = (dt.datetime.now(dt.UTC) - dt.timedelta(days=8)).isoformat()
        path.write_text(json.dumps(record), "utf-8")
    monkeypatch.setenv("PAPERDECK_SEMANTIC_SCHOLAR_URL", offline)
    monkeypatch.setenv("PAPERDECK_OPENALEX_URL", offline)
    async with PaperDeckApp(Library(data_dir)).run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await to_paper(pilot, screen, SURVEY)
        await pilot.press("C")  # never fetched: nothing to show
        await until(pilot, lambda: "cannot reach Semantic Scholar" in status(screen), "said")
        assert screen.cites.mode is None and searched(screen, "")
        await pilot.press("R")  # fetched 8 days ago: shown, with its age and why
        await until(pilot, lambda: listing(screen, "references"), "the kept references")
        assert len(screen.query_one(PaperList).rows) == len(RECORDED_REFS)
        assert "fetched 8 days ago, kept: the source did not answer" in status(screen)


def test_an_added_paper_is_a_digest_the_library_rebuilds_from(data_dir: Path) -> None:
    """A: the recorded batch row of a paper (json.load of the recording) added as a digest of
    paperdeck's own; its fields read back as the recording has them, and again after a
    rebuild from the raw copies (the raw copy, not the index, is the truth)."""
    from paperdeck.index.library import CitedPaper

    row = PLAYED["2502.07719"]  # the recording's "Miracle of Microfinance" row (no arXiv id)
    cited = CitedPaper(
        title=row["title"], source="semantic-scholar",
        authors=tuple(a["name"] for a in row["authors"]), year=row["year"],
        doi=row["externalIds"]["DOI"].lower(), s2_id=row["paperId"], abstract=row["abstract"],
    )  # fmt: skip
    lib = Library(data_dir)
    before = lib.count()
    paper_id = lib.add_cited_paper(cited)
    for _ in range(2):
        paper = lib.get(paper_id)
        assert paper is not None and lib.count() == before + 1
        assert paper.title == row["title"] and paper.abstract == clean(row["abstract"])
        assert list(paper.authors) == [a["name"] for a in row["authors"]]
        assert paper.doi == row["externalIds"]["DOI"].lower() and paper.sources == (
            "semantic-scholar",
        )
        assert paper.journal_ref == str(row["year"])  # no venue in the row: the year
        lib.rebuild()
    assert lib.add_cited_paper(cited) == paper_id and lib.count() == before + 1  # once only


async def test_a_paper_no_source_knows_says_so_and_leaves_no_fetching_status(
    sample_dir: Path, server: State
) -> None:
    """The sample's papers have no arXiv id or DOI: `C` says so in one line, and the status
    line stops saying it is fetching (it stayed "Fetching the citing papers of …")."""
    async with PaperDeckApp(Library(sample_dir)).run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("C")
        await until(pilot, lambda: "no citation source knows" in status(screen), "said")
        assert "Fetching" not in status(screen) and screen.cites.mode is None
        assert not server.seen  # nothing asked of the source
