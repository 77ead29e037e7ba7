"""HTTP for the citation sources: urllib (as index/fetch.py does; no new dependency), JSON in
and out, and a bounded patience with busy servers.

429 and 5xx answers, and answers cut off mid-body, are retried after a wait: the server's
Retry-After when it sends one, else a doubling wait, never more than `RetryPolicy` allows in
all (attempts and seconds). A timeout or no network is not retried: it is one clear line at
once (`CitationSourceError`). Nothing is returned until a whole JSON answer has arrived, so a
caller never keeps half an answer. `sleep` is injectable so tests count waits, not time.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from paperdeck.index import __version__
from paperdeck.index.errors import CitationSourceError as CitationSourceError


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How patient one call is with a busy server."""

    attempts: int = 4  # requests in all for one call
    first_wait_s: float = 2.0  # doubled each retry when the server names no wait
    max_wait_s: float = 60.0  # a Retry-After longer than this: give up at once
    total_wait_s: float = 120.0  # every wait of one call together
    timeout_s: float = 20.0  # one request


@dataclass(frozen=True)
class _Retry(Exception):
    """A transient failure: worth another try after `wait` seconds (None: our own)."""

    wait: float | None
    reason: str


class Http:
    """One source's requests: its name for messages, its headers, its retry policy."""

    def __init__(
        self,
        *,
        name: str,
        headers: Mapping[str, str] | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        busy_hint: str = "",
    ) -> None:
        self.name = name
        self.headers = {"User-Agent": f"paperdeck/{__version__}", **(headers or {})}
        self.policy = policy or RetryPolicy()
        self.sleep = sleep or time.sleep
        self.busy_hint = busy_hint  # added to the "try again later" line (an API key, say)
        self.requests = 0  # requests sent, retries included

    def get(self, url: str) -> Any:
        """The JSON answer, or None when the source does not know the thing (HTTP 404)."""
        return self._with_retries("GET", url, None)

    def post(self, url: str, payload: Any) -> Any:
        return self._with_retries("POST", url, json.dumps(payload).encode("utf-8"))

    def _with_retries(self, method: str, url: str, body: bytes | None) -> Any:
        policy, waited, reason, attempt = self.policy, 0.0, "no answer", 0
        for attempt in range(max(1, policy.attempts)):
            try:
                return self._once(method, url, body)
            except _Retry as retry:
                reason = retry.reason
                wait = retry.wait if retry.wait is not None else policy.first_wait_s * 2**attempt
                if retry.wait is not None and retry.wait > policy.max_wait_s:
                    raise self._busy(f"{reason}, asked to wait {retry.wait:.0f} s") from None
                if attempt + 1 >= policy.attempts or waited + wait > policy.total_wait_s:
                    break
                self.sleep(wait)
                waited += wait
        raise self._busy(f"{reason} after {attempt + 1} tries")

    def _busy(self, what: str) -> CitationSourceError:
        hint = f"; {self.busy_hint}" if self.busy_hint else ""
        return CitationSourceError(f"{self.name} is busy ({what}); try again later{hint}")

    def _once(self, method: str, url: str, body: bytes | None) -> Any:
        import http.client
        import urllib.error
        import urllib.request

        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.policy.timeout_s) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            return self._http_error(exc, url)
        except (http.client.IncompleteRead, ConnectionResetError):
            raise _Retry(None, "its answer was cut off") from None
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            raise self._unreachable(exc, url) from None
        return self._json(raw, url)

    def _http_error(self, exc: Any, url: str) -> None:
        code = int(exc.code)
        try:
            detail = _error_text(exc.read())
        except OSError:
            detail = ""
        finally:
            exc.close()
        if code == 404:
            return None
        if code == 429 or code >= 500:
            raise _Retry(retry_after(exc.headers.get("Retry-After")), f"HTTP {code}")
        said = f": {detail}" if detail else ""
        raise CitationSourceError(f"{self.name} refused {_short(url)} (HTTP {code}){said}")

    def _unreachable(self, exc: BaseException, url: str) -> CitationSourceError:
        reason = getattr(exc, "reason", exc)
        host = urlsplit(url).netloc
        if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
            seconds = f"{self.policy.timeout_s:g}"
            return CitationSourceError(
                f"{self.name} ({host}) did not answer within {seconds} s; are you online?"
            )
        return CitationSourceError(f"cannot reach {self.name} ({host}): {reason}; are you online?")

    def _json(self, raw: bytes, url: str) -> Any:
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise CitationSourceError(
                f"{self.name} answered {_short(url)} with something that is not JSON"
            ) from None


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number of seconds or an HTTP date; None when absent or bad."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        import email.utils  # a module tree of its own: only when a server names a date

        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _error_text(raw: bytes) -> str:
    """The API's own one-line reason (`{"error": "..."}` or `{"message": "..."}`), if any."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return ""
    said = data.get("error") or data.get("message") if isinstance(data, dict) else None
    return " ".join(str(said).split())[:200] if said else ""


def _short(url: str) -> str:
    """A URL without its query (the field lists are long and say nothing to a user)."""
    return url.split("?", 1)[0]
