"""The command line end to end through its `main`: output, JSON contract and exit codes (the
installed script, as a subprocess, where a reader must not open)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import FIXTURES, InProcessCli, run_cli


def test_import_reports_65_papers_dated_march_13(
    cli_run: InProcessCli, tmp_path: Path, sample_path: Path
) -> None:
    result = cli_run("import", str(sample_path), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "hf-papers-sample.txt: 65 papers (65 new), dated March 13, 2026"
    ) or result.stdout.startswith("hf-papers-sample.txt: 65 papers (65 new), dated March 13,")
    again = cli_run("import", str(sample_path), data_dir=tmp_path)
    assert "already imported" in again.stdout
    listed = json.loads(cli_run("list", "--json", data_dir=tmp_path).stdout)
    assert len(listed) == 65


def test_import_explain_lists_what_was_skipped(
    cli_run: InProcessCli, tmp_path: Path, sample_path: Path
) -> None:
    result = cli_run("import", "--explain", str(sample_path), data_dir=tmp_path)
    assert (
        "skipped line 3: page chrome: 'Get trending papers in your email inbox!'" in result.stdout
    )


def test_search_json_contract(cli_run: InProcessCli, sample_dir: Path) -> None:
    result = cli_run("search", "wavelet", "discriminator", "--json", data_dir=sample_dir)
    assert result.returncode == 0
    records = json.loads(result.stdout)
    first = records[0]
    assert first["title"].startswith("DISGAN")
    assert {
        "id",
        "title",
        "abstract",
        "date",
        "authors",
        "url",
        "links",
        "bookmarked",
        "score",
    } <= set(first)
    assert first["date"] == "2026-03-13" and first["bookmarked"] is False
    assert first["url"].startswith("https://huggingface.co/papers?q=DISGAN")


def test_search_prefix_phrase_and_syntax(cli_run: InProcessCli, sample_dir: Path) -> None:
    assert "Transformers" in cli_run("search", "transfor", data_dir=sample_dir).stdout
    phrase = cli_run("search", '"sentence embeddings"', data_dir=sample_dir).stdout
    assert "2D Matryoshka Sentence Embeddings" in phrase
    syntax = cli_run("search", "title:(mamba OR attention) AND NOT survey", data_dir=sample_dir)
    assert syntax.returncode == 0 and "Attention as an RNN" in syntax.stdout
    assert "Survey" not in syntax.stdout


def test_malformed_query_exits_cleanly(cli_run: InProcessCli, sample_dir: Path) -> None:
    result = cli_run("search", "AND (((", data_dir=sample_dir)
    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) <= 2


def test_nothing_found_exits_1_with_a_suggestion(cli_run: InProcessCli, sample_dir: Path) -> None:
    result = cli_run("search", "transfomer", data_dir=sample_dir)
    assert result.returncode == 1
    assert "did you mean: transformer" in result.stderr


def test_show_and_similar(cli_run: InProcessCli, sample_dir: Path) -> None:
    first = json.loads(cli_run("search", "mamba", "--json", data_dir=sample_dir).stdout)[0]
    shown = cli_run("show", first["id"], data_dir=sample_dir)
    assert shown.returncode == 0 and "A Survey of Mamba" in shown.stdout
    similar = json.loads(cli_run("similar", first["id"], "--json", data_dir=sample_dir).stdout)
    assert similar and first["id"] not in [r["id"] for r in similar]
    missing = cli_run("show", "t-000000000000", data_dir=sample_dir)
    assert missing.returncode == 1 and "no paper with id" in missing.stderr


def test_broken_link_is_shown_flagged(cli_run: InProcessCli, sample_dir: Path) -> None:
    hit = json.loads(cli_run("search", "SSLH", "--json", data_dir=sample_dir).stdout)
    shown = cli_run("show", hit[0]["id"], data_dir=sample_dir).stdout
    assert "https:// github. com/ Labbe ti/ SSLH  (split by spaces in the text; check it)" in shown


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"new\n\nSubscribe\n\nMar 13\n", "no papers found"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00", "binary"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(
    cli_run: InProcessCli, sample_dir: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    before = (sample_dir / "library.json").read_bytes()
    bad = tmp_path / "bad digest.txt"
    bad.write_bytes(content)
    result = cli_run("import", str(bad), data_dir=sample_dir)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr
    assert (sample_dir / "library.json").read_bytes() == before
    assert len(list((sample_dir / "digests").iterdir())) == 1


def test_usage_errors_exit_2_with_one_line(cli_run: InProcessCli, sample_dir: Path) -> None:
    for args in (["search"], ["search", "x", "--limit", "0"], ["export", "--format", "pdf"]):
        result = cli_run(*args, data_dir=sample_dir)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert cli_run("--version", data_dir=sample_dir).stdout.startswith("paperdeck ")


def test_data_dir_option_keeps_everything_there(
    cli_run: InProcessCli, tmp_path: Path, sample_path: Path
) -> None:
    target = tmp_path / "dir with spaces ü"
    result = cli_run("--data-dir", str(target), "import", str(sample_path), data_dir=tmp_path / "x")
    assert result.returncode == 0, result.stderr
    assert (target / "library.json").exists() and (target / "cache" / "index").exists()
    assert not (tmp_path / "x").exists()


def test_a_bad_digest_on_the_reader_command_line_does_not_open_the_reader(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_cli(str(empty), data_dir=tmp_path / "lib")
    assert result.returncode == 2
    assert result.stderr == "paperdeck: empty.txt: the file is empty\n"
    assert result.stdout == ""  # no app was drawn


def test_the_cli_sees_new_papers_as_the_reader_does_and_says_nothing_of_for_you(
    cli_run: InProcessCli, tmp_path: Path, sample_path: Path
) -> None:
    from paperdeck.index.library import Library

    lib = Library(tmp_path)
    lib.import_digests([sample_path])
    lib.mark_opened()  # the reader was opened once
    lib.import_digests([FIXTURES / "hf-search.json"])
    new = cli_run("search", "is:new", "--json", data_dir=tmp_path)
    assert new.returncode == 0, new.stderr
    assert [p["title"][:5] for p in json.loads(new.stdout)] == ["Mamba"]
    assert "for-you" not in new.stderr  # no for-you was asked for
    assert cli_run("search", "is:new", data_dir=tmp_path).returncode == 0  # not marked opened


def test_a_half_typed_search_says_what_is_unfinished(
    cli_run: InProcessCli, sample_dir: Path
) -> None:
    result = cli_run("search", "title:(", data_dir=sample_dir)
    assert result.returncode == 1
    assert (
        result.stderr
        == "paperdeck: 'title:(' is unfinished (open parenthesis): nothing to match yet\n"
    )


def test_list_takes_a_limit(cli_run: InProcessCli, sample_dir: Path) -> None:
    every = json.loads(cli_run("list", "--json", data_dir=sample_dir).stdout)
    first = json.loads(cli_run("list", "--limit", "3", "--json", data_dir=sample_dir).stdout)
    assert len(every) == 65 and first == every[:3]
    assert cli_run("list", "--limit", "0", data_dir=sample_dir).returncode == 2
