"""Tags and notes from the command line: stored in one normal form, shown and exported."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import InProcessCli


def first_id(cli_run: InProcessCli, sample_dir: Path, words: str) -> str:
    return json.loads(cli_run("search", words, "--json", data_dir=sample_dir).stdout)[0]["id"]


def test_tags_typed_with_spaces_are_searchable_as_one_word(
    cli_run: InProcessCli, sample_dir: Path
) -> None:
    paper = first_id(cli_run, sample_dir, "wavelet discriminator")
    assert cli_run("bookmark", "add", paper, data_dir=sample_dir).returncode == 0
    tagged = cli_run("bookmark", "tag", paper, "GAN Stuff", "ToRead", data_dir=sample_dir)
    assert tagged.returncode == 0, tagged.stderr
    assert tagged.stdout == f"{paper}: tags gan-stuff, toread\n"
    found = cli_run("search", "tag:gan-stuff", "--json", data_dir=sample_dir)
    assert [r["id"] for r in json.loads(found.stdout)] == [paper]
    untagged = cli_run("bookmark", "untag", paper, "TOREAD", data_dir=sample_dir)
    assert untagged.stdout == f"{paper}: tags gan-stuff\n"
    missing = cli_run("bookmark", "untag", paper, "nothere", data_dir=sample_dir)
    assert missing.returncode == 1 and "none of the tags nothere" in missing.stderr


def test_notes_are_set_shown_and_cleared(cli_run: InProcessCli, sample_dir: Path) -> None:
    paper = first_id(cli_run, sample_dir, "mamba")
    cli_run("bookmark", "add", paper, data_dir=sample_dir)
    cli_run("bookmark", "tag", paper, "sequence", data_dir=sample_dir)
    noted = cli_run("bookmark", "note", paper, "compare with", "RNNs", data_dir=sample_dir)
    assert noted.returncode == 0 and noted.stdout == f"{paper}: note saved\n"
    shown = cli_run("bookmarks", data_dir=sample_dir).stdout.splitlines()
    assert shown[0].startswith(f"* {paper}") and shown[0].endswith("A Survey of Mamba  [sequence]")
    assert shown[1] == "    note: compare with RNNs"
    record = json.loads(cli_run("bookmarks", "--json", data_dir=sample_dir).stdout)[0]
    assert record["tags"] == ["sequence"] and record["note"] == "compare with RNNs"
    cleared = cli_run("bookmark", "note", paper, "", data_dir=sample_dir)
    assert cleared.stdout == f"{paper}: note cleared\n"
    assert json.loads(cli_run("bookmarks", "--json", data_dir=sample_dir).stdout)[0]["note"] == ""


def test_tags_and_notes_need_a_bookmark(cli_run: InProcessCli, sample_dir: Path) -> None:
    paper = first_id(cli_run, sample_dir, "mamba")
    result = cli_run("bookmark", "tag", paper, "x", data_dir=sample_dir)
    assert result.returncode == 1
    assert result.stderr == (
        f"paperdeck: {paper} is not bookmarked; `paperdeck bookmark add {paper}` first\n"
    )
    assert cli_run("bookmark", "note", paper, "hi", data_dir=sample_dir).returncode == 1
    assert not (sample_dir / "bookmarks.json").exists()


def test_markdown_export_of_bookmarks_carries_tags_and_notes(
    cli_run: InProcessCli, sample_dir: Path
) -> None:
    paper = first_id(cli_run, sample_dir, "mamba")
    cli_run("bookmark", "add", paper, data_dir=sample_dir)
    cli_run("bookmark", "tag", paper, "State Space", data_dir=sample_dir)
    cli_run("bookmark", "note", paper, "read section 3", data_dir=sample_dir)
    text = cli_run("export", "--format", "markdown", "--bookmarked", data_dir=sample_dir).stdout
    lines = text.splitlines()
    assert lines[0] == "# Bookmarks" and lines[2].startswith("- [A Survey of Mamba](")
    assert lines[3:5] == ["  - tags: `state-space`", "  - note: read section 3"]
    everything = cli_run("export", "--format", "markdown", data_dir=sample_dir).stdout
    assert everything.startswith("# Papers\n") and "  - note: read section 3" in everything
