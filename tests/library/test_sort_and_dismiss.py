"""Sort orders (newest, relevance, upvotes) over any query and filter; papers marked not
interested: out of listings and searches, shown by `is:dismissed`, stored as safely as
bookmarks (through the library, the CLI and other processes)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from paperdeck.index.errors import LibraryError
from paperdeck.index.library import Library

from tests.support import FIXTURES, InProcessCli, hits


@pytest.fixture
def voted(tmp_path: Path) -> Library:
    """The daily-papers JSON (upvotes known) plus the sample's text digest (none known)."""
    lib = Library(tmp_path / "voted")
    lib.import_digests([FIXTURES / "hf-daily-2026-03-13.json", FIXTURES / "hf-daily-edge.json"])
    return lib


def test_upvotes_sorts_most_upvoted_first_and_papers_without_any_last(voted: Library) -> None:
    papers = [hit.paper for hit in voted.query("", limit=None, order="upvotes").hits]
    votes = [p.upvotes for p in papers]
    known = [v for v in votes if v is not None]
    assert known == sorted(known, reverse=True) and len(known) > 10
    assert votes == known + [None] * (len(votes) - len(known))
    assert len(papers) == voted.count()


def test_every_order_sorts_a_querys_matches(voted: Library) -> None:
    relevance = voted.query("deep learning", limit=None)
    assert relevance.order == "relevance"
    by_votes = voted.query("deep learning", limit=5, order="upvotes")
    assert by_votes.order == "upvotes" and len(by_votes.hits) == 5
    every = {h.paper.id: h.paper.upvotes or -1 for h in relevance.hits}
    assert [h.paper.upvotes for h in by_votes.hits] == sorted(every.values(), reverse=True)[:5]
    newest = voted.browse("deep learning", order="newest")
    assert newest.order == "newest" and set(r.id for r in newest.rows) == set(every)
    dates = [row.date for row in newest.rows]
    assert dates == sorted(dates, reverse=True)
    assert voted.browse("").order == "newest"


@pytest.mark.parametrize("order", ["upvotes", "for-you", "newest"])
def test_an_empty_library_sorts_to_nothing_with_one_line(
    cli_run: InProcessCli, tmp_path: Path, order: str
) -> None:
    assert Library(tmp_path).query("", None, order=order).hits == ()
    out = cli_run("list", "--sort", order, data_dir=tmp_path)
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "library is empty" in out.stderr


def test_for_you_on_a_library_emptied_under_a_bookmark(
    cli_run: InProcessCli, sample_dir: Path
) -> None:
    """Every digest removed, a bookmark kept: for you has no paper to rank, and says the
    library is empty (it was `internal error: AttributeError`)."""
    lib = Library(sample_dir)
    lib.add_bookmarks([lib.listing()[0].id])
    for record in lib.digests():
        lib.remove_digest(record.name)
    assert Library(sample_dir).query("", None, order="for-you").hits == ()
    out = cli_run("list", "--sort", "for-you", data_dir=sample_dir)
    assert out.returncode == 1 and "library is empty" in out.stderr, out.stderr
    assert "internal error" not in out.stderr


def test_an_unknown_order_is_one_clear_error(lib: Library) -> None:
    with pytest.raises(LibraryError, match="unknown sort order 'oldest'"):
        lib.query("mamba", order="oldest")


def test_the_cli_sorts_lists_and_searches(
    cli_run: InProcessCli, voted: Library, tmp_path: Path
) -> None:
    data_dir = tmp_path / "voted"
    out = cli_run("list", "--sort", "upvotes", "--json", data_dir=data_dir)
    assert out.returncode == 0
    ids = [record["id"] for record in json.loads(out.stdout)]
    assert ids == [h.paper.id for h in voted.query("", None, order="upvotes").hits]
    assert ids != [p.id for p in voted.listing()]
    out = cli_run("search", "learning", "--sort", "sideways", data_dir=data_dir)
    assert out.returncode == 2 and "invalid choice" in out.stderr and "Traceback" not in out.stderr


# -- not interested ----------------------------------------------------------------------------
def test_dismissed_papers_leave_listings_and_searches(lib: Library, sample_dir: Path) -> None:
    mamba = hits(lib, "mamba")[0].paper
    assert lib.dismiss([mamba.id]) == 1
    again = Library(sample_dir)  # kept on disk
    assert again.dismissed_ids() == {mamba.id}
    assert mamba.id not in {p.id for p in again.listing()}
    assert mamba.id not in {h.paper.id for h in again.query("mamba").hits}
    assert mamba.id not in {r.id for r in again.browse("").rows}
    assert again.browse("").total == 64 and len(again.browse("").rows) == 64
    assert again.first_rows(200) is not None and mamba.id not in {
        r.id for r in again.first_rows(200).rows
    }
    assert [r.id for r in again.browse("is:dismissed").rows] == [mamba.id]
    assert [h.paper.id for h in again.query("is:dismissed mamba").hits] == [mamba.id]
    assert again.undismiss([mamba.id]) == 1
    assert mamba.id in {r.id for r in again.browse("").rows}


def test_similar_papers_leave_out_the_dismissed_ones(lib: Library) -> None:
    paper = hits(lib, "wavelet discriminator")[0].paper
    similar = [hit.paper.id for hit in lib.similar(paper.id, limit=5)]
    lib.dismiss(similar[:2])
    again = [hit.paper.id for hit in lib.similar(paper.id, limit=5)]
    assert again[:3] == similar[2:] and len(again) == 5


def test_an_export_leaves_dismissed_papers_out_unless_asked(lib: Library) -> None:
    lib.dismiss([hits(lib, "mamba")[0].paper.id])  # issue 21.3: as the list and the counts
    done = lib.export("json")
    assert (done.papers, done.left_out, lib.count()) == (64, 1, 64)
    every = lib.export("json", dismissed=True)
    assert (every.papers, every.left_out, lib.count(dismissed=True)) == (65, 0, 65)


def test_toggling_and_unknown_papers(lib: Library) -> None:
    paper_id = hits(lib, "wavelet")[0].paper.id
    assert lib.toggle_dismissed(paper_id) is True
    assert lib.toggle_dismissed(paper_id) is False
    with pytest.raises(LibraryError, match="no paper with id"):
        lib.dismiss(["t-nonexistent"])
    assert lib.dismissed_ids() == set()


def test_a_damaged_file_is_set_aside_with_a_notice(lib: Library, sample_dir: Path) -> None:
    (sample_dir / "dismissed.json").write_text('{"version": 1, "dismissed": {"t-1": ')
    assert lib.dismissed_ids() == set()
    aside = list(sample_dir.glob("dismissed.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text().startswith('{"version": 1')
    assert any("moved aside" in notice for notice in lib.take_notices())
    lib.dismiss([hits(lib, "mamba")[0].paper.id])
    assert len(lib.dismissed_ids()) == 1


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from paperdeck.index.bookmarks import DismissedStore
    store = DismissedStore(Path(sys.argv[1]))
    start, count = int(sys.argv[2]), int(sys.argv[3])
    for n in range(start, start + count):
        store.add([f"t-{n:012d}"])
        if n % 3 == 0:
            store.remove([f"t-{n:012d}"])
    """
)


def test_two_processes_marking_at_once_lose_nothing(tmp_path: Path) -> None:
    from paperdeck.index.bookmarks import DismissedStore

    path = tmp_path / "dismissed.json"
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(start), "100"])
        for start in (0, 1000)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    expected = {f"t-{n:012d}" for s in (0, 1000) for n in range(s, s + 100) if n % 3}
    assert DismissedStore(path).ids() == expected


def test_the_cli_dismisses_and_undismisses(cli_run: InProcessCli, sample_dir: Path) -> None:
    lib = Library(sample_dir)
    paper_id = hits(lib, "mamba")[0].paper.id
    out = cli_run("dismiss", paper_id[:10], data_dir=sample_dir)  # a short id works too
    assert out.returncode == 0 and "marked 1 paper not interested" in out.stdout
    listed = cli_run("list", data_dir=sample_dir).stdout
    assert paper_id not in listed and len(listed.splitlines()) == 64
    found = cli_run("search", "is:dismissed", data_dir=sample_dir)
    assert found.returncode == 0 and paper_id in found.stdout
    out = cli_run("undismiss", paper_id, paper_id, data_dir=sample_dir)
    assert out.returncode == 0 and "took the not-interested mark off 1 paper" in out.stdout
    out = cli_run("undismiss", paper_id, data_dir=sample_dir)
    assert out.returncode == 1
    out = cli_run("dismiss", "t-nope", data_dir=sample_dir)
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
