"""`StandardMagenticManager`: the model behind a Magentic run's plan, ledgers and answer.

It asks an agent (or, in the late-2025 spelling, an agent it makes over a chat client) the
questions of `magentic_prompts`, reading the run's `MagenticContext` each time:

- `plan` / `replan`: the facts, then a plan for the team: a `TaskLedger`;
- `create_progress_ledger`: this round's `MagenticProgressLedger`, read from the model's JSON;
- `prepare_final_answer`: the answer for the user, from the conversation.

It also carries the run's limits: `max_round_count` (rounds of the inner loop), `max_stall_count`
(rounds without progress before a replan) and `max_reset_count` (replans before giving up).
It keeps nothing between calls, so a checkpoint of the orchestrator is all a run needs to go on.
"""

from __future__ import annotations

from typing import Any

from ..agents.agent import Agent
from ..agents.types import ChatMessage, Role
from ..errors import OrchestrationManagerError, WorkflowValidationError
from . import magentic_prompts as prompts
from .group_chat_manager import last_json_object
from .magentic_types import LEDGER_KEYS, MAGENTIC_MANAGER_NAME, MagenticContext, MagenticProgressLedger, TaskLedger


class StandardMagenticManager:
    """Plans, tracks progress and writes the final answer with a model (see the module).

    Give it an `agent` (today), or a `chat_client` and optional `instructions` (the
    late-2025 ``with_standard_manager(chat_client=...)``).
    """

    def __init__(
        self,
        agent: Any = None,
        *,
        chat_client: Any = None,
        instructions: str | None = None,
        max_round_count: int | None = None,
        max_stall_count: int = 3,
        max_reset_count: int | None = None,
    ) -> None:
        if (agent is None) == (chat_client is None):
            raise WorkflowValidationError(
                "The Magentic manager needs one model: an agent (MagenticBuilder(manager_agent=agent)) or a chat "
                "client (with_standard_manager(chat_client=client)), not both and not neither."
            )
        if agent is None:
            agent = Agent(chat_client, instructions or "You lead a small team through a task.", name=MAGENTIC_MANAGER_NAME)
        self.agent = agent
        for what, value in (("max_round_count", max_round_count), ("max_reset_count", max_reset_count)):
            if value is not None and (not isinstance(value, int) or value < 0):
                raise WorkflowValidationError(f"{what} is a whole number, 0 or more (or None); got {value!r}.")
        if not isinstance(max_stall_count, int) or max_stall_count < 0:
            raise WorkflowValidationError(f"max_stall_count is a whole number, 0 or more; got {max_stall_count!r}.")
        self.max_round_count = max_round_count
        self.max_stall_count = max_stall_count
        self.max_reset_count = max_reset_count

    async def plan(self, context: MagenticContext, feedback: str = "", again: bool = False) -> TaskLedger:
        """The facts, then the plan (with a reviewer's `feedback`, if any; `again` after a stall)."""
        facts_prompt = (prompts.FACTS_AGAIN if again else prompts.FACTS).format(task=context.task)
        facts_ask = ChatMessage(Role.USER, text=facts_prompt)
        facts = await self._ask([*context.chat_history, facts_ask])
        plan_prompt = prompts.PLAN.format(team=_team(context), task=context.task)
        if feedback.strip():
            plan_prompt += prompts.PLAN_FEEDBACK.format(feedback=feedback.strip())
        said_facts = ChatMessage(Role.ASSISTANT, text=facts, author_name=MAGENTIC_MANAGER_NAME)
        plan = await self._ask([*context.chat_history, facts_ask, said_facts, ChatMessage(Role.USER, text=plan_prompt)])
        return TaskLedger(facts=facts, plan=plan)

    async def replan(self, context: MagenticContext, feedback: str = "", stalled: bool = False) -> TaskLedger:
        """A new task ledger: after a stall (`stalled`), or with a reviewer's `feedback`."""
        return await self.plan(context, feedback=feedback, again=stalled)

    async def create_progress_ledger(self, context: MagenticContext) -> MagenticProgressLedger:
        """This round's progress ledger, read from the model's JSON answer."""
        names = ", ".join(context.participant_descriptions)
        ask = prompts.LEDGER.format(task=context.task, team=_team(context), names=names)
        text = await self._ask([*context.chat_history, ChatMessage(Role.USER, text=ask)])
        found = last_json_object(text)
        if found is None or any(key not in found for key in LEDGER_KEYS):
            raise OrchestrationManagerError(
                f"The Magentic manager's progress ledger is not the JSON it was asked for: {text[:300]!r}. It needs "
                f"the keys {', '.join(LEDGER_KEYS)}, each with a reason and an answer. Use a model that follows JSON "
                "instructions, or check the manager agent's instructions do not ask for another format."
            )
        return MagenticProgressLedger.from_dict(found)

    async def prepare_final_answer(self, context: MagenticContext) -> ChatMessage:
        """The final answer, as the manager's message."""
        ask = ChatMessage(Role.USER, text=prompts.FINAL.format(task=context.task))
        text = await self._ask([*context.chat_history, ask])
        return ChatMessage(Role.ASSISTANT, text=text, author_name=MAGENTIC_MANAGER_NAME)

    async def _ask(self, messages: list[ChatMessage]) -> str:
        response = await self.agent.run(messages)
        return response.text.strip()


def _team(context: MagenticContext) -> str:
    return "\n".join(f"- {name}: {description}" for name, description in context.participant_descriptions.items())
