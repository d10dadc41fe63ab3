"""One short line of text for a value a widget shows: a log line, a card's "Sending ..." line.

A value's ``repr`` can be very long (a whole draft) or span many lines (a table, a traceback).
A log line or a status line must stay one line, so the text is folded onto one line and cut,
with "…" where it was cut, so the reader knows there is more.
"""

from __future__ import annotations

import re
from typing import Any

ELLIPSIS = "…"

# A line break with the spaces around it: folded into one space.
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


def one_line(text: str, limit: int = 200) -> str:
    """`text` on one line, at most `limit` characters, ending in "…" when it was cut.

    Line breaks become spaces; other spacing is kept, as it may matter (inside a string).

    >>> one_line("first line\\n   second line", 16)
    'first line seco…'
    """
    folded = _LINE_BREAK.sub(" ", text.strip())
    if len(folded) <= limit:
        return folded
    return folded[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def short_value(value: Any, limit: int = 60) -> str:
    """``repr(value)`` as one line of at most `limit` characters.

    >>> short_value("a short brief")
    "'a short brief'"
    >>> short_value(list(range(100)), 20)
    '[0, 1, 2, 3, 4, 5,…'
    """
    return one_line(repr(value), limit)
