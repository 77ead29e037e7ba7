"""The library's write side: the write lock, imports streamed into a new index generation,
rebuilds, and the one commit that publishes them.

An import reads its digest once into a raw copy (hashing it: a digest already imported is
known before any work), then streams it: papers are parsed, merged with the library's
(paperdeck.index.merge.MergedStream) and written by the engine as they come, so memory does not grow
with the file. `library.json` is the one commit point: it names the digests and the
generation, and is replaced atomically (docs/ARCHITECTURE.md, "The commit protocol").
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from paperdeck.index import checkpoint
from paperdeck.index.catalog import (
    Catalog,
    DigestRecord,
    no_file_in_the_way,
    os_failure,
    read_catalog,
    write_catalog,
)
from paperdeck.index.checkpoint import Checkpoint, Counted, Tally, estimating, parts
from paperdeck.index.digest import DigestStream, open_digest
from paperdeck.index.digest.selection import Kept, Selection
from paperdeck.index.errors import DigestError, LibraryError
from paperdeck.index.fsutil import fsync_dir
from paperdeck.index.import_report import ImportReport
from paperdeck.index.incoming import Incoming, copy_hashing, prune_copies, record_of, size_of
from paperdeck.index.linememo import LineMemo, memo_path
from paperdeck.index.models import Paper, Progress, utc_iso
from paperdeck.index.paths import Paths

if TYPE_CHECKING:
    from filelock import FileLock
    from paperdeck.index.engine.engine import Engine, Generation
    from paperdeck.index.merge import Changes, FindById, FindByTitle, MergedStream, Seen

EVERYTHING = Selection()


class Writes:
    """Every change to the library: imports, rebuilds and their commit, under one
    cross-process write lock taken before the engine's thread lock, never while holding it."""

    def __init__(self, paths: Paths, engine: Callable[[], Engine], notices: list[str]) -> None:
        self._paths, self._engine, self._notices = paths, engine, notices
        self._lock: FileLock | None = None
        self._changes: Changes | None = None  # the running import's merges, for its summary

    def _write_lock(self) -> FileLock:
        if self._lock is None:
            self._paths.data_dir.mkdir(parents=True, exist_ok=True)
            from filelock import FileLock  # imported when first needed: kept out of start-up

            self._lock = FileLock(str(self._paths.data_dir / "library.lock"), timeout=60)
        return self._lock

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """The write lock (reentrant), with its failures as one clear line (a data dir that
        cannot be made or written names itself and why)."""
        lock_file = self._paths.data_dir / "library.lock"
        try:
            lock = self._write_lock()
            lock.acquire()
        except TimeoutError:  # filelock.Timeout is one
            raise LibraryError("the library is locked by another paperdeck; try again") from None
        except OSError as exc:
            raise LibraryError(f"cannot lock the library: {os_failure(lock_file, exc)}") from None
        try:
            yield
        finally:
            lock.release()

    # -- rebuilding ----------------------------------------------------------------------------
    def rebuild(self, catalog: Catalog, why: str, progress: Progress | None) -> int:
        """Re-index every paper of the catalog's digests from their raw copies, one digest
        streamed after the other as they were imported, and commit. A raw copy that cannot
        be read is skipped with a notice."""
        for directory in (self._paths.data_dir / "digests", self._paths.index_dir):
            no_file_in_the_way(directory)
        catalog = self._checked_copies(catalog, refuse=not why)
        engine = self._engine()
        total = sum(record.papers for record in catalog.records)
        generation: Generation | None = None
        try:
            generation = engine.store.build([], catalog.digests)
            for record in catalog.records:
                report = _offset(progress, generation.papers, total)
                if step := self._rebuild_one(generation, record, catalog.digests, report):
                    engine.store.discard(generation)
                    generation = step
            self.commit(catalog.records, generation)
        except BaseException as exc:
            if generation is not None and generation.name != engine.generation:
                engine.store.discard(generation)
            if isinstance(exc, OSError):
                where = os_failure(self._paths.index_dir, exc)
                raise LibraryError(f"cannot write the index: {where}") from None
            raise
        if catalog.records and why and why != "no index yet":
            self._notices.append(
                f"The search index was rebuilt ({why}): {generation.papers} papers."
            )
        return generation.papers

    def _checked_copies(self, catalog: Catalog, refuse: bool) -> Catalog:
        """The catalog with each raw copy found (by its name, else by its hash's prefix: a
        damaged name in library.json) and checked against the hash it was imported with. A
        copy missing or changed refuses a rebuild asked for, whose index still holds its
        papers; a rebuild that must happen reads what is there, with a notice."""
        records = []
        for record in catalog.records:
            found = self._raw_path(record)
            if found is not None and found != record.file:
                record = dataclasses.replace(record, file=found)
            said = _copy_problem(self._paths.data_dir, record, found)
            if said and refuse:
                raise LibraryError(
                    f"cannot rebuild: the raw copy of {record.name} {said}; nothing changed "
                    "(remove-digest it, then import the file again)"
                )
            if said and found is not None:  # (a missing one is said when it is skipped)
                self._notices.append(f"Raw copy of {record.name} {said}; read as it is.")
            records.append(record)
        return Catalog(tuple(records), catalog.generation)

    def _raw_path(self, record: DigestRecord) -> str | None:
        """Where a digest's raw copy is, relative to the data dir; None when nowhere."""
        if (self._paths.data_dir / record.file).is_file():
            return record.file
        prefix = f"{record.sha256[:12]}-"
        found = [
            p for p in (self._paths.data_dir / "digests").glob(f"{prefix}*")
            if p.is_file() and not p.name.endswith(".lines")
        ]  # fmt: skip
        return f"digests/{found[0].name}" if len(found) == 1 else None

    def _rebuild_one(
        self,
        base: Generation,
        record: DigestRecord,
        digests: list[str],
        report: Callable[[int], None] | None,
    ) -> Generation | None:
        """One digest's raw copy streamed into a generation on top of `base`; None (and a
        notice) when the copy cannot be read. A failing write raises."""
        try:
            raw = open(self._paths.data_dir / record.file, "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            self._notices.append(f"Raw copy of {record.name} unreadable ({exc}); skipped.")
            return None
        with raw:
            try:
                stream = open_digest(
                    raw, size_of(raw), record.name, today=record.import_date, fmt=record.format
                )
                papers = Kept(Selection.parse(record.selection)).papers(stream.papers)
                added = utc_iso(record.imported_at)
                final, _, _ = self._write_stream(base, papers, digests, added, lambda _: report)
                return final
            except DigestError as exc:
                self._notices.append(f"Raw copy of {record.name} unreadable ({exc}); skipped.")
                return None

    def commit(self, records: Iterable[DigestRecord], generation: Generation) -> None:
        """Publish a written generation with its catalog: one atomic replace of the library
        file. On failure the generation is dropped and the library stays as it was."""
        engine = self._engine()
        previous = engine.generation
        try:
            write_catalog(self._paths.library_file, Catalog(tuple(records), generation.name))
        except BaseException:  # a full disk, Ctrl-C: unless the new catalog is in place
            if read_catalog(self._paths.library_file).generation != generation.name:
                engine.store.discard(generation)
                raise
            engine.store.adopt(generation)
            raise
        engine.store.adopt(generation)
        engine.store.prune(keep={generation.name, *([previous] if previous else [])})

    # -- importing -----------------------------------------------------------------------------
    def import_file(
        self,
        raw: BinaryIO,
        name: str,
        fmt: str | None,
        progress: Progress | None,
        selection: Selection = EVERYTHING,
    ) -> ImportReport:
        """Import one digest read from `raw` (binary, read once: a pipe will do), under the
        write lock with the live generation open. The raw copy made on the way is what is
        parsed, so the index holds exactly what the library keeps (a file that grows or
        shrinks meanwhile cannot disagree with it). All or nothing; Ctrl-C leaves the
        library as it was."""
        copy_dir = self._paths.data_dir / "digests"
        for directory in (copy_dir, self._paths.index_dir):
            no_file_in_the_way(directory)
        try:
            prune_copies(copy_dir)
            file_sha, temp = copy_hashing(
                raw, copy_dir, name, progress and (lambda: progress(0, 0))
            )
        except OSError as exc:
            raise LibraryError(_failed(name, exc)) from None
        incoming = Incoming(name, file_sha, selection)
        kept: Path | None = None
        try:
            catalog = read_catalog(self._paths.library_file)
            if (known := record_of(catalog, incoming.key)) is not None:
                return ImportReport(name=name, papers=known.papers, new=0, already_imported=True)
            kept = self._paths.data_dir / incoming.relative
            os.replace(temp, kept)
            fsync_dir(copy_dir)
            with open(kept, "rb") as copy:
                report = self._write_import(
                    catalog, _reading(copy, fmt, incoming), incoming, progress
                )
            kept = None  # committed: the raw copy is the library's now
            return report
        except OSError as exc:
            raise LibraryError(_failed(name, exc)) from None
        finally:  # the raw copy goes with a failed import (not one stopped after its commit)
            temp.unlink(missing_ok=True)
            if kept is not None and incoming.key not in self._committed_digests():
                kept.unlink(missing_ok=True)
                memo_path(kept).unlink(missing_ok=True)

    def _committed_digests(self) -> list[str]:
        """The catalog's digests; none when it cannot be read (its error is the one said)."""
        try:
            return read_catalog(self._paths.library_file).digests
        except LibraryError:
            return []

    def _memo_files(self, catalog: Catalog, selection: Selection) -> list[Path]:
        """The line memos of the library's digests imported with this selection."""
        return [
            memo_path(self._paths.data_dir / record.file)
            for record in catalog.records
            if record.selection == selection.text
        ]

    def _write_import(
        self,
        catalog: Catalog,
        reading: Callable[[list[Path]], DigestStream],
        incoming: Incoming,
        progress: Progress | None,
    ) -> ImportReport:
        """Write the digest's papers as new generations, a part of CHECKPOINT_EVERY papers
        each on top of the one before (an interrupted import continues from the last part,
        paperdeck.index.checkpoint, when its checkpoint proves itself), and commit the last one with
        the digest. `reading(memo files)` starts reading the raw copy."""
        from paperdeck.index.merge import Changes

        digests = [*catalog.digests, incoming.key]
        resumed = self._resume_point(incoming, digests)
        self._changes = changes = Changes()
        try:
            stream = reading(self._memo_files(catalog, incoming.selection))
            final, tally, kept, kept_part = self._write_kept(
                stream, incoming, digests, resumed, progress
            )
        except checkpoint.Untrusted as why:
            assert resumed is not None  # (only a continued import proves a checkpoint)
            self._drop_checkpoint(resumed[0].generation, str(why))
            incoming.now, resumed = dt.datetime.now().astimezone(), None
            self._changes = changes = Changes()
            stream = reading(self._memo_files(catalog, incoming.selection))
            final, tally, kept, kept_part = self._write_kept(
                stream, incoming, digests, None, progress
            )
        memo = incoming.memo
        try:
            kept.check()
            if memo.noted:
                memo.save(self._paths.data_dir / incoming.relative)
            unchanged = tally.unchanged + memo.blanked
            total = tally.written + unchanged + tally.late_new
            new = tally.new + tally.late_new
            if progress is not None:  # the last moment to stop it (the reader's quit does)
                progress(tally.written, tally.written)
            self.commit([*catalog.records, incoming.record(stream.format, total, new)], final)
            checkpoint.drop_checkpoint(self._paths.index_dir)
        finally:  # the last checkpoint's generation: kept on disk if this failed
            self._changes = None
            if kept_part is not None:
                kept_part.opened.close()
        return ImportReport(
            name=stream.name,
            papers=total,
            new=new,
            dates=tuple(sorted(tally.day_set())),
            skipped=tuple(stream.skipped),
            warnings=stream.warnings,
            unchanged=unchanged,
            left_out=kept.left_out,
            resumed_after=resumed[0].tally.consumed if resumed else 0,
            merged=changes.merged,
            named=tuple(changes.named),
        )

    def _write_kept(
        self,
        stream: DigestStream,
        incoming: Incoming,
        digests: list[str],
        resumed: tuple[Checkpoint, Generation] | None,
        progress: Progress | None,
    ) -> tuple[Generation, Tally, Kept, Generation | None]:
        """`_write_parts` with what the selection kept, counted on from the checkpoint."""
        tally = resumed[0].tally if resumed else Tally()
        kept = Kept(incoming.selection, tally.consumed - tally.left_out, tally.left_out)
        final, tally, kept_part = self._write_parts(
            stream, incoming, digests, kept, resumed, progress
        )
        return final, tally, kept, kept_part

    def _write_parts(
        self,
        stream: DigestStream,
        incoming: Incoming,
        digests: list[str],
        kept: Kept,
        resumed: tuple[Checkpoint, Generation] | None,
        progress: Progress | None,
    ) -> tuple[Generation, Tally, Generation | None]:
        """The digest written a part at a time, each part's generation on top of the one
        before and checkpointed while more may follow; returns the last generation, the
        tally, and the last checkpoint's generation (still open) if it is another."""
        engine, added = self._engine(), utc_iso(incoming.now.isoformat())
        base, tally = (resumed[1], resumed[0].tally) if resumed else (None, Tally())
        from paperdeck.index.merge import Seen, note_seen

        source, memo = Counted(stream.papers, _paper_id), incoming.memo
        seen = Seen()  # the keys met so far (a continued import's: those of the papers it skips)
        try:
            passed = Kept(incoming.selection)  # (counted in the tally already)
            _skip_written(
                source, tally, stream, progress,
                lambda ps: (note_seen(seen, p) for p in memo.noting(passed.papers(ps))),
            )  # fmt: skip
            if resumed and (source.count, source.prefix) != (tally.consumed, resumed[0].prefix):
                raise checkpoint.Untrusted(f"its first {tally.consumed} papers are not the file's")
            for part in parts(source, checkpoint.CHECKPOINT_EVERY):
                before = tally
                final, merged, late_new = self._write_stream(
                    base, memo.noting(kept.papers(part)), digests, added,
                    functools.partial(estimating, progress, fraction=stream.fraction, before=tally),
                    seen, not resumed and base is not None,  # (route: see _write_stream)
                )  # fmt: skip
                seen = merged.seen
                tally = tally.plus(merged, late_new, source.count, kept.left_out)
                if source.count - before.consumed >= checkpoint.CHECKPOINT_EVERY:  # more to come
                    started = incoming.now.isoformat()
                    held = Checkpoint(
                        incoming.key, engine.generation, final.name, started, tally, source.prefix
                    )
                    held.save(self._paths.index_dir)
                    if base is not None:
                        engine.store.discard(base)  # its files are linked into the new part's
                    base = final
        except BaseException as exc:
            if base is not None:
                base.opened.close()  # left on disk for the next run to continue from
                if not isinstance(exc, checkpoint.Untrusted):
                    exc.add_note(checkpoint.CONTINUE_NOTE)
            raise
        return final, tally, (base if base is not final else None)

    def _resume_point(
        self, incoming: Incoming, digests: list[str]
    ) -> tuple[Checkpoint, Generation] | None:
        """The checkpoint an interrupted import of this digest left, with its generation,
        when the library is still as that import found it; any other checkpoint is dropped
        with its generation (one that does not read as a checkpoint, with a notice)."""
        engine = self._engine()
        try:
            found = checkpoint.read_checkpoint(self._paths.index_dir)
        except checkpoint.Untrusted as why:
            self._drop_checkpoint(None, str(why))
            return None
        if found is None:
            return None
        same = found.key == incoming.key and found.base == engine.generation
        if same and (generation := engine.store.reopen(found.generation, digests)) is not None:
            incoming.now = dt.datetime.fromisoformat(found.started)
            return found, generation
        engine.store.forget(found.generation)
        checkpoint.drop_checkpoint(self._paths.index_dir)
        return None

    def _drop_checkpoint(self, generation: str | None, why: str) -> None:
        """An untrusted checkpoint discarded, with its generation, and said."""
        if generation is not None:
            self._engine().store.forget(generation)
        checkpoint.drop_checkpoint(self._paths.index_dir)
        self._notices.append(checkpoint.UNTRUSTED_NOTICE.format(why))

    def _write_stream(
        self,
        base: Generation | None,
        papers: Iterable[Paper],
        digests: list[str],
        added: str,
        progress_of: Callable[[MergedStream], Callable[[int], None] | None],
        seen: Seen | None = None,
        route: bool = False,
    ) -> tuple[Generation, MergedStream, int]:
        """Papers merged with those of `base` (the live generation when None) as they
        stream, and written on top of it as a new generation (the repeats settled after);
        returns it, the merge's counts and how many of the repeats were new. `seen`: the
        keys met by the parts before; `route`: they are all of `base`'s new papers, so the
        others are looked up in the live generation."""
        from paperdeck.index.merge import MergedStream

        engine = self._engine()
        written: list[Generation] = []  # to drop if the write stops before its commit
        try:
            with self._finders(base, seen if route else None) as (find_id, find_title):
                merged = MergedStream(find_id, find_title, added, seen, self._changes)
                papers = merged.papers(papers)
                report = progress_of(merged)
                written.append(engine.store.derive(papers, digests, merged.replaced, report, base))
            final, late_new = self._settle(written[0], merged, digests)
            written.append(final)
        except BaseException:
            for generation in written:
                engine.store.discard(generation)
            raise
        if final is not written[0]:
            engine.store.discard(written[0])  # (the final one has its files, linked)
        return final, merged, late_new

    @contextlib.contextmanager
    def _finders(
        self, base: Generation | None, seen: Seen | None = None
    ) -> Iterator[tuple[FindById, FindByTitle]]:
        """Lookups by id and title key in `base`, or the live generation; none at all in an
        empty one (the first import has nothing to look up, paper by paper). With `seen`,
        the keys the parts before met are looked up in `base` and the rest in the live
        generation: reading a table of every paper of `base` for each part cost more."""
        engine = self._engine()
        if seen is not None and base is not None:
            with self._finders(None) as live, engine.store.lookups(base) as written:
                yield (
                    lambda pid: (written if hash(pid) in seen.ids else live)[0](pid),
                    lambda key: (written if hash(key) in seen.titles else live)[1](key),
                )
        elif (base.papers if base is not None else engine.count()) == 0:
            yield (lambda _id: None), (lambda _key: [])
        elif base is None:
            yield engine.finders()
        else:
            with engine.store.lookups(base) as found:
                yield found

    def _settle(
        self, written: Generation, merged: MergedStream, digests: list[str]
    ) -> tuple[Generation, int]:
        """Merge the papers that repeat one met earlier in the digest with what was written,
        as a second generation on top of it; returns it and how many of them are new."""
        if not merged.late:
            return written, 0
        from paperdeck.index.merge import PaperSet

        engine = self._engine()
        with engine.store.lookups(written) as (find_id, find_title):
            settled = PaperSet(find_id, find_title)
            for paper in merged.late:
                settled.add(paper)
        replaced = (set(settled.papers) - settled.new_ids) | settled.dropped
        final = engine.store.derive(settled.papers.values(), digests, replaced, base=written)
        return final, len(settled.new_ids)


def _copy_problem(data_dir: Path, record: DigestRecord, found: str | None) -> str:
    """What is wrong with a raw copy ("" when it is the file imported)."""
    if found is None:
        return "is missing"
    digest = hashlib.sha256()
    try:
        with open(data_dir / found, "rb") as raw:
            while chunk := raw.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    incoming = Incoming(record.name, digest.hexdigest(), Selection.parse(record.selection))
    return "" if incoming.key == record.sha256 else "is damaged (not the file imported)"


def _paper_id(paper: Paper) -> str:
    return paper.id


def _failed(name: str, exc: OSError) -> str:
    """An import's OSError as one line naming the file it met and why."""
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{name}: import failed, nothing changed: {exc.strerror or exc}{where}"


def _reading(
    copy: BinaryIO, fmt: str | None, incoming: Incoming
) -> Callable[[list[Path]], DigestStream]:
    """Start reading the raw copy (again, from its start), with a fresh line memo of the
    library's digests given."""

    def start(memo_files: list[Path]) -> DigestStream:
        copy.seek(0)
        incoming.memo = LineMemo.load(memo_files, incoming.selection.text)
        return open_digest(
            copy, size_of(copy), incoming.name, today=incoming.now.date(), fmt=fmt,
            line_filter=incoming.memo,
        )  # fmt: skip

    return start


def _offset(progress: Progress | None, done: int, total: int) -> Callable[[int], None] | None:
    """`progress` for one digest of a rebuild: its papers counted after those before it."""
    if progress is None:
        return None
    return lambda n: progress(done + n, max(total, done + n))


def _skip_written(
    source: Counted[Paper],
    tally: Tally,
    stream: DigestStream,
    progress: Progress | None,
    through: Callable[[Iterable[Paper]], Iterable[Paper]],
) -> None:
    """Pass over the papers a continued import had written (read `through` what notes
    them, not written again), showing how far through the file that gets."""
    step = 5000
    for done in range(0, tally.consumed, step):
        for _ in through(itertools.islice(source, min(step, tally.consumed - done))):
            pass
        if progress is not None and (fraction := stream.fraction()) > 0:
            progress(tally.written, max(tally.written, round(source.count / fraction)))
