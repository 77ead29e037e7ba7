"""The one index writer: every import, removal and rebuild writes papers through it.

It always writes into a generation nobody reads yet (paperdeck.index.engine.store makes one, empty
or linked
from the live one), so the new papers can go in as independent segments. Each worker process
(forked, so it shares the parsed papers without pickling them) builds its papers' documents,
counts their vocabulary and writes segments of at most SEGMENT_PAPERS papers; the parent marks
replaced papers deleted, merges small old segments, and commits one table of contents naming
them all. Workers die with their parent (kill -9, the out-of-memory killer, a closed terminal)
and leave Ctrl-C to it, so nothing outlives an import or prints over the terminal.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import itertools
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

import numpy as np
from paperdeck.index.engine import whoosh_private as private
from paperdeck.index.engine.analysis import CountedText
from paperdeck.index.engine.codec import Columns, PaperCodec, SortedTerms, columns_of
from paperdeck.index.engine.keyfilter import key_hash, paper_keys, save_segment_keys, saved_id_table
from paperdeck.index.models import Paper
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

# Papers written so far: the engine's count, which the importer turns into a Progress
# (done, estimated total: paperdeck.index.models).
Written = Callable[[int], None]

PARALLEL_FROM = 1000  # papers in one write before a second process pays for itself
# Papers per segment: a segment's postings are all held in memory until it is written.
SEGMENT_PAPERS = 15_000
PROGRESS_EVERY = 100
FEED_BATCH = 200  # papers a worker is sent at once
DELETE_BY_KEYS_FROM = 100  # replaced papers: past this many, found by the keys files

# Told of each segment written, with a reader of it (paperdeck.index.engine.store keeps its
# for-you terms): a cache's work, so its failure never fails the write.
SegmentWritten = Callable[[Any], object]
Posting = tuple[Any, ...]  # (fieldname, btext, docnum, weight, value), as Whoosh's pool has it
DocumentOf = Callable[[Paper], dict[str, Any]]


def worker_count(papers: int) -> int:
    """Two processes for a large write (`papers` is PARALLEL_FROM or more) from a process
    without threads (forking a threaded process, such as the reader, is not safe), else
    one."""
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if papers < PARALLEL_FROM or threading.active_count() != 1 or not forkable:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def write_papers(
    target: whoosh_index.Index,
    papers: Iterable[Paper],
    document_of: DocumentOf,
    delete_ids: Iterable[str] = (),
    progress: Written | None = None,
    segment_written: SegmentWritten | None = None,
) -> Counter[str]:
    """Write `papers` into `target` in one commit, deleting the documents whose `id` is in
    `delete_ids` (the papers they replace: read once the papers are all written, so an
    import may still be filling it while they stream); returns the new papers' raw word
    counts. The papers are taken as they come and not kept: a big import is never held.
    `segment_written` is told of each new segment as soon as it is written, by the
    process that wrote it or by the workers' reader process (see _Reader)."""
    writer = target.writer(codec=PaperCodec())  # holds the lock; commits the segments
    try:
        coming = iter(papers)
        head = list(itertools.islice(coming, PARALLEL_FROM))
        workers = worker_count(len(head))
        if workers == 1:
            segments, counts, written = _write_share(
                target,
                itertools.chain(head, coming),
                document_of,
                progress,
                functools.partial(_tell, segment_written, target),
            )
        else:
            papers_in = itertools.chain(head, coming)
            segments, counts, written = _in_workers(
                target, papers_in, workers, document_of, progress, segment_written
            )
        del head
        _delete(writer, delete_ids)
        private.commit_segments(writer, segments)  # with Whoosh's merge of small segments
    except BaseException:
        writer.cancel()
        raise
    if progress:
        progress(written)
    return counts


def _delete(writer: Any, paper_ids: Iterable[str]) -> None:
    """Mark the replaced papers deleted in the segments the generation started with, through
    one searcher: Whoosh's delete_by_term opens a searcher over every segment for each id,
    which dominated a newer snapshot's re-import (bench/README.md). Many of them are found
    from the segments' keys files instead, each checked by its stored id: a lookup an id
    walks every segment."""
    searcher = None
    try:
        ids = list(paper_ids)
        if len(ids) >= DELETE_BY_KEYS_FROM:
            searcher = writer.searcher()
            found = _documents_of(searcher, Path(writer.storage.folder), ids)
            if found is not None:
                for docnum in found:
                    writer.delete_document(docnum)
                return
        for paper_id in ids:
            searcher = searcher or writer.searcher()
            writer.delete_by_term("id", paper_id, searcher=searcher)
    finally:
        if searcher is not None:
            searcher.close()


def _documents_of(searcher: Any, gen_dir: Path, paper_ids: list[str]) -> list[int] | None:
    """The live documents of these ids, by the segments' keys files (None: a segment has
    none sound)."""
    table = saved_id_table(searcher.reader(), gen_dir)
    if table is None:
        return None
    hashes, docs = table
    found = []
    for paper_id in paper_ids:
        wanted = key_hash("id", paper_id)
        start = int(np.searchsorted(hashes, wanted, side="left"))
        end = int(np.searchsorted(hashes, wanted, side="right"))
        found += [
            int(doc)
            for doc in docs[start:end]
            if searcher.stored_fields(int(doc)).get("id") == paper_id
        ]
    return found


def _write_share(
    target: whoosh_index.Index,
    papers: Iterable[Paper],
    document_of: DocumentOf,
    report: Written | None,
    tell: Callable[[Any], None],
) -> tuple[list[Any], Counter[str], int]:
    """Write papers as segments of SEGMENT_PAPERS; returns them, the papers' word counts
    and how many were written. `report` is told that count every PROGRESS_EVERY papers,
    `tell` each segment once written."""
    segments: list[Any] = []
    words: Counter[str] = Counter()
    coming = iter(papers)
    written = 0
    while first := next(coming, None):
        writer = _FreshSegmentWriter(target, words)
        try:
            keys: list[tuple[int, int]] = []  # each paper's, for the segment's keys file
            for paper in itertools.chain([first], itertools.islice(coming, SEGMENT_PAPERS - 1)):
                writer.add_document(**document_of(paper))
                keys.append(paper_keys(paper))
                written += 1
                if report and written % PROGRESS_EVERY == 0:
                    report(written)
            segments.append(private.finalize_segment(writer))
            segment_id = segments[-1].segment_id()
            save_segment_keys(Path(target.storage.folder), segment_id, keys)
            tell(segments[-1])
        except BaseException:
            # Close its files but leave the temporary directory, which the writers share
            # (SegmentWriter.cancel would delete it); the caller drops the generation.
            with contextlib.suppress(Exception):
                private.close_segment(writer)
            raise
    return segments, words, written


def _tell(told: SegmentWritten | None, target: whoosh_index.Index, segment: Any) -> None:
    """Tell `told` of a segment just written, with a reader of it: the page cache still
    holds its files. A failure there is the cache's, never the write's."""
    if told is not None:
        with contextlib.suppress(Exception), private.segment_reader(target, segment) as leaf:
            told(leaf)


class _FreshSegmentWriter(SegmentWriter):
    """Whoosh's SegmentWriter for paperdeck's documents into a fresh segment: a title's or
    an abstract's term counts go to the pool as one batch, and their words into `words`
    (the vocabulary), instead of a tuple and two calls per posting. Whoosh's add_document
    options that paperdeck's schema never uses (boosts, spelling, vectors) are left out."""

    def __init__(self, target: whoosh_index.Index, words: Counter[str]) -> None:
        super().__init__(target, _lk=False, codec=PaperCodec())
        schema = self.schema
        assert not any(schema[n].vector or schema[n].separate_spelling() for n in schema.names())
        self.pool = _TermPool()
        self.words = words

    def add_document(self, **fields: Any) -> None:
        docnum, perdoc, schema = self.docnum, self.perdocwriter, self.schema
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value, field = fields[name], schema[name]
            if value is None:
                continue
            length = self._index_field(name, field, value, docnum) if field.indexed else 0
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _index_field(self, name: str, field: Any, value: Any, docnum: int) -> int:
        """Add one field's postings; returns the field's length, as Whoosh counts it."""
        counts = field.term_counts(value, self.words) if isinstance(field, CountedText) else None
        if counts is not None:
            self.pool.add_counts(field, name, docnum, counts)
            return sum(counts.values())
        length = 0
        for btext, freq, weight, vbytes in field.index(value):
            length += freq if field.scorable else 0
            self.pool.add((name, btext, docnum, weight, vbytes))
        return length


class _TermPool:
    """Whoosh's posting pool, keeping postings by term as they come. A fresh segment's
    documents arrive in docnum order, so each term's list is already sorted: sorting the
    terms replaces sorting every posting (~18M at 100k papers), and nothing spills to disk
    (a segment's SEGMENT_PAPERS papers fit in memory)."""

    def __init__(self) -> None:
        self.terms: defaultdict[tuple[str, bytes], list[Posting]] = defaultdict(list)
        # Counted fields: fieldname -> (field, term -> (docnums, frequencies))
        self.counted: dict[str, tuple[CountedText, dict[str, tuple[list[int], list[int]]]]] = {}

    def add(self, item: Posting) -> None:
        self.terms[item[0], item[1]].append(item)

    def add_counts(
        self, field: CountedText, fieldname: str, docnum: int, counts: dict[str, int]
    ) -> None:
        table = self.counted.setdefault(fieldname, (field, {}))[1]
        for term, frequency in counts.items():
            if (entry := table.get(term)) is None:
                table[term] = ([docnum], [frequency])
            else:
                entry[0].append(docnum)
                entry[1].append(frequency)

    def iter_postings(self) -> SortedTerms:
        """Every term with its postings, in Whoosh's order (UTF-8 sorts as code points do).
        Each term's columns are built as the codec asks for them and dropped from the pool
        then: a segment's postings are never held twice (that doubled a worker's memory)."""
        keys: list[tuple[tuple[str, bytes], str, str | bytes]] = [
            ((name, btext), "", btext) for name, btext in self.terms
        ]
        for fieldname, (_, table) in self.counted.items():
            keys += [((fieldname, term.encode("utf-8")), fieldname, term) for term in table]
        keys.sort(key=itemgetter(0))
        return SortedTerms(self._columns(key, counted, term) for key, counted, term in keys)

    def _columns(
        self, key: tuple[str, bytes], counted: str, term: str | bytes
    ) -> tuple[tuple[str, bytes], Columns]:
        if not counted:
            return key, columns_of(self.terms.pop(key))
        field, table = self.counted[counted]
        docnums, frequencies = table.pop(term)  # type: ignore[arg-type]
        weights, values = field.encoded(frequencies)
        return key, (docnums, weights, values)

    def cleanup(self) -> None:
        self.terms.clear()
        self.counted.clear()


def _in_workers(
    target: whoosh_index.Index,
    papers: Iterable[Paper],
    workers: int,
    document_of: DocumentOf,
    progress: Written | None,
    segment_written: SegmentWritten | None,
) -> tuple[list[Any], Counter[str], int]:
    """Fork the workers and the reader of the segments they write (see _Reader), then
    feed them the papers in turns, FEED_BATCH at a time, through pipes as they are read:
    the parent holds a batch, not the import. Forked while the parent is still small
    (before the digest is read), they copy little of it."""
    context = multiprocessing.get_context("fork")
    done = context.Array("q", workers, lock=False)  # no lock: no semaphore, no tracker
    results: list[Connection] = []
    feeds: list[Connection] = []
    processes: list[Any] = []
    reader = _Reader(context, target, segment_written, workers)
    try:
        # The parent's objects stay out of the workers' garbage collections, which would
        # write to every object's header and copy the parent's heap into each worker.
        gc.freeze()
        # Ctrl-C held back while forking: a worker must not see it before it ignores it
        # (its traceback would land on the terminal); the parent gets it just after.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            reader.start()
            for slot in range(workers):
                tell = reader.senders[slot]
                result_out, result_in = context.Pipe(duplex=False)
                feed_out, feed_in = context.Pipe(duplex=False)
                report = functools.partial(done.__setitem__, slot)  # a slot per worker
                # The parent's ends, which the worker must close: a pipe ends (EOF) only
                # once every copy of its writing end is closed.
                parents = [*feeds, *results, feed_in, result_out, *reader.others(slot)]
                args = (result_in, feed_out, parents, os.getpid(), target, document_of)
                process = context.Process(target=_worker, args=(*args, report, tell), daemon=True)
                processes.append(process)
                process.start()
                result_in.close()
                feed_out.close()
                tell.close()  # (the worker's now)
                results.append(result_out)
                feeds.append(feed_in)
        finally:
            gc.unfreeze()  # (the workers keep their frozen copy)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        written = _feed(feeds, processes, papers, lambda: progress(sum(done)) if progress else None)
        segments, counts = _collect(results, processes, done, progress)
        reader.join()  # every segment's terms kept before the commit names them
        return segments, counts, written
    finally:
        for feed in feeds:
            feed.close()
        for process in [*processes, *reader.processes]:
            if process.pid is None:  # a Ctrl-C noted just before SIGINT was blocked surfaced
                continue  # in start(), before its fork
            if process.is_alive():
                process.kill()
            process.join()


class _Reader:
    """A process that tells a SegmentWritten of the segments the workers write, as they
    send them (a pipe each), while they go on with their next ones (told by a worker
    itself, the feeding parent would wait on it and the other worker with it). Forked by
    the parent like the workers, while it is small: a worker's own child would share its
    large heap, and each page either wrote would be copied. One for both workers: it keeps
    up with them, and one segment read at a time holds its memory once. If it fails or
    dies, only the cache's head start is lost."""

    def __init__(
        self, context: Any, target: whoosh_index.Index, told: SegmentWritten | None, workers: int
    ) -> None:
        self.context, self.target, self.told = context, target, told
        self.processes: list[Any] = []
        self.senders = [_Sender(None) for _ in range(workers)]

    def start(self) -> None:
        """Fork it, before the workers: each worker's end of its pipe is in `senders`
        (the parent closes its copy once that worker is forked)."""
        if self.told is None:
            return
        pipes = [self.context.Pipe(duplex=False) for _ in self.senders]
        ends = [end for _, end in pipes]
        args = ([out for out, _ in pipes], ends, os.getpid(), self.target, self.told)
        self.processes.append(self.context.Process(target=_reader, args=args, daemon=True))
        self.processes[-1].start()
        for out, _ in pipes:
            out.close()
        self.senders = [_Sender(end) for end in ends]

    def others(self, slot: int) -> list[Connection]:
        """The parent's ends of the other workers' pipes, which a worker must close: the
        reader sees a pipe end once every copy of its writing end is closed."""
        return [
            sender.connection
            for n, sender in enumerate(self.senders)
            if n != slot and sender.connection
        ]

    def join(self) -> None:
        for process in self.processes:
            process.join()


class _Sender:
    """A worker's end of its reader's pipe: a segment sent, never waited for (a segment's
    description is small); nothing once the reader is gone."""

    def __init__(self, connection: Connection | None) -> None:
        self.connection = connection

    def __call__(self, segment: Any) -> None:
        if self.connection is not None:
            try:
                self.connection.send(segment)
            except OSError:  # the reader died: the first ranking reads the terms itself
                self.close()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _reader(pipes: list[Connection], parents: list[Connection], parent: int, *args: Any) -> None:
    """The reader process: the segments the workers send, each told (see _Reader), until
    every worker has closed its pipe."""
    _forked(parents, parent)
    target, told = args
    while pipes:
        for ready in multiprocessing.connection.wait(pipes):
            pipe = cast(Connection, ready)
            try:
                segment = pipe.recv()
            except (EOFError, OSError):  # the worker has written its share (or is gone)
                pipes.remove(pipe)
                continue
            _tell(told, target, segment)


def _feed(
    feeds: list[Connection],
    processes: list[Any],
    papers: Iterable[Paper],
    tick: Callable[[], None],
) -> int:
    """Send the papers to the workers in turns, a batch each, and close the pipes: the
    end of a pipe is the end of a worker's papers. Returns how many were sent."""
    sent = 0
    coming = iter(papers)
    for turn in itertools.count():
        batch = list(itertools.islice(coming, FEED_BATCH))
        if not batch:
            break
        slot = turn % len(feeds)
        try:
            feeds[slot].send(batch)
        except OSError:  # a broken pipe: the worker is gone
            code = processes[slot].exitcode
            raise OSError(f"an index writer process died (exit code {code})") from None
        sent += len(batch)
        tick()
    for feed in feeds:
        feed.close()
    return sent


def _worker(
    result: Connection, feed: Connection, parents: list[Connection], parent: int, *args: Any
) -> None:
    _forked(parents, parent)
    target, *rest = args
    try:
        segments, counts, _ = _write_share(target, _received(feed), *rest)
        result.send(("ok", (segments, counts)))
    except BaseException as exc:  # reported to the parent, which raises it
        result.send(("error", f"{exc.__class__.__name__}: {exc}"))
    finally:
        result.close()


def _forked(parents: list[Connection], parent: int) -> None:
    """A child process's first steps: dying with the parent, leaving Ctrl-C to it, closing
    its copies of the parent's pipe ends (`parents`)."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # (blocked while forking)
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the line above took effect
    for connection in parents:
        connection.close()


def _received(feed: Connection) -> Iterator[Paper]:
    """The papers the parent sends, batch by batch, until it closes the pipe."""
    while True:
        try:
            batch = feed.recv()
        except EOFError:
            return
        yield from batch


def _collect(
    pipes: list[Connection],
    processes: list[Any],
    done: Any,
    progress: Written | None,
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
