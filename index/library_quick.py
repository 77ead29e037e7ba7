"""Answers that need no index search, one part of paperdeck.index.library's Library: the
newest-first list and papers by id, read from files beside the live generation without
importing the engine (Whoosh and numpy cost most of a short command's time).

Two files, each proved before it is used, or the engine answers (never a wrong answer):

- the generation's listing file (engine/listing.py), trusted when the generation's meta
  fits the catalog (schema, digests) and the listing holds exactly its papers, once each;
- `cache/quick/<generation>.jsonl`, every paper of a small library as JSON lines under a
  header naming the generation, the count and the SHA-256 of the lines. Written by the first
  read that needed the engine for a paper (so `show` in a script pays once a generation).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from paperdeck.index.catalog import read_catalog
from paperdeck.index.engine.listing import read_listing
from paperdeck.index.engine.meta import IndexStale, read_meta
from paperdeck.index.errors import LibraryError
from paperdeck.index.fsutil import atomic_write_bytes
from paperdeck.index.library_index import LiveIndex
from paperdeck.index.library_shared import Shared
from paperdeck.index.models import Paper, PaperRow

if TYPE_CHECKING:
    from paperdeck.index.engine.engine import Engine

QUICK_PAPERS_AT_MOST = 20_000  # past it the file would cost more to read than the engine
QUICK_DIR = "quick"


class Quick:
    """The listing and the papers file of the catalog's generation, each checked against
    it; None from a call means "ask the engine"."""

    def __init__(self, shared: Shared, index: LiveIndex) -> None:
        self._paths, self._index = shared.paths, index
        self._papers: tuple[str, dict[str, Paper]] | None = None  # (generation, papers)
        self._keeping = True

    def stop_keeping(self) -> None:
        """A reader's library: its engine opens right after the first frame, and reading
        every paper for the file would delay its first detail view; it writes none."""
        self._keeping = False

    def _generation(self) -> tuple[str, int] | None:
        """The catalog's generation and its paper count by its meta, when it would open as
        it is (the engine rebuilds otherwise: no quick answer then)."""
        try:
            catalog = read_catalog(self._paths.library_file)
        except LibraryError:  # unreadable or damaged: the engine's path says so or recovers it
            return None
        if catalog.generation is None:
            return None
        try:
            meta = read_meta(self._paths.index_dir / catalog.generation, catalog.digests)
        except IndexStale:
            return None
        papers = meta.get("papers")
        return (catalog.generation, papers) if isinstance(papers, int) else None

    def newest_rows(self) -> list[PaperRow] | None:
        """Every paper's row, newest first, from the listing file; None unless it holds the
        generation's papers exactly (as many as its meta says, each once)."""
        if self._index.engine_started or (live := self._generation()) is None:
            return None
        generation, count = live
        rows = read_listing(self._paths.index_dir / generation)
        if rows is None or len(rows) != count or len({row.id for row in rows}) != count:
            return None
        return rows

    def papers(self) -> dict[str, Paper] | None:
        """Every paper by id from the papers file, when it proves itself (see the module)."""
        if self._index.engine_started or (live := self._generation()) is None:
            return None
        if self._papers is not None and self._papers[0] == live[0]:
            return self._papers[1]
        papers = _read_papers(self._file(live[0]), *live)
        if papers is not None:
            self._papers = (live[0], papers)
        return papers

    def _file(self, generation: str) -> Path:
        return self._paths.cache_dir / QUICK_DIR / f"{generation}.jsonl"

    def keep(self, generation: str | None, papers: list[Paper]) -> None:
        """Write the papers file of a generation (every paper of it, read by the engine)
        and remove the others'; a failure to write only means no quick answer next time."""
        if generation is None or len(papers) > QUICK_PAPERS_AT_MOST:
            return
        import hashlib  # (OpenSSL's module: not for the reader's first rows)

        body = b"".join(
            json.dumps(p.to_dict(), ensure_ascii=False).encode("utf-8") + b"\n" for p in papers
        )
        header = {"generation": generation, "papers": len(papers)}
        header["sha256"] = hashlib.sha256(body).hexdigest()
        target = self._file(generation)
        with contextlib.suppress(OSError):
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, json.dumps(header).encode("utf-8") + b"\n" + body)
            for other in target.parent.glob("*.jsonl"):
                if other != target:
                    other.unlink(missing_ok=True)

    def paper(self, paper_id: str) -> Paper | None:
        """One paper by id: from the papers file, else from the engine; a process that
        started without the engine (a CLI command) then writes the file for the next one."""
        if (papers := self.papers()) is not None:
            return papers.get(paper_id)
        started = self._index.engine_started
        with self._index.reading() as engine:
            if not started:
                self.keep_from(engine)
            return engine.get(paper_id)

    def newest(self, limit: int | None, hidden: set[str]) -> list[Paper] | None:
        """Every paper newest first (the first `limit`), less the `hidden` ones, from the
        listing and the papers file; None when either does not prove itself."""
        rows, papers = self.newest_rows(), self.papers()
        if rows is None or papers is None or any(row.id not in papers for row in rows):
            return None
        shown = [papers[row.id] for row in rows if row.id not in hidden]
        return shown if limit is None else shown[:limit]

    def keep_from(self, engine: Engine) -> None:
        """Write the papers file from the engine, for a process that started without it
        (a CLI command) while the library is small; the engine holds the catalog's
        generation (the caller is inside LiveIndex.reading)."""
        from paperdeck.index.engine.request import SearchRequest  # (the engine's, loaded)

        if self._keeping and engine.count() <= QUICK_PAPERS_AT_MOST:
            every = SearchRequest(
                text="", limit=None, prefix=True, order="newest", bookmarks=dict, new_since=None
            )
            found = engine.search(every)
            self.keep(engine.generation, engine.papers(found))

    def ids_starting(self, prefix: str, limit: int) -> list[str] | None:
        """Up to `limit` ids, sorted, of the papers file's papers that begin with `prefix`."""
        if (papers := self.papers()) is None:
            return None
        return sorted(pid for pid in papers if pid.startswith(prefix))[:limit]


def _read_papers(path: Path, generation: str, count: int) -> dict[str, Paper] | None:
    """The papers of `path` when its header names this generation and count and its lines'
    checksum; None for a missing, stale or damaged file."""
    import hashlib  # (OpenSSL's module: not for the reader's first rows)

    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    try:
        header = json.loads(head)
        fits = (
            header.get("generation") == generation
            and header.get("papers") == count
            and header.get("sha256") == hashlib.sha256(body).hexdigest()
        )
        if not fits:
            return None
        papers = [Paper.from_dict(json.loads(line)) for line in body.splitlines()]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    by_id = {paper.id: paper for paper in papers}
    return by_id if len(papers) == count == len(by_id) else None
