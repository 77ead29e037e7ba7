"""Modules imported at their first use.

Whoosh and numpy, behind paperdeck.index.engine, are slow to import (bench/README.md: start-up);
the reader's first frame needs neither. A caller names the module's type for mypy with an import
under TYPE_CHECKING (paperdeck.index.library_index), so its attributes stay checked.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule(ModuleType):
    """Stands for a module; the first attribute read imports it (thread-safe: the import
    system holds a lock per module)."""

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self.__name__), attr)


def lazy_module(name: str) -> ModuleType:
    return LazyModule(name)
