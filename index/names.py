"""Author names as reference managers want them: family name, given names, suffix.

BibTeX, RIS and CSL all need the family name apart: written "First Last", BibTeX takes the
last word as the surname ("Adrian Del Maestro" cited as Maestro, "Neal J. Evans II" as II).
arXiv's own split (the snapshot's `authors_parsed`) is taken where a digest gave it; else
the name is split here: particles (van, de, del, …) belong to the family name, a suffix
(Jr, III) is its own part, a one-word name is a family name alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Lower-case words that begin a family name ("Ludwig van Beethoven", "Adrian Del Maestro").
_PARTICLE_WORDS = (
    "van von der den de del della delle dei degli di da das do dos du le la les lo "
    "ter ten bin ibn al el zu"
)
PARTICLES = frozenset(_PARTICLE_WORDS.split())
# A group, not a person: kept whole ("ATLAS Collaboration" has no surname "Collaboration").
_GROUP_WORDS = frozenset(
    ("collaboration", "collaborations", "team", "consortium", "group", "project")
)
# A suffix after the name (Jr, Sr, II, III, IV), with or without a comma before it.
_SUFFIX_RE = re.compile(r"^(?P<name>.+?),?\s+(?P<suffix>[JS]r\.?|I{2,3}|IV)$", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class Name:
    """One author's name in its parts; `group` marks a collaboration, kept whole."""

    family: str
    given: str = ""
    suffix: str = ""
    group: bool = False

    @property
    def display(self) -> str:
        """The name as it reads: "Neal J. Evans II"."""
        return " ".join(part for part in (self.given, self.family, self.suffix) if part)


def split_name(name: str) -> Name:
    """A name as a digest writes it, split: "Neal J. Evans II" -> Evans / Neal J. / II,
    "Evans, Neal J." (already family first) -> the same parts."""
    text = " ".join(name.split())
    if text.lower().split()[-1:] and text.lower().split()[-1] in _GROUP_WORDS:
        return Name(family=text, group=True)
    suffix = ""
    if (found := _SUFFIX_RE.match(text)) and " " in found["name"].strip():
        text, suffix = found["name"].strip().rstrip(","), found["suffix"]
    if "," in text:
        family, _, given = text.partition(",")
        return Name(family=family.strip(), given=given.strip(), suffix=suffix)
    words = text.split()
    if len(words) == 1:
        return Name(family=words[0], suffix=suffix)
    start = len(words) - 1
    for index in range(1, len(words) - 1):  # a particle after a given name, before a surname
        if words[index].lower() in PARTICLES:
            start = index
            break
    return Name(family=" ".join(words[start:]), given=" ".join(words[:start]), suffix=suffix)


def from_parts(parts: Sequence[str]) -> Name | None:
    """arXiv's `authors_parsed` entry ([family, given, suffix]); None when it has no family."""
    family, given, suffix = ([*list(parts), "", "", ""])[:3]
    family, given, suffix = (" ".join(str(p).split()) for p in (family, given, suffix))
    if not family:
        return None
    group = not given and family.lower().split()[-1] in _GROUP_WORDS
    return Name(family=family, given=given, suffix=suffix, group=group)


def names_of(authors: Sequence[str], parsed: Sequence[Sequence[str]] = ()) -> list[Name]:
    """Every author's parts: arXiv's split where it gave one for each author, else ours."""
    if parsed and len(parsed) == len(authors):
        given = [from_parts(parts) for parts in parsed]
        if all(name is not None for name in given):
            return [name for name in given if name is not None]
    return [split_name(author) for author in authors if author.strip()]
