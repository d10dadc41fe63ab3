"""The late-2025 previews' "handoff-user-input" node: where the conversation meets the user.

In that era, an agent that answers without handing off does not ask the user itself: it sends
the conversation to this node, which

1. ends the conversation if the termination condition holds (by default, once the user has
   spoken 10 times), yielding the whole conversation (``list[ChatMessage]``) as the output;
2. otherwise asks the user, with a `HandoffUserInputRequest` (the conversation and a prompt),
   and sends the conversation with the reply to the coordinator, who reads every reply first.

The condition is checked again after the reply, so a reply can end the conversation too.
"""

from __future__ import annotations

import inspect
from typing import Any

from ..agents.types import Message, Role
from ..core.context import WorkflowContext
from ..core.executor import Executor
from ..core.handler import handler, response_handler
from .handoff_executor import TerminationCondition
from .handoff_requests import Handoff, HandoffUserInputRequest, user_messages, without_tool_calls

USER_INPUT_ID = "handoff-user-input"  # the id Agent Framework gave this node
DEFAULT_USER_TURNS = 10  # the previews' default: stop after 10 user messages


def ten_user_messages(conversation: list[Message]) -> bool:
    """The previews' default termination condition: the user has spoken 10 times."""
    return sum(1 for message in conversation if message.role == Role.USER) >= DEFAULT_USER_TURNS


class HandoffUserInput(Executor):
    """Asks the user for the next message, or ends the conversation (see the module)."""

    def __init__(self, *, coordinator_id: str, prompt: str, termination_condition: TerminationCondition) -> None:
        super().__init__(USER_INPUT_ID)
        self.coordinator_id = coordinator_id
        self.prompt = prompt
        self.termination_condition = termination_condition

    @handler
    async def ask(self, handoff: Handoff, ctx: WorkflowContext[Handoff, list[Message]]) -> None:
        """An agent answered without handing off: end, or ask the user."""
        conversation = without_tool_calls(handoff.conversation)
        if await self._ends(conversation, ctx):
            return
        request = HandoffUserInputRequest(conversation, self.coordinator_id, self.prompt, self.id)
        await ctx.request_info(request, object)

    @response_handler
    async def take_reply(
        self, request: HandoffUserInputRequest, reply: object, ctx: WorkflowContext[Handoff, list[Message]]
    ) -> None:
        """The user's reply goes to the coordinator with the conversation, unless it ends it."""
        conversation = [*request.conversation, *user_messages(reply, where="The reply to the handoff workflow")]
        if await self._ends(conversation, ctx):
            return
        await ctx.send_message(Handoff(self.id, self.coordinator_id, conversation), target_id=self.coordinator_id)

    async def _ends(self, conversation: list[Message], ctx: WorkflowContext[Any, list[Message]]) -> bool:
        verdict = self.termination_condition(list(conversation))
        if inspect.isawaitable(verdict):
            verdict = await verdict
        if verdict:
            await ctx.yield_output(list(conversation))
        return bool(verdict)
