"""Exports of papers (all, or the bookmarked ones): BibTeX, Markdown, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperdeck.index.arxiv_facts import arxiv_record
from paperdeck.index.errors import LibraryError
from paperdeck.index.models import Bookmark, Paper

FORMATS = ("bibtex", "markdown", "json", "csv")
SUFFIXES = {"bibtex": "bib", "markdown": "md", "json": "json", "csv": "csv"}
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# The year and month in an arXiv id: 2405.17428, or hep-th/9901001.
_ARXIV_MONTH = re.compile(r"(?:^|/)(?P<year>\d{2})(?P<month>\d{2})(?:\.\d{4,5}|\d{3})$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_STOP_WORDS = {"a", "an", "the", "on", "of", "for", "and", "in", "to", "with", "via", "is"}


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


def signals_line(paper: Paper) -> str:
    """Hugging Face's signals in one line: `▲ 212 upvotes · 14 comments · 1,843 GitHub
    stars` (the repo and project page are among the links); "" when there are none."""
    said = []
    if paper.upvotes is not None:
        said.append(f"▲ {paper.upvotes:,} upvote{'' if paper.upvotes == 1 else 's'}")
    if paper.hf_comment_count:
        said.append(
            f"{paper.hf_comment_count:,} comment{'' if paper.hf_comment_count == 1 else 's'}"
        )
    if paper.github_stars is not None and paper.github_repo:
        said.append(f"{paper.github_stars:,} GitHub star{'' if paper.github_stars == 1 else 's'}")
    elif paper.github_repo:
        said.append("code on GitHub")
    return " · ".join(said)


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def _ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", plain).lower()


@dataclass(frozen=True)
class Published:
    """When a paper came out, as far as the library knows."""

    year: int
    month: int
    from_page: bool  # only the digest page's date line: when it was listed, not published


def published(paper: Paper) -> Published | None:
    """An arXiv id gives the year and month of the first version (2405.17428: May 2024);
    without one, the only date a paper has is its digest's (a page's `Mar 13`, its year
    guessed), which says when it was listed."""
    found = _ARXIV_MONTH.search(paper.arxiv_id or "")
    if found and 1 <= int(found["month"]) <= 12:
        short = int(found["year"])
        return Published(short + (1900 if short >= 91 else 2000), int(found["month"]), False)
    if paper.date:
        return Published(paper.date.year, paper.date.month, True)
    return None


def citation_key(paper: Paper) -> str:
    """`vaswani2017attention`-style: first author's surname (if known), year, first word."""
    surname = _ascii_word(paper.authors[0].split()[-1]) if paper.authors else ""
    words = [_ascii_word(w) for w in paper.title.split()]
    word = next((w for w in words if re.search("[a-z]", w) and w not in _STOP_WORDS), "paper")
    year = str(when.year) if (when := published(paper)) else ""
    return f"{surname}{year}{word}" or "paper"


def bibtex_entry(paper: Paper, key: str | None = None) -> str:
    """One valid `@misc` entry with every known author; arXiv papers get eprint and
    archivePrefix; a year that is only a digest page's says so in a note."""
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(bibtex_escape(a) for a in paper.authors)))
    if when := published(paper):
        fields += [("year", str(when.year)), ("month", _MONTHS[when.month - 1])]
        if when.from_page and paper.date:
            fields.append(
                ("note", f"date from the digest page ({paper.date}), not the publication")
            )
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
    if paper.url:
        fields.append(("url", paper.url))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@misc{{{key or citation_key(paper)},\n{body}\n}}\n"


def to_bibtex(papers: Sequence[Paper]) -> str:
    """Entries with unique keys (a second `smith2024deep` becomes `smith2024deepb`)."""
    used: dict[str, int] = {}
    entries = []
    for paper in papers:
        base = citation_key(paper)
        used[base] = used.get(base, 0) + 1
        key = base if used[base] == 1 else f"{base}{chr(ord('a') + used[base] - 1)}"
        entries.append(bibtex_entry(paper, key))
    return "\n".join(entries)


def markdown_link(paper: Paper) -> str:
    title = paper.title.replace("[", "\\[").replace("]", "\\]")
    return f"[{title}]({paper.url})" if paper.url else title


def to_markdown(
    papers: Sequence[Paper], marks: Mapping[str, Bookmark] | None = None, heading: str = "Papers"
) -> str:
    """A list of links; a bookmarked paper's tags and note follow it (`marks`)."""
    lines = [f"# {heading}", ""]
    for paper in papers:
        when = f" ({paper.date.isoformat()})" if paper.date else ""
        lines.append(f"- {markdown_link(paper)}{when}")
        extra = [f"[{link.label}]({link.url})" for link in paper.links[1:] if not link.broken]
        if extra:
            lines.append(f"  - {' · '.join(extra)}")
        if signals := signals_line(paper):
            lines.append(f"  - {signals}")
        if (mark := (marks or {}).get(paper.id)) is not None:
            lines += _markdown_annotations(mark)
    return "\n".join(lines) + "\n"


def _markdown_annotations(mark: Bookmark) -> list[str]:
    lines = []
    if mark.tags:
        lines.append("  - tags: " + ", ".join(f"`{tag}`" for tag in mark.tags))
    if mark.note:
        lines.append("  - note: " + " ".join(mark.note.split()))  # one line: the list holds
    return lines


def to_json(
    papers: Sequence[Paper],
    bookmarked: Collection[str],
    marks: Mapping[str, Bookmark] | None = None,
) -> str:
    """Each paper's record, with its bookmark's tags and note (none for a paper not marked)."""
    records = [paper_record(p, p.id in bookmarked, **_mark_fields(p, marks)) for p in papers]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


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


def to_csv(
    papers: Iterable[Paper],
    bookmarked: Collection[str],
    marks: Mapping[str, Bookmark] | None = None,
) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_COLUMNS, *CSV_SIGNALS, *CSV_ARXIV, *CSV_MARKS])
    for p in papers:
        date = p.date.isoformat() if p.date else ""
        flag = "yes" if p.id in bookmarked else "no"
        signals = [
            _blank(p.upvotes),
            _blank(p.hf_comment_count),
            p.github_repo,
            _blank(p.github_stars),
        ]
        row = [p.id, p.title, date, "; ".join(p.authors), p.url, flag, p.abstract]
        mark = _mark_fields(p, marks)
        arxiv = [p.arxiv_comments, p.journal_ref, p.doi, p.primary_category]
        arxiv += [" ".join(p.categories), _blank(p.version)]
        writer.writerow(
            [*row, *signals, p.project_page, *arxiv, ", ".join(mark["tags"]), mark["note"]]
        )
    return out.getvalue()


def export(
    fmt: str,
    papers: Sequence[Paper],
    bookmarked: Collection[str],
    *,
    marks: Mapping[str, Bookmark] | None = None,
    bookmarks_only: bool = False,
) -> str:
    """`papers` in `fmt`; `marks` (bookmarks by paper id) add tags and notes where a format
    has room for them, and an export of the bookmarks only is headed so."""
    if fmt == "bibtex":
        return to_bibtex(papers)
    if fmt == "markdown":
        return to_markdown(papers, marks, "Bookmarks" if bookmarks_only else "Papers")
    if fmt == "json":
        return to_json(papers, bookmarked, marks)
    if fmt == "csv":
        return to_csv(papers, bookmarked, marks)
    raise ValueError(f"unknown export format {fmt!r}")


class NothingToExport(LibraryError):
    """No papers (or no bookmarks) to export: no empty file is written, the caller says so."""

    def __init__(self, bookmarked: bool) -> None:
        self.bookmarked = bookmarked
        super().__init__("no bookmarks to export" if bookmarked else "no papers to export")


@dataclass(frozen=True)
class Exported:
    """What Library.export did: how many papers, and the file written or the text itself."""

    papers: int
    path: Path | None = None  # the file written, when one was asked for
    text: str = ""  # the export, when no file was asked for
    left_out: int = 0  # papers marked not interested, not exported (none when asked for)


def export_file_name(fmt: str, bookmarked: bool) -> str:
    """`paperdeck-bookmarks.bib`, `paperdeck-papers.csv`: the name an export is offered under."""
    return f"paperdeck-{'bookmarks' if bookmarked else 'papers'}.{SUFFIXES[fmt]}"


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


def write_export(target: Path, text: str, overwrite: bool) -> None:
    """Write an export; with `overwrite` false, a file already there raises FileExistsError
    (the reader then asks). A plain write, not a replace: `-o /dev/stdout` works."""
    with target.open("w" if overwrite else "x", encoding="utf-8") as out:
        out.write(text)
