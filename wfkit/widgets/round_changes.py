"""What changed since the last round: the words a revision added or removed, shown on the card.

A revise loop asks the same person the same question again and again, each time about a new
version of a draft. Reading the whole draft again to find the change is tiring; `changes_html`
shows only the passages that differ from the previous round's request, a few words of context
around each, added words marked green and removed words struck through in red.

It compares the text the two requests hold (their string fields, and the text of chat messages,
found the way a card shows them), word by word, with `difflib`.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import re
from typing import Any, Iterator

from .request_html import BOOKKEEPING_FIELDS

# Words of unchanged text kept around a change, so the reader knows where it is.
CONTEXT_WORDS = 6
# At most this many changed passages are shown; the card says how many more there were.
MAX_PASSAGES = 6

_INSERTED = '<ins style="background:#dcfce7;text-decoration:none">{}</ins>'
_DELETED = '<del style="background:#fee2e2;color:#991b1b">{}</del>'


def texts_of(value: Any, path: str = "", depth: int = 0) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text in a request: string fields, chat messages' text,
    and the items of lists and dicts, by a path such as ``draft`` or ``plan``."""
    if depth > 4:
        return
    if isinstance(value, str):
        yield path, value
    elif hasattr(value, "role") and isinstance(getattr(value, "text", None), str):
        yield path, value.text  # a chat message
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name not in BOOKKEEPING_FIELDS:  # a new request has a new id: no news to a reader
                yield from texts_of(getattr(value, field.name), _join(path, field.name), depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_of(item, _join(path, str(key)), depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from texts_of(item, f"{path}[{index}]", depth + 1)


def changes_html(previous: Any, current: Any, previous_round: int) -> str:
    """The passages of `current`'s text that differ from `previous`'s, as HTML (see the module);
    a sentence saying nothing changed when the text is the same."""
    before, after = dict(texts_of(previous)), dict(texts_of(current))
    passages = [
        passage
        for path, text in after.items()
        if before.get(path) != text
        for passage in _passages(before.get(path, ""), text)
    ]
    title = f"Changed since round {previous_round}"
    if not passages:
        return f'<div class="wfkit-round-changes" style="color:#64748b">Nothing changed since round {previous_round}.</div>'
    shown = "".join(f'<li style="margin:2px 0">{passage}</li>' for passage in passages[:MAX_PASSAGES])
    more = len(passages) - MAX_PASSAGES
    rest = f'<div style="color:#64748b">and {more} more change{"s" if more != 1 else ""}</div>' if more > 0 else ""
    return (
        f'<div class="wfkit-round-changes" style="line-height:1.45;margin:2px 0 4px 0"><b>{title}</b>'
        f'<ul style="margin:2px 0;padding-left:18px">{shown}</ul>{rest}</div>'
    )


def _passages(before: str, after: str) -> list[str]:
    """One HTML snippet per changed run of words, with `CONTEXT_WORDS` of context each side."""
    old, new = _words(before), _words(after)
    # Words are compared without the spacing after them: a new line after "facts." is no change of "facts.".
    matcher = difflib.SequenceMatcher(a=[w.strip() for w in old], b=[w.strip() for w in new], autojunk=False)
    snippets = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        lead = new[max(b1 - CONTEXT_WORDS, 0):b1]
        tail = new[b2:b2 + CONTEXT_WORDS]
        removed = "".join(old[a1:a2]).strip()
        added = "".join(new[b1:b2]).strip()
        marked = (_DELETED.format(html.escape(removed)) if removed else "") + (
            (" " if removed and added else "") + _INSERTED.format(html.escape(added)) if added else ""
        )
        start = "…" if b1 - CONTEXT_WORDS > 0 else ""
        end = "…" if b2 + CONTEXT_WORDS < len(new) else ""
        snippets.append(f"{start}{html.escape(''.join(lead))}{marked}{html.escape(''.join(tail))}{end}")
    return snippets


def _words(text: str) -> list[str]:
    # Each word keeps the spacing after it, so joined pieces read as the text did.
    return re.findall(r"\S+\s*", text)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
