"""`Citations`: the facade's part for citations (issue 22). It owns the citation source (and
with it the answer cache) and the follows, made from the library's paths; the Library holds one
and delegates to it, so the library's other files know nothing of citation sources.

Searches read counts only from the cache (`count_table`): a search never waits on the network.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperdeck.index.citations import openalex, semantic_scholar
from paperdeck.index.citations.follow import (
    Followed,
    FollowedPaper,
    FollowKind,
    FollowRefresh,
    Follows,
    refresh_follows,
)
from paperdeck.index.citations.http import RetryPolicy
from paperdeck.index.citations.models import CitationCounts, CitationList, CitedPaper, Fetched
from paperdeck.index.citations.source import DEFAULT_MAX_AGE, CitationSource
from paperdeck.index.links import normalise_arxiv_id
from paperdeck.index.models import Link, Paper, Progress
from paperdeck.index.watches import FOLLOW_PREFIX

WATCH_PREFIX = FOLLOW_PREFIX  # a follow among the watches (paperdeck.index.watches says it)


@dataclass(frozen=True, kw_only=True)
class FollowStatus:
    """A follow as `follows list` shows it, with a watch's columns: its papers (the citing
    papers seen) and how many of them are new (not yet marked seen)."""

    target: str  # `2405.17428` or `tag:retrieval`
    kind: FollowKind
    papers: tuple[str, ...]  # the library papers it follows (a tag's: every bookmark of it)
    citing: int  # citing papers seen across them
    new: int
    checked: str  # the latest refresh of any of them (ISO, UTC); "" never

    @property
    def watch_name(self) -> str:
        """Its name among the watches (`watch list`, `watch show follow:ID --atom`)."""
        return WATCH_PREFIX + self.target

    def watch_record(self) -> dict[str, Any]:
        """As `watch list --json` gives a watch: matches are the citing papers seen."""
        return {
            "name": self.watch_name, "query": f"cites {self.target}", "matches": self.citing,
            "new": self.new,
        }  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target, "kind": self.kind, "papers": list(self.papers),
            "citing": self.citing, "new": self.new, "checked": self.checked or None,
        }  # fmt: skip


def ref_of(paper: Paper) -> str | None:
    """How the sources know a library paper: its arXiv id, else its DOI; None: neither."""
    return paper.arxiv_id or paper.doi or None


def ref_key(ref: str) -> str | None:
    """One spelling for a ref, whatever form it came in (`arXiv:2405.17428v2`,
    `DOI:10.1/X`): `arxiv:2405.17428`, `doi:10.1/x`; None for other ids."""
    text = ref.strip()
    arxiv = normalise_arxiv_id(text.removeprefix("arXiv:").removeprefix("arxiv:"))
    if arxiv:
        return "arxiv:" + arxiv
    doi = text.removeprefix("DOI:").removeprefix("doi:").lower()
    if doi.startswith(openalex.ARXIV_DOI_PREFIX):
        return ref_key(doi[len(openalex.ARXIV_DOI_PREFIX) :])
    return "doi:" + doi if doi.startswith("10.") else None


class Citations:
    """Counts, lists, follows and their refresh, for the Library to delegate to."""

    def __init__(
        self,
        cache_dir: Path,
        data_dir: Path,
        *,
        max_age: dt.timedelta = DEFAULT_MAX_AGE,
        env: Mapping[str, str] | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.source = CitationSource(
            cache_dir, max_age=max_age, env=env, policy=policy, sleep=sleep
        )
        self.follows = Follows(data_dir)
        self._files: dict[str, tuple[tuple[int, int, int], dict[str, tuple[int, bool]]]] = {}

    def take_notices(self) -> list[str]:
        """The follows' files set aside or read-only, said once."""
        notices = self.follows.notices
        self.follows.clear_notices()
        return notices

    # -- counts and lists (may fetch) ----------------------------------------------------------
    def counts(self, ref: str, *, refresh: bool = False) -> Fetched[CitationCounts] | None:
        return self.source.counts(ref, refresh=refresh)

    def cited_by(
        self, ref: str, *, limit: int, refresh: bool = False
    ) -> Fetched[CitationList] | None:
        return self.source.cited_by(ref, limit=limit, refresh=refresh)

    def references(
        self, ref: str, *, limit: int, refresh: bool = False
    ) -> Fetched[CitationList] | None:
        return self.source.references(ref, limit=limit, refresh=refresh)

    def refresh_counts(
        self, refs: Sequence[str], *, force: bool = False, progress: Progress | None = None
    ) -> dict[str, Fetched[CitationCounts] | None]:
        """Many papers' counts in batches of 500; each batch is kept as it comes."""
        return self.source.refresh_counts(refs, force=force, progress=progress)

    # -- counts from the cache only (searches) ----------------------------------------------
    def count_table(self) -> dict[str, int]:
        """Every count the cache holds, by `ref_key` (a paper's arXiv id, or its DOI when it
        has none); never the network. A file is parsed again only when it changed (its
        inode, time or size: the cache replaces a file whole, under a new inode)."""
        files: dict[str, tuple[tuple[int, int, int], dict[str, tuple[int, bool]]]] = {}
        try:
            entries = list(os.scandir(self.source.cache.directory))
        except OSError:
            return {}
        for entry in entries:
            try:
                info = entry.stat()
            except OSError:
                continue
            signature = (info.st_ino, info.st_mtime_ns, info.st_size)
            kept = self._files.get(entry.name)
            if kept is None or kept[0] != signature:
                kept = (signature, _file_counts(Path(entry.path)))
            files[entry.name] = kept
        self._files = files
        table: dict[str, int] = {}
        for _, counts in files.values():
            for key, (count, from_s2) in counts.items():
                if from_s2 or key not in table:  # Semantic Scholar's count first
                    table[key] = count
        return table

    def count_of(self, paper: Paper, table: Mapping[str, int]) -> int | None:
        keys = (ref_key(r) for r in (paper.arxiv_id or "", paper.doi) if r)
        return next((table[k] for k in keys if k and k in table), None)

    # -- follows -----------------------------------------------------------------------------
    def follow(self, target: str) -> bool:
        return self.follows.follow(target)

    def unfollow(self, target: str) -> bool:
        return self.follows.unfollow(target)

    def followed(self) -> list[Followed]:
        return self.follows.all()

    def status(self, item: Followed, papers: Sequence[str]) -> FollowStatus:
        checked = max((self.follows.checked(pid) for pid in papers), default="")
        return FollowStatus(
            target=item.target, kind=item.kind, papers=tuple(papers),
            citing=sum(len(self.follows.seen(pid)) for pid in papers),
            new=sum(len(self.follows.unseen(pid)) for pid in papers), checked=checked,
        )  # fmt: skip

    def refresh_follows(
        self, papers: Sequence[FollowedPaper], progress: Progress | None = None
    ) -> FollowRefresh:
        """Each followed paper's citing papers fetched afresh; the alerts say what is new."""
        return refresh_follows(self.source, self.follows, papers, progress=progress)

    def unseen(self, paper_ids: Iterable[str]) -> list[tuple[str, CitedPaper]]:
        """(followed paper, citing paper) for each citing paper not yet marked seen."""
        return [(pid, p) for pid in paper_ids for p in self.follows.unseen(pid)]

    def unseen_papers(self, paper_ids: Iterable[str]) -> list[Paper]:
        """The citing papers not yet seen as library Papers, newest found first, each dated
        when found (so a feed written again without new ones is the same feed)."""
        found = [pair for pid in paper_ids for pair in self.follows.unseen_found(pid)]
        papers: dict[str, Paper] = {}
        for cited, when in sorted(found, key=lambda pair: pair[1], reverse=True):
            papers.setdefault(cited.key, cited_as_paper(cited, when))
        return list(papers.values())

    def mark_seen(self, paper_ids: Iterable[str]) -> int:
        return self.follows.mark_seen(paper_ids)


def _file_counts(path: Path) -> dict[str, tuple[int, bool]]:
    """ref_key -> (cited-by count, from Semantic Scholar) of one kept answer; {} for any
    other answer, or a damaged file (a cache miss, as CitationCache says)."""
    try:
        with path.open("rb") as handle:  # the first line: a long list's rows come after it
            record = json.loads(handle.readline())
        key, answer = str(record["key"]), record["answer"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(answer, dict):
        return {}
    if key.startswith("s2:paper:"):
        counts, asked = semantic_scholar.parse_counts(answer), key[len("s2:paper:") :]
    elif key.startswith("openalex:work:"):
        counts, asked = openalex.parse_counts(answer), "DOI:" + key[len("openalex:work:") :]
    else:
        return {}
    if counts.cited_by is None:
        return {}
    # A DOI stands for the paper only when it has no arXiv id (the library's papers with an
    # arXiv id are looked up by it), so a search looks up few papers by DOI.
    arxiv = counts.paper.arxiv_id or ""
    refs = (asked, arxiv, "" if arxiv else counts.paper.doi)
    found = {ref_key(ref) for ref in refs if ref}
    return {k: (counts.cited_by, key.startswith("s2:")) for k in found if k}


def cited_as_paper(paper: CitedPaper, added: str = "") -> Paper:
    """A citing paper as a library Paper (for a feed of new citing papers): its id the arXiv
    id when it has one, its links to arXiv, its DOI and Semantic Scholar."""
    links = []
    if paper.arxiv_id:
        links.append(Link(f"https://arxiv.org/abs/{paper.arxiv_id}", "arXiv"))
    if paper.doi:
        links.append(Link(f"https://doi.org/{paper.doi}", "DOI"))
    if paper.s2_id:
        links.append(Link(f"https://www.semanticscholar.org/paper/{paper.s2_id}", "S2"))
    date = dt.date(paper.year, 1, 1) if paper.year else None
    return Paper(
        id=paper.key, title=paper.label, authors=paper.authors, arxiv_id=paper.arxiv_id,
        links=tuple(links), doi=paper.doi, added=added, date=date, sources=(paper.source,),
    )  # fmt: skip
