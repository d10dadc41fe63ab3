"""Which manager's question, if any, a conversation ends with.

Orchestrations ask their manager in a prompt of their own (group chat: `coordinating`; Magentic:
`planning`). This module only looks at the last user message and hands the question to the
module that answers it; any other conversation is not a manager's, and gets None.
"""

from __future__ import annotations

from typing import Sequence

from ..types import ChatMessage, Role
from .coordinating import decide_next_speaker, is_group_chat_decision
from .planning import magentic_reply, magentic_role


def manager_reply(messages: Sequence[ChatMessage]) -> str | None:
    """The manager's reply to `messages`, or None when they do not ask a manager's question."""
    prompt = next((m.text for m in reversed(messages) if m.role == Role.USER), "")
    if not prompt:
        return None
    if is_group_chat_decision(prompt):
        return decide_next_speaker(messages, prompt)
    role = magentic_role(prompt)
    if role is not None:
        return magentic_reply(role, messages, prompt)
    return None
