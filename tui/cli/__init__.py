"""The `paperdeck` command line. Every command goes through `index.library.Library`.

Exit codes: 0 success, 1 nothing found, 2 bad input or usage. Errors are one line on stderr.
The commands are one table (tui.cli.commands); the reader (Textual) is imported only when it
is opened, so commands start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every error a user can cause is one line and an exit code."""
    from index.errors import PaperdeckError
    from tui.cli.common import BAD_INPUT, OK

    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(args_list)
    except PaperdeckError as exc:  # a NotFound is exit 1, any other error exit 2
        print(f"paperdeck: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", BAD_INPUT)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    except Exception as exc:  # a bug, not the user's doing: still one line unless asked
        if os.environ.get("PAPERDECK_DEBUG"):
            raise
        print(f"paperdeck: internal error: {exc!r} (PAPERDECK_DEBUG=1 shows more)", file=sys.stderr)
        return BAD_INPUT


def _run(argv: list[str]) -> int:
    """Parse with the parser the command table gives, then run the command's handler."""
    from index.library import Library
    from tui.cli.commands import COMMANDS
    from tui.cli.registry import build_parser, with_default_command

    args = build_parser(COMMANDS).parse_args(with_default_command(argv, COMMANDS))
    library = Library(args.data_dir)
    try:
        return args.run.handler(library, args)
    finally:
        library.close()
        for notice in library.take_notices():  # also when the command failed
            print(f"paperdeck: {notice}", file=sys.stderr)
