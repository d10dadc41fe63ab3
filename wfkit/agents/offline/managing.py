"""Which manager's question, if any, a conversation ends with.

Orchestrations ask their manager in a prompt of their own (group chat: `coordinating`; Magentic:
`planning`). This module only looks at the last user message and hands the question to the
module that answers it; any other conversation is not a manager's, and gets None.
"""

from __future__ import annotations

from typing import Sequence

from ..types import ChatMessage, Role
from .coordinating import user_task
from .coordinating import decide_next_speaker, is_group_chat_decision
from .planning import magentic_reply, magentic_role
from .contributing import contribute
from .customer import is_customer_message
from .reading import OfflineRequest
from .support import support_reply

MANAGER_AUTHOR = "magentic_manager"  # the author name of a Magentic manager's messages


def member_reply(messages: Sequence[ChatMessage], instruction: str, seed: int | str | None) -> str:
    """A team member's answer to the manager's `instruction`, about the team's task."""
    task = user_task([m for m in messages if m.author_name != MANAGER_AUTHOR]) or instruction
    if is_customer_message(task):  # a support desk: the member answers in its role
        at_the_desk = support_reply(OfflineRequest.read(messages, seed))
        if at_the_desk is not None:
            return at_the_desk
    return contribute(messages, task, instruction, seed)


def manager_reply(messages: Sequence[ChatMessage], seed: int | str | None = None) -> str | None:
    """The manager's reply to `messages`, or None when they do not ask a manager's question.

    A participant of a Magentic team given the manager's instruction (a USER message whose
    author is the manager) is handled here too: it answers the instruction and the task, and
    not the other participants' messages (which would otherwise read as drafts to revise).
    """
    last = next((m for m in reversed(messages) if m.role == Role.USER), None)
    prompt = last.text if last is not None else ""
    if not prompt:
        return None
    if last is not None and last.author_name == MANAGER_AUTHOR:
        return member_reply(messages, prompt, seed)
    if is_group_chat_decision(prompt):
        return decide_next_speaker(messages, prompt)
    role = magentic_role(prompt)
    if role is not None:
        return magentic_reply(role, messages, prompt)
    return None
