"""One table of commands: the parser, the default command and dispatch all come from it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from paperdeck.tui import cli
from paperdeck.tui.cli.commands import COMMANDS
from paperdeck.tui.cli.registry import Command, build_parser, version_only, with_default_command

from tests.support import InProcessCli

LEAVES = [leaf for command in COMMANDS for leaf in command.leaves()]


@pytest.mark.parametrize(("name", "command"), LEAVES, ids=[name for name, _ in LEAVES])
def test_every_command_has_help_and_a_handler_and_parses(name: str, command: Command) -> None:
    assert command.help and callable(command.handler), name
    assert _subparser(build_parser(COMMANDS), name.split()).get_default("run") is command


def _subparser(parser: argparse.ArgumentParser, words: list[str]) -> argparse.ArgumentParser:
    """The parser `paperdeck WORDS...` hands the rest of the command line to."""
    for word in words:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[word]
    return parser


def test_a_new_command_needs_only_its_row_in_the_table() -> None:
    def handler(library: object, args: argparse.Namespace) -> int:
        return 0

    table = (*COMMANDS, Command("newcmd", "a command added in one place", handler))
    argv = with_default_command(["newcmd"], table)
    assert argv == ["newcmd"]
    assert build_parser(table).parse_args(argv).run.handler is handler
    assert "newcmd" in build_parser(table).format_help()


def test_an_unknown_word_names_the_commands_and_exits_2(
    cli_run: InProcessCli, tmp_path: Path
) -> None:
    result = cli_run("frobnicate", data_dir=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "'frobnicate' is neither a command nor a file" in result.stderr
    for command in COMMANDS:
        assert command.name in result.stderr
    assert not (tmp_path / "library.json").exists()


def test_a_typo_of_a_command_suggests_it(cli_run: InProcessCli, tmp_path: Path) -> None:
    result = cli_run("serach", "wavelet", data_dir=tmp_path)
    assert result.returncode == 2 and "did you mean `search`?" in result.stderr


def test_an_existing_file_still_opens_the_reader_after_importing_it(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    import paperdeck.tui.app

    opened = []
    monkeypatch.setattr(
        paperdeck.tui.app, "run_reader", lambda library, imports=(): opened.append(library.count())
    )
    monkeypatch.setattr(paperdeck.tui.cli.digests, "reader_has_terminal", lambda: True)
    monkeypatch.chdir(sample_path.parent)
    assert cli.main(["--data-dir", str(tmp_path), sample_path.name]) == 0
    assert opened == [65]
    assert "hf-papers-sample.txt: 65 papers (65 new)" in capsys.readouterr().err


def test_no_command_opens_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import paperdeck.tui.app

    opened = []
    monkeypatch.setattr(
        paperdeck.tui.app, "run_reader", lambda library, imports=(): opened.append(library.count())
    )
    monkeypatch.setattr(paperdeck.tui.cli.digests, "reader_has_terminal", lambda: True)
    assert cli.main(["--data-dir", str(tmp_path)]) == 0
    assert opened == [0]


def _every_parser(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _every_parser(child)
    return found


def test_every_option_and_argument_has_help() -> None:
    parsers = _every_parser(build_parser(COMMANDS))
    assert len(parsers) > len(COMMANDS)
    for parser in parsers:
        for action in parser._actions:
            assert action.help and action.help != argparse.SUPPRESS, (parser.prog, action.dest)
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    assert choice.help, (parser.prog, choice.dest)


def test_the_data_dir_option_works_after_the_command(
    cli_run: InProcessCli, sample_dir: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "unused"
    found = cli_run("search", "wavelet", "--data-dir", str(sample_dir), data_dir=elsewhere)
    assert found.returncode == 0, found.stderr
    assert "DISGAN" in found.stdout
    first = found.stdout.split()[1]
    marked = cli_run("bookmark", "add", first, f"--data-dir={sample_dir}", data_dir=elsewhere)
    assert marked.returncode == 0, marked.stderr
    assert first in cli_run("bookmarks", data_dir=sample_dir).stdout
    assert not elsewhere.exists()


def test_the_data_dir_given_before_the_command_is_kept(
    cli_run: InProcessCli, sample_dir: Path, tmp_path: Path
) -> None:
    result = cli_run("--data-dir", str(sample_dir), "list", data_dir=tmp_path / "unused")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 65


def test_a_digest_then_the_data_dir_opens_the_reader(
    tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import paperdeck.tui.app

    opened = []
    monkeypatch.setattr(
        paperdeck.tui.app, "run_reader", lambda library, imports=(): opened.append(library.count())
    )
    monkeypatch.setattr(paperdeck.tui.cli.digests, "reader_has_terminal", lambda: True)
    assert cli.main([str(sample_path), "--data-dir", str(tmp_path)]) == 0
    assert opened == [65] and (tmp_path / "library.json").exists()


@pytest.mark.parametrize(
    "argv",
    [["--version"], ["--data-dir", "D", "--version"], ["--data-dir=D", "--version"]],
)
def test_version_alone_is_answered_as_argparse_answers_it(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`paperdeck --version` skips the table of commands; its line is argparse's."""
    with pytest.raises(SystemExit):
        build_parser(COMMANDS, only="").parse_args(argv)
    assert version_only(argv) == capsys.readouterr().out.strip()


@pytest.mark.parametrize(
    "argv", [["--he", "--version"], ["--data-dir", "--version"], ["list", "--version"], []]
)
def test_anything_more_than_version_goes_to_argparse(argv: list[str]) -> None:
    assert version_only(argv) is None
