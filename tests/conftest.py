"""Fixtures every test group shares: the bundled sample digest, libraries in temp dirs, the
reader on the sample and the CLI in-process. Plain helpers and paths are in tests/support."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from paperdeck.index.library import Library
from paperdeck.tui.app import PaperDeckApp

from tests.support import SAMPLE, InProcessCli
from tests.support.for_you import SEEDS

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


@pytest.fixture
def app(sample_dir: Path) -> PaperDeckApp:
    """The reader on a fresh copy of the sample library, not yet running."""
    return PaperDeckApp(Library(sample_dir))


@pytest.fixture
def cli_run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> InProcessCli:
    """`cli_run(*args, data_dir=...)`: run_cli's call, answered by the CLI's main in-process."""
    return InProcessCli(capsys, monkeypatch)


@pytest.fixture
def seeded(lib: Library) -> Library:
    """The sample library with for you's three seeds bookmarked."""
    by_title = {paper.title: paper.id for paper in lib.listing()}
    lib.add_bookmarks([by_title[title] for title in SEEDS])
    return lib
