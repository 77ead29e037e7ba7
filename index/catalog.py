"""library.json: which digests were imported, and which index generation holds them.

The raw copies are the source of truth for papers; this list plus those files is everything
needed to rebuild the index. The file is also the library's one commit point: an import, a
removal or a rebuild writes a new index generation nobody reads yet, then replaces this file
(atomically) with one naming both the new list of digests and that generation. A process that
reads it at any moment sees the old library or the new one, whole. `merge_papers` decides what
one paper seen twice becomes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperdeck.index.errors import LibraryError, PaperdeckError
from paperdeck.index.fsutil import atomic_write_text
from paperdeck.index.lazy import lazy_module
from paperdeck.index.models import Link, Paper

# Reading the catalog (every command, the reader's first frame) needs neither the digest
# readers, the links' and text cleaning's tables nor OpenSSL's hashes: the write side's (as
# is an import's report: paperdeck.index.import_report).
if TYPE_CHECKING:
    from paperdeck.index import links
else:
    links = lazy_module("paperdeck.index.links")

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


class CatalogDamaged(LibraryError):
    """library.json cannot be read as a catalog: the library recovers it from its raw copies."""


def read_catalog(path: Path) -> Catalog:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return Catalog()
    except IsADirectoryError:  # set aside and recovered like a damaged file
        raise CatalogDamaged(f"{path} is a directory") from None
    except OSError as exc:
        raise LibraryError(f"cannot read {os_failure(path, exc)}") from None
    except (ValueError, RecursionError) as exc:
        raise CatalogDamaged(f"{path} is unreadable ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise CatalogDamaged(f"{path} is not a paperdeck library file")
    version = data.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool):
        raise CatalogDamaged(f"{path} has no valid version")
    if version > CATALOG_VERSION:
        raise LibraryError(f"{path} was written by a newer paperdeck; please upgrade")
    try:
        records = tuple(_record(entry) for entry in data.get("digests", []))
    except (TypeError, ValueError):
        raise CatalogDamaged(f"{path} lists a digest it cannot describe") from None
    generation = (data.get("index") or {}).get("generation")
    return Catalog(records, generation if isinstance(generation, str) else None)


def _record(entry: object) -> DigestRecord:
    """One digest entry, every field of its type (a wrong one is a damaged catalog)."""
    if not isinstance(entry, dict):
        raise TypeError("not an object")
    record = DigestRecord(**entry)
    texts = ("name", "sha256", "file", "imported_at", "format", "selection")
    if not all(isinstance(getattr(record, name), str) for name in texts):
        raise TypeError("a text field")
    if not all(type(getattr(record, name)) is int for name in ("papers", "new")):
        raise TypeError("a count")
    record.import_date  # noqa: B018 (a bad timestamp raises ValueError here, not on rebuild)
    return record


def recover_catalog(data_dir: Path, metas: list[tuple[str, list[str], int]]) -> Catalog:
    """The catalog rebuilt from the raw copies (`digests/`, in the order they were kept)
    and the newest generation whose meta holds exactly those digests (else none: the next
    open rebuilds it). A raw copy whose hash is not its name's and that no generation
    names (an import killed before its commit, say) is left out. `metas` are the index's
    generations as (name, digests, papers), newest first (the engine reads them)."""
    named = {digest for _, digests, _ in metas for digest in digests}
    records = []
    for path in _raw_copies(data_dir / "digests"):
        record = _record_of_copy(path, data_dir, named)
        if record is not None:
            records.append(record)
    keys = sorted(record.sha256 for record in records)
    generation = next((name for name, digests, _ in metas if sorted(digests) == keys), None)
    if generation is not None and len(records) == 1:
        papers = next(papers for name, _, papers in metas if name == generation)
        records[0] = dataclasses.replace(records[0], papers=papers)
    return Catalog(tuple(records), generation if records else None)


def _raw_copies(copy_dir: Path) -> list[Path]:
    """The raw copies kept, oldest first (not line memos, temporary copies or dirs)."""
    try:
        found = [p for p in copy_dir.iterdir() if p.is_file() and _is_copy_name(p.name)]
    except OSError:
        return []
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))


def _is_copy_name(name: str) -> bool:
    prefix, dash, _ = name.partition("-")
    hexdigits = set("0123456789abcdef")
    return bool(dash) and len(prefix) == 12 and set(prefix) <= hexdigits and (
        not name.endswith(".lines")
    )  # fmt: skip


def _record_of_copy(path: Path, data_dir: Path, named: set[str]) -> DigestRecord | None:
    """A raw copy's record: its key is its hash, or a generation's digest of its prefix (a
    selection's key; what the selection kept is not known again: all of it is)."""
    import hashlib

    from paperdeck.index.digest import open_digest

    prefix, _, name = path.name.partition("-")
    with open(path, "rb") as raw:
        digest = hashlib.sha256()
        while chunk := raw.read(1 << 20):
            digest.update(chunk)
        key = digest.hexdigest()
        if not key.startswith(prefix):
            key = next((d for d in sorted(named) if d.startswith(prefix)), "")
        if not key:
            return None
        stamp = dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
        raw.seek(0)
        try:
            stream = open_digest(raw, path.stat().st_size, name, today=stamp.date())
        except PaperdeckError:
            return None
        fmt = stream.format
        stream.lines.close()
    relative = f"digests/{path.name}"
    return DigestRecord(name, key, relative, stamp.isoformat(), fmt, 0, 0)


def os_failure(path: Path, exc: OSError) -> str:
    """The path that failed and why, for one line; for a dir blocked by a file (ENOTDIR, EEXIST)
    the file in the way, not the path that could not be reached."""
    where = Path(exc.filename) if isinstance(exc.filename, str) else path
    if isinstance(exc, NotADirectoryError | FileExistsError):
        for place in (where, *where.parents):
            if place.is_file() and (place != where or isinstance(exc, FileExistsError)):
                return f"{place} is a file, not a directory"
    return f"{where}: {exc.strerror or exc}"


def no_file_in_the_way(directory: Path) -> None:
    """A dir that is (or would be made) under a file: one line naming the file, before a
    command meets it as ENOTDIR somewhere deeper (or a rebuild skips every raw copy)."""
    for place in (directory, *directory.parents):
        if place.is_file():
            raise LibraryError(f"{place} is a file, not a directory")
        if place.exists():
            return


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
    # the earlier record's place in its digest; on a tie the lower one (in any import order)
    first = min((known, incoming), key=lambda p: (p.date != earliest, p.position))
    arxiv_id = known.arxiv_id or incoming.arxiv_id
    every = (*own_links(known, incoming), *known.links, *incoming.links)
    dropped = links.SEARCH_LABEL if arxiv_id else None  # (labels are never None)
    kept = {x.url: x for x in every if x.label != dropped}
    added = min((a for a in (known.added, incoming.added) if a), default="")
    return Paper(
        id=arxiv_id or known.id,
        title=known.title or incoming.title,
        abstract=revised_text(known.abstract, incoming.abstract),
        date=earliest,
        authors=known.authors or incoming.authors,
        arxiv_id=arxiv_id,
        links=tuple(kept.values()),
        sources=tuple(sorted({*known.sources, *incoming.sources})),  # in any order: the same
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
