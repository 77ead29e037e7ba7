"""Citations (issue 22): counts, references and cited-by from Semantic Scholar, OpenAlex
where Semantic Scholar has nothing, every answer kept in the cache dir; and following papers
for new citations.

Wiring, one call each (the facade holds one `CitationSource` and one `Follows`):

    source = CitationSource(paths.cache_dir)            # max_age=, env= for tests
    source.cached_counts(ref)      -> Fetched[CitationCounts] | None   never the network
    source.counts(ref, refresh=)   -> Fetched[CitationCounts] | None   may fetch (a worker)
    source.cited_by(ref, limit=)   -> Fetched[CitationList] | None
    source.references(ref, limit=) -> Fetched[CitationList] | None
    source.refresh_counts(refs, progress=)  -> {ref: Fetched | None}  one request per 500
    follows = Follows(paths.data_dir)
    follows.follow("2405.17428" | "tag:NAME"); follows.unfollow(...); follows.all()
    refresh_follows(source, follows, [FollowedPaper(...)]) -> FollowRefresh (alerts, problems)

`ref` is a paper's arXiv id (`2405.17428`) or DOI (`10.7717/peerj.4375`): `paper.arxiv_id or
paper.doi`. None means no source knows the paper. `Fetched.age_text()` says how old an
answer is; `stale` marks a kept answer that could not be refetched (its `note` says why).
Errors a user can cause (no network, a timeout, rate limits that outlast the retries) are
`CitationSourceError`, a PaperdeckError: one line.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # mypy reads them; at run time each loads when first asked for (below)
    from paperdeck.index.citations.follow import (
        CitationAlert,
        Followed,
        FollowedPaper,
        FollowError,
        FollowRefresh,
        Follows,
        refresh_follows,
    )
    from paperdeck.index.citations.http import CitationSourceError, RetryPolicy
    from paperdeck.index.citations.models import (
        CITATIONS,
        OPENALEX,
        REFERENCES,
        SEMANTIC_SCHOLAR,
        CitationCounts,
        CitationList,
        CitedPaper,
        Fetched,
    )
    from paperdeck.index.citations.source import DEFAULT_MAX_AGE, CitationSource

# Where each name lives: importing the package (or paperdeck.index.citations.models alone, as
# the facade does) loads none of the clients, so no command pays for urllib's modules.
_HOME = {
    **dict.fromkeys(
        ("CitationAlert", "Followed", "FollowedPaper", "FollowError", "FollowRefresh",
         "Follows", "refresh_follows"), "follow",
    ),
    **dict.fromkeys(("CitationSourceError", "RetryPolicy"), "http"),
    **dict.fromkeys(
        ("CITATIONS", "OPENALEX", "REFERENCES", "SEMANTIC_SCHOLAR", "CitationCounts",
         "CitationList", "CitedPaper", "Fetched"), "models",
    ),
    **dict.fromkeys(("DEFAULT_MAX_AGE", "CitationSource"), "source"),
}  # fmt: skip


if not TYPE_CHECKING:  # (for mypy the imports above: a typo stays an error)

    def __getattr__(name: str) -> object:
        if name not in _HOME:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)


__all__ = [
    "CITATIONS",
    "DEFAULT_MAX_AGE",
    "OPENALEX",
    "REFERENCES",
    "SEMANTIC_SCHOLAR",
    "CitationAlert",
    "CitationCounts",
    "CitationList",
    "CitationSource",
    "CitationSourceError",
    "CitedPaper",
    "Fetched",
    "FollowError",
    "FollowRefresh",
    "Followed",
    "FollowedPaper",
    "Follows",
    "RetryPolicy",
    "refresh_follows",
]
