"""Modules imported at their first use.

Whoosh and numpy, behind paperdeck.index.engine, are slow to import (bench/README.md: start-up);
the reader's first frame needs neither.
"""

from __future__ import annotations

import importlib
from typing import Any


class LazyModule:
    """Stands for a module; the first attribute read imports it (thread-safe: the import
    system holds a lock per module)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


def lazy_module(name: str) -> Any:
    return LazyModule(name)
