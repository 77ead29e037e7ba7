"""Text hygiene for digest text: whitespace, LaTeX accent escapes, normalised titles.

LaTeX accents are decoded with a small table of combining marks rather than a full LaTeX
converter, because math in abstracts (`$O(n^2)$`, `\\alpha`) must stay exactly as written.
"""

from __future__ import annotations

import re
import unicodedata

# LaTeX accent command -> Unicode combining mark.
_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
}
# \'u  \'{u}  {\'u}  \v{s}  \c c  \'\i
_ACCENT_RE = re.compile(
    r"\{?\\(?:(?P<sym>['`^\"~=.])\s*|(?P<word>[uvHckr])(?:\s+|(?=\{)))"
    r"(?:\{(?P<braced>\\i|\\j|[A-Za-z])\}|(?P<bare>\\i|\\j|[A-Za-z]))\}?"
)
_SPECIAL = {
    r"\ss": "ß",
    r"\o": "ø",
    r"\O": "Ø",
    r"\ae": "æ",
    r"\AE": "Æ",
    r"\oe": "œ",
    r"\OE": "Œ",
    r"\aa": "å",
    r"\AA": "Å",
    r"\l": "ł",
    r"\L": "Ł",
}
_SPECIAL_RE = re.compile(r"\{?(\\(?:ss|ae|AE|oe|OE|aa|AA|o|O|l|L))\}?(?![A-Za-z])")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_NOT_WORD_RE = re.compile(r"[\W_]+")


def _replace_accent(match: re.Match[str]) -> str:
    command = match.group("sym") or match.group("word")
    letter = match.group("braced") or match.group("bare")
    base = {"\\i": "i", "\\j": "j"}.get(letter, letter)
    return unicodedata.normalize("NFC", base + _ACCENTS[command])


def decode_latex_accents(text: str) -> str:
    """`S\\'umulas` -> `Súmulas`; anything that is not an accent escape is left alone."""
    if "\\" not in text:
        return text
    text = _ACCENT_RE.sub(_replace_accent, text)
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(1)], text)


def strip_controls(text: str) -> str:
    """Drop control and zero-width characters that would garble a terminal."""
    return _CONTROL_RE.sub("", text)


def squash_whitespace(text: str) -> str:
    """Collapse every run of whitespace (newlines, tabs, NBSP) into one space and trim."""
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """Everything a title or abstract gets before it is stored."""
    text = unicodedata.normalize("NFC", strip_controls(text.replace("\t", " ")))
    return squash_whitespace(decode_latex_accents(text))


def normalise_title(title: str) -> str:
    """The key two spellings of one title share: casefolded, no accents or punctuation."""
    folded = decode_latex_accents(title).casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD_RE.sub(" ", folded).strip()
