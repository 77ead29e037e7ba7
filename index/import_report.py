"""What one import did (ImportReport), and its one line: the CLI's, the reader's, a fetch's.

Made only by the write side (paperdeck.index.importing); kept apart from the catalog, which
every command and the reader's first frame read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paperdeck.index.digest.report import Skipped


@dataclass(frozen=True, kw_only=True)
class ImportReport:
    name: str
    papers: int
    new: int
    already_imported: bool = False
    dates: tuple[dt.date, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    unchanged: int = 0  # papers the library already had exactly so: not written again
    left_out: int = 0  # papers the selection (--categories, --since) did not keep
    resumed_after: int = 0  # papers an interrupted import of this digest had written already
    merged: int = 0  # of the updated: records joined into another paper (a title into an id)
    named: tuple[str, ...] = ()  # the first few merged and updated, `updated 2406.01234 "T…"`

    def summary(self) -> str:
        """One line: the papers with thousands separators, the days in words (as the reader's
        detail says a date); no days when the papers were all unchanged and not read again."""
        if self.already_imported:
            return f"{self.name}: already imported ({self.papers:,} papers), nothing changed"
        papers = "1 paper" if self.papers == 1 else f"{self.papers:,} papers"
        when = _days_said(self.dates, undated=not self.unchanged)
        text = f"{self.name}: {papers} ({self._counts()})" + (f", {when}" if when else "")
        bad = sum(1 for skipped in self.skipped if skipped.damaged)
        extras = [f"{self.left_out:,} left out by the selection"] * bool(self.left_out)
        lines = "line" if bad == 1 else "lines"
        extras += [f"{bad} unreadable {lines} skipped (--explain lists them)"] * bool(bad)
        extras += [
            f"continued an interrupted import after its first {self.resumed_after:,} papers"
        ] * bool(self.resumed_after)
        return text + "".join(f"; {extra}" for extra in extras)

    def _counts(self) -> str:
        """`0 new, 5 unchanged, 1 merged into 2406.01234 "Title…"`: the papers neither new
        nor unchanged named, the first few of them."""
        # Neither new nor unchanged: merged into a paper the library had (a newer version,
        # another digest's record of it, a page's title joined to its arXiv id).
        changed = max(0, self.papers - self.new - self.unchanged)
        merged = min(self.merged, changed)
        counts = [f"{self.new:,} new"] + [f"{self.unchanged:,} unchanged"] * bool(self.unchanged)
        if changed == 1 and len(self.named) == 1:
            return ", ".join([*counts, f"1 {self.named[0]}"])
        counts += [f"{merged:,} merged"] * bool(merged)
        counts += [f"{changed - merged:,} updated"] * bool(changed - merged)
        if not self.named:
            return ", ".join(counts)
        more = changed - len(self.named)
        names = [*self.named, *[f"and {more:,} more"] * (more > 0)]
        return ", ".join(counts) + ": " + "; ".join(names)


def _days_said(dates: tuple[dt.date, ...], undated: bool) -> str:
    """`dated March 13, 2026`, `dated March 11 to March 13, 2026`, `dated December 30, 2025
    to January 2, 2026`; "undated" only when papers were read and none had a date (a line
    the library held already is skipped unread: its date is not known here)."""
    if not dates:
        return "undated" if undated else ""
    first, last = dates[0], dates[-1]
    if first == last:
        return f"dated {first:%B} {first.day}, {first.year}"
    start = f"{first:%B} {first.day}" + (f", {first.year}" if first.year != last.year else "")
    return f"dated {start} to {last:%B} {last.day}, {last.year}"
