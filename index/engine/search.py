"""Query text -> ranked hits, highlight terms, "did you mean", similar papers.

Typed text is made safe first and its filters taken out (paperdeck.index.engine.querytext), the last
word becomes a prefix too while typing, and Whoosh's parser handles the syntax. Prefixes are
expanded only to their most frequent terms (Lucene's "top terms" rewrite), so `t*` costs the
same as a few words. Titles' and abstracts' terms are found through the vocabulary (one table
for the library) rather than by walking each segment's lexicon, which at 1,000,000 papers
(67 segments) cost seconds for a one-letter prefix.
Malformed syntax never raises: it falls back to the plain words.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import heapq
import itertools
import re
import threading
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from paperdeck.index.engine.analysis import fold
from paperdeck.index.engine.querytext import (
    FIELD_ALIASES,
    SEARCH_FIELDS,
    ParsedQuery,
    close_brackets,
    with_prefix_on_last_word,
)
from paperdeck.index.engine.vocabulary import Vocabulary
from paperdeck.index.models import Bookmark, SortOrder, naive_utc
from whoosh import qparser, query, sorting
from whoosh.fields import Schema
from whoosh.qparser.dateparse import DateParserPlugin
from whoosh.reading import IndexReader
from whoosh.searching import Results, Searcher

PREFIX_TOP_TERMS = 16
# Terms a prefix of one or two letters stands for: the likeliest few, until the next
# keystroke narrows them (each term costs the reading of its posting list: the most frequent
# title words are in a tenth of the papers).
PREFIX_TERMS_BY_LENGTH = {1: 4, 2: 8}
# A prefix shorter than this matches titles and authors only: one or two typed letters
# stand for thousands of abstract words, and scoring them all costs seconds at 100k papers.
SHORT_PREFIX = 4
# ... and authors' names from this many letters (a one-letter initial is still found as the
# word typed), two letters standing for the few likeliest names: the commonest names are on
# a tenth of the papers, and their lexicon is walked (the vocabulary holds no names).
AUTHOR_PREFIX = 2
AUTHOR_TERMS_BY_LENGTH = {2: 4}
# Vocabulary words looked up for each term a prefix may stand for (several share a stem).
CANDIDATES_PER_TERM = 3


def make_parser(schema: Schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(SEARCH_FIELDS), schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(DateParserPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    return parser


_PARSERS = threading.local()  # each thread's parsers, by schema: (schema, parser, its dates)


def parser_for(schema: Schema) -> qparser.QueryParser:
    """The thread's parser of a schema, made once (making one costs as much as a parse: the
    date grammar is built each time), its relative dates (`date:yesterday`) measured from
    now, as a new parser's are."""
    made: dict[int, tuple[Schema, qparser.QueryParser, DateParserPlugin]]
    made = _PARSERS.__dict__.setdefault("made", {})
    if id(schema) not in made:
        parser = make_parser(schema)
        dates = next(p for p in parser.plugins if isinstance(p, DateParserPlugin))
        made[id(schema)] = (schema, parser, dates)
    _, parser, dates = made[id(schema)]
    dates.basedate = dt.datetime.now(tz=dt.UTC)
    return parser


def make_plain_parser(schema: Schema) -> qparser.QueryParser:
    """Words only, no syntax at all: the fallback for input the full parser cannot take."""
    return qparser.MultifieldParser(
        list(SEARCH_FIELDS),
        schema,
        group=qparser.AndGroup,
        plugins=[qparser.WhitespacePlugin()],
    )


def parse(parsed: ParsedQuery, schema: Schema, prefix: bool = True) -> tuple[query.Query, bool]:
    """Whoosh query for the text; the flag says the plain-words fallback was used."""
    text = close_brackets(with_prefix_on_last_word(parsed.text) if prefix else parsed.text)
    try:
        q = parser_for(schema).parse(text)
        if q is query.NullQuery and parsed.words:
            raise ValueError("nothing parsed")
        return q, False
    except Exception:  # whoosh raises many kinds on odd input; the fallback is always safe
        return plain_query(parsed, schema), True


def plain_query(parsed: ParsedQuery, schema: Schema) -> query.Query:
    """The typed words ANDed, no syntax at all."""
    return make_plain_parser(schema).parse(" ".join(parsed.words))


def expand_prefixes(
    q: query.Query,
    searcher: Searcher,
    raw_words: dict[str, str],
    vocabulary: Vocabulary,
    top: int = PREFIX_TOP_TERMS,
    frequencies: dict[tuple[str, str], int] | None = None,
) -> query.Query:
    """Replace each Prefix by an OR of its most frequent terms, scored like ordinary words.

    Stemmed fields (titles, abstracts) are expanded through the unstemmed vocabulary, so
    `embeddi` still finds "embedding" (stem `embed`); `raw_words` maps the parser's stemmed
    text back to what was typed. Authors' names walk the index's lexicon. Short prefixes
    stand for fewer terms and leave abstracts and authors out (see PREFIX_TERMS_BY_LENGTH,
    SHORT_PREFIX, AUTHOR_PREFIX). `frequencies` keeps document frequencies looked up, for
    the next keystrokes on the same searcher.
    """
    reader = searcher.reader()
    analyzer = searcher.schema["abstract"].analyzer
    known = frequencies if frequencies is not None else {}

    def frequency(fieldname: str, term: str) -> int:
        if (fieldname, term) not in known:
            known[(fieldname, term)] = reader.doc_frequency(fieldname, term)
        return known[(fieldname, term)]

    def rewrite(node: query.Query) -> query.Query:
        if isinstance(node, query.Wildcard) and not isinstance(node, query.Prefix):
            return _bounded_wildcard(node, reader, top)
        if not isinstance(node, query.Prefix):
            return node
        typed = raw_words.get(node.text, node.text)
        if len(typed) < SHORT_PREFIX and node.fieldname == "abstract":
            return query.NullQuery
        if len(typed) < AUTHOR_PREFIX and node.fieldname == "author":
            return query.NullQuery
        wanted = min(top, PREFIX_TERMS_BY_LENGTH.get(len(typed), top))
        if node.fieldname == "author":
            wanted = min(wanted, AUTHOR_TERMS_BY_LENGTH.get(len(typed), top))
        if node.fieldname in ("title", "abstract") and vocabulary.counts:
            # The words that start as typed, and as the parser stemmed it (`noise` is `nois*`,
            # which finds "noisy", as a walk of the stems did).
            counts: dict[str, int] = {}
            for start in dict.fromkeys([typed, node.text]):
                for word in vocabulary.completions(start, wanted * CANDIDATES_PER_TERM):
                    for token in analyzer(word, removestops=False):
                        counts.setdefault(token.text, frequency(node.fieldname, token.text))
        else:  # (a library indexed before the vocabulary was kept has none)
            counts = dict(_iter_prefix(reader, node.fieldname, node.text, wanted))
        best = sorted((t for t in counts if counts[t]), key=lambda t: -counts[t])[:wanted]
        if not best:
            return query.NullQuery
        terms = [query.Term(node.fieldname, term, boost=node.boost) for term in best]
        return terms[0] if len(terms) == 1 else query.Or(terms)

    return q.accept(rewrite)


def _bounded_wildcard(node: query.Wildcard, reader: IndexReader, top: int) -> query.Query:
    """`w?ld*` over at most a few thousand terms that share its literal start, keeping the
    most frequent; a pattern that starts with a wildcard would walk the whole lexicon."""
    text = node.text
    literal = re.split(r"[*?]", text, maxsplit=1)[0]
    if len(literal) < 2:
        return query.NullQuery
    pattern = re.compile(fnmatch.translate(text))
    candidates = _iter_prefix_all(reader, node.fieldname, literal, cap=5000)[:5000]
    found = [(n, term) for term, n in candidates if pattern.match(term)]
    best = [term for _, term in heapq.nlargest(top, found)]
    if not best:
        return query.NullQuery
    terms = [query.Term(node.fieldname, term, boost=node.boost) for term in best]
    return terms[0] if len(terms) == 1 else query.Or(terms)


def _iter_prefix_all(
    reader: IndexReader, fieldname: str, prefix: str, cap: int | None = None
) -> list[tuple[str, int]]:
    """Index terms starting with `prefix` (the first `cap` of each segment) and their
    document frequencies, in lexicon order. Summed segment by segment: a multi-segment
    reader merges every term's statistics across its segments, several times slower."""
    counts: Counter[str] = Counter()
    for leaf, _ in reader.leaf_readers():
        if fieldname not in leaf.indexed_field_names():
            continue
        for term, info in itertools.islice(leaf.iter_prefix(fieldname, prefix), cap):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            counts[text] += info.doc_frequency()
    return sorted(counts.items())


def _iter_prefix(
    reader: IndexReader, fieldname: str, prefix: str, top: int
) -> Iterator[tuple[str, int]]:
    """Index terms starting with `prefix` and their document frequencies, the most frequent
    `top` of them (a short prefix can have thousands)."""
    if not prefix:
        return iter(())
    found = _iter_prefix_all(reader, fieldname, prefix)
    return iter(heapq.nlargest(top, found, key=lambda pair: pair[1]))


def stem_map(words: tuple[str, ...], schema: Schema) -> dict[str, str]:
    """Stemmed form -> typed word (lowercased), to undo the parser's stemming of prefixes."""
    analyzer = schema["abstract"].analyzer
    mapping: dict[str, str] = {}
    for word in words:
        for token in analyzer(word, removestops=False):
            mapping.setdefault(token.text, fold(word.lower()))
    return mapping


def degrade_phrases(q: query.Query) -> query.Query:
    """For Whoosh's own matchers: a phrase on a field without positions (abstracts) matches
    papers holding all its words instead of raising."""

    def rewrite(node: query.Query) -> query.Query:
        if isinstance(node, query.Phrase) and not node.degrade:
            return query.Phrase(node.fieldname, node.words, node.slop, node.boost, degrade=True)
        return node

    return q.accept(rewrite)


def positive_terms(q: query.Query) -> frozenset[tuple[str, str]]:
    """(field, term) pairs that make a paper match, for highlighting; negated parts excluded."""
    found: set[tuple[str, str]] = set()

    def walk(node: query.Query) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
            return
        if isinstance(node, query.Term):
            # (a number's term, `upvotes:5`, is bytes that are not UTF-8: never highlighted)
            raw = node.text
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
            found.add((node.fieldname, text))
        elif isinstance(node, query.Phrase):
            found.update((node.fieldname, word) for word in node.words)
        for child in node.children():
            walk(child)

    walk(q)
    return frozenset(found)


def filter_query(
    parsed: ParsedQuery,
    bookmarks: Iterable[Bookmark],
    new_since: str | None,
    dismissed: Collection[str] = (),
) -> query.Query | None:
    """`is:bookmarked`, `tag:x`, `note:x`, `is:new` and `is:dismissed` as a Whoosh filter
    (None: none)."""
    parts: list[query.Query] = []
    if parsed.on_bookmarks:
        parts.append(ids_query([b.paper_id for b in bookmarks if parsed.allows(b)]))
    if parsed.dismissed_only:
        parts.append(ids_query(dismissed))
    if parsed.new_only:
        since = naive_utc(new_since) if new_since else None
        parts.append(
            query.DateRange("added", since, None, startexcl=True) if since else query.NullQuery
        )
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def hidden_query(parsed: ParsedQuery, dismissed: Collection[str]) -> query.Query | None:
    """The papers marked not interested: they leave every listing but `is:dismissed`."""
    return None if parsed.dismissed_only or not dismissed else ids_query(dismissed)


def ids_query(ids: Collection[str]) -> query.Query:
    """Exactly these papers (none: nothing)."""
    return query.Or([query.Term("id", pid) for pid in ids]) if ids else query.NullQuery


def newest_first(
    searcher: Searcher,
    limit: int | None,
    allowed: query.Query | None,
    hidden: query.Query | None = None,
) -> tuple[tuple[int, ...], int]:
    """Every paper (or the allowed ones, less the hidden ones), newest day first, the
    digest's own order within a day (see listing.listing_order): document numbers and how many."""
    order = sorting.FieldFacet("order", reverse=True)
    results = searcher.search(
        query.Every(), limit=limit, sortedby=order, filter=allowed, mask=hidden
    )
    return tuple(hit.docnum for hit in results), len(results)


def suggest(
    searcher: Searcher,
    parsed: ParsedQuery,
    vocabulary: Vocabulary,
    typing: str | None = None,
    matched: bool = False,
) -> str | None:
    """A corrected query when some plain word matches nothing ("did you mean").

    `typing` is the word still being typed: it is not corrected while it is a known prefix.
    A word written fuzzy or as a pattern (`mambo~`, `mamb*`) already asks for its neighbours:
    it is not corrected once the query `matched` something."""
    reader = searcher.reader()
    analyzer = searcher.schema["abstract"].analyzer
    replaced, changed = close_brackets(parsed.text), False
    for word in parsed.words:
        stems = [token.text for token in analyzer(word)]
        if not word.isalpha() or len(word) < 3 or not stems:
            continue
        if matched and re.search(rf"(?<!\w){re.escape(word)}[~*?]", parsed.text):
            continue
        if any(_known(reader, stem) for stem in stems):
            continue
        if word == typing and vocabulary.has_prefix(fold(word.lower())):
            continue
        correction = vocabulary.correct(fold(word.lower()))
        if correction:
            replaced = re.sub(rf"\b{re.escape(word)}\b", correction, replaced, count=1)
            changed = True
    return replaced.strip() if changed else None


def _known(reader: IndexReader, stem: str) -> bool:
    return any(reader.doc_frequency(f, stem) for f in ("title", "abstract", "author"))


def match_spans(
    text: str, terms: frozenset[tuple[str, str]], fieldname: str, schema: Schema
) -> list[tuple[int, int]]:
    """Character spans of `text` whose analysed tokens are among the matched terms."""
    wanted = {term for field_name, term in terms if field_name == fieldname}
    if not wanted or not text:
        return []
    analyzer = schema[fieldname].analyzer
    return [
        (token.startchar, token.endchar)
        for token in analyzer(text, chars=True, removestops=False)
        if token.text in wanted
    ]


@dataclass(frozen=True, kw_only=True)
class Found:
    docnums: tuple[int, ...]  # best first
    scores: tuple[float, ...]
    terms: frozenset[tuple[str, str]]
    total: int
    suggestion: str | None = None
    fell_back: bool = False
    incomplete: str | None = None  # half-typed syntax (querytext.finish_typing), else None
    order: SortOrder = "relevance"  # the sort order applied


def whoosh_ranked(
    results: Results, limit: int | None
) -> tuple[tuple[int, ...], tuple[float, ...], int]:
    """Document numbers, scores and match count of Whoosh's own results."""
    docnums = tuple(hit.docnum for hit in results)
    scores = tuple(hit.score or 0.0 for hit in results)
    return docnums, scores, total_of(results, limit)


def total_of(results: Results, limit: int | None) -> int:
    """How many matched. Exact when all were scored; otherwise Whoosh's estimate, because the
    exact count of a broad query means walking every posting again."""
    scored = int(results.scored_length())
    if limit is None or scored < limit:
        return scored
    return max(scored, int(results.estimated_min_length()))
