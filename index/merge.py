"""Papers merged by identity while importing or rebuilding.

Two records are one paper when they share an id (the arXiv id, or the title hash), or when
their normalised titles match and one of them has no arXiv id; two arXiv ids never merge
(real arXiv has distinct papers of one title), and a record without an id joins at most one
with an id, so it never joins two of them into one. Lookups fall through to the
index. Every write streams (an import, and a rebuild, which streams the raw copies one after
the other): `MergedStream` merges each paper with the library's as it passes and keeps only
its keys; the few that repeat a paper met earlier in the same digest are set aside and
settled with a `PaperSet` once the rest is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from paperdeck.index.catalog import merge_papers
from paperdeck.index.links import title_key
from paperdeck.index.models import Paper

FindById = Callable[[str], Paper | None]
FindByTitle = Callable[[str], Iterable[Paper]]


class PaperSet:
    def __init__(
        self,
        find_id: FindById = lambda _id: None,
        find_title: FindByTitle = lambda _key: (),
    ) -> None:
        self.papers: dict[str, Paper] = {}
        self.dropped: set[str] = set()  # ids merged into another id: delete them from the index
        self.new_ids: set[str] = set()  # papers the library did not know before
        self._find_id, self._find_title = find_id, find_title
        self._titles: dict[str, set[str]] = {}

    def _known(self, pid: str) -> Paper | None:
        if pid in self.dropped:
            return None
        return self.papers.get(pid) or self._find_id(pid)

    def _same_title(self, paper: Paper) -> list[Paper]:
        key = title_key(paper.title)
        found = {p.id: p for p in self._find_title(key) if p.id not in self.dropped}
        found.update({pid: self.papers[pid] for pid in self._titles.get(key, ())})
        return title_matches(found.values(), paper)

    def add(self, paper: Paper) -> Paper:
        """Add one paper, merging it with every record it is the same paper as."""
        same_id = self._known(paper.id)
        matches = ([same_id] if same_id else []) + self._same_title(paper)
        merged = paper
        for match in matches:
            merged = merge_papers(match, merged)
        if not matches and not paper.is_replacement:
            self.new_ids.add(merged.id)
        for match in matches:
            if match.id != merged.id:
                self._forget(match)
        self.papers[merged.id] = merged
        self._titles.setdefault(title_key(merged.title), set()).add(merged.id)
        return merged

    def _forget(self, paper: Paper) -> None:
        self.papers.pop(paper.id, None)
        self.dropped.add(paper.id)
        self.new_ids.discard(paper.id)
        self._titles.get(title_key(paper.title), set()).discard(paper.id)


def title_matches(found: Iterable[Paper], paper: Paper) -> list[Paper]:
    """The records found by `paper`'s title key that are the same paper. A paper with an
    arXiv id takes only those without one; a paper without one joins one paper with an id at
    most (the one nearest in date, then the newest id), so that it never makes two papers of
    one title into one."""
    same = [known for known in found if same_paper(known, paper)]
    if paper.arxiv_id is not None or len(same) <= 1:
        return same
    with_id = sorted((p for p in same if p.arxiv_id is not None), key=lambda p: p.id, reverse=True)
    without = [p for p in same if p.arxiv_id is None]
    if not with_id:
        return without
    nearest = min(with_id, key=lambda p: _days_apart(p, paper))
    return [*without, nearest]


def _days_apart(known: Paper, paper: Paper) -> int:
    if known.date is None or paper.date is None:
        return 1 << 30
    return abs((known.date - paper.date).days)


def same_paper(known: Paper, paper: Paper) -> bool:
    """Whether a paper found by `paper`'s title key is the same paper (not two papers of one
    title with two arXiv ids)."""
    return known.id != paper.id and (known.arxiv_id is None or paper.arxiv_id is None)


@dataclass
class Changes:
    """What an import did to the papers the library had: how many records it joined into
    another (a page's title into an arXiv id) and how many it updated, with the first few
    named for its summary."""

    merged: int = 0
    updated: int = 0
    named: list[str] = field(default_factory=list)  # `merged into 2406.01234 "Title…"`

    def note(self, kind: str, paper: Paper) -> None:
        if kind == "merged into":
            self.merged += 1
        else:
            self.updated += 1
        if len(self.named) < NAMED:
            self.named.append(f"{kind} {paper.arxiv_id or paper.id} {_short(paper.title)}")


NAMED = 3  # merges and updates an import's summary names (then "and N more")


def _short(title: str, width: int = 40) -> str:
    cut = title if len(title) <= width else title[: width - 1].rstrip() + "…"
    return f'"{cut}"'


def note_seen(seen: Seen, paper: Paper) -> Paper:
    """Note a paper's keys as met and pass it on (a continued import notes those of the
    papers it skips, so that a later repeat of one is still a repeat)."""
    seen.ids.add(hash(paper.id))
    key = hash(title_key(paper.title))
    seen.titles[key] = seen.titles.get(key, False) or paper.arxiv_id is None
    return paper


@dataclass
class Seen:
    """Hashes of the keys of the papers an import has met, kept across its parts: a paper
    whose keys are not here is, in the part's base, as the live library has it."""

    ids: set[int] = field(default_factory=set)
    titles: dict[int, bool] = field(default_factory=dict)  # title key -> one has no arXiv id


class MergedStream:
    """A digest's papers merged with the library's as they stream past, none kept.

    Counts what the import reports; `replaced` names the library's papers the written ones
    replace, `late` holds the papers that repeat one met earlier in this digest, one merged
    record per id however often it repeats (settled afterwards against the written
    generation). A paper the digest gives unchanged is not written again unless this file
    is a new source of it (so `sources` does not depend on the order of imports); a newer
    snapshot's unchanged lines are skipped before they get here (linememo)."""

    def __init__(
        self,
        find_id: FindById,
        find_title: FindByTitle,
        added: str,
        seen: Seen | None = None,
        changes: Changes | None = None,
    ) -> None:
        self._find_id, self._find_title, self._added = find_id, find_title, added
        self.replaced: set[str] = set()
        self._late: dict[str, Paper] = {}
        self.changes = changes if changes is not None else Changes()
        self.dates: set[dt.date] = set()
        self.written = self.new = self.unchanged = 0
        # Hashes, not strings: a million keys cost a tenth. Two keys of one hash only send a
        # paper to `late`, where it is merged by its real keys.
        self.seen = seen if seen is not None else Seen()
        self._ids, self._titles = self.seen.ids, self.seen.titles

    def papers(self, incoming: Iterable[Paper]) -> Iterator[Paper]:
        """The papers to write, merged with the library's."""
        for paper in incoming:
            # A replacement is no paper of that day: not new, whether the library had it or not.
            paper = paper.with_changes(added="" if paper.is_replacement else self._added)
            if paper.date:
                self.dates.add(paper.date)
            if self._met(paper):
                held = self._late.get(paper.id)
                self._late[paper.id] = merge_papers(held, paper) if held else paper
            elif (merged := self._merged(paper)) is not None:
                yield merged

    @property
    def late(self) -> list[Paper]:
        """The repeats, one record per id, in the order first met."""
        return list(self._late.values())

    def _met(self, paper: Paper) -> bool:
        key = hash(title_key(paper.title))
        return hash(paper.id) in self._ids or (
            key in self._titles and (paper.arxiv_id is None or self._titles[key])
        )

    def _merged(self, paper: Paper) -> Paper | None:
        """The paper merged with the library's records of it; None when it is unchanged."""
        same_id = self._find_id(paper.id)
        matches = [same_id] if same_id else []
        matches += title_matches(self._find_title(title_key(paper.title)), paper)
        merged = paper
        for match in matches:
            merged = merge_papers(match, merged)
        for seen in (merged, *matches):
            self._ids.add(hash(seen.id))
            key = hash(title_key(seen.title))
            self._titles[key] = self._titles.get(key, False) or seen.arxiv_id is None
        # Unchanged but for the file it came in: written again only to record a new source.
        if len(matches) == 1 and merged.with_changes(sources=matches[0].sources) == matches[0]:
            self.unchanged += 1
            if merged.sources == matches[0].sources:
                return None
            self.replaced.add(matches[0].id)
            return merged
        self.replaced.update(match.id for match in matches)
        self.written += 1
        self.new += not matches and not paper.is_replacement
        if matches:
            joined = len(matches) > 1 or matches[0].id != paper.id
            self.changes.note("merged into" if joined else "updated", merged)
        return merged
