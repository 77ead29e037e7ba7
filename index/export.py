"""Exports of papers (all, or the bookmarked ones), one table of formats (EXPORT_TABLE).

Every format is written a paper at a time (its writer yields text as papers come), so an
export of a million papers holds one paper, not the library; a file is written as the
library writes its own (paperdeck.index.fsutil.atomic_writer): the previous export stays whole until
the new one is complete.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import os
import stat
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from paperdeck.index.arxiv_facts import arxiv_record, signals_line
from paperdeck.index.errors import LibraryError
from paperdeck.index.fsutil import atomic_writer
from paperdeck.index.lazy import lazy_module
from paperdeck.index.models import Bookmark, Paper

if TYPE_CHECKING:
    from paperdeck.index import bibliography
else:  # BibTeX, RIS and CSL (with names' tables) load with the first citation written
    bibliography = lazy_module("paperdeck.index.bibliography")


def paper_record(paper: Paper, bookmarked: bool, **extra: Any) -> dict[str, Any]:
    """The JSON object the CLI prints and exports: the contract's fields first."""
    record = {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "date": paper.date.isoformat() if paper.date else None,
        "authors": list(paper.authors),
        "url": paper.url,
        "links": [link.url for link in paper.links],
        "bookmarked": bookmarked,
        "arxiv_id": paper.arxiv_id,
        "sources": list(paper.sources),
        **arxiv_record(paper),
        **signals_record(paper),
    }
    record.update(extra)
    return record


def signals_record(paper: Paper) -> dict[str, Any]:
    """Hugging Face's signals as JSON fields (null or empty where a digest gave none); its
    comment count is `hf_comment_count` (it was `comments`, now arXiv's `arxiv_comments`)."""
    return {
        "upvotes": paper.upvotes,
        "hf_comment_count": paper.hf_comment_count,
        "github_repo": paper.github_repo or None,
        "github_stars": paper.github_stars,
        "project_page": paper.project_page or None,
        "ai_summary": paper.ai_summary or None,
        "keywords": list(paper.keywords),
    }


def markdown_link(paper: Paper) -> str:
    title = paper.title.replace("[", "\\[").replace("]", "\\]")
    return f"[{title}]({paper.url})" if paper.url else title


@dataclass(frozen=True, kw_only=True)
class Marking:
    """What an export knows of the user's marks: which papers are bookmarked, their
    bookmarks (tags and notes), and whether only the bookmarks are exported."""

    bookmarked: Collection[str] = frozenset()
    marks: Mapping[str, Bookmark] = dataclasses.field(default_factory=dict)
    bookmarks_only: bool = False


def markdown_chunks(papers: Iterable[Paper], marking: Marking) -> Iterator[str]:
    """A list of links; a bookmarked paper's tags and note follow it."""
    yield f"# {'Bookmarks' if marking.bookmarks_only else 'Papers'}\n\n"
    for paper in papers:
        when = f" ({paper.date.isoformat()})" if paper.date else ""
        lines = [f"- {markdown_link(paper)}{when}"]
        extra = [f"[{link.label}]({link.url})" for link in paper.links[1:] if not link.broken]
        if extra:
            lines.append(f"  - {' · '.join(extra)}")
        if signals := signals_line(paper):
            lines.append(f"  - {signals}")
        if (mark := marking.marks.get(paper.id)) is not None:
            lines += _markdown_annotations(mark)
        yield "\n".join(lines) + "\n"


def to_markdown(
    papers: Iterable[Paper], marks: Mapping[str, Bookmark] | None = None, heading: str = "Papers"
) -> str:
    marking = Marking(marks=marks or {}, bookmarks_only=heading == "Bookmarks")
    return "".join(markdown_chunks(papers, marking))


def _markdown_annotations(mark: Bookmark) -> list[str]:
    lines = []
    if mark.tags:
        lines.append("  - tags: " + ", ".join(f"`{tag}`" for tag in mark.tags))
    if mark.note:
        lines.append("  - note: " + " ".join(mark.note.split()))  # one line: the list holds
    return lines


def json_chunks(papers: Iterable[Paper], marking: Marking) -> Iterator[str]:
    """Each paper's record, with its bookmark's tags and note (none for a paper not
    marked): the text `json.dumps(records, indent=2)` gives, a record at a time."""
    yield "["
    for number, p in enumerate(papers):
        record = paper_record(p, p.id in marking.bookmarked, **_mark_fields(p, marking.marks))
        text = json.dumps(record, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        yield ("," if number else "") + "\n  " + text
    yield "\n]\n"


def to_json(
    papers: Iterable[Paper],
    bookmarked: Collection[str],
    marks: Mapping[str, Bookmark] | None = None,
) -> str:
    return "".join(json_chunks(papers, Marking(bookmarked=bookmarked, marks=marks or {})))


def _mark_fields(paper: Paper, marks: Mapping[str, Bookmark] | None) -> dict[str, Any]:
    mark = (marks or {}).get(paper.id)
    return {"tags": list(mark.tags) if mark else [], "note": mark.note if mark else ""}


CSV_COLUMNS = ("id", "title", "date", "authors", "url", "bookmarked", "abstract")
# After the first columns, so that a sheet reading those by position still does.
CSV_SIGNALS = ("upvotes", "hf_comment_count", "github_repo", "github_stars", "project_page")
CSV_ARXIV = ("arxiv_comments", "journal_ref", "doi", "primary_category", "categories", "version")
CSV_MARKS = ("tags", "note")  # a bookmark's, last


def _blank(count: int | None) -> str:
    return "" if count is None else str(count)


def _csv_row(p: Paper, marking: Marking) -> list[str]:
    date = p.date.isoformat() if p.date else ""
    flag = "yes" if p.id in marking.bookmarked else "no"
    signals = [_blank(p.upvotes), _blank(p.hf_comment_count), p.github_repo]
    signals += [_blank(p.github_stars), p.project_page]
    row = [p.id, p.title, date, "; ".join(p.authors), p.url, flag, p.abstract]
    arxiv = [p.arxiv_comments, p.journal_ref, p.doi, p.primary_category]
    arxiv += [" ".join(p.categories), _blank(p.version)]
    mark = _mark_fields(p, marking.marks)
    return [*row, *signals, *arxiv, ", ".join(mark["tags"]), mark["note"]]


def csv_chunks(papers: Iterable[Paper], marking: Marking) -> Iterator[str]:
    import csv  # only for this format

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_COLUMNS, *CSV_SIGNALS, *CSV_ARXIV, *CSV_MARKS])
    for paper in papers:
        writer.writerow(_csv_row(paper, marking))
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def to_csv(
    papers: Iterable[Paper],
    bookmarked: Collection[str],
    marks: Mapping[str, Bookmark] | None = None,
) -> str:
    return "".join(csv_chunks(papers, Marking(bookmarked=bookmarked, marks=marks or {})))


def to_bibtex(papers: Iterable[Paper]) -> str:
    """Entries with unique keys (a second `smith2024deep` becomes `smith2024deepb`)."""
    return "".join(bibliography.bibtex_entries(iter(papers)))


@dataclass(frozen=True, kw_only=True)
class ExportFormat:
    """One export format: its name (`--format`), file suffix, and its writer, which
    yields the text as the papers come."""

    name: str
    suffix: str
    write: Callable[[Iterator[Paper], Marking], Iterator[str]]


# The one table of export formats: the CLI's choices, the reader's palette and file names.
EXPORT_TABLE = (
    ExportFormat(
        name="bibtex", suffix="bib", write=lambda papers, _: bibliography.bibtex_entries(papers)
    ),
    ExportFormat(name="markdown", suffix="md", write=markdown_chunks),
    ExportFormat(name="json", suffix="json", write=json_chunks),
    ExportFormat(name="csv", suffix="csv", write=csv_chunks),
    ExportFormat(
        name="ris", suffix="ris", write=lambda papers, _: bibliography.ris_entries(papers)
    ),
    ExportFormat(
        name="csl-json", suffix="csl.json", write=lambda papers, _: bibliography.csl_entries(papers)
    ),
)
FORMATS = tuple(row.name for row in EXPORT_TABLE)
_BY_NAME = {row.name: row for row in EXPORT_TABLE}


def export_chunks(fmt: str, papers: Iterable[Paper], marking: Marking) -> Iterator[str]:
    """`papers` in `fmt`, a piece at a time; marks add tags and notes where a format has
    room for them, and an export of the bookmarks only is headed so."""
    if fmt not in _BY_NAME:
        raise ValueError(f"unknown export format {fmt!r}")
    return _BY_NAME[fmt].write(iter(papers), marking)


def export(
    fmt: str,
    papers: Iterable[Paper],
    bookmarked: Collection[str],
    *,
    marks: Mapping[str, Bookmark] | None = None,
    bookmarks_only: bool = False,
) -> str:
    """The whole export as text (a small one: the reader's, tests')."""
    marking = Marking(bookmarked=bookmarked, marks=marks or {}, bookmarks_only=bookmarks_only)
    return "".join(export_chunks(fmt, papers, marking))


class NothingToExport(LibraryError):
    """No papers (or no bookmarks) to export: no empty file is written, the caller says so."""

    def __init__(self, bookmarked: bool) -> None:
        self.bookmarked = bookmarked
        super().__init__("no bookmarks to export" if bookmarked else "no papers to export")


@dataclass(frozen=True, kw_only=True)
class Exported:
    """What Library.export did: how many papers, and the file written or the text itself."""

    papers: int
    path: Path | None = None  # the file written, when one was asked for
    text: str = ""  # the export, when no file was asked for
    left_out: int = 0  # papers marked not interested, not exported (none when asked for)


def export_file_name(fmt: str, bookmarked: bool) -> str:
    """`paperdeck-bookmarks.bib`, `paperdeck-papers.csv`: the name an export is offered under."""
    return f"paperdeck-{'bookmarks' if bookmarked else 'papers'}.{_BY_NAME[fmt].suffix}"


def free_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name-2`, `name-3`… before its suffix: a file that exists is never
    offered (call from a worker: it looks at the disk)."""
    target, stem, suffix = folder / name, Path(name).stem, Path(name).suffix
    number = 2
    while target.exists():
        target, number = folder / f"{stem}-{number}{suffix}", number + 1
    return target


def downloads_dir() -> Path | None:
    """The user's Downloads folder (XDG's on Linux) when it exists: where a browser puts
    what it saves, so where an export from the reader is looked for."""
    import platformdirs  # only when an export is asked for: kept out of start-up

    folder = Path(platformdirs.user_downloads_dir())
    return folder if folder.is_dir() else None


def write_export(target: Path, chunks: Iterable[str], overwrite: bool) -> None:
    """Write an export as the library writes its files (a temp file, fsync, rename), so a
    full disk or a kill leaves the previous export whole; with `overwrite` false, a file
    already there raises FileExistsError (the reader then asks). A device or a pipe
    (`-o /dev/stdout`) cannot be replaced: it is written straight."""
    if _is_stream(target):
        with target.open("w", encoding="utf-8") as out:
            write_all(out, chunks)
        return
    with atomic_writer(target, overwrite=overwrite) as out:
        write_all(out, chunks)


def _is_stream(target: Path) -> bool:
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


class Writable(Protocol):
    """Where an export can be streamed: a text file, standard output."""

    def write(self, text: str, /) -> int: ...


class Counted(Iterator[Paper]):
    """Papers passing through, counted (an export says how many it wrote); `empty()`
    looks at the first without losing it."""

    def __init__(self, papers: Iterator[Paper]) -> None:
        self._papers, self._first, self.count = papers, list[Paper](), 0

    def empty(self) -> bool:
        if not self._first:
            self._first = [paper for paper in itertools.islice(self._papers, 1)]
        return not self._first

    def __next__(self) -> Paper:
        paper = self._first.pop() if self._first else next(self._papers)
        self.count += 1
        return paper


def write_all(out: Writable, chunks: Iterable[str]) -> None:
    for chunk in chunks:
        out.write(chunk)
