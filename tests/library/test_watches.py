"""Watches: saved searches that say what is new after an import, as a list, JSON or a feed."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from paperdeck.index.errors import WatchError
from paperdeck.index.library import Library

from tests.support import FIXTURES, InProcessCli

SIGNALS = FIXTURES / "hf-daily-signals.json"  # three papers on diffusion, dated 2025-11-03
OLD_PAPERS = FIXTURES / "arxiv-atom.xml"  # Mamba (2023) and a 1999 paper
NEW_DIFFUSION = {"2511.00101", "2511.00102", "2511.00105"}


def counts(library: Library) -> dict[str, tuple[int, int]]:
    return {s.name: (s.matches, s.new) for s in library.watches()}


def test_an_import_of_new_papers_shows_as_new_until_seen(sample_dir: Path) -> None:
    lib = Library(sample_dir)
    assert lib.add_watch("diffusion", "diffusion").new == 0  # what matches now is seen
    lib.add_watch("mamba", "mamba")
    assert counts(lib) == {"diffusion": (2, 0), "mamba": (1, 0)}
    before = lib.watch_snapshot()
    lib.import_digests([SIGNALS, OLD_PAPERS])
    # Mamba's paper is from 2023, older than every paper the watch had seen: still new.
    assert counts(lib) == {"diffusion": (5, 3), "mamba": (2, 1)}
    assert [g.summary() for g in lib.watch_gains(before)] == ["diffusion: 3 new", "mamba: 1 new"]
    new = lib.watch_papers("diffusion", new_only=True)
    assert {w.paper.id for w in new} == NEW_DIFFUSION and all(w.new for w in new)
    assert lib.watch_seen("diffusion").new == 0
    assert counts(Library(sample_dir)) == {"diffusion": (5, 0), "mamba": (2, 1)}


def test_a_watch_lists_newest_first_and_marks_its_new_papers(lib: Library) -> None:
    lib.add_watch("mamba", "mamba")
    lib.import_digests([OLD_PAPERS])
    watched = lib.watch_papers("mamba")
    dates = [w.paper.date for w in watched]
    assert dates == sorted(dates, reverse=True) and len(dates) == 2
    assert [w.new for w in watched] == [False, True]  # the 2023 paper came in last


def test_papers_that_gain_an_arxiv_id_are_not_new_again(lib: Library) -> None:
    """The page's text first, then the same day's JSON: the papers get their arXiv ids (new
    ids), and are still the papers the watch has seen, in its feed too."""
    lib.add_watch("wavelet", "wavelet")
    feed_ids = [entry.id for entry in feedparser.parse(lib.watch_feed("wavelet")).entries]
    before = lib.watch_snapshot()
    lib.import_digests([FIXTURES / "hf-daily-2026-03-13.json"])
    (watched,) = lib.watch_papers("wavelet")
    assert watched.paper.id == "2403.10000" and not watched.new
    assert counts(lib)["wavelet"] == (1, 0) and lib.watch_gains(before) == []
    assert [e.id for e in feedparser.parse(lib.watch_feed("wavelet")).entries] == feed_ids


def test_gains_count_only_what_the_import_brought(lib: Library) -> None:
    lib.add_watch("diffusion", "diffusion")
    lib.import_digests([SIGNALS])
    before = lib.watch_snapshot()  # 3 unseen already: not gained again by the next import
    lib.import_digests([OLD_PAPERS])
    assert lib.watch_gains(before) == []
    assert counts(lib)["diffusion"] == (5, 3)


@pytest.mark.parametrize(
    ("name", "query", "error"),
    [
        ("DIFFUSION", "anything", "there is already a watch named 'diffusion'"),
        ("other", "   ", "a watch needs a query"),
        ("  ", "x", "a watch needs a name"),
    ],
)
def test_bad_watches_are_refused(lib: Library, name: str, query: str, error: str) -> None:
    lib.add_watch("diffusion", "diffusion")
    with pytest.raises(WatchError, match=error):
        lib.add_watch(name, query)
    assert [s.name for s in lib.watches()] == ["diffusion"]


def test_two_libraries_adding_watches_keep_both(sample_dir: Path) -> None:
    first, second = Library(sample_dir), Library(sample_dir)
    assert first.watches() == [] and second.watches() == []  # both have read the empty file
    first.add_watch("a", "mamba")
    second.add_watch("b", "diffusion")
    second.remove_watch("a")
    assert [s.name for s in Library(sample_dir).watches()] == ["b"]


def test_a_damaged_watches_file_is_set_aside_with_a_notice(sample_dir: Path) -> None:
    (sample_dir / "watches.json").write_text('{"version": 1, "watches": {"a": ')
    library = Library(sample_dir)
    assert library.watches() == []
    aside = list(sample_dir.glob("watches.json.unreadable-*"))
    assert len(aside) == 1 and aside[0].read_text().startswith('{"version": 1')
    assert any("moved aside" in notice for notice in library.take_notices())
    library.add_watch("a", "mamba")
    assert [s.name for s in Library(sample_dir).watches()] == ["a"]


# -- the command line ------------------------------------------------------------------------
def test_watch_commands_from_add_to_seen(cli_run: InProcessCli, sample_dir: Path) -> None:
    added = cli_run("watch", "add", "diffusion", "diffusion", data_dir=sample_dir)
    assert added.returncode == 0 and "matches 2 papers" in added.stdout
    imported = cli_run("import", str(SIGNALS), data_dir=sample_dir)
    assert imported.stdout.splitlines()[-1] == "watch diffusion: 3 new"
    listed = cli_run("watch", "list", "--json", data_dir=sample_dir)
    assert json.loads(listed.stdout) == [
        {"name": "diffusion", "query": "diffusion", "matches": 5, "new": 3}
    ]
    shown = cli_run("watch", "show", "diffusion", "--new", "--json", data_dir=sample_dir)
    records = json.loads(shown.stdout)
    assert {r["id"] for r in records} == NEW_DIFFUSION and all(r["new"] for r in records)
    assert cli_run("watch", "seen", "diffusion", data_dir=sample_dir).returncode == 0
    again = cli_run("watch", "show", "diffusion", "--new", data_dir=sample_dir)
    assert again.returncode == 1 and "nothing new in diffusion" in again.stderr
    text = cli_run("watch", "list", data_dir=sample_dir).stdout
    assert text.split() == ["diffusion", "0", "new", "5", "matches", "diffusion"]  # as the reader


def test_an_import_that_brings_a_watch_nothing_says_nothing_of_it(
    cli_run: InProcessCli, sample_dir: Path
) -> None:
    cli_run("watch", "add", "robots", "title:robot", data_dir=sample_dir)
    imported = cli_run("import", str(OLD_PAPERS), data_dir=sample_dir)
    assert imported.returncode == 0 and "watch" not in imported.stdout


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (("watch", "show", "nope"), 2, "no watch named 'nope' (watches: diffusion)"),
        (("watch", "remove", "nope"), 2, "no watch named 'nope'"),
        (("watch", "seen", "nope"), 2, "no watch named 'nope'"),
        (("watch", "add", "Diffusion", "x"), 2, "there is already a watch named 'diffusion'"),
        (("watch", "add", "empty", " "), 2, "a watch needs a query"),
        (("watch", "show", "diffusion", "-o", "f.xml"), 2, "give --atom too"),
        (("watch", "show", "diffusion", "--json", "--atom"), 2, "not allowed with"),
    ],
)
def test_watch_errors_are_one_line(
    cli_run: InProcessCli, sample_dir: Path, args: tuple[str, ...], code: int, said: str
) -> None:
    cli_run("watch", "add", "diffusion", "diffusion", data_dir=sample_dir)
    result = cli_run(*args, data_dir=sample_dir)
    assert result.returncode == code
    assert len(result.stderr.strip().splitlines()) == 1 and said in result.stderr
    assert "Traceback" not in result.stderr


def test_no_watches_yet_says_how_to_add_one(cli_run: InProcessCli, sample_dir: Path) -> None:
    result = cli_run("watch", "list", "--json", data_dir=sample_dir)
    assert result.returncode == 1 and json.loads(result.stdout) == []
    assert "paperdeck watch add NAME QUERY" in result.stderr


def test_the_atom_feed_reads_back_in_a_feed_reader(
    cli_run: InProcessCli, sample_dir: Path, tmp_path: Path
) -> None:
    cli_run("watch", "add", "diffusion", "diffusion", data_dir=sample_dir)
    cli_run("import", str(SIGNALS), data_dir=sample_dir)
    feed_file = tmp_path / "diffusion.xml"
    wrote = cli_run(
        "watch", "show", "diffusion", "--atom", "-o", str(feed_file), data_dir=sample_dir
    )
    assert wrote.returncode == 0 and wrote.stdout == ""
    feed = feedparser.parse(feed_file.read_text("utf-8"))
    assert not feed.bozo and feed.version == "atom10"
    assert feed.feed.title == "paperdeck: diffusion" and feed.feed.updated
    entries = feed.entries
    assert len(entries) == 5 and len({e.id for e in entries}) == 5
    published = [e.published for e in entries]
    assert published == sorted(published, reverse=True)  # newest first
    first = entries[0]  # the sample's papers are from 2026, the fixture's from 2025
    assert first.published.startswith("2026-03-13") and first.link.startswith("https://")
    ldt = next(e for e in entries if e.title == "Latent Diffusion Transformers at Scale")
    assert ldt.link == "https://arxiv.org/abs/2511.00101" and ldt.id.startswith("tag:paperdeck")
    assert [a.name for a in ldt.authors] == ["Mei Tanaka", "Jonas Berg"]
    assert "212 upvotes" in ldt.content[0].value and "scaling laws" in [t.term for t in ldt.tags]
    # Written again, the feed is the same feed: a reader shows each paper once.
    stdout = cli_run("watch", "show", "diffusion", "--atom", data_dir=sample_dir).stdout
    assert stdout == feed_file.read_text("utf-8")
