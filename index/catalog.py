"""library.json: which digests were imported, and which index generation holds them.

The raw copies are the source of truth for papers; this list plus those files is everything
needed to rebuild the index. The file is also the library's one commit point: an import, a
removal or a rebuild writes a new index generation nobody reads yet, then replaces this file
(atomically) with one naming both the new list of digests and that generation. A process that
reads it at any moment sees the old library or the new one, whole. `merge_papers` decides what
one paper seen twice becomes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from paperdeck.index.digest.report import Skipped
from paperdeck.index.errors import LibraryError
from paperdeck.index.fsutil import atomic_write_text
from paperdeck.index.links import SEARCH_LABEL
from paperdeck.index.models import Link, Paper

CATALOG_VERSION = 2  # 2 names the index generation; 1 (no generation) is read as unindexed


@dataclass(frozen=True)
class DigestRecord:
    name: str
    sha256: str
    file: str  # relative to the data dir
    imported_at: str  # ISO timestamp; its date anchors year-less dates on rebuild
    format: str
    papers: int
    new: int
    selection: str = (
        ""  # what was kept of the file (paperdeck.index.digest.selection); "" all of it
    )

    @property
    def import_date(self) -> dt.date:
        return dt.datetime.fromisoformat(self.imported_at).date()


@dataclass(frozen=True)
class Catalog:
    """What one commit made visible: the imported digests and the generation indexing them."""

    records: tuple[DigestRecord, ...] = ()
    generation: str | None = None  # a directory name under the index dir; None: none yet

    @property
    def digests(self) -> list[str]:
        return [record.sha256 for record in self.records]


def read_catalog(path: Path) -> Catalog:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return Catalog()
    except (OSError, ValueError) as exc:
        raise LibraryError(f"{path} is unreadable ({exc}); move it aside to start over") from None
    if not isinstance(data, dict):
        raise LibraryError(f"{path} is not a paperdeck library file; move it aside to start over")
    if data.get("version", 0) > CATALOG_VERSION:
        raise LibraryError(f"{path} was written by a newer paperdeck; please upgrade")
    records = tuple(DigestRecord(**entry) for entry in data.get("digests", []))
    generation = (data.get("index") or {}).get("generation")
    return Catalog(records, generation if isinstance(generation, str) else None)


def write_catalog(path: Path, catalog: Catalog) -> None:
    """The commit: one atomic replace (see the module docstring)."""
    payload = {
        "version": CATALOG_VERSION,
        "digests": [asdict(r) for r in catalog.records],
        "index": {"generation": catalog.generation},
    }
    atomic_write_text(path, json.dumps(payload, indent=2, ensure_ascii=False))


def catalog_stamp(path: Path) -> tuple[int, int, int] | None:
    """Changes whenever a commit replaces the file (a new inode, time and size)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def safe_file_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in os.path.basename(name))
    return cleaned.strip("._")[:80] or "digest"


def merge_papers(known: Paper, incoming: Paper) -> Paper:
    """One paper seen twice: an arXiv id wins over a title hash, the earliest date and first
    import time are kept, every source and link is kept, the abstract read last wins (but
    over a longer one it is a cut of), and richer fields fill gaps. Counts
    (upvotes, comments, stars) only grow on Hugging Face: the highest seen is the latest."""
    dates = [d for d in (known.date, incoming.date) if d]
    earliest = min(dates) if dates else None
    first = known if known.date == earliest or incoming.date != earliest else incoming
    arxiv_id = known.arxiv_id or incoming.arxiv_id
    every = (*own_links(known, incoming), *known.links, *incoming.links)
    links = {x.url: x for x in every if not (arxiv_id and x.label == SEARCH_LABEL)}
    added = min((a for a in (known.added, incoming.added) if a), default="")
    return Paper(
        id=arxiv_id or known.id,
        title=known.title or incoming.title,
        abstract=revised_text(known.abstract, incoming.abstract),
        date=earliest,
        authors=known.authors or incoming.authors,
        arxiv_id=arxiv_id,
        links=tuple(links.values()),
        sources=tuple(dict.fromkeys((*known.sources, *incoming.sources))),
        position=first.position,
        upvotes=_highest(known.upvotes, incoming.upvotes),
        keywords=tuple(dict.fromkeys((*known.keywords, *incoming.keywords))),
        added=added,
        hf_comment_count=_highest(known.hf_comment_count, incoming.hf_comment_count),
        github_repo=incoming.github_repo or known.github_repo,  # a repo can move: the latest
        github_stars=_highest(known.github_stars, incoming.github_stars),
        project_page=incoming.project_page or known.project_page,
        ai_summary=max(known.ai_summary, incoming.ai_summary, key=len),
        **arxiv_side(known, incoming),
    )


ARXIV_FIELDS = (
    "arxiv_comments",
    "journal_ref",
    "doi",
    "report_no",
    "license",
    "primary_category",
    "categories",
    "version",
    "revised",
    "submitter",
    "announce_type",
)


def arxiv_side(known: Paper, incoming: Paper) -> dict[str, Any]:
    """arXiv's fields of one paper seen twice: the newer version's (a later revision, or the
    record read last when they tie), each gap filled from the other; v1's date and the
    per-author fields go with the authors kept."""
    older, newer = known, incoming
    if (known.version or 0, known.revised) > (incoming.version or 0, incoming.revised):
        older, newer = incoming, known
    found: dict[str, Any] = {n: getattr(newer, n) or getattr(older, n) for n in ARXIV_FIELDS}
    found["submitted"] = min((d for d in (known.submitted, incoming.submitted) if d), default="")
    authors_from = known if known.authors else incoming
    other = incoming if authors_from is known else known
    same = other.authors == authors_from.authors
    for name in ("affiliations", "name_parts"):
        mine = getattr(authors_from, name)
        found[name] = mine or (getattr(other, name) if same else ())
    return found


def revised_text(known: str, incoming: str) -> str:
    """The abstract to keep: the one read last (a newer snapshot's revision, even a shorter
    one), unless it is a cut of the other (a page's excerpt, "…" and all)."""
    if not incoming or not known:
        return incoming or known
    cut_in, cut_known = incoming.rstrip(" .…"), known.rstrip(" .…")
    if len(cut_in) < len(cut_known) and cut_known.startswith(cut_in):
        return known
    return incoming


def _highest(known: int | None, incoming: int | None) -> int | None:
    return max((n for n in (known, incoming) if n is not None), default=None)


def own_links(known: Paper, incoming: Paper) -> tuple[Link, ...]:
    """Once an arXiv id is known, its links lead (the title search link is dropped)."""
    with_id = incoming if incoming.arxiv_id else known
    return with_id.links[:3] if with_id.arxiv_id else ()


@dataclass(frozen=True)
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

    def summary(self) -> str:
        if self.already_imported:
            return f"{self.name}: already imported ({self.papers} papers), nothing changed"
        if not self.dates:
            when = "undated"
        elif len(self.dates) == 1:
            when = f"dated {self.dates[0]:%B} {self.dates[0].day}, {self.dates[0].year}"
        else:
            when = f"dated {self.dates[0]} to {self.dates[-1]}"
        # Neither new nor unchanged: merged into a paper the library had (a newer version,
        # another digest's record of it, a page's title joined to its arXiv id).
        updated = max(0, self.papers - self.new - self.unchanged)
        counts = [f"{self.new} new"] + [f"{updated} updated"] * bool(updated)
        counts += [f"{self.unchanged} unchanged"] * bool(self.unchanged)
        papers = "1 paper" if self.papers == 1 else f"{self.papers} papers"
        text = f"{self.name}: {papers} ({', '.join(counts)}), {when}"
        bad = sum(1 for skipped in self.skipped if skipped.damaged)
        extras = [f"{self.left_out} left out by the selection"] * bool(self.left_out)
        lines = "line" if bad == 1 else "lines"
        extras += [f"{bad} unreadable {lines} skipped (--explain lists them)"] * bool(bad)
        extras += [
            f"continued an interrupted import after its first {self.resumed_after:,} papers"
        ] * bool(self.resumed_after)
        return text + "".join(f"; {extra}" for extra in extras)
