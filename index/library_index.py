"""The live index, one part of paperdeck.index.library's Library: the catalog (library.json),
the engine with the generation the catalog names open in it, and every write to them
(imports, rebuilds, removals) under the write lock. The other parts read through
`reading()`, which opens (or rebuilds) first."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from paperdeck.index.catalog import (
    Catalog,
    CatalogDamaged,
    DigestRecord,
    catalog_stamp,
    os_failure,
    read_catalog,
    recover_catalog,
    write_catalog,
)
from paperdeck.index.engine.meta import IndexStale, generation_metas, peek_listing
from paperdeck.index.errors import LibraryError
from paperdeck.index.lazy import lazy_module
from paperdeck.index.library_shared import Shared
from paperdeck.index.models import PaperRow, Progress

if TYPE_CHECKING:  # mypy reads the module; at run time it is imported on first use
    from paperdeck.index import importing
    from paperdeck.index.digest.selection import Selection
    from paperdeck.index.engine import engine as engines
    from paperdeck.index.engine.engine import Engine
    from paperdeck.index.import_report import ImportReport
else:
    engines = lazy_module("paperdeck.index.engine.engine")  # Whoosh and numpy
    importing = lazy_module("paperdeck.index.importing")  # the write side: not for a read


def utc_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")


class LiveIndex:
    """The catalog and the engine kept on its generation. `changed` is called after every
    write and rebuild (committed or not): answers cached from the old generation go."""

    def __init__(self, shared: Shared, changed: Callable[[], None]) -> None:
        self._paths, self._notices, self._changed = shared.paths, shared.notices, changed
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self._opened_stamp: tuple[int, int, int] | None = None

    @functools.cached_property
    def _writes(self) -> importing.Writes:
        """The write side, made (and imported) at the first write or recovery."""
        return importing.Writes(self._paths, lambda: self.engine, self._notices)

    @property
    def engine(self) -> Engine:
        """The Whoosh index (paperdeck.index.engine), created (and Whoosh imported) on first use."""
        with self._engine_lock:
            if self._engine is None:
                self._engine = engines.Engine(self._paths.index_dir)
            return self._engine

    @property
    def engine_started(self) -> bool:
        """Whether the engine exists yet (the reader's first rows come without it)."""
        return self._engine is not None

    @property
    def opened_stamp(self) -> tuple[int, int, int] | None:
        """The catalog file's stamp when its generation was last opened (None: not open)."""
        return self._opened_stamp

    def close(self) -> None:
        if self._engine is not None:
            self._engine.store.close()
        self._opened_stamp = None

    def catalog(self) -> Catalog:
        """The catalog; a damaged one (or a missing one while a generation holds exactly the
        raw copies) is recovered from the raw copies, with a notice."""
        try:
            catalog = read_catalog(self._paths.library_file)
        except CatalogDamaged:
            return self._recover(damaged=True)
        if catalog.records or self._paths.library_file.exists():
            return catalog
        if not any((self._paths.data_dir / "digests").glob("????????????-*")):
            return catalog
        return self._recover(damaged=False)

    def _recover(self, *, damaged: bool) -> Catalog:
        """Under the write lock (another process may be recovering it too): set the damaged
        file aside, write the recovered catalog, say so once."""
        with self._writes.writing():
            library = self._paths.library_file
            if library.exists():
                with contextlib.suppress(CatalogDamaged):
                    return read_catalog(library)  # recovered by another process meanwhile
            metas = generation_metas(self._paths.index_dir)
            catalog = recover_catalog(self._paths.data_dir, metas)
            if not damaged and catalog.generation is None:
                return Catalog()  # raw copies no index holds: an import killed before its commit
            try:
                aside = None
                if library.exists():
                    aside = library.with_name(f"{library.name}.unreadable-{utc_stamp()}")
                    os.replace(library, aside)
                write_catalog(library, catalog)
            except OSError as exc:
                raise LibraryError(f"cannot recover {os_failure(library, exc)}") from None
        moved = f"; the damaged file was moved aside to {aside}" if aside else ""
        self._notices.append(
            f"{library.name} was rebuilt from the {len(catalog.records)} raw copies"
            f" in {self._paths.data_dir / 'digests'}{moved}."
        )
        return catalog

    def open(self, progress: Progress | None = None) -> None:
        """Make the index usable: open the generation the catalog names, or rebuild it from
        the raw digests if it is missing, damaged or out of date (with a notice)."""
        stamp = catalog_stamp(self._paths.library_file)
        if stamp is not None and stamp == self._opened_stamp:
            return
        catalog = self.catalog()
        try:
            self.engine.store.open(catalog.generation, catalog.digests)
            self._opened_stamp = stamp
            return
        except IndexStale:
            pass
        with self._writes.writing():  # a rebuild; another process may have committed meanwhile
            stamp = catalog_stamp(self._paths.library_file)
            catalog = self.catalog()
            try:
                self.engine.store.open(catalog.generation, catalog.digests)
            except IndexStale as why:
                self._writes.rebuild(catalog, str(why), progress)
                stamp = catalog_stamp(self._paths.library_file)
                self._changed()
            self._opened_stamp = stamp

    @contextlib.contextmanager
    def reading(self) -> Iterator[Engine]:
        """The engine with the catalog's generation open, locked for several reads that
        must see one generation."""
        self.open()
        engine = self.engine
        with engine.lock:
            yield engine

    def peek(self, catalog: Catalog, limit: int) -> tuple[list[PaperRow], int] | None:
        """The newest `limit` rows and the paper count, from the listing file of the
        catalog's generation, without opening the index; None when it needs opening."""
        gen_dir = self._paths.index_dir / catalog.generation if catalog.generation else None
        return peek_listing(gen_dir, catalog.digests, limit)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Re-index every paper from the raw digests."""
        with self._writes.writing():
            try:
                return self._writes.rebuild(self.catalog(), "", progress)
            finally:
                self._committed()

    def _committed(self) -> None:
        """After a write (committed or not): the open generation is the catalog's."""
        self._opened_stamp = catalog_stamp(self._paths.library_file)
        self._changed()

    def import_file(
        self,
        raw: BinaryIO,
        name: str,
        fmt: str | None,
        progress: Progress | None,
        selection: Selection,
    ) -> ImportReport:
        """Import one digest, all or nothing, under the write lock."""
        with self._writes.writing():
            self.open()
            try:
                return self._writes.import_file(raw, name, fmt, progress, selection)
            finally:
                self._committed()

    def remove_digest(self, name: str) -> DigestRecord:
        """Take one imported digest out; papers only it brought leave."""
        with self._writes.writing():
            catalog = self.catalog()
            records = catalog.records
            matches = [r for r in records if name in (r.name, r.file) or _key_is(r, name)]
            if len(matches) != 1:
                known = ", ".join(f"{r.name} {r.sha256[:12]}" for r in records) or "none"
                count = "no digest" if not matches else "several digests"
                raise LibraryError(f"{count} named {name!r}; give its key (imported: {known})")
            remaining = tuple(r for r in records if r is not matches[0])
            try:
                self._writes.rebuild(Catalog(remaining, catalog.generation), "", None)
            finally:
                self._committed()
            from paperdeck.index.linememo import memo_path  # (hashlib: not for a read)

            raw_copy: Path = self._paths.data_dir / matches[0].file
            raw_copy.unlink(missing_ok=True)
            memo_path(raw_copy).unlink(missing_ok=True)
            return matches[0]

    def digests(self) -> list[DigestRecord]:
        return list(self.catalog().records)


def _key_is(record: DigestRecord, text: str) -> bool:
    """A digest's key typed short (at least 6 characters), as `paperdeck digests` shows it."""
    return len(text) >= 6 and record.sha256.startswith(text)
