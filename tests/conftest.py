"""Shared fixtures: the bundled sample digest, libraries in temp dirs, the CLI as a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from paperdeck.index.library import Library
from paperdeck.index.models import Hit

SAMPLE = Path(__file__).resolve().parents[1] / "index" / "samples" / "hf-papers-sample.txt"

settings.register_profile(
    "quick", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


@pytest.fixture(scope="session")
def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def _sample_library_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample-library")
    Library(root).import_digests([SAMPLE])
    return root


@pytest.fixture
def sample_dir(_sample_library_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of a library holding the sample (importing once per session is faster)."""
    target = tmp_path / "library"
    shutil.copytree(_sample_library_template, target)
    return target


@pytest.fixture
def lib(sample_dir: Path) -> Library:
    return Library(sample_dir)


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
