"""What one check looks at: an `EvalItem`, a conversation with the question and the answer in it.

An evaluation never looks at an agent directly. It first writes down what happened, the user's
messages and the agent's replies, as an `EvalItem`, and every check reads that item. `query` and
`response` are not stored: they are read from the conversation, split at the last user message
(what the user asked last, and what came back after it), as Agent Framework does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..agents import Message


def _is_role(message: Message, role: str) -> bool:
    # wfkit's roles print capitalised ("User"); compare their lower-case text so both spellings match.
    return str(message.role).lower() == role


@dataclass
class EvalItem:
    """One question and the answer to it, as the checks see it.

    ``EvalItem(conversation=[Message("user", ["Hi"]), Message("assistant", ["Hello!"])])``
    has ``item.query == "Hi"`` and ``item.response == "Hello!"``.
    """

    conversation: list[Message]
    tools: list[Any] | None = None
    context: str | None = None
    expected_output: str | None = None
    expected_tool_calls: list[Any] | None = None

    def _last_turn(self) -> tuple[list[Message], list[Message]]:
        last_user = max((i for i, m in enumerate(self.conversation) if _is_role(m, "user")), default=-1)
        return self.conversation[: last_user + 1], self.conversation[last_user + 1 :]

    @property
    def query(self) -> str:
        """The user's words up to and including the last user message, joined by spaces."""
        asked, _ = self._last_turn()
        return " ".join(m.text for m in asked if _is_role(m, "user") and m.text).strip()

    @property
    def response(self) -> str:
        """The assistant's words after the last user message, joined by spaces."""
        _, answered = self._last_turn()
        return " ".join(m.text for m in answered if _is_role(m, "assistant") and m.text).strip()

    def called_tools(self) -> list[str]:
        """The names of the tools called anywhere in the conversation, in order."""
        return [
            content.name
            for message in self.conversation
            for content in (message.contents or [])
            if content.type == "function_call" and content.name
        ]
