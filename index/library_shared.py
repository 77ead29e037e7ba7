"""What every part of a Library shares: where its files live and the notices the user hears
once. The Library makes one and hands it to each part (paperdeck.index.library)."""

from __future__ import annotations

from dataclasses import dataclass, field

from paperdeck.index.paths import Paths


@dataclass(frozen=True, kw_only=True, eq=False)
class Shared:
    """One library's paths and its notices list (the parts append; take_notices empties it).
    The list, not a copy, is handed on: the write side and the JSON readers append to it."""

    paths: Paths
    notices: list[str] = field(default_factory=list)
