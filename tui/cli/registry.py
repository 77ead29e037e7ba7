"""What a command is, and the argparse parser built from the table of them
(paperdeck.tui.cli.commands).

A command is written once, as a `Command` (name, help, arguments, handler); the parser, the
default command (`paperdeck digest.txt` opens the reader) and dispatch all come from that table,
so a command left out of one of them cannot exist.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperdeck.index import __version__
from paperdeck.tui.cli.common import UsageError

if TYPE_CHECKING:
    from paperdeck.index.library import Library

Handler = Callable[["Library", argparse.Namespace], int]
DEFAULT_COMMAND = "open"


@dataclass(frozen=True)
class Arg:
    """One argument as argparse takes it: flags (or a name) and add_argument's options."""

    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def takes_value(self) -> bool:
        """Whether an option is followed by a value (`--data-dir DIR`, not `--json`)."""
        return self.options.get("action", "store") == "store" and self.options.get("nargs") != 0


def arg(*flags: str, help: str, **options: Any) -> Arg:
    """An argument; its help text is required, so `paperdeck CMD --help` explains each one."""
    return Arg(flags, {"help": help, **options})


@dataclass(frozen=True)
class OneOf:
    """Options of which at most one may be given (`fetch --date | --week | --month`)."""

    args: tuple[Arg, ...]


@dataclass(frozen=True)
class Command:
    """One `paperdeck` command: a handler, or actions of its own (`bookmark add`)."""

    name: str
    help: str
    handler: Handler | None = None
    arguments: tuple[Arg | OneOf, ...] = ()
    actions: tuple[Command, ...] = ()

    def leaves(self) -> list[tuple[str, Command]]:
        """Every runnable command under this one, with its full name (`bookmark add`)."""
        if not self.actions:
            return [(self.name, self)]
        return [(f"{self.name} {name}", c) for a in self.actions for name, c in a.leaves()]


# Options that work before or after any command (`paperdeck search x --data-dir D`).
GLOBAL_OPTIONS = (
    arg("--data-dir", metavar="DIR", help="keep the library in DIR (or set PAPERDECK_DATA_DIR)"),
)


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser(commands: Sequence[Command], only: str | None = None) -> Parser:
    """The whole command line, derived from the table of commands; with `only` (the command
    being run, or "" for none), the other commands get their name and help but not their
    arguments: `paperdeck --help` and a mistyped command read as before, at a part of
    the cost."""
    parser = Parser(
        prog="paperdeck",
        description="Read research-paper digests in a terminal. With no command, or with "
        "digest files only, it opens the reader.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"paperdeck {__version__}",
        help="print the version and exit",
    )
    _add_arguments(parser, GLOBAL_OPTIONS)
    _add_commands(parser, commands, "command", only)
    return parser


def version_only(argv: list[str]) -> str | None:
    """`paperdeck --version` (with a --data-dir at most): the line argparse would print,
    without building the table of commands; None for anything else, which argparse reads."""
    valued = {flag for option in GLOBAL_OPTIONS if option.takes_value for flag in option.flags}
    rest, index = [], 0
    while index < len(argv):
        token = argv[index]
        if token in valued and index + 1 < len(argv) and not argv[index + 1].startswith("-"):
            index += 2
            continue
        if not ("=" in token and token.split("=", 1)[0] in valued):  # --data-dir=DIR
            rest.append(token)
        index += 1
    return f"paperdeck {__version__}" if rest == ["--version"] else None


def invoked(argv: list[str]) -> str:
    """The command `argv` runs (after with_default_command), or "" when it names none."""
    index = _first_operand(argv)
    return "" if index is None else argv[index]


def _add_commands(
    parser: argparse.ArgumentParser,
    commands: Sequence[Command],
    dest: str,
    only: str | None = None,
) -> None:
    metavar = "COMMAND" if dest == "command" else "ACTION"
    more = f"one of these (`{parser.prog} {metavar} --help` tells more):"
    sub = parser.add_subparsers(
        dest=dest, metavar=metavar, parser_class=Parser, required=True, help=more
    )
    for command in commands:
        child = sub.add_parser(command.name, help=command.help, description=command.help)
        if only is not None and command.name != only:
            continue  # not the command being run: its arguments are never read
        for option in GLOBAL_OPTIONS:  # SUPPRESS: given before the command, it is not undone
            child.add_argument(*option.flags, **{**option.options, "default": argparse.SUPPRESS})
        _add_arguments(child, command.arguments)
        if command.actions:
            _add_commands(child, command.actions, "action")
        else:
            child.set_defaults(run=command)


def _add_arguments(parser: argparse.ArgumentParser, arguments: Sequence[Arg | OneOf]) -> None:
    for item in arguments:
        if isinstance(item, OneOf):
            group = parser.add_mutually_exclusive_group()
            for one in item.args:
                group.add_argument(*one.flags, **one.options)
        else:
            parser.add_argument(*item.flags, **item.options)


def with_default_command(argv: list[str], commands: Sequence[Command]) -> list[str]:
    """`paperdeck a.txt` means `paperdeck open a.txt`; a word that is neither a command nor a
    file is refused here, rather than read as a file name by the reader."""
    names = [command.name for command in commands]
    _global_values_given(argv)
    index = _first_operand(argv)
    if index is None:
        asks = any(t in ("-h", "--help", "--version") for t in argv)
        return argv if asks else [*argv, DEFAULT_COMMAND]
    token = argv[index]
    if token in names:
        return argv
    if Path(token).exists():
        return [*argv[:index], DEFAULT_COMMAND, *argv[index:]]
    raise UsageError(unknown_command(token, names))


def unknown_command(token: str, names: Sequence[str]) -> str:
    """One line: what was typed, the likely command, every command."""
    import difflib  # only for a mistyped command

    close = difflib.get_close_matches(token, names, n=1)
    guess = f" (did you mean `{close[0]}`?)" if close else ""
    return f"{token!r} is neither a command nor a file{guess}; commands: {', '.join(names)}"


def _global_values_given(argv: list[str]) -> None:
    """`paperdeck --data-dir` (or `list --data-dir`) without its value says so, rather than
    argparse's `required: COMMAND` (it took the next word, or none, for the value)."""
    for option in GLOBAL_OPTIONS:
        for at, token in enumerate(argv[: argv.index("--") if "--" in argv else None]):
            following = argv[at + 1] if at + 1 < len(argv) else "--"
            if token in option.flags and following.startswith("-") and following != "-":
                needed = option.options.get("metavar", "a value")
                raise UsageError(f"{token} needs a value: {needed} (see `paperdeck --help`)")


def _first_operand(argv: list[str]) -> int | None:
    """Where the first word that is not an option (or an option's value) stands."""
    valued = {flag for option in GLOBAL_OPTIONS if option.takes_value for flag in option.flags}
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--":
            return index + 1 if index + 1 < len(argv) else None
        if token in valued:
            index += 2
        elif token.startswith("-") and token != "-":
            index += 1
        else:
            return index
    return None
