"""A deterministic synthetic digest of N papers in the sample's plain-text format.

Text comes from a word-level Markov chain (order 2) learned from the bundled sample, plus
invented rare words so the vocabulary grows like real text (about N^0.7 distinct words).
Dates spread over days, about 50 papers a day, newest first as on the page.

    python -m bench.corpus --papers 10000 -o corpus.txt
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

from index.digest import read_digest

SAMPLE = Path(__file__).resolve().parents[1] / "index" / "samples" / "hf-papers-sample.txt"
PAPERS_PER_DAY = 50
LAST_DAY = dt.date(2026, 11, 1)
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vi", "zo", "qu", "ex", "an", "or", "ist", "ion"]

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


def generate(papers: int, seed: int = 7) -> str:
    sample = read_digest(SAMPLE.read_bytes(), "sample", today=LAST_DAY).papers
    rng = random.Random(seed)
    titles = learn([p.title for p in sample], order=1)
    abstracts = learn([p.abstract for p in sample], order=2)
    rare = invented_words(max(10, int(papers**0.7)), rng)
    out = ["new", "Get trending papers in your email inbox!", "Subscribe", ""]
    for n in range(papers):
        if n % PAPERS_PER_DAY == 0:
            day = LAST_DAY - dt.timedelta(days=n // PAPERS_PER_DAY)
            out.append(f"{day:%b} {day.day}, {day.year}")
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
        out += [title, " ".join(cut)]
    return "\n\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    args.output.write_text(generate(args.papers), "utf-8")


if __name__ == "__main__":
    main()
