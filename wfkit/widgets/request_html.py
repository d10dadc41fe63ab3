"""Show a request's content readably: its fields as a small table, long text as text.

A request is usually a dataclass (``HumanApprovalRequest(prompt=..., draft=..., iteration=...)``).
Its ``repr`` squeezes a whole draft onto one line with ``\\n`` escapes; a reviewer needs to
read the draft as the text it is, with its line breaks, so strings get a block of their own;
code spans written in Markdown (`like this`) are shown as code (`inline_code`).

Agent teams ask about conversations (a plan written by a manager, "what should I tell the
customer?"). A chat message is shown as a line of that conversation, who said it and what,
not as a table of its role, contents and ids; an agent's response, as its messages. A field
with no value (None) says nothing to the person answering, so it is left out.
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any, Iterable

from ..history.records import preview
from .inline_code import text_html

# Fields every `RequestInfoMessage` carries; the card shows them in its header instead.
BOOKKEEPING_FIELDS = {"request_id", "source_executor_id"}

_TEXT_BLOCK = (
    '<div style="white-space:pre-wrap;border-left:3px solid #c4b5fd;background:#faf5ff;'
    'padding:4px 8px;margin:2px 0;font-family:inherit">{}</div>'
)


def request_html(data: Any) -> str:
    """The content of a request as HTML, leaving out the request's own bookkeeping ids."""
    return readable(value_html(data, hide=BOOKKEEPING_FIELDS))


def readable(markup: str) -> str:
    """Wrap markup in normal line spacing (widget HTML uses the tall line height of buttons)."""
    return f'<div style="line-height:1.45">{markup}</div>'


def value_html(value: Any, depth: int = 0, hide: Iterable[str] = ()) -> str:
    """Any value as readable HTML: dataclasses, pydantic models and dicts as tables of their
    fields, lists as numbered lists, long or multi-line strings as text blocks."""
    if depth > 3:
        return html.escape(preview(value, 120))
    if isinstance(value, str):
        if "\n" in value or len(value) > 80:
            return _TEXT_BLOCK.format(text_html(value))
        return text_html(value)
    if is_chat_message(value):
        return _message_html(value)
    if isinstance(getattr(value, "messages", None), list) and all(map(is_chat_message, value.messages)):
        return "".join(_message_html(message) for message in value.messages)  # an agent's response
    if isinstance(value, (list, tuple)) and value and all(map(is_chat_message, value)):
        return "".join(_message_html(message) for message in value)  # a conversation reads top to bottom
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
        return _table(type(value).__name__, items, depth, set(hide))
    if hasattr(value, "model_dump") and callable(value.model_dump):  # a pydantic model
        return _table(type(value).__name__, list(value.model_dump().items()), depth, set(hide))
    if isinstance(value, dict):
        return _table("", [(str(k), v) for k, v in value.items()], depth, set(hide))
    if isinstance(value, (list, tuple)) and value:
        items = "".join(f"<li>{value_html(item, depth + 1)}</li>" for item in value)
        return f'<ol style="margin:0;padding-left:20px">{items}</ol>'
    return html.escape(preview(value, 200))


def is_chat_message(value: Any) -> bool:
    """True for a chat message: something with a `role` and a `text` (wfkit's `Message`, or
    Agent Framework's)."""
    return hasattr(value, "role") and isinstance(getattr(value, "text", None), str) and hasattr(value, "contents")


def _message_html(message: Any) -> str:
    speaker = message.author_name or getattr(message.role, "value", message.role)
    # A message without text (a tool call, a handoff) still says what it holds.
    said = message.text or "; ".join(preview(content, 80) for content in message.contents) or "(nothing)"
    return (
        f'<div class="wfkit-chat-message" style="margin:2px 0"><b>{html.escape(str(speaker))}</b>'
        f"{_TEXT_BLOCK.format(text_html(said))}</div>"
    )


def _table(title: str, items: list[tuple[str, Any]], depth: int, hide: set[str]) -> str:
    rows = "".join(
        f'<tr><th style="text-align:left;vertical-align:top;padding-right:8px;font-weight:600">'
        f"{html.escape(name)}</th><td style=\"text-align:left\">{value_html(item, depth + 1)}</td></tr>"
        for name, item in items
        if name not in hide and item is not None
    )
    caption = f'<div style="color:#64748b;font-size:11px">{html.escape(title)}</div>' if title else ""
    return f'{caption}<table style="border-collapse:collapse;margin:0">{rows}</table>'
