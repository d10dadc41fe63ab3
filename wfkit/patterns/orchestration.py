"""Ready-made shapes for agents: one after another (`SequentialBuilder`) or all at once
(`ConcurrentBuilder`). Both build an ordinary `Workflow`, so it runs, streams, checkpoints,
draws and composes like any other.

    SequentialBuilder().participants([writer, editor]).build()        # output: the whole conversation
    ConcurrentBuilder().participants([a, b, c]).with_aggregator(pick_best).build()
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Sequence

from ..agents.executor import AgentExecutorResponse
from ..agents.types import ChatMessage, as_messages
from ..core.builder import WorkflowBuilder, as_executor
from ..core.context import WorkflowContext
from ..core.executor import Executor
from ..core.handler import handler
from ..core.typecheck import Never
from ..core.workflow import Workflow

Aggregator = Callable[[list[Any]], Any]


class ConversationStart(Executor):
    """Turns whatever the run starts with (text, a message, messages) into a conversation."""

    @handler
    async def start(self, messages: str | ChatMessage | list[ChatMessage], ctx: WorkflowContext[list[ChatMessage]]) -> None:
        await ctx.send_message(as_messages(messages))


class PassConversation(Executor):
    """Hands an agent's whole conversation (its answer included) to the next participant."""

    @handler
    async def forward(self, response: AgentExecutorResponse, ctx: WorkflowContext[list[ChatMessage]]) -> None:
        await ctx.send_message(list(response.full_conversation))


class ConversationEnd(Executor):
    """Yields the finished conversation as the workflow's output."""

    @handler
    async def finish(self, conversation: list[ChatMessage], ctx: WorkflowContext[Never, list[ChatMessage]]) -> None:
        await ctx.yield_output(conversation)


class Aggregate(Executor):
    """Collects every participant's result (a fan-in) and yields what the aggregator makes of it."""

    def __init__(self, id: str, aggregator: Aggregator | None) -> None:
        super().__init__(id)
        self.aggregator = aggregator

    @handler
    async def collect(self, results: list[Any], ctx: WorkflowContext[Never, Any]) -> None:
        if self.aggregator is None:
            # By default: each participant's last message, in the order they were given.
            await ctx.yield_output([_last_message(r) for r in results])
            return
        value = self.aggregator(results)
        if inspect.isawaitable(value):
            value = await value
        await ctx.yield_output(value)


def _last_message(result: Any) -> Any:
    if isinstance(result, AgentExecutorResponse):
        return result.agent_run_response.messages[-1]
    return result


def _participants(items: Sequence[Any], builder_name: str) -> list[Executor]:
    if not items:
        raise ValueError(f"{builder_name}.participants(...) needs at least one agent or executor.")
    executors = [as_executor(item) for item in items]
    ids = [e.id for e in executors]
    if len(set(ids)) != len(ids):
        raise ValueError(f"Participants need different names (ids); got {ids}. Give each agent its own name.")
    return executors


class SequentialBuilder:
    """Participants take turns on one conversation: each reads everything said so far and adds
    its answer. The workflow's output is the whole conversation (``list[ChatMessage]``).

    A plain executor may take part if it accepts and sends ``list[ChatMessage]``.
    """

    def __init__(self) -> None:
        self._participants: list[Any] = []

    def participants(self, items: Sequence[Any]) -> SequentialBuilder:
        """The agents (or executors) in speaking order."""
        self._participants = list(items)
        return self

    def builder(self) -> WorkflowBuilder:
        """The `WorkflowBuilder` behind it, to change or compose (`add_workflow`) before building."""
        chain: list[Executor] = [ConversationStart("input-conversation")]
        for executor in _participants(self._participants, "SequentialBuilder"):
            chain.append(executor)
            if AgentExecutorResponse in executor.output_types:
                chain.append(PassConversation(f"{executor.id}-conversation"))
        chain.append(ConversationEnd("end"))
        return WorkflowBuilder(name="sequential").add_chain(chain).set_start_executor(chain[0])

    def build(self) -> Workflow:
        """The workflow."""
        return self.builder().build()


class ConcurrentBuilder:
    """Every participant gets the same input at once; an aggregator combines their results.

    Without `with_aggregator`, the output is a list of each participant's last message.
    """

    def __init__(self) -> None:
        self._participants: list[Any] = []
        self._aggregator: Aggregator | None = None

    def participants(self, items: Sequence[Any]) -> ConcurrentBuilder:
        """The agents (or executors) that all answer the same input."""
        self._participants = list(items)
        return self

    def with_aggregator(self, aggregator: Aggregator) -> ConcurrentBuilder:
        """``aggregator(results) -> value`` (sync or async): `results` holds one item per participant,
        in the order given (an `AgentExecutorResponse` for an agent); `value` is the output."""
        self._aggregator = aggregator
        return self

    def builder(self) -> WorkflowBuilder:
        """The `WorkflowBuilder` behind it, to change or compose before building."""
        start = ConversationStart("input-conversation")
        executors = _participants(self._participants, "ConcurrentBuilder")
        return (
            WorkflowBuilder(name="concurrent")
            .add_fan_out_edges(start, executors)
            .add_fan_in_edges(executors, Aggregate("aggregator", self._aggregator))
            .set_start_executor(start)
        )

    def build(self) -> Workflow:
        """The workflow."""
        return self.builder().build()
