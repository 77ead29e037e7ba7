"""What every test group shares: where the fixtures and the sample are, and two helpers.

Fixture files are found through FIXTURES and REAL here, never next to a test file, so a test
can move between groups without its paths changing.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from paperdeck.index.library import Library
from paperdeck.index.models import Hit

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
REAL = FIXTURES / "real"
SAMPLE = ROOT / "index" / "samples" / "hf-papers-sample.txt"


def hits(library: Library, text: str, limit: int | None = 50) -> list[Hit]:
    """The ranked hits of a query, as a list (what most search tests look at)."""
    return list(library.query(text, limit=limit).hits)


def run_cli(*args: str, data_dir: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed `paperdeck` entry point exactly as a user's shell would."""
    env = {**os.environ, "PAPERDECK_DATA_DIR": str(data_dir)}
    env.pop("PAPERDECK_DEBUG", None)
    return subprocess.run(
        [str(Path(sys.executable).with_name("paperdeck")), *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
    )


@dataclass(frozen=True, kw_only=True)
class Ran:
    """What a command did: its exit code and what it printed (as CompletedProcess names them)."""

    returncode: int
    stdout: str
    stderr: str


class InProcessCli:
    """The CLI's `main` called in this process with run_cli's arguments: the same exit code,
    stdout and stderr without starting an interpreter (subprocess smoke tests keep the rest)."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, data_dir: Path, stdin: str | None = None) -> Ran:
        from paperdeck.tui import cli

        self.capsys.readouterr()  # what the test printed before is not the command's
        with self.monkeypatch.context() as patch:
            patch.setenv("PAPERDECK_DATA_DIR", str(data_dir))
            patch.delenv("PAPERDECK_DEBUG", raising=False)
            if stdin is not None:
                patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse: usage errors, --help, --version
                code = exit_status(exc)
        out, err = self.capsys.readouterr()
        return Ran(returncode=code, stdout=out, stderr=err)


def exit_status(exc: SystemExit) -> int:
    """The status a shell would see: None is 0, a message is printed by Python and is 1."""
    if exc.code is None:
        return 0
    return exc.code if isinstance(exc.code, int) else 1


def ids(library: Library, text: str) -> set[str]:
    """The ids of every paper a query finds."""
    return {hit.paper.id for hit in library.query(text, limit=None).hits}


def listed(data_dir: Path) -> list[dict]:
    """The library's papers as `list --json` gives them (none when it is empty)."""
    result = run_cli("list", "--json", data_dir=data_dir)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else []


def live_dir(lib: Library) -> Path:
    """The folder of the index generation the library reads now."""
    return lib._shared.paths.index_dir / str(lib.engine.generation)
