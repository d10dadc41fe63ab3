"""`SequentialBuilder`: participants take turns on one conversation.

    SequentialBuilder(participants=[writer, editor]).build()      # today: output = editor's AgentResponse
    SequentialBuilder().participants([writer, editor]).build()    # late 2025: output = the whole conversation

Both build the same line: "input-conversation" turns the run's input into a conversation, each
participant reads everything said so far and adds its answer, and the end yields the output.
What the end yields is where the two eras differ:

- today's AF: the last agent's answer (an `AgentResponse`). The graph is
  ``input-conversation -> writer -> editor -> end``: an agent hands the next one its whole
  `AgentExecutorResponse`, and "end" yields the last answer.
- the late-2025 previews: the whole conversation (``list[ChatMessage]``). After each agent a
  "to-conversation:<id>" node turns its response into the conversation, and "end" yields it.

Today's spelling takes AF 1.x's options too: ``output_from=`` / ``intermediate_output_from=``
choose whose answers are outputs (see `base`; "end" then yields nothing), and
``chain_only_agent_responses=True`` hands each agent only the answer of the agent before it,
not the whole conversation (the agents read with ``context_mode="last_agent"``).

A plain executor may take part. In today's spelling it reads the `AgentExecutorResponse` of an
agent before it (or the conversation, ``list[ChatMessage]``, of the input or of an executor
before it); in the late-2025 spelling it reads and sends ``list[ChatMessage]``. The last one
may yield the output itself and send nothing: then it ends the workflow.
"""

from __future__ import annotations

from typing import Any

from collections.abc import Sequence

from ..agents.executor import AgentExecutor, AgentExecutorResponse
from ..agents.types import AgentRunResponse, ChatMessage, as_messages
from ..core.builder import WorkflowBuilder
from ..core.context import WorkflowContext
from ..core.executor import Executor
from ..core.handler import handler
from ..core.typecheck import Never, is_compatible
from ..errors import WorkflowValidationError
from .base import NOT_GIVEN, OrchestrationBuilder, ParticipantRef, Spelling
from .request_info import with_review

# What a run may start with.
Prompt = str | ChatMessage | list[str | ChatMessage]


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
    """Yields the finished conversation as the workflow's output (the late-2025 shape)."""

    @handler
    async def finish(self, conversation: list[ChatMessage], ctx: WorkflowContext[Never, list[ChatMessage]]) -> None:
        await ctx.yield_output(list(conversation))


class AnswerEnd(Executor):
    """Yields the last agent's answer as the workflow's output (today's shape)."""

    @handler
    async def finish(self, response: AgentExecutorResponse, ctx: WorkflowContext[Never, AgentRunResponse]) -> None:
        await ctx.yield_output(response.agent_run_response)


class SequentialBuilder(OrchestrationBuilder):
    """Participants take turns on one conversation: each reads everything said so far and adds
    its answer.

    ``SequentialBuilder(participants=[...], checkpoint_storage=None, name=None)`` is today's
    spelling: the output is the last agent's answer. ``SequentialBuilder().participants([...])``
    (with ``.with_checkpointing(storage)``) is the late-2025 one: the output is the whole
    conversation. Either may add ``.with_request_info()`` to let a person review each agent's
    answer before the next participant reads it. Today's spelling also takes ``output_from=``,
    ``intermediate_output_from=`` and ``chain_only_agent_responses=`` (see the module).
    """

    def __init__(
        self,
        *,
        participants: Sequence[Any] | None = None,
        checkpoint_storage: Any = None,
        name: str | None = None,
        output_from: Sequence[ParticipantRef] | str | None = NOT_GIVEN,
        intermediate_output_from: Sequence[ParticipantRef] | str | None = None,
        chain_only_agent_responses: bool = False,
    ) -> None:
        super().__init__(
            participants=participants,
            checkpoint_storage=checkpoint_storage,
            name=name,
            output_from=output_from,
            intermediate_output_from=intermediate_output_from,
        )
        if not isinstance(chain_only_agent_responses, bool):
            raise WorkflowValidationError(
                f"chain_only_agent_responses is True or False, got {chain_only_agent_responses!r}."
            )
        self._chain_only = chain_only_agent_responses
        if chain_only_agent_responses and self._spelling is None:
            self._spelling = Spelling.TODAY

    def builder(self) -> WorkflowBuilder:
        """The `WorkflowBuilder` behind it, to change or compose before building.

        Its end ("end", or a last participant that yields) is an exit: add an edge from it and
        what it would yield goes on there instead of being the output.
        """
        participants = self._executors()
        if self._chain_only:
            participants = [_reading_last_answer(p, item) for p, item in zip(participants, self._participants)]
        reviewed = self._reviewed_ids(participants)
        last = participants[-1]
        # In today's spelling a reviewed last agent yields its approved answer: the output.
        line = [with_review(p, final=self.today and p is last) if p.id in reviewed else p for p in participants]
        start = ConversationStart("input-conversation")
        if self.today:
            chain = [start, *_today_line(line, ends_itself=last.id in reviewed)]
        else:
            chain = [start, *_late_2025_line(line)]
        shown = self._shown_outputs(participants, default=[last], always=[]) if self.chooses_outputs else None
        builder = self._workflow_builder("Sequential" if self.today else "sequential", shown)
        builder.add_chain(chain).set_start_executor(start)
        builder.mark_exit(chain[-1])
        return builder


def _reading_last_answer(executor: Executor, given: Any) -> Executor:
    """An agent participant that reads only the previous agent's answer (an executor given as
    itself is left as it is: it reads what it declares)."""
    if isinstance(executor, AgentExecutor) and not isinstance(given, Executor):
        return AgentExecutor(executor.agent, id=executor.id, context_mode="last_agent")
    return executor


def _today_line(participants: list[Executor], ends_itself: bool) -> list[Executor]:
    for before, after in zip(participants, participants[1:]):
        if _sends_answers(before) and not _takes(after, AgentExecutorResponse):
            raise WorkflowValidationError(
                f"In SequentialBuilder(participants=[...]), '{after.id}' follows the agent '{before.id}', which "
                f"hands it an AgentExecutorResponse, but '{after.id}' accepts {after.describe_inputs()}. Give "
                f"'{after.id}' a handler for AgentExecutorResponse (the conversation so far is "
                "response.full_conversation), as in Agent Framework 1.x."
            )
    # A last agent sends its answer on; "end" makes it the output. A last participant that
    # sends nothing (or a reviewed last agent) yields the output itself, so an edge from it to
    # "end" could never carry a message.
    needs_end = _sends_answers(participants[-1]) and not ends_itself
    return [*participants, AnswerEnd("end")] if needs_end else participants


def _late_2025_line(participants: list[Executor]) -> list[Executor]:
    line: list[Executor] = []
    for executor in participants:
        line.append(executor)
        if _sends_answers(executor):
            line.append(PassConversation(f"to-conversation:{executor.id}"))
    return [*line, ConversationEnd("end")] if line[-1].output_types else line


def _sends_answers(executor: Executor) -> bool:
    return AgentExecutorResponse in executor.output_types


def _takes(executor: Executor, message_type: Any) -> bool:
    return any(is_compatible(message_type, accepted) for accepted in executor.input_types)
