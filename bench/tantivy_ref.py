"""The fast reference: Tantivy (Rust, Lucene's design) through its Python binding.

What a user who wants speed would pick. Same rows as bench.fts5 reads (title, abstract,
authors of each paper), each field with Tantivy's English stemming tokenizer `en_stem`
(lower-case, stop-free, Snowball English: the counterpart of FTS5's porter), positions kept
for phrases; one writer with one heap for the whole load, committed once, its merges waited
for, so the import's time is the index a searcher can read. Searches are BM25 top-k, only the
document addresses collected (as FTS5's `SELECT rowid`), nothing read from a document store.

Typed text (the reader's last word is a prefix) is built from Tantivy's query objects, not
its query language: the language's `"word"*` is a phrase-prefix query, which stops after 50
expanded terms by default, while FTS5's `tok*` and paperdeck expand every term. A
`regex_query` of `tok.*` walks the term dictionary (an FST) with the same automaton for every
term that starts with it, so all three do the same work.

A bench-only dependency (`pip install -e '.[bench]'`); paperdeck never imports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import tantivy

from bench.fts5 import Row

FIELDS = ["title", "abstract", "authors"]
HEAP_PER_PAPER = 4_000  # bytes of writer heap per paper: the whole load stays in memory
HEAP_MIN, HEAP_MAX = 64 * 2**20, 2 * 2**30
WRITER_THREADS = 2  # the bench machine's cores


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in FIELDS:
        builder.add_text_field(name, tokenizer_name="en_stem", index_option="position")
    return builder.build()


class Tantivy:
    """A new index at `path`, or (`Tantivy.open`) the one already there."""

    def __init__(self, path: Path, index: tantivy.Index | None = None) -> None:
        self.path = path
        if index is None:
            path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(schema(), path=str(path))
        self.index = index
        self._searcher: tantivy.Searcher | None = None

    @classmethod
    def open(cls, path: Path) -> Tantivy:
        return cls(path, tantivy.Index.open(str(path)))

    def load(self, rows: Iterable[Row], papers: int) -> None:
        heap = max(HEAP_MIN, min(HEAP_MAX, papers * HEAP_PER_PAPER))
        writer = self.index.writer(heap_size=heap, num_threads=WRITER_THREADS)
        for title, abstract, authors in rows:
            writer.add_document(tantivy.Document(title=title, abstract=abstract, authors=authors))
        writer.commit()
        writer.wait_merging_threads()

    def searcher(self) -> tantivy.Searcher:
        if self._searcher is None:
            self.index.reload()
            self._searcher = self.index.searcher()
        return self._searcher

    def search(self, query: tantivy.Query, limit: int = 50) -> list[tuple[float, object]]:
        return self.searcher().search(query, limit, count=False).hits

    def parse(self, text: str) -> tantivy.Query:
        """A query in Tantivy's language over the three fields, words ANDed."""
        return self.index.parse_query(text, FIELDS, conjunction_by_default=True)

    def typed_query(self, text: str) -> tantivy.Query:
        """What the reader sends while typing: words ANDed, the last also as a prefix (see
        the module's docstring), unless a space follows it."""
        words = re.findall(r"\w+", text.lower())
        if not words:
            return tantivy.Query.empty_query()
        clauses = [(tantivy.Occur.Must, self.parse(word)) for word in words[:-1]]
        last = words[-1]
        if text.endswith(" "):
            clauses.append((tantivy.Occur.Must, self.parse(last)))
        else:
            either = [(tantivy.Occur.Should, self.parse(last))] + [
                (tantivy.Occur.Should, tantivy.Query.regex_query(self.index.schema, f, pattern))
                for f in FIELDS
                for pattern in [re.escape(last) + ".*"]
            ]
            clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(either)))
        return tantivy.Query.boolean_query(clauses)
