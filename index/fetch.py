"""Download daily papers from the Hugging Face API and hand them to the importer.

Only the standard library (urllib, imported at the first download: the reader and the CLI
load this module at start-up): one GET per day, a timeout, and errors that say in one line
what went wrong (no network, rate limited, server error, not papers JSON). The base URL comes
from PAPERDECK_HF_API so tests can point it at a local server.
`paperdeck.index.library.Library.fetch`
imports what comes down.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from paperdeck.index import __version__
from paperdeck.index.errors import NetworkUnreachable, PaperdeckError

if TYPE_CHECKING:
    from paperdeck.index.import_report import ImportReport

DEFAULT_API = "https://huggingface.co"
TIMEOUT_S = 20


class FetchError(PaperdeckError):
    """The download failed; the message is one line for the user."""


@dataclass(frozen=True, kw_only=True)
class Fetched:
    day: dt.date
    name: str  # the digest's file name, e.g. hf-daily-2024-05-28.json
    data: bytes
    count: int


@dataclass(frozen=True, kw_only=True)
class FetchReport:
    """One day fetched: its import's report, or None when the day had no papers (yet)."""

    day: dt.date
    report: ImportReport | None

    def summary(self) -> str:
        """One line, as the CLI prints it and the reader notifies it."""
        return self.report.summary() if self.report else f"{self.day}: no papers that day"


def api_base() -> str:
    return os.environ.get("PAPERDECK_HF_API", DEFAULT_API).rstrip("/")


def days_of(
    date: str | None = None, week: str | None = None, month: str | None = None
) -> list[dt.date]:
    """The days a `--date YYYY-MM-DD`, `--week YYYY-Www` or `--month YYYY-MM` covers."""
    try:
        if week:
            match = re.fullmatch(r"(\d{4})-W(\d{2})", week)
            if not match:
                raise ValueError
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return [monday + dt.timedelta(days=n) for n in range(7)]
        if month:
            first = dt.date.fromisoformat(month + "-01")
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return [first + dt.timedelta(days=n) for n in range((following - first).days)]
        return [dt.date.fromisoformat(date) if date else dt.date.today()]
    except ValueError:
        raise FetchError("dates are YYYY-MM-DD, weeks YYYY-Www, months YYYY-MM") from None


def fetch_day(day: dt.date, base: str | None = None) -> Fetched:
    import urllib.error
    import urllib.request

    url = f"{base or api_base()}/api/daily_papers?date={day.isoformat()}"
    request = urllib.request.Request(url, headers={"User-Agent": f"paperdeck/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            data = response.read()
    except urllib.error.HTTPError as exc:
        raise FetchError(_http_message(exc.code, url)) from None
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        said = f"the network is unreachable: cannot reach {base or api_base()} ({reason})"
        raise NetworkUnreachable(said) from None
    try:
        items = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise FetchError(f"{url} answered something that is not JSON") from None
    if not isinstance(items, list):
        raise FetchError(f"{url} answered JSON that is not a list of papers")
    return Fetched(day=day, name=f"hf-daily-{day.isoformat()}.json", data=data, count=len(items))


def _http_message(code: int, url: str) -> str:
    if code == 429:
        return f"rate limited by the server (HTTP 429) for {url}; try again later"
    if code >= 500:
        return f"the server had an error (HTTP {code}) for {url}; try again later"
    return f"the server refused {url} (HTTP {code})"


def fetch_days(days: list[dt.date], base: str | None = None) -> Iterator[Fetched]:
    """Each day in turn; days with no papers (weekends) are yielded with count 0."""
    for day in days:
        yield fetch_day(day, base)
