"""Control and zero-width characters, dropped from any text a terminal will show.

Apart from paperdeck.index.clean (which imports it from here) so that reading the bookmarks,
the dismissed papers or the watches, as the reader's first frame does, compiles none of
clean's patterns for digest text (LaTeX escapes, math, HTML tags).
"""

from __future__ import annotations

import re

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")


def strip_controls(text: str) -> str:
    """Drop control and zero-width characters that would garble a terminal."""
    return _CONTROL_RE.sub("", text)
