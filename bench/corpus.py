"""Deterministic synthetic corpora of N papers, in two formats:

- a digest in the sample's plain-text format (`generate`, what every run used before), and
- an arXiv metadata snapshot, Kaggle's `arxiv-metadata-oai-snapshot.json` (`write_snapshot`):
  one JSON object per line, written line by line (a million papers never sit in memory).

Titles and abstracts come from a word-level Markov chain (order 2) learned from the bundled
sample, plus invented rare words so the vocabulary grows like real text (about N^0.7 distinct
words). Both formats draw the same titles and abstracts for the same seed, in the same order;
what only the snapshot has (ids, authors, categories, versions, LaTeX math) comes from a second
random stream. Digest dates spread over days, about 50 papers a day, newest first as on the
page; snapshot lines go oldest first, as in the real file.

    python -m bench.corpus --papers 10000 -o corpus.txt
    python -m bench.corpus --papers 1000000 --format snapshot -o arxiv-snapshot.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from paperdeck.index.digest import read_digest

SAMPLE = Path(__file__).resolve().parents[1] / "index" / "samples" / "hf-papers-sample.txt"
PAPERS_PER_DAY = 50
LAST_DAY = dt.date(2026, 11, 1)
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vi", "zo", "qu", "ex", "an", "or", "ist", "ion"]

# The snapshot's shape: old-style ids (`math/0406594`) before April 2007, new-style after.
FIRST_DAY = dt.date(1995, 1, 1)
NEW_STYLE_FROM = dt.date(2007, 4, 2)
OLD_STYLE_SHARE = 0.04
CATEGORIES = [  # (category, weight): computer science mostly, as a cs.* library would be
    ("cs.LG", 20), ("cs.CL", 14), ("cs.CV", 14), ("cs.AI", 8), ("cs.IR", 4), ("cs.RO", 3),
    ("cs.CR", 3), ("cs.DS", 2), ("stat.ML", 6), ("math.OC", 3), ("math.PR", 3), ("math.AG", 2),
    ("eess.IV", 3), ("eess.SP", 2), ("quant-ph", 4), ("hep-th", 3), ("cond-mat.stat-mech", 2),
    ("astro-ph.GA", 2), ("physics.comp-ph", 2),
]  # fmt: skip
FIRST_NAMES = [
    *("Anna", "Wei", "Jun", "Maria", "David", "Yuki", "Omar", "Li", "Sara", "Ivan", "Priya"),
    *("Jonas", "Chen", "Elena", "Kofi", "Lucas", "Mei", "Noah", "Aisha", "Tom"),
]
MATH = [
    *("$O(n \\log n)$", "$\\alpha$", "$\\ell_1$", "$k$-NN", "$\\mathcal{O}(1/\\sqrt{T})$"),
    *("$p < 0.05$", "$d \\gg n$", "$\\epsilon$-greedy", 'Schr\\"odinger', "$\\mathbb{R}^d$"),
]
WRAP = 80

Chain = dict[tuple[str, ...], list[str]]


def learn(texts: list[str], order: int) -> Chain:
    chain: Chain = defaultdict(list)
    for text in texts:
        words = [""] * order + text.split() + ["\n"]
        for i in range(len(words) - order):
            chain[tuple(words[i : i + order])].append(words[i + order])
    return chain


def babble(chain: Chain, rng: random.Random, min_chars: int, max_words: int) -> str:
    order = len(next(iter(chain)))
    start = ("",) * order
    words: list[str] = []
    state = start
    while len(words) < max_words:
        word = rng.choice(chain.get(state) or chain[start])
        if word == "\n":
            if sum(map(len, words)) >= min_chars:
                break
            state = start
            continue
        words.append(word)
        state = (*state[1:], word)
    return " ".join(words)


def invented_words(count: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def texts(papers: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    """(title, abstract) of each paper in turn: the text both formats share."""
    sample = read_digest(SAMPLE.read_bytes(), "sample", today=LAST_DAY).papers
    rng = random.Random(seed)
    titles = learn([p.title for p in sample], order=1)
    abstracts = learn([p.abstract for p in sample], order=2)
    rare = invented_words(max(10, int(papers**0.7)), rng)
    for n in range(papers):
        extra = [rare[n % len(rare)]] + [
            rare[int(rng.paretovariate(1.2)) % len(rare)] for _ in range(4)
        ]
        title_words = babble(titles, rng, 30, 14).split(" ")
        title_words.insert(rng.randrange(1, len(title_words) + 1), rare[(n * 7919) % len(rare)])
        title = " ".join(title_words)
        abstract = babble(abstracts, rng, 1400, 270)
        cut = abstract.split(" ")
        for word in extra:
            cut.insert(rng.randrange(len(cut)), word)
        yield title, " ".join(cut)


def generate(papers: int, seed: int = 7) -> str:
    """The digest in the sample's plain-text format, newest day first."""
    out = ["new", "Get trending papers in your email inbox!", "Subscribe", ""]
    for n, (title, abstract) in enumerate(texts(papers, seed)):
        if n % PAPERS_PER_DAY == 0:
            day = LAST_DAY - dt.timedelta(days=n // PAPERS_PER_DAY)
            out.append(f"{day:%b} {day.day}, {day.year}")
        out += [title, abstract]
    return "\n\n".join(out) + "\n"


# -- the arXiv metadata snapshot ------------------------------------------------------------


def write_snapshot(
    papers: int, out: TextIO, seed: int = 7, announced: dt.date | None = None
) -> None:
    """Write `papers` snapshot lines to `out`, one at a time, spread from 1995 to LAST_DAY;
    or, given `announced` (a day after LAST_DAY's month), all of that day, so that a file of
    new papers never repeats an id of the big one."""
    rng = random.Random(seed * 1_000_003 + 1)
    ids = _Ids()
    surnames = invented_words(max(50, int(papers**0.6)), rng)
    for n, (title, abstract) in enumerate(texts(papers, seed)):
        day = announced or _day(n, papers)
        categories = _categories(rng)
        abstract = _with_math(abstract, rng)
        record = _record(ids.next(day, categories[0]), day, categories, title, abstract)
        record.update(_people(surnames, rng))
        record.update(_publication(day, rng))
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")


def write_snapshot_file(
    papers: int, path: Path, seed: int = 7, announced: dt.date | None = None
) -> None:
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        write_snapshot(papers, out, seed, announced)


def _day(n: int, total: int) -> dt.date:
    """Paper n of `total`, oldest first: the first OLD_STYLE_SHARE before April 2007."""
    old = max(1, int(total * OLD_STYLE_SHARE))
    if n < old:
        start, end, share = FIRST_DAY, NEW_STYLE_FROM - dt.timedelta(days=1), n / old
    else:
        start, end, share = NEW_STYLE_FROM, LAST_DAY, (n - old) / max(1, total - old)
    return start + dt.timedelta(days=int((end - start).days * share))


class _Ids:
    """arXiv ids in order: `archive/YYMMNNN` before April 2007, `YYMM.NNNN(N)` after
    (five digits from 2015), numbered within each month (and archive)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def next(self, day: dt.date, primary: str) -> str:
        yymm = f"{day:%y%m}"
        if day < NEW_STYLE_FROM:
            key = primary.split(".")[0] + "/" + yymm
            self.counts[key] += 1
            return f"{key}{self.counts[key]:03d}"
        self.counts[yymm] += 1
        digits = 5 if day.year >= 2015 else 4
        return f"{yymm}.{self.counts[yymm]:0{digits}d}"


_NAMES = [c for c, _ in CATEGORIES]
_WEIGHTS = [w for _, w in CATEGORIES]


def _categories(rng: random.Random) -> list[str]:
    """A primary category and up to two cross-lists."""
    chosen = rng.choices(_NAMES, _WEIGHTS, k=1 + rng.choice((0, 0, 1, 1, 2)))
    return list(dict.fromkeys(chosen))


def _record(
    arxiv_id: str, day: dt.date, categories: list[str], title: str, abstract: str
) -> dict[str, Any]:
    """A snapshot line's fields, in the real file's order (the rest filled in after)."""
    return {
        "id": arxiv_id,
        "submitter": None,
        "authors": None,
        "title": _wrap(title, first="", rest="  "),
        "comments": None,
        "journal-ref": None,
        "doi": None,
        "report-no": None,
        "categories": " ".join(categories),
        "license": None,
        "abstract": _wrap(abstract, first="  ", rest="") + "\n",
        "versions": [],
        "update_date": None,
        "authors_parsed": [],
    }


def _people(surnames: list[str], rng: random.Random) -> dict[str, Any]:
    authors = _authors(surnames, rng)
    return {
        "submitter": " ".join(authors[0]),
        "authors": _authors_text(authors),
        "authors_parsed": [[last, first, ""] for first, last in authors],
    }


def _publication(day: dt.date, rng: random.Random) -> dict[str, Any]:
    """Comments, journal reference, DOI, versions and update date."""
    versions = _versions(day, rng)
    fields: dict[str, Any] = {"versions": versions, "update_date": _update_date(versions)}
    if rng.random() < 0.6:
        fields["comments"] = f"{rng.randint(4, 40)} pages, {rng.randint(1, 12)} figures"
    if rng.random() < 0.15:
        fields["journal-ref"] = f"J. Synth. Res. {rng.randint(1, 90)} ({day.year})"
    if rng.random() < 0.2:
        fields["doi"] = f"10.{rng.randint(1000, 9999)}/synth.{day.year}.{rng.randint(1, 99999)}"
    return fields


def _authors(surnames: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """(first, last) names: 1 to 8 authors, surnames drawn with a long tail."""
    count = min(8, 1 + int(rng.expovariate(0.45)))
    return [
        (
            rng.choice(FIRST_NAMES),
            surnames[int(rng.paretovariate(0.8) * 7) % len(surnames)].capitalize(),
        )
        for _ in range(count)
    ]


def _authors_text(authors: list[tuple[str, str]]) -> str:
    names = [f"{first} {last}" for first, last in authors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _versions(day: dt.date, rng: random.Random) -> list[dict[str, str]]:
    out, when = [], dt.datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60))
    for number in range(1, 1 + min(4, 1 + int(rng.expovariate(1.5)))):
        out.append(
            {"version": f"v{number}", "created": f"{when:%a}, {when.day} {when:%b %Y %H:%M:%S} GMT"}
        )
        when += dt.timedelta(days=rng.randint(3, 200), seconds=rng.randrange(86_400))
    return out


def _update_date(versions: list[dict[str, str]]) -> str:
    last = dt.datetime.strptime(versions[-1]["created"], "%a, %d %b %Y %H:%M:%S GMT")
    return f"{last:%Y-%m-%d}"


def _with_math(abstract: str, rng: random.Random) -> str:
    """A fifth of the abstracts get one bit of LaTeX, as real ones have."""
    if rng.random() >= 0.2:
        return abstract
    words = abstract.split(" ")
    words.insert(rng.randrange(len(words) + 1), rng.choice(MATH))
    return " ".join(words)


def _wrap(text: str, first: str, rest: str) -> str:
    """Hard-wrapped at WRAP columns as the snapshot has it: `first` before the text, `rest`
    after each line break (titles: two spaces; abstracts: two leading spaces only)."""
    lines, line = [], first
    for word in text.split(" "):
        if len(line) + len(word) > WRAP and line.strip():
            lines.append(line.rstrip())
            line = rest
        line += word + " "
    lines.append(line.rstrip())
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--format", choices=("digest", "snapshot"), default="digest")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    if args.format == "snapshot":
        write_snapshot_file(args.papers, args.output)
    else:
        args.output.write_text(generate(args.papers), "utf-8")


if __name__ == "__main__":
    main()
