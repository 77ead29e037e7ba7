"""Imports streamed from the file: what is kept of a big file (--categories, --since), bad
lines counted, a re-import that costs only what changed, repeats in one digest merged."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from paperdeck.index.engine import lookups
from paperdeck.index.library import Library, Selection

from tests.support import FIXTURES, InProcessCli
from tests.support.digests import big_digest, snapshot, snapshot_line


@pytest.mark.parametrize("table_after", [lookups.TABLE_AFTER, 5])
def test_a_newer_snapshot_with_one_line_changed_rewrites_only_that_paper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table_after: int
) -> None:
    """Found one lookup at a time (a small file), or from the table read once (a big one)."""
    monkeypatch.setattr(lookups, "TABLE_AFTER", table_after)
    lines = [snapshot_line(n) for n in range(60)]
    first, second = tmp_path / "snapshot-1.json", tmp_path / "snapshot-2.json"
    first.write_bytes(snapshot(lines))
    revised = "A revised abstract about quokkas, longer than the first: " + "words " * 20
    lines[17] = snapshot_line(17, abstract=revised)
    second.write_bytes(snapshot(lines))
    lib = Library(tmp_path / "lib")
    assert lib.import_digest(first).new == 60
    written: list[int] = []
    report = lib.import_digest(second, progress=lambda done, total: written.append(done))
    assert (report.papers, report.new, report.unchanged) == (60, 0, 59)
    assert written[-1] == 1  # one paper went through the index writer
    assert "59 unchanged" in report.summary()
    assert [hit.paper.id for hit in lib.query("quokkas").hits] == ["2301.00017"]
    assert lib.count() == 60


def test_categories_and_since_keep_part_of_a_snapshot_and_a_rebuild_keeps_to_them(
    cli_run: InProcessCli,
    tmp_path: Path,
) -> None:
    lines = [snapshot_line(n, categories=("cs.IR" if n % 2 else "math.LO")) for n in range(40)]
    digest = tmp_path / "snapshot.json.gz"
    digest.write_bytes(gzip.compress(snapshot(lines)))
    data_dir = tmp_path / "lib"
    done = cli_run(
        "import", str(digest), "--categories", "cs.", "--since", "2023-01-15", data_dir=data_dir
    )
    assert done.returncode == 0, done.stderr
    kept = [n for n in range(40) if n % 2 and 1 + n % 28 >= 15]
    assert f"{len(kept)} papers" in done.stdout and "left out by the selection" in done.stdout
    listed = {
        paper["id"] for paper in json.loads(cli_run("list", "--json", data_dir=data_dir).stdout)
    }
    assert listed == {f"2301.{n:05d}" for n in kept}
    rebuilt = cli_run("rebuild", data_dir=data_dir)
    assert rebuilt.returncode == 0, rebuilt.stderr
    again = json.loads(cli_run("list", "--json", data_dir=data_dir).stdout)
    assert {paper["id"] for paper in again} == listed
    # The same file with another selection is another digest, not "already imported".
    everything = cli_run("import", str(digest), data_dir=data_dir)
    assert "already imported" not in everything.stdout and "40 papers" in everything.stdout


def test_a_bad_selection_is_one_line_and_nothing_is_imported(
    cli_run: InProcessCli, tmp_path: Path
) -> None:
    digest = tmp_path / "snapshot.json"
    digest.write_bytes(snapshot([snapshot_line(1)]))
    for option, value in (("--since", "2023-13-40"), ("--categories", "not a category")):
        result = cli_run("import", str(digest), option, value, data_dir=tmp_path / "lib")
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
        assert option in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "lib" / "library.json").exists()


def test_bad_lines_are_counted_in_the_summary_and_listed_by_explain(
    cli_run: InProcessCli, tmp_path: Path
) -> None:
    lines = [snapshot_line(1), "{not json", snapshot_line(2), '{"id": "2301.9"}']
    digest = tmp_path / "snapshot.json"
    digest.write_bytes(snapshot(lines))
    result = cli_run("import", str(digest), "--explain", data_dir=tmp_path / "lib")
    assert result.returncode == 0, result.stderr
    assert "2 papers" in result.stdout and "2 unreadable lines skipped" in result.stdout
    assert "line 2: not a JSON object" in result.stdout
    assert "line 4: no arXiv id or no title" in result.stdout


def test_papers_repeated_within_a_big_digest_are_merged_once(
    tmp_path: Path, sample_bytes: bytes
) -> None:
    """A paper met again further down a digest, after it was written (the stream keeps only
    keys), is merged with it after the write: one paper, with the earlier date; in a digest
    big enough for the writer's worker processes."""
    text = big_digest(sample_bytes, 20, "big").decode()  # dated Mar 12, 2026
    title, abstract = text.split("\n\n")[1:3]
    digest = tmp_path / "big.txt"
    digest.write_text(f"{text}\n\nMar 10, 2026\n\n{title}\n\n{abstract}\n")
    lib = Library(tmp_path / "lib")
    report = lib.import_digest(digest)
    assert report.papers == report.new == 65 * 20 == lib.count()
    found = [
        hit.paper for hit in lib.query(f'"{title}"', limit=None).hits if hit.paper.title == title
    ]
    assert [paper.date.isoformat() for paper in found if paper.date] == ["2026-03-10"]
    assert len(lib.browse("").rows) == 65 * 20  # the listing has it once too


def test_the_selection_reads_back_what_it_wrote() -> None:
    selection = Selection.of("cs.IR, cs.", "2023-01-15")
    assert Selection.parse(selection.text) == selection
    assert Selection.parse("") == Selection()


@pytest.mark.parametrize("table_after", [lookups.TABLE_AFTER, 1])
def test_a_rebuild_streams_the_raw_copies_and_merges_them_as_the_imports_did(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch, table_after: int
) -> None:
    """The page text and the day's JSON share papers (the JSON gives them arXiv ids, found by
    title one lookup at a time or from the table): the rebuild, one raw copy streamed after
    the other, ends with the library the imports made."""
    monkeypatch.setattr(lookups, "TABLE_AFTER", table_after)
    fixture = FIXTURES / "hf-daily-2026-03-13.json"
    lib = Library(tmp_path / "lib")
    lib.import_digests([sample_path, fixture])

    def state() -> list[tuple[str, str | None, tuple[str, ...]]]:
        return sorted((p.id, p.arxiv_id, p.sources) for p in lib.listing())

    before = state()
    both = tuple(sorted((sample_path.name, fixture.name)))  # sorted: the same in any order
    assert any(sources == both for _, _, sources in before)
    seen: list[tuple[int, int]] = []
    assert lib.rebuild(lambda done, total: seen.append((done, total))) == len(before)
    assert state() == before
    assert seen[-1][0] == seen[-1][1] and seen == sorted(seen)


def test_digests_of_one_name_show_their_keys_and_what_was_kept(
    cli_run: InProcessCli, tmp_path: Path
) -> None:
    lines = [snapshot_line(n, categories=("cs.IR" if n % 2 else "math.LO")) for n in range(10)]
    digest = tmp_path / "snap.json"
    digest.write_bytes(snapshot(lines))
    data_dir = tmp_path / "lib"
    for options in ((), ("--categories", "cs.IR")):
        assert cli_run("import", str(digest), *options, data_dir=data_dir).returncode == 0
    listed = cli_run("digests", data_dir=data_dir).stdout.splitlines()
    assert len(listed) == 2 and "kept: categories=cs.IR" in listed[1]
    ambiguous = cli_run("remove-digest", "snap.json", data_dir=data_dir)
    assert ambiguous.returncode == 2 and "give its key" in ambiguous.stderr
    key = listed[1].split()[1]
    removed = cli_run("remove-digest", key, data_dir=data_dir)
    assert removed.returncode == 0, removed.stderr
    assert len(cli_run("digests", data_dir=data_dir).stdout.splitlines()) == 1


def test_a_selection_that_keeps_nothing_changes_nothing(
    cli_run: InProcessCli, tmp_path: Path
) -> None:
    digest = tmp_path / "snap.json"
    digest.write_bytes(snapshot([snapshot_line(n) for n in range(5)]))
    result = cli_run("import", str(digest), "--since", "2030-01-01", data_dir=tmp_path / "lib")
    assert result.returncode == 2 and "nothing kept" in result.stderr, result.stderr
    assert "left out all 5 papers" in result.stderr
    assert cli_run("digests", data_dir=tmp_path / "lib").returncode == 1


def test_an_import_merges_small_segments_never_a_bulk_imports() -> None:
    """Daily digests' small segments are gathered into one; a large segment (a bulk import's)
    is never rewritten by a small import (at 1,000,000 papers that took 16 minutes)."""
    from paperdeck.index.engine import whoosh_private

    class Segment:
        def __init__(self, docs: int) -> None:
            self.docs = docs

        def doc_count_all(self) -> int:
            return self.docs

    bulk = [Segment(15_000) for _ in range(70)]
    daily = [Segment(65) for _ in range(whoosh_private.MERGE_AT)]
    assert whoosh_private.segments_to_merge(bulk) == []
    assert whoosh_private.segments_to_merge(bulk + daily[:-1]) == []  # not yet worth it
    assert whoosh_private.segments_to_merge(bulk + daily) == daily


def test_papers_imported_day_after_day_stay_searchable_as_segments_merge(tmp_path: Path) -> None:
    lib = Library(tmp_path / "lib")
    for day in range(6):  # more small imports than MERGE_AT: their segments get merged
        lines = [snapshot_line(day * 10 + n) for n in range(10)]
        digest = tmp_path / f"day-{day}.json"
        digest.write_bytes(snapshot(lines))
        assert lib.import_digest(digest).new == 10
    assert lib.count() == 60
    assert len(lib.query("topic", limit=None).hits) == 60
    assert [hit.paper.id for hit in lib.query('"number 42"').hits] == ["2301.00042"]
    lib.close()


def test_searches_after_newer_snapshots_show_the_revised_papers_not_those_read_before(
    tmp_path: Path,
) -> None:
    """Papers and list rows read by earlier searches are kept for the next ones; after each
    revision is imported (the paper written again; then the small segments merged, which
    numbers the documents anew) the next searches show the revised papers, and every list
    row is its own paper's."""
    lines = [snapshot_line(n) for n in range(30)]
    digest = tmp_path / "snapshot.json"
    lib = Library(tmp_path / "lib")
    for revision in range(6):
        if revision:
            lines[revision] = snapshot_line(
                revision, abstract=f"Quokka herds, revision {revision}."
            )
        digest.write_bytes(snapshot(lines))
        lib.import_digest(digest)
        found = {hit.paper.id: hit.paper.abstract for hit in lib.query('"quokka herds"', 50).hits}
        assert found == {
            f"2301.{n:05d}": f"Quokka herds, revision {n}." for n in range(1, revision + 1)
        }
        # The list shows the query's papers, in its order (the same search, as rows).
        rows = [(row.id, row.title) for row in lib.browse("topic", 1000).rows]
        papers = [(hit.paper.id, hit.paper.title) for hit in lib.query("topic", 1000).hits]
        assert rows == papers and len(rows) == 30
