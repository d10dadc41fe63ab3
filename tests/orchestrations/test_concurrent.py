"""ConcurrentBuilder in both spellings: everyone answers the same input; today's default output
is one AgentResponse of the answers, the late-2025 one the prompt and then the answers."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import (
    AgentExecutorRequest,
    AgentExecutorResponse,
    AgentRunResponse,
    ChatMessage,
    Executor,
    InMemoryCheckpointStorage,
    Role,
    WorkflowContext,
    handler,
)
from wfkit.errors import WorkflowFailedError, WorkflowTypeError, WorkflowValidationError
from wfkit.orchestrations import ConcurrentBuilder

from .helpers import SPELLINGS, reader, spelled


def test_today_the_default_output_is_one_agent_response_with_each_answer_in_order():
    workflow = ConcurrentBuilder(participants=[reader("a"), reader("b")]).build()
    [response] = run(workflow.run("owls")).get_outputs()
    assert isinstance(response, AgentRunResponse)
    assert [m.text for m in response.messages] == ["a read 'owls'", "b read 'owls'"]


def test_late_2025_the_default_output_is_the_prompt_then_each_answer():
    workflow = ConcurrentBuilder().participants([reader("a"), reader("b")]).build()
    [messages] = run(workflow.run("owls")).get_outputs()
    assert [(m.role, m.text) for m in messages] == [
        (Role.USER, "owls"), (Role.ASSISTANT, "a read 'owls'"), (Role.ASSISTANT, "b read 'owls'"),
    ]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_participant_reads_the_same_input(spelling):
    a, b = reader("a"), reader("b")
    run(spelled(ConcurrentBuilder, spelling, [a, b]).build().run("owls"))
    assert a.chat_client.conversations == b.chat_client.conversations == [["owls"]]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_an_aggregator_function_gets_each_response_in_order_and_returns_the_output(spelling):
    def by_name(results: list[AgentExecutorResponse]) -> dict[str, str]:
        return {r.executor_id: r.agent_run_response.text for r in results}

    workflow = spelled(ConcurrentBuilder, spelling, [reader("a"), reader("b")]).with_aggregator(by_name).build()
    assert run(workflow.run("owls")).get_outputs() == [{"a": "a read 'owls'", "b": "b read 'owls'"}]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_an_aggregator_may_be_an_executor(spelling):
    class Count(Executor):
        @handler
        async def count(self, results: list[AgentExecutorResponse], ctx: WorkflowContext[None, int]) -> None:
            await ctx.yield_output(len(results))

    workflow = spelled(ConcurrentBuilder, spelling, [reader("a"), reader("b")]).with_aggregator(Count("count")).build()
    assert run(workflow.run("owls")).get_outputs() == [2]


def test_today_a_second_aggregator_is_refused():
    builder = ConcurrentBuilder(participants=[reader("a")]).with_aggregator(len)
    with pytest.raises(WorkflowValidationError, match="already called"):
        builder.with_aggregator(len)


def test_late_2025_a_second_aggregator_replaces_the_first():
    builder = ConcurrentBuilder().participants([reader("a")]).with_aggregator(len)
    workflow = builder.with_aggregator(lambda results: "last").build()
    assert run(workflow.run("owls")).get_outputs() == ["last"]


class Echo(Executor):
    """Today's shape of an executor participant: it reads the request and answers with a response."""

    @handler
    async def answer(self, request: AgentExecutorRequest, ctx: WorkflowContext[AgentExecutorResponse]) -> None:
        reply = AgentRunResponse(messages=[ChatMessage(Role.ASSISTANT, text=f"echo {request.messages[-1].text}")])
        await ctx.send_message(AgentExecutorResponse(self.id, reply, [*request.messages, *reply.messages]))


def test_today_an_executor_participant_reads_the_request_and_its_answer_joins_the_others():
    [response] = run(ConcurrentBuilder(participants=[reader("a"), Echo("echo")]).build().run("owls")).get_outputs()
    assert [m.text for m in response.messages] == ["a read 'owls'", "echo owls"]


class Count(Executor):
    """The late-2025 shape some participants had: it reads the conversation."""

    @handler
    async def count(self, conversation: list[ChatMessage], ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(len(conversation[-1].text.split()))


def test_late_2025_a_participant_that_reads_conversations_gets_the_input_as_one():
    [results] = run(ConcurrentBuilder().participants([reader("a"), Count("count")]).build().run("owls hunt")).get_outputs()
    assert [getattr(item, "text", item) for item in results] == ["owls hunt", "a read 'owls hunt'", 2]


def test_today_a_participant_that_reads_only_conversations_is_refused_with_the_fix():
    with pytest.raises(WorkflowValidationError, match="handler for AgentExecutorRequest"):
        ConcurrentBuilder(participants=[reader("a"), Count("count")]).build()


def test_today_the_default_aggregator_says_what_to_do_with_results_that_are_not_responses():
    class Number(Executor):
        @handler
        async def number(self, request: AgentExecutorRequest, ctx: WorkflowContext[int]) -> None:
            await ctx.send_message(7)

    with pytest.raises(WorkflowFailedError) as failed:
        run(ConcurrentBuilder(participants=[Number("seven")]).build().run("owls"))
    assert isinstance(failed.value.__cause__, WorkflowTypeError)
    assert "with_aggregator" in str(failed.value.__cause__)


def test_today_checkpoint_storage_and_name_go_in_the_constructor():
    storage = InMemoryCheckpointStorage()
    workflow = ConcurrentBuilder(participants=[reader("a")], checkpoint_storage=storage, name="panel").build()
    run(workflow.run("owls"))
    assert workflow.name == "panel" and run(storage.list_checkpoint_ids())
