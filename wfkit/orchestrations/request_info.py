"""A person between agents: ``.with_request_info()`` on a Sequential or Concurrent builder.

With it, an agent's answer does not go straight on. The workflow pauses with a request whose
data is the agent's `AgentExecutorResponse` (its answer and the conversation so far), and waits
for an `AgentRequestInfoResponse`:

    AgentRequestInfoResponse.approve()                       # send the answer on as it is
    AgentRequestInfoResponse.from_strings(["Shorter, please."])  # the agent answers again

Feedback goes back to the same agent, which answers again and is asked again, until the answer
is approved. Only agents are reviewed this way; a plain executor participant that wants a person's
input asks for it itself (``ctx.request_info``).

How it is built, as Agent Framework builds it: the reviewed agent becomes a small workflow of
two nodes in a loop, used as one node (a `WorkflowExecutor` with the agent's id)::

    agent  --answer-->  review  --feedback-->  agent
                           `--approved answer: the small workflow's output, sent on

The review node is an ordinary executor: `ctx.request_info` to ask, a `@response_handler` to
take the answer. Nothing else in wfkit knows about reviews.

One difference from Agent Framework, on purpose: after feedback, the approved answer carries
the whole conversation (the prompt, the first answer, the feedback, the revision), so the next
agent reads all of it. AF's carries only the feedback and the revision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..agents.executor import AgentExecutorRequest, AgentExecutorResponse
from ..agents.types import AgentRunResponse, ChatMessage, Role
from ..checkpoint.registry import register_checkpoint_type
from ..core.builder import WorkflowBuilder
from ..core.context import WorkflowContext
from ..core.executor import Executor
from ..core.handler import handler, response_handler
from ..errors import WorkflowValidationError

# The review node's id inside the small workflow: the one Agent Framework gives it.
REVIEW_ID = "agent_request_info_executor"


@register_checkpoint_type(name="wfkit.AgentRequestInfoResponse")
@dataclass
class AgentRequestInfoResponse:
    """A person's answer to an agent's answer: no messages approves it; messages are feedback
    the agent reads before it answers again.

        workflow.send_responses({request_id: AgentRequestInfoResponse.approve()})
    """

    messages: list[ChatMessage]

    @staticmethod
    def from_messages(messages: list[ChatMessage]) -> AgentRequestInfoResponse:
        """Feedback given as messages."""
        return AgentRequestInfoResponse(messages=list(messages))

    @staticmethod
    def from_strings(texts: list[str]) -> AgentRequestInfoResponse:
        """Feedback given as text: each string becomes one USER message."""
        return AgentRequestInfoResponse(messages=[ChatMessage(Role.USER, text=text) for text in texts])

    @staticmethod
    def approve() -> AgentRequestInfoResponse:
        """Send the agent's answer on unchanged."""
        return AgentRequestInfoResponse(messages=[])


class ReviewAnswer(Executor):
    """Asks for a review of each answer it receives; sends feedback back to the agent, and yields
    an approved answer (the small workflow's output, which the orchestration sends on)."""

    @handler
    async def ask(self, answer: AgentExecutorResponse, ctx: WorkflowContext) -> None:
        await ctx.request_info(answer, AgentRequestInfoResponse)

    @response_handler
    async def take_review(
        self,
        answer: AgentExecutorResponse,
        review: AgentRequestInfoResponse,
        ctx: WorkflowContext[AgentExecutorRequest, AgentExecutorResponse],
    ) -> None:
        if review.messages:
            await ctx.send_message(AgentExecutorRequest(list(review.messages), should_respond=True))
        else:
            await ctx.yield_output(answer)


class ReviewFinalAnswer(ReviewAnswer):
    """The review of the last agent of a Sequential orchestration in today's spelling: what it
    yields once approved is the agent's answer itself (an `AgentResponse`), because that is the
    orchestration's output."""

    @response_handler
    async def take_review(
        self,
        answer: AgentExecutorResponse,
        review: AgentRequestInfoResponse,
        ctx: WorkflowContext[AgentExecutorRequest, AgentRunResponse],
    ) -> None:
        if review.messages:
            await ctx.send_message(AgentExecutorRequest(list(review.messages), should_respond=True))
        else:
            await ctx.yield_output(answer.agent_run_response)


def with_review(agent: Executor, *, final: bool = False) -> Executor:
    """`agent` (an `AgentExecutor`) in a loop with a review node, as one node with the agent's id.

    `final`: the approved answer is the orchestration's output (an `AgentResponse`), not a
    message for the next participant.
    """
    review = (ReviewFinalAnswer if final else ReviewAnswer)(REVIEW_ID)
    loop = (
        WorkflowBuilder(name=f"review:{agent.id}")
        .add_edge(agent, review)
        .add_edge(review, agent)
        .set_start_executor(agent)
        .build()
    )
    return loop.as_executor(id=agent.id, allow_direct_output=final)


def reviewed_ids(agents: Sequence[Any] | None) -> set[str]:
    """The ids named by ``with_request_info(agents=[...])``: names, or agents (by their name).
    Empty means every agent."""
    ids: set[str] = set()
    for agent in agents or ():
        name = agent if isinstance(agent, str) else getattr(agent, "name", None) or getattr(agent, "id", None)
        if not isinstance(name, str) or isinstance(agent, Executor):
            raise WorkflowValidationError(
                f"with_request_info(agents=[...]) takes agents or their names; got {agent!r}. Only agents "
                "are reviewed: an executor participant asks for input itself with ctx.request_info(...)."
            )
        ids.add(name)
    return ids


def check_reviewed_ids(names: set[str], agent_ids: list[str], builder_name: str) -> None:
    """Raise if ``with_request_info(agents=[...])`` names an agent that is not a participant."""
    unknown = sorted(names - set(agent_ids))
    if unknown:
        raise WorkflowValidationError(
            f"{builder_name}.with_request_info(agents=...) names {', '.join(map(repr, unknown))}, which is not "
            f"an agent participant. The agent participants are: {', '.join(map(repr, agent_ids)) or 'none'}. "
            "Name agents by the name they were created with."
        )
