"""Text hygiene for digest text: whitespace, LaTeX accent escapes, normalised titles.

LaTeX accents are decoded with a small table of combining marks rather than a full LaTeX
converter, because math in abstracts (`$O(n^2)$`, `\\alpha`) must stay exactly as written.
"""

from __future__ import annotations

import re
import unicodedata

from paperdeck.index.controls import strip_controls as strip_controls

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
    "d": "\u0323",
    "b": "\u0331",
}
# Letters of their own: `\i` and `\j` are the dotless i and j that take an accent (`\'\i`);
# alone they are read as plain i and j, the letter a reader searches for.
_SPECIAL = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "i",
    "j": "j",
}
_LETTER = r"(?:\\[ij](?![A-Za-z])|[A-Za-z])"
# One escape as LaTeX reads it, its letter braced or not, the whole optionally in one pair
# of braces (`{\'e}`, `{\l}`): an opening brace is taken only with its closing one, so no
# stray brace is left (`Przemys{\l}aw`). A control word swallows the spaces before the rest
# of its word (`Bj\o rn`, `\v s`) and an empty group (`\l{}`), as in LaTeX; a space before a
# capital (a new name: `B\o Hansen`) is kept.
_ESCAPE_RE = re.compile(
    r"(?P<open>\{\s*)?\\(?:"
    rf"(?P<sym>['`^\"~=.])\s*(?:\{{\s*(?P<sym_braced>{_LETTER})\s*\}}|(?P<sym_bare>{_LETTER}))"
    rf"|(?P<word>[uvHckrdb])(?:\s*\{{\s*(?P<word_braced>{_LETTER})\s*\}}|\s+(?P<word_bare>{_LETTER}))"
    r"|(?P<special>ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}|\s+(?=[a-z]))?"
    r")(?(open)\s*\})"
)
_COMMAND_END_RE = re.compile(r"\\[A-Za-z]+\s*\Z")
# Math is left exactly as written: `$\O(n)$` is not Ø(n).
_MATH_RE = re.compile(r"\$\$.+?\$\$|(?<!\\)\$(?:[^$\\]|\\.)+\$", re.S)
_NOT_WORD_RE = re.compile(r"[\W_]+")
# Real HTML tags only (a known element's name, then attributes): `a < b`, `J3<0, J2>0` and
# `<k>` are text.
_HTML_ELEMENTS = (
    "a|abbr|b|big|blockquote|br|caption|center|cite|code|dd|del|dfn|div|dl|dt|em|font|h[1-6]"
    "|hr|i|img|ins|kbd|li|math|mi|mn|mo|mrow|msub|msup|ol|p|pre|q|s|samp|small|span|strike"
    "|strong|sub|sup|table|tbody|td|th|thead|tr|tt|u|ul|var"
)
_TAG_RE = re.compile(rf"</?(?P<name>{_HTML_ELEMENTS})(?:\s+[^<>]*)?/?>", re.I)
# Tags inside a line of text (`<i>order</i>.`) join; the others break words apart.
_INLINE = {"a", "abbr", "b", "big", "cite", "code", "dfn", "em", "font", "i", "kbd", "q", "s"}
_INLINE |= {"samp", "small", "span", "strike", "strong", "sub", "sup", "tt", "u", "var", "del"}
_INLINE |= {"ins", "mi", "mn", "mo", "mrow", "msub", "msup"}


def _replace_escape(match: re.Match[str]) -> str:
    if special := match["special"]:
        decoded = _SPECIAL[special]
    else:
        groups = ("sym_braced", "sym_bare", "word_braced", "word_bare")
        letter = next(match[g] for g in groups if match[g])
        mark = _ACCENTS[match["sym"] or match["word"]]
        decoded = unicodedata.normalize("NFC", letter[-1] + mark)
    if match["open"] and _COMMAND_END_RE.search(
        match.string, max(0, match.start() - 40), match.start()
    ):
        return "{" + decoded + "}"  # `\\textbf{\\'e}`: the braces are the command's argument
    return decoded


def _decode_outside_math(text: str) -> str:
    return _ESCAPE_RE.sub(_replace_escape, text)


def decode_latex_accents(text: str) -> str:
    """`S\\'umulas` -> `Súmulas`, `Przemys{\\l}aw` -> `Przemysław`; math and anything that is
    not a letter escape are left alone."""
    if "\\" not in text:
        return text
    if "$" not in text:
        return _decode_outside_math(text)
    out, start = [], 0
    for math in _MATH_RE.finditer(text):
        out += [_decode_outside_math(text[start : math.start()]), math.group()]
        start = math.end()
    out.append(_decode_outside_math(text[start:]))
    return "".join(out)


def html_to_text(text: str) -> str:
    """Text of a format that carries HTML: its real tags dropped, then its entities decoded
    (`&lt;` last, so an escaped `<p>` stays text). Never for plain text, where `<` is math."""
    if "<" not in text and "&" not in text:
        return text
    import html  # its entity tables load with the first markup cleaned

    return html.unescape(_TAG_RE.sub(_tag_space, text))


def _tag_space(match: re.Match[str]) -> str:
    return "" if match["name"].lower() in _INLINE else " "


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
