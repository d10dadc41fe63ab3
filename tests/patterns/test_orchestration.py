"""Sequential and Concurrent builders on agents and plain executors, and the workflow-as-agent
round trip of the request/response lesson."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from tests.conftest import run
from wfkit import (
    AgentExecutorRequest,
    AgentExecutorResponse,
    InMemoryCheckpointStorage,
    Never,
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


def test_concurrent_default_output_is_the_prompt_then_each_participants_answer():
    client = OfflineChatClient()
    a, b = client.create_agent(name="a"), client.create_agent(name="b")
    [messages] = run(ConcurrentBuilder().participants([a, b]).build().run("Summarise owls")).get_outputs()
    assert [(m.role, m.author_name) for m in messages] == [(Role.USER, None), (Role.ASSISTANT, "a"), (Role.ASSISTANT, "b")]
    assert messages[0].text == "Summarise owls"


class RequestReader(Executor):
    """A custom participant in Agent Framework's shape: takes a request, answers with a response."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.agent = OfflineChatClient(replies=[f"{id} says hi"]).create_agent(name=id)

    @handler
    async def run(self, request: AgentExecutorRequest, ctx: WorkflowContext[AgentExecutorResponse]) -> None:
        response = await self.agent.run(request.messages)
        conversation = list(request.messages) + list(response.messages)
        await ctx.send_message(AgentExecutorResponse(self.id, response, full_conversation=conversation))


def test_concurrent_sends_each_participant_an_agent_executor_request():
    workflow = ConcurrentBuilder().participants([RequestReader("researcher"), RequestReader("legal")]).build()
    [messages] = run(workflow.run("Launch a bike")).get_outputs()
    assert [m.text for m in messages] == ["Launch a bike", "researcher says hi", "legal says hi"]


def test_concurrent_passes_a_request_it_is_given_on_unchanged():
    seen = []

    class Recorder(Executor):
        @handler
        async def record(self, request: AgentExecutorRequest, ctx: WorkflowContext[str]) -> None:
            seen.append(request)
            await ctx.send_message("ok")

    request = AgentExecutorRequest([ChatMessage(Role.USER, text="hi")], should_respond=False)
    run(ConcurrentBuilder().participants([Recorder("r")]).build().run(request))
    assert seen == [request]


def test_concurrent_mixes_agents_with_conversation_readers():
    writer, _ = agents()
    [results] = run(ConcurrentBuilder().participants([writer, measures()[0]]).build().run("owls hunt")).get_outputs()
    assert [getattr(r, "text", r) for r in results] == ["owls hunt", "first draft", "words=2"]


def test_a_callback_aggregator_may_take_the_context_and_yield_itself():
    async def each_on_its_own(results, ctx):
        for result in results:
            await ctx.yield_output(result)  # returns None: nothing more is yielded

    workflow = ConcurrentBuilder().participants(measures()).with_aggregator(each_on_its_own).build()
    assert run(workflow.run("owls hunt")).get_outputs() == ["words=2", "letters=8"]


class Counter(Executor):
    @handler
    async def count(self, results: list[str], ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(len(results))


def test_an_executor_may_be_the_aggregator():
    workflow = ConcurrentBuilder().participants(measures()).with_aggregator(Counter("counter")).build()
    assert run(workflow.run("owls hunt")).get_outputs() == [2]


def test_the_aggregator_must_be_an_executor_or_a_function():
    with pytest.raises(TypeError, match="Executor or a function"):
        ConcurrentBuilder().with_aggregator("join")


def test_glue_executors_have_agent_frameworks_ids():
    writer, editor = agents()
    assert set(SequentialBuilder().participants([writer, editor]).build().executors) == {
        "input-conversation", "writer", "to-conversation:writer", "editor", "to-conversation:editor", "end"
    }
    assert set(ConcurrentBuilder().participants([writer, editor]).build().executors) == {
        "dispatcher", "writer", "editor", "aggregator"
    }


def test_both_builders_can_save_checkpoints():
    for builder in (SequentialBuilder(), ConcurrentBuilder()):
        storage = InMemoryCheckpointStorage()
        writer, _ = agents()
        run(builder.participants([writer]).with_checkpointing(storage).build().run("hi"))
        assert run(storage.list_checkpoint_ids())


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


class Summarizer(Executor):
    """A last participant that yields the output itself and sends nothing on."""

    @handler
    async def summarize(self, conversation: list[ChatMessage], ctx: WorkflowContext[Never, list[ChatMessage]]) -> None:
        await ctx.yield_output([*conversation, ChatMessage(Role.ASSISTANT, text=f"{len(conversation)} messages")])


def test_sequential_last_participant_may_yield_the_output_itself():
    writer, _ = agents()
    workflow = SequentialBuilder().participants([writer, Summarizer("summarizer")]).build()
    [conversation] = run(workflow.run("hi")).get_outputs()
    assert [m.text for m in conversation] == ["hi", "first draft", "2 messages"]
    assert "end" not in workflow.executors


def test_sequential_starts_from_a_list_mixing_text_and_messages():
    writer, _ = agents()
    start = ["hello", ChatMessage(Role.USER, text="write")]
    [conversation] = run(SequentialBuilder().participants([writer]).build().run(start)).get_outputs()
    assert [m.text for m in conversation] == ["hello", "write", "first draft"]


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
