"""What the search box text means before it meets Whoosh: filters, field names, words, and
syntax the user has not finished typing.

Typed text is made safe (controls dropped, length capped, NFC composed), field names are
lowercased, and the filters the library answers itself (`is:bookmarked`, `is:new`, `tag:`,
`note:`) are taken out. Syntax left half-typed (an open quote, a trailing `OR`, a bare
`title:`) is closed or dropped, and ParsedQuery.incomplete says what it was: the reader can
keep showing the last complete query's results meanwhile.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from paperdeck.index.bookmarks import normalise_tag
from paperdeck.index.clean import squash_whitespace, strip_controls
from paperdeck.index.engine.analysis import fold
from paperdeck.index.engine.store import TEXT_FIELDS
from paperdeck.index.models import Bookmark, unfinished_note

MAX_QUERY_CHARS = 400
SEARCH_FIELDS = TEXT_FIELDS
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
FIELD_ALIASES = {"author": ["authors", "by"], "title": ["ti"], "abstract": ["abs", "summary"]}
# Field names the parser knows, in any case (`TITLE:`, `Author:`): Whoosh's are lower case.
_FIELD_NAMES = frozenset(
    [
        *SEARCH_FIELDS,
        *("date", "added", "id", "upvotes", "has", "cat", "doi", "comments"),
        *itertools.chain(*FIELD_ALIASES.values()),
    ]
)
_FIELD_NAME_RE = re.compile(r"(?<![\w:])([A-Za-z]+):")
_LAST_WORD_RE = re.compile(r"(?:^|(?<=[\s(]))(?P<field>[A-Za-z]+:)?(?P<word>[^\W_]+)$")
_IS_BOOKMARKED_RE = re.compile(r"(?<!\S)is:bookmark(?:ed|s)?(?!\S)", re.I)
_IS_NEW_RE = re.compile(r"(?<!\S)is:new(?!\S)", re.I)
_IS_DISMISSED_RE = re.compile(r"(?<!\S)is:(?:dismissed|not-interested)(?!\S)", re.I)
# `tag:x`, `tag:"two words"`, `note:x`: a quoted value may hold spaces.
_BOOKMARK_FILTER_RE = re.compile(r'(?<!\S)(tag|note):("[^"]*"|[^\s"]+)', re.I)
_WORD_RE = re.compile(r"[^\W_]+")
# Field names, ranges and date values: not words to spell-check or fall back to.
_SYNTAX_RE = re.compile(
    r"\b(?:date|position|id|upvotes|has|cat|doi):\S+|\[[^\]]*\]|\{[^}]*\}|\b[A-Za-z]+:"
)
# `upvotes:=5` is `upvotes:5` (Whoosh's comparisons are > >= < <= only).
_EQUALS_RE = re.compile(r"(?<![\w:])(upvotes):=(?=\d)")
# What is left dangling at the end of text being typed: `title:gan OR`, `title:`.
_TRAILING_OPERATOR_RE = re.compile(r"(?:^|\s)(?:AND|OR|NOT|ANDNOT|ANDMAYBE)$")
_TRAILING_FIELD_RE = re.compile(r"(?:^|(?<=[\s(]))[A-Za-z]+:$")
_CLOSING = {"(": ")", "[": "]", "{": "}"}
_QUOTED_FIELD_RE = re.compile(r"(?:^|(?<=[\s(]))[A-Za-z]+:$")  # `title:"...`: its field


@dataclass(frozen=True, kw_only=True)
class ParsedQuery:
    """What the search box text means, before it meets the index."""

    text: str  # the safe text the parser sees (without filters; brackets maybe still open)
    bookmarked_only: bool = False
    new_only: bool = False
    tags: tuple[str, ...] = ()  # in their stored form (paperdeck.index.bookmarks.normalise_tag)
    notes: tuple[str, ...] = ()  # folded (paperdeck.index.engine.analysis.fold)
    words: tuple[str, ...] = ()
    incomplete: str | None = None  # what is half-typed ("open quote"); None when nothing
    dismissed_only: bool = False  # `is:dismissed`: the papers marked not interested
    note: str | None = None  # said of half-typed syntax (models.unfinished_note), else None

    @property
    def on_bookmarks(self) -> bool:
        """Whether the filters need the bookmarks."""
        return bool(self.bookmarked_only or self.tags or self.notes)

    def allows(self, mark: Bookmark) -> bool:
        """Whether a bookmark has every tag and every note word asked for."""
        note = fold(mark.note.lower())
        return all(tag in mark.tags for tag in self.tags) and all(
            re.search(rf"(?<!\w){re.escape(word)}", note) for word in self.notes
        )


def sanitize(raw: str) -> str:
    """Anything typed or pasted becomes a short single line of printable text, composed as
    the library's text is (NFC: a decomposed `ö` would split the word in two)."""
    text = strip_controls(raw.replace("\n", " ").replace("\t", " "))[:MAX_QUERY_CHARS]
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def lower_field_names(text: str) -> str:
    """`TITLE:mamba` -> `title:mamba`; other words before a colon are left as typed."""

    def lowered(match: re.Match[str]) -> str:
        name = match[1].lower()
        return f"{name}:" if name in _FIELD_NAMES else match[0]

    return _EQUALS_RE.sub(r"\1:", _FIELD_NAME_RE.sub(lowered, text))


def split_filters(raw: str) -> ParsedQuery:
    """Pull out `is:bookmarked`, `is:new`, `is:dismissed`, `tag:x` and `note:x`, which the
    library answers itself, after closing or dropping half-typed syntax (see finish_typing)."""
    text, incomplete = finish_typing(lower_field_names(sanitize(raw)))
    bookmarked = bool(_IS_BOOKMARKED_RE.search(text))
    text = _IS_BOOKMARKED_RE.sub(" ", text)
    new_only = bool(_IS_NEW_RE.search(text))
    text = _IS_NEW_RE.sub(" ", text)
    dismissed_only = bool(_IS_DISMISSED_RE.search(text))
    text = _IS_DISMISSED_RE.sub(" ", text)
    found = [(kind.lower(), value.strip('"')) for kind, value in _BOOKMARK_FILTER_RE.findall(text)]
    tags = tuple(t for kind, value in found if kind == "tag" and (t := normalise_tag(value)))
    notes = tuple(n for kind, value in found if kind == "note" and (n := note_words(value)))
    text = _BOOKMARK_FILTER_RE.sub(" ", text)
    trailing_space = text.endswith(" ") and text.strip() != ""
    text = squash_whitespace(text) + (" " if trailing_space else "")
    plain = _SYNTAX_RE.sub(" ", text)
    words = tuple(w for w in _WORD_RE.findall(plain) if w.upper() not in OPERATORS)
    note = unfinished_note(incomplete) if incomplete else None
    return ParsedQuery(
        text=text,
        bookmarked_only=bookmarked,
        new_only=new_only,
        tags=tags,
        notes=notes,
        words=words,
        incomplete=incomplete,
        dismissed_only=dismissed_only,
        note=note,
    )


def note_words(value: str) -> str:
    """A `note:` value as notes are compared: lowercased, folded, spaces squashed."""
    return squash_whitespace(fold(value.lower()))


def finish_typing(text: str) -> tuple[str, str | None]:
    """What is typed so far, and what was half-typed (None: nothing): an open quote's
    phrase with its last word left open (finish_quote), a trailing operator or bare field
    name dropped. Open brackets are reported but closed later (close_brackets), after the
    word being typed became a prefix."""
    incomplete = None
    if text.count('"') % 2:
        text, incomplete = finish_quote(text), "open quote"
    while True:
        stripped = text.rstrip()
        if operator := _TRAILING_OPERATOR_RE.search(stripped):
            incomplete, text = incomplete or "operator at the end", stripped[: operator.start()]
        elif field_name := _TRAILING_FIELD_RE.search(stripped):
            incomplete, text = incomplete or "field without a value", stripped[: field_name.start()]
        else:
            break
        text += " "  # the word before it is finished
    if incomplete is None and (closers := _closers(text)):
        incomplete = "open parenthesis" if closers[0] == ")" else "open range"
    return (text if text.strip() else ""), incomplete


def finish_quote(text: str) -> str:
    """`a "large language mod` -> `a "large language" mod`: the phrase so far, its last word apart
    so that it becomes a prefix (with_prefix_on_last_word) as any word being typed does;
    the words before the quote stay. A phrase ended by a space is closed whole; a `tag:` or
    `note:` value is closed as typed (it is one value, spaces and all)."""
    at = text.rindex('"')
    before, phrase = text[:at], text[at + 1 :]
    field = _QUOTED_FIELD_RE.search(before)
    name = field[0] if field else ""
    before = before[: len(before) - len(name)]
    words = phrase.split()
    if name.lower() in ("tag:", "note:") or (words and phrase[-1:].isspace()):
        return f'{before}{name}"{phrase.rstrip()}" '
    if not words:
        return before
    done = "".join(f"{name}{word} " for word in words[:-1])  # one word: no phrase to keep
    if len(words) > 2:
        done = f'{name}"{" ".join(words[:-1])}" '
    return f"{before}{done}{name}{words[-1]}"


def close_brackets(text: str) -> str:
    """The text with its open brackets closed, innermost first."""
    return text + _closers(text)


def _closers(text: str) -> str:
    """What closes the brackets left open outside quotes (stray closers are ignored)."""
    stack: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in _CLOSING:
            stack.append(_CLOSING[char])
        elif stack and char == stack[-1]:
            stack.pop()
    return "".join(reversed(stack))


def _word_being_typed(text: str) -> re.Match[str] | None:
    """The last word, unless the text ends in a space, a quote or a bracket, or it is AND/OR."""
    if not text or text.endswith((" ", '"', ")")) or text.count('"') % 2:
        return None
    match = _LAST_WORD_RE.search(text)
    return match if match and match["word"].upper() not in OPERATORS else None


def with_prefix_on_last_word(text: str) -> str:
    """`wavelet disc` -> `wavelet (disc OR disc*)`: the word being typed is also a prefix.

    A single letter after other words only ranks (`mamba ANDMAYBE (s OR s*)`): it stands for
    a few of the likeliest title words (paperdeck.index.engine.search.PREFIX_TERMS_BY_LENGTH), and
    requiring one would empty the list for a keystroke ("mamba s" before "mamba survey").
    Two letters are a word as much as a prefix ("llm rl"): they are still required."""
    match = _word_being_typed(text)
    if match is None:
        return text
    word, prefix_field = match["word"], match["field"] or ""
    before = text[: match.start()]
    if len(word) == 1 and word.isalpha() and not prefix_field and _plain_words_before(before):
        return f"{before.rstrip()} ANDMAYBE ({word} OR {word}*)"
    return f"{before}{prefix_field}({word} OR {word}*)"


def _plain_words_before(text: str) -> bool:
    """Whether the text holds words and no boolean operator or open bracket (their meaning
    with an optional part is not the user's)."""
    tokens = text.split()
    plain = not any(token.upper() in OPERATORS for token in tokens) and not _closers(text)
    return plain and bool(_WORD_RE.search(_SYNTAX_RE.sub(" ", text)))


def last_word_typed(parsed: ParsedQuery) -> str | None:
    """The word a prefix search applies to, if any."""
    match = _word_being_typed(parsed.text)
    return match["word"] if match else None
