"""`OfflineChatClient`: a chat model that needs no key and no network.

Lessons and CI use it so that every agent workflow runs anywhere. It is deterministic: the
same conversation always gets the same reply, from two client instances or two processes.
It writes plausible text for the lessons' tasks (see `writing`), and visibly applies feedback
when asked to revise, so a learner can watch a revision loop change the draft::

    client = OfflineChatClient()
    response = await client.get_response("Write release notes for the smart mug: $79, 12-hour battery.")

Asked by an orchestration to manage a team, it plays the manager (see `managing`).
Given tools, it calls those the prompt mentions and then reports their results (see
`tool_use`); given a ``response_format``, it answers with JSON that fits it (see `structured`).

Or, when a lesson needs exact replies, script them; they are given in order::

    client = OfflineChatClient(replies=["First draft.", "Approved."])
"""

from __future__ import annotations

import asyncio
import re
from typing import Any, AsyncIterator, Sequence

from ...errors import ScriptedRepliesExhaustedError
from ..protocol import BaseChatClient
from ..types import ChatMessage, ChatResponse, ChatResponseUpdate, Role, _preview
from .reading import OfflineRequest
from ..tools import ToolMode
from .handoff import handoff_turn
from .contributing import chime_in
from .managing import manager_reply
from .structured import structured_reply
from .support import support_reply
from .tool_use import answer_with_results, answered_tools, tool_calls_for
from .writing import recognise_task, write_reply

WORDS_PER_UPDATE = 3


class OfflineChatClient(BaseChatClient):
    """A deterministic chat client that writes its replies itself (or plays back `replies`).

    `seed` changes the wording it picks (never the facts), like asking another model.
    `stream_delay` waits that many seconds between streamed pieces, to make streaming visible.
    """

    model_id = "offline"

    def __init__(
        self, replies: Sequence[str] | None = None, seed: int | str | None = None, *, stream_delay: float = 0.0
    ) -> None:
        if isinstance(replies, str):
            raise TypeError("replies is a list of strings: OfflineChatClient(replies=['first reply', 'second reply']).")
        self.replies = list(replies) if replies is not None else None
        self.seed = seed
        self.stream_delay = stream_delay
        self.requests_answered = 0

    def __repr__(self) -> str:
        if self.replies is not None:
            return f"OfflineChatClient(replies={len(self.replies)} scripted, used={self.requests_answered})"
        seed = f", seed={self.seed!r}" if self.seed is not None else ""
        return f"OfflineChatClient(model_id='offline'{seed})"

    def reply_to(self, messages: list[ChatMessage]) -> str:
        """The text of the reply to `messages`: the next scripted reply, or one written for them."""
        request = OfflineRequest.read(messages, self.seed)
        if self.replies is not None:
            if self.requests_answered >= len(self.replies):
                raise ScriptedRepliesExhaustedError(
                    f"OfflineChatClient was given {len(self.replies)} scripted replies and all of them have been "
                    f"used; this is request {self.requests_answered + 1} (last user message: "
                    f"{_preview(request.prompt)}). Add more to OfflineChatClient(replies=[...]), or leave "
                    "replies out to let it write its own text."
                )
            text = self.replies[self.requests_answered]
        elif recognise_task(request) == "answer":
            # A support agent answers in its role; a turn in a group chat, after a teammate,
            # builds on what they said.
            text = support_reply(request) or chime_in(messages, request.instructions, self.seed) or write_reply(request)
        else:
            text = write_reply(request)
        self.requests_answered += 1
        return text

    def reply_message(self, messages: list[ChatMessage], options: dict[str, Any]) -> ChatMessage:
        """The whole reply to `messages`: tool calls, JSON for a ``response_format``, or text."""
        if self.replies is None:
            in_handoff = handoff_turn(messages, options, self.seed)  # None outside a handoff workflow
            if in_handoff is not None:
                self.requests_answered += 1
                return in_handoff
            manager = manager_reply(messages, self.seed)  # a group chat's or a Magentic manager's question
            if manager is not None:
                self.requests_answered += 1
                return ChatMessage(Role.ASSISTANT, text=manager)
            results = answered_tools(messages)
            if not results:
                request = OfflineRequest.read(messages, self.seed)
                mode = options.get("tool_choice", ToolMode.AUTO)
                calls = tool_calls_for(options.get("tools", []), mode, request.prompt, request.instructions)
                if calls:
                    self.requests_answered += 1
                    return ChatMessage(Role.ASSISTANT, contents=calls)
            if "response_format" in options:
                request = OfflineRequest.read(messages, self.seed)
                context = answer_with_results(results) if results else ""
                reviewed = request.first_prompt if request.previous_reply is not None else ""
                self.requests_answered += 1
                reply = structured_reply(options["response_format"], request.prompt, context, reviewed)
                return ChatMessage(Role.ASSISTANT, text=reply)
            if results:
                self.requests_answered += 1
                return ChatMessage(Role.ASSISTANT, text=answer_with_results(results))
        return ChatMessage(Role.ASSISTANT, text=self.reply_to(messages))

    async def _complete(self, messages: list[ChatMessage], options: dict[str, Any]) -> ChatResponse:
        return ChatResponse(
            messages=[self.reply_message(messages, options)],
            model_id=self.model_id,
            response_id=self._response_id(messages),
        )

    async def _complete_stream(
        self, messages: list[ChatMessage], options: dict[str, Any]
    ) -> AsyncIterator[ChatResponseUpdate]:
        message = self.reply_message(messages, options)
        response_id = self._response_id(messages)
        calls = [c for c in message.contents if c.type != "text"]
        for piece in word_pieces(message.text) if message.text else []:
            # Even with no delay, let other tasks run: concurrent agents then visibly interleave.
            await asyncio.sleep(self.stream_delay)
            yield ChatResponseUpdate(text=piece, role=Role.ASSISTANT, response_id=response_id)
        if calls:  # tool calls arrive whole, after any words, as the real clients yield them
            yield ChatResponseUpdate(contents=calls, role=Role.ASSISTANT, response_id=response_id)

    def _response_id(self, messages: list[ChatMessage]) -> str:
        return f"offline-{OfflineRequest.read(messages, self.seed).key[:12]}"


def word_pieces(text: str, size: int = WORDS_PER_UPDATE) -> list[str]:
    """`text` cut into pieces of `size` words, whitespace kept, so ``"".join(pieces) == text``."""
    tokens = re.findall(r"\s*\S+\s*|\s+", text)
    return ["".join(tokens[i : i + size]) for i in range(0, len(tokens), size)]
