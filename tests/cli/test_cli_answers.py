"""Consistent answers: nothing found says so in one line with what to do; ids may be typed
short, as git takes a short hash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import FIXTURES, InProcessCli


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [["list"], ["list", "--json"], ["digests"], ["export", "--format", "bibtex"]],
)
def test_an_empty_library_says_how_to_start(
    cli_run: InProcessCli, tmp_path: Path, args: list[str]
) -> None:
    result = cli_run(*args, data_dir=tmp_path)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "the library is empty" in line and "paperdeck import" in line
    assert result.stdout in ("", "[]\n")


@pytest.mark.parametrize(
    "args",
    [
        ["bookmarks"],
        ["bookmarks", "--json"],
        ["list", "--bookmarked"],
        ["export", "--format", "markdown", "--bookmarked"],
    ],
)
def test_no_bookmarks_says_how_to_add_one(
    cli_run: InProcessCli, sample_dir: Path, args: list[str]
) -> None:
    result = cli_run(*args, data_dir=sample_dir)
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert "no bookmarks yet" in line and "paperdeck bookmark add ID" in line
    assert result.stdout in ("", "[]\n")


def test_export_of_no_bookmarks_writes_no_file(
    cli_run: InProcessCli, sample_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "marks.bib"
    result = cli_run(
        "export", "--format", "bibtex", "--bookmarked", "-o", str(target), data_dir=sample_dir
    )
    assert result.returncode == 1 and not target.exists()


def test_an_unknown_id_gets_one_answer_from_every_command(
    cli_run: InProcessCli, sample_dir: Path
) -> None:
    answers = [
        cli_run(*args, data_dir=sample_dir)
        for args in (["show", "nope"], ["similar", "nope"], ["bookmark", "add", "nope"])
    ]
    assert [a.returncode for a in answers] == [1, 1, 1]
    lines = {one_line(a.stderr) for a in answers}
    assert lines == {
        "paperdeck: no paper with id 'nope'; `paperdeck list` or `paperdeck search WORDS` shows ids"
    }
    assert not (sample_dir / "bookmarks.json").exists()
    empty = cli_run("show", "", data_dir=sample_dir)  # not a prefix of every id
    assert empty.returncode == 1 and "no paper with id ''" in empty.stderr


def ids(cli_run: InProcessCli, sample_dir: Path) -> list[str]:
    return [r["id"] for r in json.loads(cli_run("list", "--json", data_dir=sample_dir).stdout)]


def test_a_unique_prefix_of_an_id_is_enough(cli_run: InProcessCli, sample_dir: Path) -> None:
    every = ids(cli_run, sample_dir)
    disgan = next(i for i in every if "DISGAN" in cli_run("show", i, data_dir=sample_dir).stdout)
    short = next(
        disgan[:n]
        for n in range(3, len(disgan))
        if sum(i.startswith(disgan[:n]) for i in every) == 1
    )
    shown = cli_run("show", short, data_dir=sample_dir)
    assert shown.returncode == 0 and shown.stdout.startswith("DISGAN")
    assert cli_run("similar", short, "--limit", "3", data_dir=sample_dir).returncode == 0
    assert cli_run("bookmark", "add", short, data_dir=sample_dir).returncode == 0
    marks = json.loads(cli_run("bookmarks", "--json", data_dir=sample_dir).stdout)
    assert [m["id"] for m in marks] == [disgan]
    assert cli_run("bookmark", "remove", short, data_dir=sample_dir).returncode == 0


def test_an_ambiguous_prefix_lists_a_few_candidates(
    cli_run: InProcessCli, sample_dir: Path
) -> None:
    for args in (["show", "t-"], ["similar", "t-"], ["bookmark", "add", "t-"]):
        result = cli_run(*args, data_dir=sample_dir)
        assert result.returncode == 2, args
        line = one_line(result.stderr)
        assert line.startswith("paperdeck: 't-' begins several ids (t-") and "type more" in line
        candidates = line.split("(")[1].split(")")[0].split(", ")
        assert 2 <= len(candidates) <= 5 and all(c.startswith("t-") for c in candidates[:-1])
    assert not (sample_dir / "bookmarks.json").exists()


def test_an_id_a_later_digest_replaced_is_not_offered(
    cli_run: InProcessCli, sample_dir: Path
) -> None:
    """Whoosh keeps a deleted paper's id in its term list until segments merge."""
    before = ids(cli_run, sample_dir)
    later = FIXTURES / "hf-daily-2026-03-13.json"
    assert cli_run("import", str(later), data_dir=sample_dir).returncode == 0
    replaced = next(i for i in before if i.startswith("t-") and i not in ids(cli_run, sample_dir))
    result = cli_run("show", replaced[:6], data_dir=sample_dir)
    assert result.returncode == 1 and "no paper with id" in result.stderr
