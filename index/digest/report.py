"""What reading one digest produced: its papers, and what was skipped and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from paperdeck.index.models import Paper


@dataclass(frozen=True, kw_only=True)
class Skipped:
    line: int
    text: str
    reason: str
    unit: Literal["line", "item", "entry"] = "line"  # an item of JSON, an entry of a feed
    damaged: bool = False  # unreadable (a bad line of a snapshot), not just not a paper

    def describe(self) -> str:
        excerpt = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"{self.unit} {self.line}: {self.reason}: {excerpt!r}"


@dataclass(frozen=True, kw_only=True)
class DigestReport:
    name: str
    format: str
    encoding: str
    papers: tuple[Paper, ...]
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
