"""The README's Usage lists exactly the commands the registry has, with options they take."""

from __future__ import annotations

import argparse
import re

from paperdeck.tui.cli.commands import COMMANDS
from paperdeck.tui.cli.registry import DEFAULT_COMMAND, build_parser

from tests.support import ROOT

README = ROOT / "README.md"


def usage_lines() -> list[list[str]]:
    """The words of each command line in the README's Usage block, comments left out."""
    section = README.read_text("utf-8").split("\n## Usage\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("  #", 1)[0].split() for line in block.splitlines() if line.strip()]


def documented(words: list[str]) -> list[str]:
    """The command names a usage line shows: `bookmark tag|untag` is two of them."""
    if len(words) < 2 or words[1].startswith("-") or "." in words[1]:
        return [DEFAULT_COMMAND]  # `paperdeck` or `paperdeck digest.txt`
    command = next((c for c in COMMANDS if c.name == words[1]), None)
    assert command is not None, f"the README shows an unknown command: {' '.join(words)}"
    if not command.actions:
        return [command.name]
    return [f"{command.name} {action}" for action in words[2].split("|")]


def parser_for(name: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = build_parser(COMMANDS)
    for word in name.split():
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[word]
    return parser


def test_the_readme_shows_every_command_and_no_other() -> None:
    lines = usage_lines()
    assert all(words[0] == "paperdeck" for words in lines)
    shown = {name for words in lines for name in documented(words)}
    assert shown == {name for command in COMMANDS for name, _ in command.leaves()}


def test_every_option_the_readme_shows_is_one_its_command_takes() -> None:
    for words in usage_lines():
        for name in documented(words):
            known = parser_for(name)._option_string_actions
            for word in words[1:]:
                option = word.strip("[]|")
                if re.fullmatch(r"--?[a-z][a-z-]*", option):
                    assert option in known, f"{name}: the README shows {option}"
