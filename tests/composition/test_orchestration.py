"""Sequential and Concurrent builders on agents and plain executors, and the workflow-as-agent
round trip of the request/response lesson."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from tests.conftest import run
from wfkit import (
    AgentExecutorResponse,
    AgentRunResponseUpdate,
    AgentRunUpdateEvent,
    ChatMessage,
    ConcurrentBuilder,
    Executor,
    FunctionCallContent,
    FunctionResultContent,
    OfflineChatClient,
    RequestResponseError,
    Role,
    SequentialBuilder,
    WorkflowAgent,
    WorkflowBuilder,
    WorkflowContext,
    handler,
    response_handler,
)


def agents():
    client = OfflineChatClient(replies=["first draft", "looks good"])
    return client.create_agent(name="writer"), client.create_agent(name="editor")


def test_sequential_participants_take_turns_on_one_conversation():
    writer, editor = agents()
    [conversation] = run(SequentialBuilder().participants([writer, editor]).build().run("Write about owls")).get_outputs()
    assert [(m.role, m.text) for m in conversation] == [
        (Role.USER, "Write about owls"),
        (Role.ASSISTANT, "first draft"),
        (Role.ASSISTANT, "looks good"),
    ]


class Shouter(Executor):
    @handler
    async def shout(self, conversation: list[ChatMessage], ctx: WorkflowContext[list[ChatMessage]]) -> None:
        await ctx.send_message([*conversation, ChatMessage(Role.ASSISTANT, text=conversation[-1].text.upper())])


def test_sequential_takes_plain_executors_too():
    writer, _ = agents()
    [conversation] = run(SequentialBuilder().participants([writer, Shouter("shouter")]).build().run("hi")).get_outputs()
    assert [m.text for m in conversation] == ["hi", "first draft", "FIRST DRAFT"]


def test_concurrent_gives_everyone_the_same_input_and_aggregates():
    writer, editor = agents()

    def by_name(results: list[AgentExecutorResponse]) -> dict[str, str]:
        return {r.executor_id: r.agent_run_response.text for r in results}

    workflow = ConcurrentBuilder().participants([writer, editor]).with_aggregator(by_name).build()
    outputs = run(workflow.run("Summarise")).get_outputs()
    assert outputs == [{"writer": "first draft", "editor": "looks good"}] or outputs == [
        {"writer": "looks good", "editor": "first draft"}
    ]


def test_concurrent_default_output_is_each_participants_last_message():
    client = OfflineChatClient()
    a, b = client.create_agent(name="a"), client.create_agent(name="b")
    [messages] = run(ConcurrentBuilder().participants([a, b]).build().run("Summarise owls")).get_outputs()
    assert [m.author_name for m in messages] == ["a", "b"]


class Measure(Executor):
    """A plain (non-agent) participant: answers with a fact about the last message."""

    def __init__(self, id: str, measure) -> None:
        super().__init__(id)
        self.measure = measure

    @handler
    async def answer(self, conversation: list[ChatMessage], ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"{self.id}={self.measure(conversation[-1].text)}")


def measures() -> list[Measure]:
    return [Measure("words", lambda text: len(text.split())), Measure("letters", lambda text: len(text.replace(" ", "")))]


def test_concurrent_plain_executors_output_their_results_in_participant_order():
    [results] = run(ConcurrentBuilder().participants(measures()).build().run("owls hunt")).get_outputs()
    assert results == ["words=2", "letters=8"]


def test_concurrent_plain_executors_feed_a_custom_aggregator():
    workflow = ConcurrentBuilder().participants(measures()).with_aggregator(", ".join).build()
    assert run(workflow.run("owls hunt")).get_outputs() == ["words=2, letters=8"]


def test_participants_need_distinct_names():
    client = OfflineChatClient()
    with pytest.raises(ValueError, match="different names"):
        SequentialBuilder().participants([client.create_agent(name="x"), client.create_agent(name="x")]).build()


# --- the workflow as an agent (seed 002) ----------------------------------------------------


@dataclass
class ReviewResponse:
    feedback: str
    approved: bool


@dataclass
class HumanReview:
    draft: str


class Worker(Executor):
    @handler
    async def write(self, messages: list[ChatMessage], ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"Answer: {messages[-1].text}")

    @handler
    async def on_review(self, review: ReviewResponse, ctx: WorkflowContext[str]) -> None:
        if review.approved:
            await ctx.add_event(AgentRunUpdateEvent(self.id, AgentRunResponseUpdate(text="approved answer")))
        else:
            await ctx.send_message(f"Revised: {review.feedback}")


class Reviewer(Executor):
    @handler
    async def review(self, draft: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(HumanReview(draft), response_type=ReviewResponse)

    @response_handler
    async def accept(self, request: HumanReview, answer: ReviewResponse, ctx: WorkflowContext[ReviewResponse]) -> None:
        await ctx.send_message(answer)


def review_agent() -> WorkflowAgent:
    return (
        WorkflowBuilder()
        .add_edge(Worker("worker"), Reviewer("reviewer"))
        .add_edge("reviewer", "worker")
        .set_start_executor("worker")
        .build()
        .as_agent()
    )


def request_call(response) -> FunctionCallContent:
    [call] = [c for m in response.messages for c in m.contents if isinstance(c, FunctionCallContent)]
    assert call.name == WorkflowAgent.REQUEST_INFO_FUNCTION_NAME
    return call


def test_workflow_agent_round_trip_with_a_human_review():
    agent = review_agent()

    async def scenario():
        first = await agent.run("Why learn to code?")
        call = request_call(first)
        args = WorkflowAgent.RequestInfoFunctionArgs.from_dict(call.arguments)
        assert isinstance(call.arguments, Mapping) and args.request_id == call.call_id
        assert args.data == HumanReview("Answer: Why learn to code?")
        second = await agent.run(
            ChatMessage(role=Role.TOOL, contents=[FunctionResultContent(call.call_id, ReviewResponse("shorter", False))])
        )
        again = request_call(second)
        assert WorkflowAgent.RequestInfoFunctionArgs.from_dict(again.arguments).data.draft == "Revised: shorter"
        return await agent.run(
            ChatMessage(role=Role.TOOL, contents=[FunctionResultContent(again.call_id, ReviewResponse("", True))])
        )

    final = run(scenario())
    assert final.messages[-1].text == "approved answer"


def test_request_arguments_survive_json():
    args = WorkflowAgent.RequestInfoFunctionArgs("r1", HumanReview("draft"))
    assert WorkflowAgent.RequestInfoFunctionArgs.from_json(args.to_json()) == args


def test_an_answer_for_an_unknown_call_is_refused():
    agent = review_agent()

    async def scenario():
        await agent.run("hi")
        await agent.run(ChatMessage(role=Role.TOOL, contents=[FunctionResultContent("nope", ReviewResponse("", True))]))

    with pytest.raises(RequestResponseError, match="nope"):
        run(scenario())


def test_a_workflow_agent_can_be_a_participant():
    writer, _ = agents()
    inner = SequentialBuilder().participants([writer]).build().as_agent(name="team")
    [conversation] = run(SequentialBuilder().participants([inner]).build().run("go")).get_outputs()
    assert conversation[-1].text == "first draft"
