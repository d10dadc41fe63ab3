"""Text for a widget's HTML: escaped, with Markdown's code spans shown as code.

wfkit's messages name code the way its docstrings do, between backticks: "answer in code with
`await result.send_responses(...)`". In a notebook's Markdown that is a code span; in a
widget, whose text is HTML, the backticks would be shown as they are. `text_html` escapes the
text and turns each span into ``<code>``, so the widgets read like the lessons around them.

    >>> text_html("answer with `approve` & go")
    'answer with <code style="...">approve</code> &amp; go'   # doctest: +ELLIPSIS
"""

from __future__ import annotations

import html
import re

# One span: a backtick, code on one line, a backtick. A fence of three (```python) has no code
# between its backticks, so it is left as it is.
_CODE_SPAN = re.compile(r"`([^`\n]+)`")

# A code span's look, written on the span: a widget's HTML has no style sheet of the page's Markdown.
CODE_STYLE = "font-family:monospace;font-size:0.95em;background:#f1f5f9;border-radius:3px;padding:0 3px"


def text_html(text: str) -> str:
    """`text` as HTML: escaped, its code spans (`like this`) shown as code."""
    return _CODE_SPAN.sub(_code, html.escape(text))


def _code(span: re.Match[str]) -> str:
    return f'<code style="{CODE_STYLE}">{span.group(1)}</code>'
