"""The `paperdeck` command line. Every command goes through `paperdeck.index.library.Library`.

Exit codes: 0 success, 1 nothing found, 2 bad input or usage, 3 the network or a source
unreachable (`fetch`, citations), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM, 128 + 15
as a shell reports a process the signal ended). Errors
are one line on stderr. The commands are one table (paperdeck.tui.cli.commands); the reader
(Textual)
is imported only when it is opened, so commands start fast. This module imports nothing
heavy, so that Ctrl-C is handled from the moment `paperdeck` starts.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

INTERRUPTED = "paperdeck: interrupted; the library is as it was"
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143
_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# numpy's OpenBLAS starts a pool of threads as it loads; paperdeck makes no BLAS call (its
# arrays are counted and summed), so the pool is start-up CPU only (bench/README.md, the CLI).
BLAS_THREADS = "OPENBLAS_NUM_THREADS"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as Ctrl-C is, so that every `finally` and `except BaseException` that
    undoes half-done work (an index generation, a lock) runs before the process ends."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every error a user can cause is one line and an exit code."""
    previous = _set_handlers({signal.SIGTERM: _terminate})
    os.environ.setdefault(BLAS_THREADS, "1")  # (before numpy loads; a user's own value stays)
    _degrade_output()
    try:
        return _guarded(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM as Terminated
        _set_handlers(dict.fromkeys(_SIGNALS, signal.SIG_IGN))  # a second one adds nothing
        notes = getattr(exc, "__notes__", ())  # a checkpointed import says how to go on
        print(INTERRUPTED + "".join(f" ({note})" for note in notes[:1]), file=sys.stderr)
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    finally:
        _set_handlers(previous)


def _degrade_output() -> None:
    """An ASCII locale (`LC_ALL=POSIX`, `PYTHONIOENCODING=ascii`) cannot print `café`:
    write it as `caf\\xe9` rather than fail the command."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):  # replaced, or closed
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _set_handlers(handlers: dict[int, Any]) -> dict[int, Any]:
    """Install signal handlers; returns the ones they replace (none off the main thread)."""
    previous = {}
    for signum, handler in handlers.items():
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            previous[signum] = signal.signal(signum, handler)
    return previous


def leave_termination_to_default() -> None:
    """The reader owns the terminal and its own quitting: SIGTERM ends it as it always has."""
    _set_handlers({signal.SIGTERM: signal.SIG_DFL})


def _guarded(argv: list[str]) -> int:
    """Errors as one line and an exit code; interrupts pass through to main."""
    from paperdeck.index.errors import PaperdeckError
    from paperdeck.tui.cli.common import BAD_INPUT, OK

    try:
        return _run(argv)
    except PaperdeckError as exc:  # a NotFound is exit 1, any other error exit 2
        print(f"paperdeck: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", BAD_INPUT)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    except Exception as exc:  # a bug, not the user's doing: still one line unless asked
        if os.environ.get("PAPERDECK_DEBUG"):
            raise
        print(
            f"paperdeck: internal error: {_short(exc)} (PAPERDECK_DEBUG=1 shows more)",
            file=sys.stderr,
        )
        return BAD_INPUT


def _short(exc: BaseException, limit: int = 200) -> str:
    """An error's kind and the start of its words, on one line: an error may carry a whole
    file (a UnicodeDecodeError holds every byte it was decoding)."""
    words = " ".join(str(exc).split())
    words = words if len(words) <= limit else words[: limit - 1] + "…"
    return f"{type(exc).__name__}: {words}" if words else type(exc).__name__


def _run(argv: list[str]) -> int:
    """Parse with the parser the command table gives, then run the command's handler."""
    from paperdeck.tui.cli.registry import version_only

    if (version := version_only(argv)) is not None:  # no table of commands, no library
        print(version)
        return 0
    from paperdeck.tui.cli.commands import COMMANDS
    from paperdeck.tui.cli.registry import Handler, build_parser, invoked, with_default_command

    argv = with_default_command(argv, COMMANDS)
    args = build_parser(COMMANDS, only=invoked(argv)).parse_args(argv)
    from paperdeck.index.library import Library  # after parsing: not for --help, --version

    library = Library(args.data_dir)
    try:
        handler: Handler = args.run.handler
        return handler(library, args)
    finally:
        library.close()
        for notice in library.take_notices():  # also when the command failed
            print(f"paperdeck: {notice}", file=sys.stderr)
