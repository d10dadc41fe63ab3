"""Show a request's content readably: its fields as a small table, long text as text.

A request is usually a dataclass (``HumanApprovalRequest(prompt=..., draft=..., iteration=...)``).
Its ``repr`` squeezes a whole draft onto one line with ``\\n`` escapes; a reviewer needs to
read the draft as the text it is, with its line breaks, so strings get a block of their own.
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any, Iterable

from ..history.records import preview

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
            return _TEXT_BLOCK.format(html.escape(value))
        return html.escape(value)
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


def _table(title: str, items: list[tuple[str, Any]], depth: int, hide: set[str]) -> str:
    rows = "".join(
        f'<tr><th style="text-align:left;vertical-align:top;padding-right:8px;font-weight:600">'
        f"{html.escape(name)}</th><td style=\"text-align:left\">{value_html(item, depth + 1)}</td></tr>"
        for name, item in items
        if name not in hide
    )
    caption = f'<div style="color:#64748b;font-size:11px">{html.escape(title)}</div>' if title else ""
    return f'{caption}<table style="border-collapse:collapse;margin:0">{rows}</table>'
