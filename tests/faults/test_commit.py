"""An import becomes visible all at once: paused between any two of its steps, another
library (long-lived or opened right then) and another process see the old library or the new
one, never a mix, and never rebuild the index because of it."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from paperdeck.index import importing as importing_module
from paperdeck.index.engine.store import Store
from paperdeck.index.library import Library

from tests.support import run_cli
from tests.support.digests import big_digest

LIBRARY_STEPS = ("copy_hashing", "write_catalog")  # functions the import calls, in order
STORE_STEPS = ("derive", "adopt", "prune")
WHEN = ("before", "after")
STEPS_IN_ORDER = ("copy_hashing", "derive", "write_catalog", "adopt", "prune")


class Gate:
    """Holds the importing thread after each step until the test has looked around."""

    def __init__(self) -> None:
        self.reached: list[str] = []
        self._arrived = threading.Semaphore(0)
        self._go = threading.Semaphore(0)

    def wrap(self, name: str, step: Callable[..., Any]) -> Callable[..., Any]:
        def paused(*args: Any, **kwargs: Any) -> Any:
            self.pause(f"before {name}")
            result = step(*args, **kwargs)
            self.pause(f"after {name}")
            return result

        return paused

    def pause(self, point: str) -> None:
        self.reached.append(point)
        self._arrived.release()
        assert self._go.acquire(timeout=120), "the test never let the import go on"

    def wait(self) -> bool:
        return self._arrived.acquire(timeout=120)

    def release(self) -> None:
        self._go.release()


def observed_counts(data_dir: Path, long_lived: Library) -> list[int]:
    """What a long-lived library, a just-opened one and another process each count."""
    fresh = Library(data_dir)
    cli = run_cli("list", "--json", data_dir=data_dir)
    assert cli.returncode == 0 and "rebuilt" not in cli.stderr, cli.stderr
    counts = [long_lived.count(), len(long_lived.browse("").rows), fresh.count()]
    counts += [len(fresh.browse("").rows), len(json.loads(cli.stdout))]
    for seen in (long_lived, fresh):
        assert not [n for n in seen.take_notices() if "rebuilt" in n], "an observer rebuilt"
    fresh.close()
    return counts


def test_an_import_paused_between_any_two_steps_is_seen_whole_or_not_at_all(
    sample_dir: Path, sample_bytes: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = tmp_path / "two.txt"
    digest.write_bytes(big_digest(sample_bytes, 2, "two"))
    gate = Gate()
    for name in LIBRARY_STEPS:
        monkeypatch.setattr(
            importing_module, name, gate.wrap(name, getattr(importing_module, name))
        )
    for name in STORE_STEPS:
        monkeypatch.setattr(Store, name, gate.wrap(name, getattr(Store, name)))
    long_lived = Library(sample_dir)
    assert long_lived.count() == 65
    importer = threading.Thread(target=Library(sample_dir).import_digests, args=([digest],))
    importer.start()
    history: list[int] = [65]
    for _ in range(2 * len(STEPS_IN_ORDER)):
        assert gate.wait(), f"the import stopped after {gate.reached}"
        counts = observed_counts(sample_dir, long_lived)
        assert set(counts) <= {65, 65 + 130}, (gate.reached[-1], counts)
        assert min(counts) >= history[-1], f"a count went down after {gate.reached[-1]}"
        history.append(max(counts))
        gate.release()
    importer.join(timeout=120)
    assert gate.reached == [f"{when} {step}" for step in STEPS_IN_ORDER for when in WHEN]
    assert observed_counts(sample_dir, long_lived) == [65 + 130] * 5
