"""Pieces of an agent's streamed answer, joined into the one message a person reads.

A streamed run yields an agent's answer a few words at a time: each piece (an
`AgentResponseUpdate`) is an output of its own. Drawn one per line, a handoff's "I'm handing
you over to billing" becomes four outputs and a tool call. The run view joins the pieces of one
answer instead (`join_piece`): consecutive pieces from the same executor, of the same response,
grow one `StreamedAnswer`; a piece with no words (a tool call, such as a handoff) adds nothing
to read. Pieces are recognised by their shape, so Agent Framework's updates join too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class StreamedAnswer:
    """An agent's answer, its streamed pieces joined so far. It reads as a chat message
    (`role`, `author_name`, `text`, `contents`), so the outputs box draws it as one."""

    author_name: str
    source: str  # the executor that yielded the pieces
    response_id: str | None
    text: str = ""
    role: str = "assistant"
    contents: tuple[Any, ...] = ()


def is_streamed_piece(value: Any) -> bool:
    """True for one piece of a streamed answer: contents, text and a response id, but no
    messages (a whole `AgentResponse` has those)."""
    return (
        hasattr(value, "response_id") and hasattr(value, "contents")
        and isinstance(getattr(value, "text", None), str) and not hasattr(value, "messages")
    )


def join_piece(outputs: list[Any], piece: Any, source: str) -> bool:
    """Add the streamed `piece` yielded by `source` to `outputs`: to the answer it continues (the
    last one, when it comes from the same executor and response), else as a new answer. Returns
    True when `outputs` got a new item, False when the piece grew the last one or had no words."""
    last = outputs[-1] if outputs else None
    if isinstance(last, StreamedAnswer) and (last.source, last.response_id) == (source, piece.response_id):
        last.text += piece.text
        return False
    if not piece.text:
        return False
    outputs.append(StreamedAnswer(piece.author_name or source, source, piece.response_id, piece.text))
    return True
