"""Odd locales and time zones degrade the output, never the command (issue 25 item 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PAPER = {
    "paper": {
        "id": "2401.00002",
        "title": "Un café pour Jörg",
        "summary": "Le café de Zoë est très bon, et assez long pour être un résumé.",
        "authors": [{"name": "Zoë Łukasz"}],
    }
}
ASCII = {"LC_ALL": "POSIX", "PYTHONIOENCODING": "ascii"}


def _run(*args: str, data_dir: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {**os.environ, "PAPERDECK_DATA_DIR": str(data_dir), **env}
    full.pop("PAPERDECK_DEBUG", None)
    return subprocess.run(
        [str(Path(sys.executable).with_name("paperdeck")), *args],
        capture_output=True,
        text=True,
        errors="replace",
        env=full,
        timeout=120,
    )


@pytest.fixture
def digest(tmp_path: Path) -> Path:
    path = tmp_path / "daily.json"
    path.write_text(json.dumps([PAPER]), encoding="utf-8")
    return path


def test_an_ascii_locale_finds_and_prints_accented_papers(tmp_path: Path, digest: Path) -> None:
    data = tmp_path / "lib"
    assert _run("import", str(digest), data_dir=data, env=ASCII).returncode == 0
    for args in (("search", "café"), ("list",), ("show", "2401.00002")):
        done = _run(*args, data_dir=data, env=ASCII)
        assert done.returncode == 0, done.stderr
        assert "internal error" not in done.stderr
        assert "Un caf\\xe9 pour J\\xf6rg" in done.stdout  # escaped, not lost


def test_a_time_zone_past_24_hours_still_imports(tmp_path: Path, digest: Path) -> None:
    data = tmp_path / "lib"
    done = _run("import", str(digest), data_dir=data, env={"TZ": "UTC+25:99"})
    assert done.returncode == 0 and "internal error" not in done.stderr, done.stderr
    listed = _run("list", data_dir=data, env={"TZ": "UTC+25:99"})
    assert "Un café pour Jörg" in listed.stdout
