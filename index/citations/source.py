"""`CitationSource`: the one object the facade holds for citations. It asks Semantic Scholar
first and OpenAlex where Semantic Scholar has nothing, keeps every answer in the cache dir, and
answers from the cache while it is younger than `max_age` (or always, offline).

Network calls raise `CitationSourceError` (one line) only when nothing was kept: with an
answer in the cache, a failed refetch gives the kept answer marked `stale` with the failure
as its `note`, so the reader keeps working offline and says how old what it shows is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from paperdeck.index.citations import openalex, semantic_scholar
from paperdeck.index.citations.cache import CitationCache, Stored
from paperdeck.index.citations.http import CitationSourceError, RetryPolicy
from paperdeck.index.citations.models import (
    CITATIONS,
    REFERENCES,
    CitationCounts,
    CitationList,
    Fetched,
    ListKind,
)
from paperdeck.index.citations.openalex import OpenAlex, doi_of
from paperdeck.index.citations.semantic_scholar import BATCH_MAX, SemanticScholar, s2_ref
from paperdeck.index.models import Progress

DEFAULT_MAX_AGE = dt.timedelta(days=7)
DEFAULT_LIMIT = 1000  # citing papers or references fetched for one list

T = TypeVar("T")
U = TypeVar("U")


class CitationSource:
    """Counts and lists of papers, by arXiv id or DOI (`2405.17428`, `10.7717/peerj.4375`)."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        max_age: dt.timedelta = DEFAULT_MAX_AGE,
        env: Mapping[str, str] | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.cache = CitationCache(cache_dir / "citations")
        self.max_age = max_age
        self.s2 = SemanticScholar(env=env, policy=policy, sleep=sleep)
        self.openalex = OpenAlex(env=env, policy=policy, sleep=sleep)

    @property
    def requests(self) -> int:
        """Requests sent so far, retries included (the bench and the tests count them)."""
        return self.s2.http.requests + self.openalex.http.requests

    # -- counts ------------------------------------------------------------------------------
    def counts(self, ref: str, *, refresh: bool = False) -> Fetched[CitationCounts] | None:
        """A paper's counts, fetched when not kept, too old, or `refresh`; None when neither
        source knows the paper."""
        s2 = self._answer(_s2_key("paper", ref), lambda: self.s2.paper(ref), refresh)
        if s2 is not None and s2.value is not None:
            return _parsed(s2, semantic_scholar.parse_counts(s2.value))
        work = self._work(ref, refresh)
        return _parsed(work, openalex.parse_counts(work.value)) if work and work.value else None

    def cached_counts(self, ref: str) -> Fetched[CitationCounts] | None:
        """What the cache says, however old, never asking the network (the detail pane)."""
        stored = self.cache.get(_s2_key("paper", ref))
        if stored is not None and stored.answer is not None:
            return self._kept(stored, semantic_scholar.parse_counts(stored.answer))
        doi = doi_of(ref)
        work = self.cache.get(_work_key(doi)) if doi else None
        if work is not None and work.answer is not None:
            return self._kept(work, openalex.parse_counts(work.answer))
        return None

    def refresh_counts(
        self, refs: Sequence[str], *, force: bool = False, progress: Progress | None = None
    ) -> dict[str, Fetched[CitationCounts] | None]:
        """Many papers' counts through the batch endpoint: one request per 500 papers that
        need fetching (all with `force`); each batch's answers are kept as they come."""
        wanted = [
            ref for ref in dict.fromkeys(refs) if force or not self._fresh(_s2_key("paper", ref))
        ]
        for start in range(0, len(wanted), BATCH_MAX):
            chunk = wanted[start : start + BATCH_MAX]
            for ref, row in zip(chunk, self.s2.batch(chunk), strict=True):
                self.cache.put(_s2_key("paper", ref), row)
            if progress:
                progress(min(start + BATCH_MAX, len(wanted)), len(wanted))
        return {ref: self.cached_counts(ref) for ref in refs}

    # -- lists -------------------------------------------------------------------------------
    def cited_by(
        self, ref: str, *, limit: int = DEFAULT_LIMIT, refresh: bool = False
    ) -> Fetched[CitationList] | None:
        """The papers citing `ref` (Semantic Scholar only: OpenAlex's work answer does not
        list them); None when Semantic Scholar does not know the paper."""
        return self._listing(ref, CITATIONS, limit, refresh)

    def references(
        self, ref: str, *, limit: int = DEFAULT_LIMIT, refresh: bool = False
    ) -> Fetched[CitationList] | None:
        """The papers `ref` cites; OpenAlex's referenced works (ids only) where Semantic
        Scholar does not know the paper."""
        found = self._listing(ref, REFERENCES, limit, refresh)
        if found is not None:
            return found
        work = self._work(ref, refresh)
        return _parsed(work, openalex.parse_references(work.value)) if work and work.value else None

    def _listing(
        self, ref: str, kind: ListKind, limit: int, refresh: bool
    ) -> Fetched[CitationList] | None:
        def fetch() -> dict[str, Any] | None:
            answer = self.s2.listing(ref, kind, limit)
            return None if answer is None else {**answer, "limit": limit}

        def covers(answer: Any) -> bool:
            return answer is None or answer.get("next") is None or answer.get("limit", 0) >= limit

        got = self._answer(_s2_key(kind, ref), fetch, refresh, usable=covers, rows=limit)
        if got is None or got.value is None:
            return None
        return _parsed(got, semantic_scholar.parse_listing(got.value, kind, limit))

    # -- the cache ---------------------------------------------------------------------------
    def _work(self, ref: str, refresh: bool) -> Fetched[Any] | None:
        doi = doi_of(ref)
        if doi is None:
            return None
        return self._answer(_work_key(doi), lambda: self.openalex.work(doi), refresh)

    def _fresh(self, key: str) -> bool:
        stored = self.cache.get(key)
        return stored is not None and self._age(stored) <= self.max_age

    def _age(self, stored: Stored) -> dt.timedelta:
        return dt.datetime.now(dt.UTC) - stored.fetched_at

    def _answer(
        self,
        key: str,
        fetch: Callable[[], Any],
        refresh: bool,
        usable: Callable[[Any], bool] = lambda answer: True,
        rows: int | None = None,
    ) -> Fetched[Any]:
        """The kept answer when fresh (and `usable`), else a new one (kept); on failure the
        kept one, stale, or the error when none was kept. `rows`: a list's rows needed (the
        cache may read no more of a long one)."""
        stored = self.cache.get(key, rows)
        if stored is not None and not usable(stored.answer):
            stored = None
        if stored is not None and not refresh and self._age(stored) <= self.max_age:
            return self._kept(stored, stored.answer)
        try:
            answer = fetch()
        except CitationSourceError as exc:
            if stored is None:
                raise
            return Fetched(
                value=stored.answer, fetched_at=stored.fetched_at, from_cache=True,
                stale=True, note=str(exc),
            )  # fmt: skip
        kept = self.cache.put(key, answer)
        return Fetched(value=answer, fetched_at=kept.fetched_at, from_cache=False)

    def _kept(self, stored: Stored, value: T) -> Fetched[T]:
        stale = self._age(stored) > self.max_age
        return Fetched(value=value, fetched_at=stored.fetched_at, from_cache=True, stale=stale)


def _parsed(fetched: Fetched[Any], value: U) -> Fetched[U]:
    return Fetched(
        value=value, fetched_at=fetched.fetched_at, from_cache=fetched.from_cache,
        stale=fetched.stale, note=fetched.note,
    )  # fmt: skip


def _s2_key(what: str, ref: str) -> str:
    return f"s2:{what}:{s2_ref(ref)}"


def _work_key(doi: str) -> str:
    return f"openalex:work:{doi.lower()}"
