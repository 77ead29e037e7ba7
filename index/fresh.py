"""Filling a new generation on every core.

A first import and every rebuild write a generation nobody reads until the pointer swaps, so
it can be written as several independent segments. Each worker process (forked, so it shares
the parsed papers without pickling them) builds its papers' documents, counts their vocabulary
and writes segments of at most SEGMENT_PAPERS papers; the parent then commits one table of
contents naming them all. Whoosh's own multiprocess writer pickled every document to a file for
its workers and left the parent building documents and counting words while they waited.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

from whoosh import index
from whoosh.writing import SegmentWriter

from index.analysis import PaperAnalyzer
from index.codec import PaperCodec, SortedTerms
from index.models import Paper

PARALLEL_FROM = 1000  # papers in one write before a second process pays for itself
# Papers per segment: a segment's postings are all held in memory until it is written.
SEGMENT_PAPERS = 15_000
PROGRESS_EVERY = 100

DocumentOf = Callable[[Paper], dict[str, Any]]


def worker_count(papers: int) -> int:
    """Two processes for a large write from a process without threads (forking a threaded
    process, such as the reader, is not safe), else one."""
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if papers < PARALLEL_FROM or threading.active_count() != 1 or not forkable:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def write_fresh(
    target: index.Index,
    papers: Sequence[Paper],
    document_of: DocumentOf,
    analyzer: PaperAnalyzer,
    progress: Callable[[int], None] | None = None,
) -> Counter[str]:
    """Write `papers` into the empty index `target` in one commit; their raw word counts."""
    writer = target.writer(codec=PaperCodec())  # holds the lock; commits the segments
    try:
        workers = worker_count(len(papers))
        shares = [range(k, len(papers), workers) for k in range(workers)]
        if workers == 1:
            segments, counts = _write_share(target, papers, shares[0], document_of, analyzer)
        else:
            segments, counts = _in_workers(target, papers, shares, document_of, analyzer, progress)
        writer._close_segment()  # the parent's own segment stays empty, as in Whoosh's MpWriter
        writer._commit_toc(segments)
        writer._finish()
    except BaseException:
        writer.cancel()
        raise
    if progress:
        progress(len(papers))
    return counts


def _write_share(
    target: index.Index,
    papers: Sequence[Paper],
    share: range,
    document_of: DocumentOf,
    analyzer: PaperAnalyzer,
    done: Any = None,
    slot: int = 0,
) -> tuple[list[Any], Counter[str]]:
    """Write one share of the papers as segments; returns them and the share's word counts."""
    segments: list[Any] = []
    counts: Counter[str] = Counter()
    words = analyzer.raw_words
    for start in range(0, len(share), SEGMENT_PAPERS):
        writer = SegmentWriter(target, _lk=False, codec=PaperCodec())
        writer.pool = _TermPool()
        try:
            for n, number in enumerate(share[start : start + SEGMENT_PAPERS], start=1):
                paper = papers[number]
                writer.add_document(**document_of(paper))
                counts.update(words(paper.title))
                counts.update(words(paper.abstract))
                if done is not None and n % PROGRESS_EVERY == 0:
                    done[slot] += PROGRESS_EVERY  # each worker counts in its own slot
            segments.append(writer._finalize_segment())
        except BaseException:
            # Close its files but leave the temporary directory, which the writers share
            # (SegmentWriter.cancel would delete it); the caller drops the generation.
            with contextlib.suppress(Exception):
                writer._close_segment()
            raise
    return segments, counts


class _TermPool:
    """Whoosh's posting pool, keeping postings by term as they come. A fresh segment's
    documents arrive in docnum order, so each term's list is already sorted: sorting the
    terms replaces sorting every posting (~18M at 100k papers), and nothing spills to disk
    (a segment's SEGMENT_PAPERS papers fit in memory)."""

    def __init__(self) -> None:
        self.terms: defaultdict[tuple[str, bytes], list[tuple]] = defaultdict(list)

    def add(self, item: tuple) -> None:
        self.terms[item[0], item[1]].append(item)

    @property
    def fieldnames(self) -> set[str]:
        return {fieldname for fieldname, _ in self.terms}

    def iter_postings(self) -> SortedTerms:
        return SortedTerms(sorted(self.terms.items()))

    def cleanup(self) -> None:
        self.terms.clear()


def _in_workers(
    target: index.Index,
    papers: Sequence[Paper],
    shares: list[range],
    document_of: DocumentOf,
    analyzer: PaperAnalyzer,
    progress: Callable[[int], None] | None,
) -> tuple[list[Any], Counter[str]]:
    context = multiprocessing.get_context("fork")
    done = context.Array("q", len(shares), lock=False)  # no lock: no semaphore, no tracker
    pipes, processes = [], []
    for slot, share in enumerate(shares):
        receiver, sender = context.Pipe(duplex=False)
        args = (sender, os.getpid(), target, papers, share, document_of, analyzer, done, slot)
        process = context.Process(target=_worker, args=args, daemon=True)
        process.start()
        sender.close()
        pipes.append(receiver)
        processes.append(process)
    try:
        return _collect(pipes, processes, done, progress)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join()


def _worker(sender: Connection, parent: int, *args: Any) -> None:
    _die_with_parent()
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the line above took effect
    try:
        sender.send(("ok", _write_share(*args)))
    except BaseException as exc:  # reported to the parent, which raises it
        sender.send(("error", f"{exc.__class__.__name__}: {exc}"))
    finally:
        sender.close()


def _collect(
    pipes: list[Connection],
    processes: list[Any],
    done: Any,
    progress: Callable[[int], None] | None,
) -> tuple[list[Any], Counter[str]]:
    """Each worker's segments and word counts (received before joining: they are large)."""
    segments: list[Any] = []
    counts: Counter[str] = Counter()
    for pipe, process in zip(pipes, processes, strict=True):
        while not pipe.poll(0.25):
            if progress:
                progress(sum(done))
            if not process.is_alive() and not pipe.poll(0):
                raise OSError(f"an index writer process died (exit code {process.exitcode})")
        status, payload = pipe.recv()
        if status != "ok":
            raise OSError(f"an index writer process failed: {payload}")
        segments += payload[0]
        counts.update(payload[1])
    return segments, counts


def _die_with_parent() -> None:
    """Ask Linux to kill this worker if the importing process dies (kill -9, a closed
    terminal), so no orphan keeps writing into a generation that will never be used."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux: it finishes its share
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
