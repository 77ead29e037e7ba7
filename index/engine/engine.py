"""The engine's one door: everything paperdeck.index.library asks of the Whoosh index.

The library decides what to write and when to commit (paperdeck.index.catalog); the engine writes
generations, keeps the live one open and answers reads from it. Paper ids, papers and list
rows go in and out; document numbers leave only inside a `Found`, to be passed back. Every
read takes `lock` (reentrant), so the library can hold it around several reads that must see
one generation.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from paperdeck.index.engine import querytext
from paperdeck.index.engine import search as searching
from paperdeck.index.engine.keyfilter import KeyFilter
from paperdeck.index.engine.lookups import Lookups
from paperdeck.index.engine.ordering import ORDERS, Orderer, surface_words
from paperdeck.index.engine.ranking import Ranker
from paperdeck.index.engine.request import SearchRequest
from paperdeck.index.engine.search import Found
from paperdeck.index.engine.store import SCHEMA, Generation, Store, paper_from_stored
from paperdeck.index.models import Paper, PaperRow

__all__ = ["ORDERS", "Engine", "Found", "Generation", "SearchRequest"]


class Engine:
    def __init__(self, root: Path) -> None:
        #: The generations on disk: the library's writes (open, build, derive, lookups, adopt,
        #: discard, reopen, forget, prune, close) go to it directly; the reads below go
        #: through the engine, which ranks and orders them.
        self.store = Store(root)
        self._ranker = Ranker(self.store)
        self._orderer = Orderer(self.store, self._ranker)
        self._preparing = threading.Lock()  # one reading of the for-you terms at a time
        self.lock = self.store.lock

    @property
    def generation(self) -> str | None:
        """The live generation's name (None until one is open)."""
        return self.store.generation

    # -- reads ---------------------------------------------------------------------------------
    def count(self) -> int:
        with self.lock:
            return int(self.store.searcher().doc_count())

    def get(self, paper_id: str) -> Paper | None:
        with self.lock:
            stored = self.store.searcher().document(id=paper_id)
            return paper_from_stored(stored) if stored else None

    def held(self, paper_ids: Collection[str]) -> set[str]:
        """Which of these ids the index holds: one term lookup each, no stored fields read."""
        with self.lock:
            searcher = self.store.searcher()
            return {pid for pid in paper_ids if searcher.document_number(id=pid) is not None}

    def same_title(self, key: str) -> list[Paper]:
        """Papers whose title has this key (paperdeck.index.links.title_key)."""
        with self.lock:
            found = self.store.searcher().documents(title_key=key)
            return [paper_from_stored(doc) for doc in found]

    def finders(self) -> tuple[Callable[[str], Paper | None], Callable[[str], list[Paper]]]:
        """Find an import's papers in the live generation by id and by title key: one
        lookup a paper for a daily digest, a table read once for a big file
        (paperdeck.index.engine.lookups)."""
        gen_dir = self.store.root / str(self.generation)
        found = Lookups(self.store.searcher, self.lock, KeyFilter.load(gen_dir), gen_dir)
        return found.by_id, found.by_title

    def search(self, request: SearchRequest) -> Found:
        """What the user typed, ranked (paperdeck.index.engine.ranking) or sorted in another of
        ORDERS (paperdeck.index.engine.ordering), less the `dismissed` papers unless it asks
        for them (`is:dismissed`); never raises on odd input. Found.order is the order applied."""
        words = querytext.split_filters(request.text).text.strip()
        order = request.order
        with self.lock:
            if order == "relevance" or (order == "newest" and not words):
                found = self._ranker.run(request)
                return found if words else dataclasses.replace(found, order="newest")
            return self._orderer.run(request)

    def why(
        self, paper_id: str, liked: Collection[str], dismissed: Collection[str]
    ) -> tuple[list[str], list[str]] | None:
        """Why a paper ranks high for you: the ids of its two closest bookmarks, and the
        words (as the paper writes them) that lift it most; None without a bookmark."""
        with self.lock:
            why = self._orderer.why(paper_id, liked, dismissed)
            paper = self.get(paper_id) if why is not None else None
            if why is None or paper is None:
                return None
            return list(why.like), surface_words(paper, why.terms)

    def prepare_for_you(self) -> None:
        """Have the for-you features of the live generation ready: loaded from the cache,
        or assembled from its segments' terms (each segment read once, through a reader of
        its own, so that searches go on meanwhile); kept in the cache dir for the next
        process. A second caller (a search typed meanwhile) waits for the first, then finds
        them. Call it after an import is published, and the reader's first for-you ranking
        finds them ready."""
        with self._preparing:
            self._prepare_for_you()

    def _prepare_for_you(self) -> None:
        with self.lock:
            generation = self.store.generation
            if generation is None or self._orderer.saved_features(generation) is not None:
                return
            reader = self.store.require().reader()
        try:
            features = self._orderer.read_features(reader, generation)
        finally:
            reader.close()
        with self.lock:
            self._orderer.adopt_features(generation, features)

    def present(self, paper_ids: Collection[str]) -> int:
        """How many of these papers are in the index."""
        with self.lock:
            return len(self._orderer.docnums(paper_ids))

    def papers(self, found: Found) -> list[Paper]:
        """The whole papers of a search's documents, in its order."""
        with self.lock:
            return [self._ranker.paper(n) for n in found.docnums]

    def each_paper(self, found: Found, batch: int = 1000) -> Iterator[Paper]:
        """The whole papers of a search's documents, in its order, read a batch at a time
        from one searcher (an export of the whole library holds a batch, not the library);
        the lock is held per batch, so searches go on between them."""
        with self.lock:
            searcher = self.store.searcher()
        for start in range(0, len(found.docnums), batch):
            with self.lock:
                stored = [searcher.stored_fields(n) for n in found.docnums[start : start + batch]]
            yield from (paper_from_stored(fields) for fields in stored)

    def rows(self, found: Found) -> tuple[PaperRow, ...]:
        """The list rows of a search's documents, read from a column (no paper unpickled)."""
        with self.lock:
            return self._ranker.rows(found.docnums)

    def listing(self, limit: int | None) -> list[PaperRow] | None:
        """The newest papers' rows from the live generation's listing file; None (sort the
        index instead) when it gives fewer rows than the index has papers: a cut listing."""
        rows = self.store.listing(limit)
        if rows is not None and (limit is None or len(rows) < limit) and len(rows) != self.count():
            return None
        return rows

    def similar(
        self, paper_id: str, limit: int, hidden: Collection[str] = ()
    ) -> list[tuple[Paper, float]] | None:
        """Papers most like one (an OR of its strongest words, paperdeck.index.engine.ordering), but
        it and the `hidden` papers; None when there is no such paper."""
        with self.lock:
            searcher = self.store.searcher()
            docnum = searcher.document_number(id=paper_id)
            if docnum is None:
                return None
            found = self._orderer.similar(docnum, limit, hidden)
            stored = self.store.searcher().stored_fields
            return [(paper_from_stored(stored(n)), score) for n, score in found]

    def ids_starting(self, prefix: str, limit: int) -> list[str]:
        """Up to `limit` ids of live papers that begin with `prefix`."""
        found: list[str] = []
        with self.lock:
            searcher = self.store.searcher()
            for term in searcher.reader().expand_prefix("id", prefix):
                if len(found) >= limit:
                    break
                pid = term.decode("utf-8") if isinstance(term, bytes) else term
                if searcher.document_number(id=pid) is not None:  # not a deleted paper's term
                    found.append(pid)
        return found

    @staticmethod
    def spans(
        text: str, terms: frozenset[tuple[str, str]], fieldname: str
    ) -> list[tuple[int, int]]:
        """Spans of `text` matching a search's terms (for highlighting); CPU only."""
        return searching.match_spans(text, terms, fieldname, SCHEMA)

    def warm(self) -> None:
        """Load what the first search needs (numpy, field lengths)."""
        with self.lock:
            self._ranker.warm()
