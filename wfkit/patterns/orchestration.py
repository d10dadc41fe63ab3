"""Ready-made shapes for agents: one after another (`SequentialBuilder`) or all at once
(`ConcurrentBuilder`). Both build an ordinary `Workflow`, so it runs, streams, checkpoints,
draws and composes like any other.

    SequentialBuilder().participants([writer, editor]).build()        # output: the whole conversation
    ConcurrentBuilder().participants([a, b, c]).with_aggregator(pick_best).build()

The small executors below are the builders' glue. They are ordinary nodes, so they show in the
drawing and in the event log under their ids ("input-conversation", "to-conversation:writer",
"end", "dispatcher", "aggregator"): the same ids Agent Framework gives them.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Sequence

from ..agents.executor import AgentExecutorRequest, AgentExecutorResponse
from ..agents.types import ChatMessage, Role, as_messages
from ..core.builder import WorkflowBuilder, as_executor
from ..core.context import WorkflowContext
from ..core.executor import Executor
from ..core.handler import handler
from ..core.typecheck import Never, is_compatible
from ..core.workflow import Workflow

# ``aggregator(results)`` or ``aggregator(results, ctx)``, sync or async.
Aggregator = Callable[..., Any]

# What a run of either shape may start with.
Prompt = str | ChatMessage | list[str | ChatMessage]


# --- the sequential shape -------------------------------------------------------------------


class ConversationStart(Executor):
    """Turns whatever the run starts with (text, a message, messages) into a conversation."""

    @handler
    async def start(self, prompt: Prompt, ctx: WorkflowContext[list[ChatMessage]]) -> None:
        await ctx.send_message(as_messages(prompt))


class PassConversation(Executor):
    """Hands an agent's whole conversation (its answer included) to the next participant."""

    @handler
    async def forward(self, response: AgentExecutorResponse, ctx: WorkflowContext[list[ChatMessage]]) -> None:
        await ctx.send_message(list(response.full_conversation))


class ConversationEnd(Executor):
    """Yields the finished conversation as the workflow's output."""

    @handler
    async def finish(self, conversation: list[ChatMessage], ctx: WorkflowContext[Never, list[ChatMessage]]) -> None:
        await ctx.yield_output(list(conversation))


class SequentialBuilder:
    """Participants take turns on one conversation: each reads everything said so far and adds
    its answer. The workflow's output is the whole conversation (``list[ChatMessage]``).

    A plain executor may take part if it accepts ``list[ChatMessage]`` and sends the conversation
    on as ``list[ChatMessage]``. The last participant may instead yield the output itself
    (``ctx.yield_output(...)``) and send nothing: then it ends the workflow.
    """

    def __init__(self) -> None:
        self._participants: list[Any] = []
        self._checkpoint_storage: Any = None

    def participants(self, items: Sequence[Any]) -> SequentialBuilder:
        """The agents (or executors) in speaking order."""
        self._participants = list(items)
        return self

    def with_checkpointing(self, checkpoint_storage: Any) -> SequentialBuilder:
        """Save a checkpoint to `checkpoint_storage` after every superstep."""
        self._checkpoint_storage = checkpoint_storage
        return self

    def builder(self) -> WorkflowBuilder:
        """The `WorkflowBuilder` behind it (named "sequential"), to change or compose before building.

        Its end ("end", or a last participant that yields) is an exit: add an edge from it and
        the conversation goes on there instead of being the output.
        """
        chain: list[Executor] = [ConversationStart("input-conversation")]
        for executor in _participants(self._participants, "SequentialBuilder"):
            chain.append(executor)
            if AgentExecutorResponse in executor.output_types:
                chain.append(PassConversation(f"to-conversation:{executor.id}"))
        # A last participant that sends nothing yields the output itself; an edge from it to
        # "end" could never carry a message, so there is none.
        if chain[-1].output_types:
            chain.append(ConversationEnd("end"))
        builder = WorkflowBuilder(name="sequential").add_chain(chain).set_start_executor(chain[0])
        # The end yields the conversation, or sends it on once you add an edge from it.
        builder.mark_exit(chain[-1])
        return _with_storage(builder, self._checkpoint_storage)

    def build(self) -> Workflow:
        """The workflow."""
        return self.builder().build()


# --- the concurrent shape -------------------------------------------------------------------


class Dispatch(Executor):
    """Sends the run's input to every participant at once, as one `AgentExecutorRequest`."""

    @handler
    async def dispatch(self, prompt: AgentExecutorRequest | Prompt, ctx: WorkflowContext[AgentExecutorRequest]) -> None:
        if not isinstance(prompt, AgentExecutorRequest):
            prompt = AgentExecutorRequest(as_messages(prompt), should_respond=True)
        await ctx.send_message(prompt)


class RequestToConversation(Executor):
    """For a participant that reads a conversation (``list[ChatMessage]``) instead of a request."""

    @handler
    async def unwrap(self, request: AgentExecutorRequest, ctx: WorkflowContext[list[ChatMessage]]) -> None:
        await ctx.send_message(list(request.messages))


def prompt_and_answers(results: list[Any]) -> list[Any]:
    """The default aggregator: the user's prompt, then each participant's answer, in order.

    An agent's answer is the last assistant message of its response; any other participant's
    result is kept as it is.
    """
    prompt = next(
        (
            message
            for result in results
            if isinstance(result, AgentExecutorResponse)
            for message in result.full_conversation
            if message.role == Role.USER
        ),
        None,
    )
    answers = [_answer(result) for result in results]
    return ([prompt] if prompt is not None else []) + answers


def _answer(result: Any) -> Any:
    if not isinstance(result, AgentExecutorResponse):
        return result
    messages = result.agent_run_response.messages or result.full_conversation
    replies = [m for m in messages if m.role == Role.ASSISTANT]
    return (replies or messages)[-1]


class Aggregate(Executor):
    """Collects every participant's result (a fan-in) and yields what `aggregator` makes of it.

    ``aggregator(results)`` or ``aggregator(results, ctx)``, sync or async. If it returns None,
    nothing is yielded: it may have yielded its own outputs through ``ctx``.
    """

    def __init__(self, id: str, aggregator: Aggregator = prompt_and_answers) -> None:
        super().__init__(id)
        self.aggregator = aggregator
        self.wants_context = _positional_parameters(aggregator) >= 2

    @handler
    async def collect(self, results: list[Any], ctx: WorkflowContext[Never, Any]) -> None:
        value = self.aggregator(results, ctx) if self.wants_context else self.aggregator(results)
        if inspect.isawaitable(value):
            value = await value
        if value is not None:
            await ctx.yield_output(value)


def _positional_parameters(function: Callable[..., Any]) -> int:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # some built-ins have no signature; they take the results alone
        return 1
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)


class ConcurrentBuilder:
    """Every participant gets the same input at once, as an `AgentExecutorRequest`; an
    aggregator combines their results.

    Without `with_aggregator`, the output is a ``list`` holding the user's prompt and then each
    participant's answer (an agent's last assistant message). A plain executor may take part if
    it accepts an `AgentExecutorRequest` or a conversation (``list[ChatMessage]``).
    """

    def __init__(self) -> None:
        self._participants: list[Any] = []
        self._aggregator: Executor | Aggregator = prompt_and_answers
        self._checkpoint_storage: Any = None

    def participants(self, items: Sequence[Any]) -> ConcurrentBuilder:
        """The agents (or executors) that all answer the same input."""
        self._participants = list(items)
        return self

    def with_aggregator(self, aggregator: Executor | Aggregator) -> ConcurrentBuilder:
        """What combines the results: an `Executor` that handles the fan-in's list, or a function
        ``aggregator(results)`` / ``aggregator(results, ctx)`` (sync or async) whose return value,
        unless None, is the output. `results` holds one item per participant, in the order given
        (an `AgentExecutorResponse` for an agent)."""
        if not isinstance(aggregator, Executor) and not callable(aggregator):
            raise TypeError(f"with_aggregator(...) takes an Executor or a function; got {aggregator!r}.")
        self._aggregator = aggregator
        return self

    def with_checkpointing(self, checkpoint_storage: Any) -> ConcurrentBuilder:
        """Save a checkpoint to `checkpoint_storage` after every superstep."""
        self._checkpoint_storage = checkpoint_storage
        return self

    def builder(self) -> WorkflowBuilder:
        """The `WorkflowBuilder` behind it (named "concurrent"), to change or compose before building.

        The aggregator is an exit: ``.builder().add_edge("aggregator", report)`` sends what it
        would have yielded on to `report`.
        """
        dispatcher = Dispatch("dispatcher")
        executors = _participants(self._participants, "ConcurrentBuilder")
        aggregator = self._aggregator
        if not isinstance(aggregator, Executor):
            aggregator = Aggregate("aggregator", aggregator)
        builder = WorkflowBuilder(name="concurrent").set_start_executor(dispatcher)
        entries: list[Executor] = []
        for executor in executors:
            if _reads_only_conversations(executor):
                adapter = RequestToConversation(f"request-to-conversation:{executor.id}")
                builder.add_edge(adapter, executor)
                entries.append(adapter)
            else:
                entries.append(executor)
        builder.add_fan_out_edges(dispatcher, entries).add_fan_in_edges(executors, aggregator)
        # The aggregator yields the result, or sends it on once you add an edge from it.
        builder.mark_exit(aggregator)
        return _with_storage(builder, self._checkpoint_storage)

    def build(self) -> Workflow:
        """The workflow."""
        return self.builder().build()


def _reads_only_conversations(executor: Executor) -> bool:
    """True for a participant that accepts ``list[ChatMessage]`` but no `AgentExecutorRequest`."""
    accepted = executor.input_types
    takes_request = any(is_compatible(AgentExecutorRequest, t) for t in accepted)
    return not takes_request and any(is_compatible(list[ChatMessage], t) for t in accepted)


# --- shared by both -------------------------------------------------------------------------


def _participants(items: Sequence[Any], builder_name: str) -> list[Executor]:
    if not items:
        raise ValueError(f"{builder_name}.participants(...) needs at least one agent or executor.")
    executors = [as_executor(item) for item in items]
    ids = [e.id for e in executors]
    if len(set(ids)) != len(ids):
        raise ValueError(f"Participants need different names (ids); got {ids}. Give each agent its own name.")
    return executors


def _with_storage(builder: WorkflowBuilder, checkpoint_storage: Any) -> WorkflowBuilder:
    return builder if checkpoint_storage is None else builder.with_checkpointing(checkpoint_storage)
