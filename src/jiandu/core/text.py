"""One cleaner for text typed or imported into names and titles.

Zero-width characters (U+200B, U+FEFF …) and bidirectional controls (U+202E, U+2066 …)
are invisible: they make two names that look the same differ (a duplicate check or a
search misses), and a right-to-left override shows a reader a text other than the one
stored. They have no use in a Chinese name or title, and often arrive unseen with pasted
text, so they are **stripped**, not refused — the user could not see what to remove.
Other control characters go the same way; in a single line (a name, a title) line
breaks and tabs become a space."""

from __future__ import annotations

import re
import unicodedata

# Category Cf (format: zero-width, bidi controls, soft hyphen …) and Cc (controls), the
# line and paragraph separators, and the Mongolian vowel separator (once a space).
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zl", "Zp"}
_KEPT_IN_TEXT = {"\n", "\r", "\t"}
_SPACES = re.compile(r"[ \t\r\n\u2028\u2029]+")


def strip_invisible(value: str) -> str:
    """``value`` without invisible format and control characters (line breaks and tabs
    kept: for multi-line text such as a clue's content)."""
    if value.isascii() and value.isprintable():
        return value
    return "".join(
        ch
        for ch in value
        if ch in _KEPT_IN_TEXT or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )


def clean_line(value: str) -> str:
    """A name or title: invisible characters stripped, line breaks and runs of spaces as
    one space, no spaces at either end."""
    text = "".join(
        " " if ch in "\t\r\n\u2028\u2029" else ch
        for ch in value
        if ch in "\t\r\n\u2028\u2029" or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )
    return _SPACES.sub(" ", text).strip()
