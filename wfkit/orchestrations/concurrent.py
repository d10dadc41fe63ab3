"""`ConcurrentBuilder`: every participant answers the same input at once; an aggregator
combines their answers.

    ConcurrentBuilder(participants=[a, b, c]).build()                        # today's spelling
    ConcurrentBuilder().participants([a, b, c]).with_aggregator(pick).build() # the late-2025 one

The graph is ``dispatcher -> every participant -> aggregator``: "dispatcher" sends each
participant the run's input as one `AgentExecutorRequest`, and "aggregator" waits for all of
them (a fan-in) and yields what the aggregator makes of their results. Without
`with_aggregator`, the output is where the two eras differ:

- today's AF: one `AgentResponse` holding each participant's answer (its last assistant
  message), in the order the participants were given;
- the late-2025 previews: a ``list`` with the user's prompt first, then each answer.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any, Callable, Self

from ..agents.executor import AgentExecutorRequest, AgentExecutorResponse
from ..agents.types import AgentRunResponse, ChatMessage, Role, as_messages
from ..core.builder import WorkflowBuilder
from ..core.context import WorkflowContext
from ..core.executor import Executor
from ..core.handler import handler
from ..core.typecheck import Never, is_compatible
from ..errors import WorkflowTypeError, WorkflowValidationError
from .base import NOT_GIVEN, OrchestrationBuilder, ParticipantRef
from .request_info import with_review
from .sequential import Prompt

# ``aggregator(results)`` or ``aggregator(results, ctx)``, sync or async.
Aggregator = Callable[..., Any]


class Dispatch(Executor):
    """Sends the run's input to every participant at once, as one `AgentExecutorRequest`."""

    @handler
    async def dispatch(self, prompt: AgentExecutorRequest | Prompt, ctx: WorkflowContext[AgentExecutorRequest]) -> None:
        if not isinstance(prompt, AgentExecutorRequest):
            prompt = AgentExecutorRequest(as_messages(prompt), should_respond=True)
        await ctx.send_message(prompt)


class RequestToConversation(Executor):
    """For a participant that reads a conversation (``list[ChatMessage]``) instead of a request
    (late-2025 spelling only: today's AF sends every participant the request itself)."""

    @handler
    async def unwrap(self, request: AgentExecutorRequest, ctx: WorkflowContext[list[ChatMessage]]) -> None:
        await ctx.send_message(list(request.messages))


# --- the default aggregators: one per era -----------------------------------------------------


def answers_as_one_response(results: list[Any]) -> AgentRunResponse:
    """Today's default: one `AgentResponse` whose messages are each participant's answer."""
    for result in results:
        if not isinstance(result, AgentExecutorResponse):
            raise WorkflowTypeError(
                f"The default aggregator of ConcurrentBuilder(participants=[...]) reads each participant's "
                f"AgentExecutorResponse, but one participant sent a {type(result).__name__}. Send an "
                "AgentExecutorResponse from it, or give .with_aggregator(...) a function that combines these results."
            )
    return AgentRunResponse(messages=[_answer(result) for result in results])


def prompt_and_answers(results: list[Any]) -> list[Any]:
    """The late-2025 default: the user's prompt, then each participant's answer, in order.

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

    def __init__(self, id: str, aggregator: Aggregator) -> None:
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


# --- the builder ------------------------------------------------------------------------------


class ConcurrentBuilder(OrchestrationBuilder):
    """Every participant gets the same input at once, as an `AgentExecutorRequest`; an
    aggregator combines their results.

    ``ConcurrentBuilder(participants=[...], checkpoint_storage=None, name=None)`` is today's
    spelling, ``ConcurrentBuilder().participants([...])`` the late-2025 one; they differ only in
    the default output (see the module). Today's spelling also takes ``output_from=`` and
    ``intermediate_output_from=``: participants whose own answers show too.
    ``.with_aggregator(fn)`` sets what combines the results; ``.with_request_info()`` lets a
    person review each agent's answer before it is combined.
    """

    def __init__(
        self,
        *,
        participants: Any = None,
        checkpoint_storage: Any = None,
        name: str | None = None,
        output_from: Sequence[ParticipantRef] | str | None = NOT_GIVEN,
        intermediate_output_from: Sequence[ParticipantRef] | str | None = None,
    ) -> None:
        super().__init__(
            participants=participants,
            checkpoint_storage=checkpoint_storage,
            name=name,
            output_from=output_from,
            intermediate_output_from=intermediate_output_from,
        )
        self._aggregator: Executor | Aggregator | None = None

    def with_aggregator(self, aggregator: Executor | Aggregator) -> Self:
        """What combines the results: an `Executor` that handles the fan-in's list, or a function
        ``aggregator(results)`` / ``aggregator(results, ctx)`` (sync or async) whose return value,
        unless None, is the output. `results` holds one item per participant, in the order given
        (an `AgentExecutorResponse` for an agent)."""
        if not isinstance(aggregator, Executor) and not callable(aggregator):
            raise WorkflowTypeError(f"with_aggregator(...) takes an Executor or a function; got {aggregator!r}.")
        if self.today and self._aggregator is not None:
            raise WorkflowValidationError(
                "with_aggregator(...) was already called on this ConcurrentBuilder; a workflow has one aggregator. "
                "Call it once, with the aggregator you want."
            )
        self._aggregator = aggregator
        return self

    def builder(self) -> WorkflowBuilder:
        """The `WorkflowBuilder` behind it, to change or compose before building.

        The aggregator is an exit: ``.builder().add_edge("aggregator", report)`` sends what it
        would have yielded on to `report`.
        """
        dispatcher = Dispatch("dispatcher")
        participants = self._executors()
        reviewed = self._reviewed_ids(participants)
        participants = [with_review(p) if p.id in reviewed else p for p in participants]
        aggregator = self._aggregator or (answers_as_one_response if self.today else prompt_and_answers)
        if not isinstance(aggregator, Executor):
            aggregator = Aggregate("aggregator", aggregator)
        # Named participants' answers show beside the aggregator's output (AF 1.x's output_from=).
        shown = self._shown_outputs(participants, default=[], always=[aggregator]) if self.chooses_outputs else None
        builder = self._workflow_builder("Concurrent" if self.today else "concurrent", shown)
        builder.set_start_executor(dispatcher)
        entries: list[Executor] = []
        for executor in participants:
            if _reads_only_conversations(executor):
                if self.today:
                    raise WorkflowValidationError(
                        f"In ConcurrentBuilder(participants=[...]), the dispatcher sends every participant an "
                        f"AgentExecutorRequest, but '{executor.id}' accepts {executor.describe_inputs()}. Give it a "
                        "handler for AgentExecutorRequest (the input is request.messages), as in Agent Framework 1.x."
                    )
                adapter = RequestToConversation(f"request-to-conversation:{executor.id}")
                builder.add_edge(adapter, executor)
                entries.append(adapter)
            else:
                entries.append(executor)
        builder.add_fan_out_edges(dispatcher, entries).add_fan_in_edges(participants, aggregator)
        # The aggregator yields the result, or sends it on once you add an edge from it.
        builder.mark_exit(aggregator)
        return builder


def _reads_only_conversations(executor: Executor) -> bool:
    """True for a participant that accepts ``list[ChatMessage]`` but no `AgentExecutorRequest`."""
    accepted = executor.input_types
    takes_request = any(is_compatible(AgentExecutorRequest, t) for t in accepted)
    return not takes_request and any(is_compatible(list[ChatMessage], t) for t in accepted)
