"""Paper identity and links: arXiv ids, canonical URLs, URLs found in abstracts."""

from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import quote_plus

from paperdeck.index.clean import normalise_title
from paperdeck.index.models import Link

# New-style ids (2405.17428, 0704.0001) with an optional version; old-style (hep-th/9901001).
_ARXIV_RE = re.compile(
    r"^(?:arxiv:)?(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.I
)
SEARCH_LABEL = "Hugging Face search"
CODE_LABEL = "code"  # a link to a code repository (`has:code` finds its paper)
_URL_RE = re.compile(r"https?://\S*", re.I)
_TRAILING = ".,;:!?'\"”’>"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def normalise_arxiv_id(raw: str | None) -> str | None:
    """`arXiv:2405.17428v2` -> `2405.17428`; None when it is not an arXiv id."""
    if not raw:
        return None
    text = raw.strip()
    for prefix in ("https://arxiv.org/abs/", "http://arxiv.org/abs/", "https://arxiv.org/pdf/"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :].removesuffix(".pdf")
    match = _ARXIV_RE.match(text)
    return match.group("id") if match else None


def paper_id(title: str, arxiv_id: str | None) -> str:
    """Stable across re-imports and machines: the arXiv id, else a hash of the title."""
    if arxiv_id:
        return arxiv_id
    digest = hashlib.blake2b(normalise_title(title).encode("utf-8")).hexdigest()
    return "t-" + digest[:12]


@functools.lru_cache(maxsize=4096)
def title_key(title: str) -> str:
    """The same paper under another id: two records whose normalised titles match. (Cached:
    an import asks it of one title several times in a row.)"""
    return paper_id(title, None)


def canonical_links(title: str, arxiv_id: str | None) -> list[Link]:
    """The paper's own links: arXiv, Hugging Face, PDF; or a Hugging Face title search.
    Hugging Face pages exist for new-style ids only: `math/0704001` gets none (its URL
    would be huggingface.co/papers/math/0704001, a page that is not there)."""
    if arxiv_id:
        hub = (
            []
            if "/" in arxiv_id
            else [Link(f"https://huggingface.co/papers/{arxiv_id}", "Hugging Face")]
        )
        return [
            Link(f"https://arxiv.org/abs/{arxiv_id}", "arXiv"),
            *hub,
            Link(f"https://arxiv.org/pdf/{arxiv_id}", "PDF"),
        ]
    return [Link(f"https://huggingface.co/papers?q={quote_plus(title)}", SEARCH_LABEL)]


def _strip_trailing(url: str) -> str:
    """Drop sentence punctuation after a URL, but keep a closing bracket it opened itself."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _PAIRS and url.count(_PAIRS[last]) < url.count(last)):
            url = url[:-1]
        else:
            break
    return url


def _continues_broken_url(previous: str, token: str) -> bool:
    """Inside a URL the text split with spaces, is `token` still part of it?"""
    if not re.match(r"^[\w.\-/~%#?=&+]+$", token):
        return False
    if previous.endswith("://"):
        return "." in token or "/" in token  # a host: "github." or "example.org/"
    if previous.endswith("/"):
        return True
    if previous.endswith(".") and re.match(r"^[a-z]{2,6}(/|$)", token):
        return True  # "github. com/"
    return "/" in token  # "Labbe ti/"


def _broken_url_at(text: str, start: int) -> tuple[str | None, int]:
    """Gather a URL broken after its scheme (`https:// github. com/ x`); return it and its end."""
    scheme_end = text.index("//", start) + 2
    found, pos = text[start:scheme_end], scheme_end
    while match := re.match(r" (\S+)", text[pos:]):
        if not _continues_broken_url(found, match.group(1)):
            break
        found = f"{found} {match.group(1)}"
        pos += match.end()
    found = _strip_trailing(found)
    return (found if not found.endswith("//") else None), pos


def urls_in_text(text: str) -> list[Link]:
    """Every URL in an abstract, trailing punctuation excluded; split URLs flagged, not fixed."""
    links: list[Link] = []
    pos = 0
    while match := _URL_RE.search(text, pos):
        raw = match.group(0)
        if raw.endswith("//"):
            found, pos = _broken_url_at(text, match.start())
            if found:
                links.append(Link(found, "link split by spaces in the text", broken=True))
            continue
        pos = match.end()
        url = _strip_trailing(raw)
        if len(url) > len(url.split("//", 1)[0]) + 3 and url not in {x.url for x in links}:
            links.append(Link(url, _label_for(url)))
    return links


def _label_for(url: str) -> str:
    host = url.split("//", 1)[1].split("/", 1)[0].lower()
    if host in {"github.com", "gitlab.com"}:
        return CODE_LABEL
    if host.endswith("huggingface.co"):
        return "Hugging Face"
    return "project page" if host.endswith("github.io") else host


def links_for(title: str, arxiv_id: str | None, abstract: str) -> tuple[Link, ...]:
    """The links shown for a paper: its own first, then what the abstract mentions."""
    own = canonical_links(title, arxiv_id)
    seen = {link.url for link in own}
    extra = [link for link in urls_in_text(abstract) if link.url not in seen]
    return tuple(own + extra)
