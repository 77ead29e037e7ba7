"""The citation tests' library (the ten papers of a real arXiv API answer) and the loopback
server the CLI and the reader are pointed at."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from paperdeck.index.library import Library

from tests.support.citation_server import ARXIV, State, serving


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("arxiv-library")
    Library(root).import_digests([ARXIV])
    return root


@pytest.fixture
def data_dir(_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "library"
    shutil.copytree(_template, target)
    return target


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[State]:
    with serving() as (base, state):
        monkeypatch.setenv("PAPERDECK_SEMANTIC_SCHOLAR_URL", base)
        monkeypatch.setenv("PAPERDECK_OPENALEX_URL", base)
        monkeypatch.delenv("SEMANTIC_SCHOLAR_API_KEY", raising=False)
        yield state


@pytest.fixture
def offline() -> Iterator[str]:
    """A loopback address nothing answers: a port bound but never listening (refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
