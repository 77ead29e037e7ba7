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
