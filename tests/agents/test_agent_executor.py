"""AgentExecutor in real workflows (offline client): requests, conversations, streaming, checkpoints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run
from wfkit import (
    AgentRunEvent,
    AgentRunUpdateEvent,
    Executor,
    FileCheckpointStorage,
    InMemoryCheckpointStorage,
    Never,
    RequestInfoExecutor,
    RequestInfoMessage,
    RequestResponse,
    TypeCompatibilityError,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowOutputEvent,
    handler,
)
from wfkit.agents import (
    AgentExecutor,
    AgentExecutorRequest,
    AgentExecutorResponse,
    AgentRunResponse,
    ChatAgent,
    ChatMessage,
    OfflineChatClient,
    Role,
)

BRIEF = "Write release notes for our smart mug that keeps coffee hot. It costs $79. Encourage fans to pre-order today."
NO_PRICE_BRIEF = "Write release notes for our smart mug that keeps coffee hot. Encourage fans to pre-order today."


class Collect(Executor):
    """Yields every agent response it gets, as the workflow's output."""

    @handler
    async def collect(
        self, response: AgentExecutorResponse, ctx: WorkflowContext[Never, AgentExecutorResponse]
    ) -> None:
        await ctx.yield_output(response)


def writer(client: OfflineChatClient | None = None, name: str = "writer") -> ChatAgent:
    return (client or OfflineChatClient()).create_agent(instructions="You write warm release notes.", name=name)


def simple_workflow(agent: ChatAgent | AgentExecutor) -> Any:
    collect = Collect("collect")
    return WorkflowBuilder().add_edge(agent, collect).set_start_executor(agent).build()


def outputs(result: Any) -> list[AgentExecutorResponse]:
    return result.get_outputs()


def test_a_request_gets_a_response_that_reaches_the_next_executor() -> None:
    workflow = simple_workflow(AgentExecutor(writer(), id="writer"))
    result = run(workflow.run(AgentExecutorRequest([ChatMessage(Role.USER, text=BRIEF)])))
    [response] = outputs(result)
    assert response.executor_id == "writer"
    assert "$79" in response.agent_run_response.text
    assert [m.role for m in response.full_conversation] == [Role.USER, Role.ASSISTANT]
    assert response.full_conversation[-1].author_name == "writer"


@pytest.mark.parametrize(
    "message",
    [BRIEF, ChatMessage(Role.USER, text=BRIEF), [ChatMessage(Role.USER, text=BRIEF)]],
    ids=["str", "ChatMessage", "list[ChatMessage]"],
)
def test_text_a_message_or_a_list_of_messages_are_requests_too(message: Any) -> None:
    [response] = outputs(run(simple_workflow(writer()).run(message)))
    assert "smart mug" in response.agent_run_response.text


def test_the_agent_sees_its_instructions_as_a_system_message() -> None:
    seen: list[list[ChatMessage]] = []

    class Spy(OfflineChatClient):
        def reply_to(self, messages: list[ChatMessage]) -> str:
            seen.append(messages)
            return super().reply_to(messages)

    run(simple_workflow(writer(Spy())).run(BRIEF))
    assert seen[0][0] == ChatMessage(Role.SYSTEM, text="You write warm release notes.")
    assert seen[0][1].text == BRIEF


def test_an_agent_in_an_edge_becomes_an_executor_named_after_it() -> None:
    agent = writer(name="copywriter")
    workflow = WorkflowBuilder().add_edge(agent, Collect("collect")).set_start_executor(agent).build()
    executor = workflow.get_executor("copywriter")
    assert isinstance(executor, AgentExecutor) and executor.agent is agent


def test_an_agent_used_in_two_edges_is_one_executor() -> None:
    agent = writer()
    first, second = Collect("first"), Collect("second")
    workflow = WorkflowBuilder().add_edge(agent, first).add_edge(agent, second).set_start_executor(agent).build()
    assert list(workflow.executors).count("writer") == 1
    assert len(outputs(run(workflow.run(BRIEF)))) == 2


def test_register_agent_builds_a_fresh_agent_executor_each_time() -> None:
    builder = (
        WorkflowBuilder()
        .register_agent(lambda: writer(), name="writer")
        .register_executor(lambda: Collect("collect"), name="collect")
        .add_edge("writer", "collect")
        .set_start_executor("writer")
    )
    first, second = builder.build(), builder.build()
    assert first.get_executor("writer") is not second.get_executor("writer")
    assert outputs(run(first.run(BRIEF)))[0].executor_id == "writer"


def test_the_builder_checks_what_an_agent_sends() -> None:
    class NumbersOnly(Executor):
        @handler
        async def take(self, number: int, ctx: WorkflowContext) -> None: ...

    with pytest.raises(TypeCompatibilityError, match="AgentExecutorResponse"):
        WorkflowBuilder().add_edge(writer(), NumbersOnly("numbers")).set_start_executor("writer").build()


class Reviser(Executor):
    """Sends the brief, then one revision request ("mention the price") back to the same writer."""

    @handler
    async def start(self, brief: str, ctx: WorkflowContext[AgentExecutorRequest]) -> None:
        await ctx.send_message(AgentExecutorRequest([ChatMessage(Role.USER, text=brief)]))

    @handler
    async def on_draft(
        self, response: AgentExecutorResponse, ctx: WorkflowContext[AgentExecutorRequest, AgentExecutorResponse]
    ) -> None:
        await ctx.yield_output(response)
        if len(response.full_conversation) < 4:
            await ctx.send_message(AgentExecutorRequest([ChatMessage(Role.USER, text="Please mention the price.")]))


def test_a_revision_request_continues_the_same_conversation() -> None:
    reviser, agent = Reviser("reviser"), writer()
    workflow = WorkflowBuilder().add_edge(reviser, agent).add_edge(agent, reviser).set_start_executor(reviser).build()
    first, second = outputs(run(workflow.run(NO_PRICE_BRIEF.replace(" Encourage", " It costs $79. Encourage"))))
    assert len(second.full_conversation) == 4
    assert second.full_conversation[:2] == first.full_conversation
    assert second.agent_run_response.text != first.agent_run_response.text


def test_should_respond_false_only_adds_to_the_conversation() -> None:
    class TwoParts(Executor):
        @handler
        async def start(self, brief: str, ctx: WorkflowContext[AgentExecutorRequest]) -> None:
            await ctx.send_message(AgentExecutorRequest([ChatMessage(Role.USER, text=brief)], should_respond=False))
            await ctx.send_message(AgentExecutorRequest([ChatMessage(Role.USER, text="Now write them.")]))

    start, agent = TwoParts("start"), writer()
    collect = Collect("collect")
    workflow = WorkflowBuilder().add_edge(start, agent).add_edge(agent, collect).set_start_executor(start).build()
    result = run(workflow.run(BRIEF))
    [response] = outputs(result)
    assert [m.text for m in response.full_conversation[:2]] == [BRIEF, "Now write them."]
    assert len([e for e in result if isinstance(e, AgentRunEvent)]) == 1


def test_a_new_run_starts_a_new_conversation() -> None:
    workflow = simple_workflow(writer())
    run(workflow.run(BRIEF))
    [response] = outputs(run(workflow.run(BRIEF)))
    assert len(response.full_conversation) == 2


def test_a_streamed_run_emits_the_answer_piece_by_piece_then_whole() -> None:
    workflow = simple_workflow(writer())

    async def stream() -> list[Any]:
        return [event async for event in workflow.run_stream(BRIEF)]

    events = run(stream())
    updates = [e for e in events if isinstance(e, AgentRunUpdateEvent)]
    [whole] = [e for e in events if isinstance(e, AgentRunEvent)]
    [output] = [e for e in events if isinstance(e, WorkflowOutputEvent)]
    assert len(updates) > 3
    assert all(u.executor_id == "writer" for u in updates)
    assert events.index(updates[-1]) < events.index(whole) < events.index(output)
    text = "".join(u.data.text for u in updates)
    assert text == whole.data.text == output.data.agent_run_response.text
    assert text == outputs(run(simple_workflow(writer()).run(BRIEF)))[0].agent_run_response.text


def test_a_collected_run_emits_only_the_whole_answer() -> None:
    result = run(simple_workflow(writer()).run(BRIEF))
    assert not [e for e in result if isinstance(e, AgentRunUpdateEvent)]
    [whole] = [e for e in result if isinstance(e, AgentRunEvent)]
    assert isinstance(whole.data, AgentRunResponse)


def test_output_response_yields_each_answer_as_a_workflow_output() -> None:
    agent = AgentExecutor(writer(), id="writer", output_response=True)
    workflow = WorkflowBuilder().add_executor(agent).set_start_executor(agent).build()
    [answer] = run(workflow.run(BRIEF)).get_outputs()
    assert isinstance(answer, AgentRunResponse) and "$79" in answer.text


def test_a_failing_model_fails_the_run_with_its_message() -> None:
    workflow = simple_workflow(writer(OfflineChatClient(replies=[])))
    with pytest.raises(WorkflowFailedError, match="given 0 scripted replies"):
        run(workflow.run(BRIEF))


def test_an_agent_executor_needs_an_id() -> None:
    class Nameless:
        name = None
        id = None

    with pytest.raises(ValueError, match="needs an id"):
        AgentExecutor(Nameless())  # type: ignore[arg-type]


# --- checkpoints: the release-notes approval loop of the checkpoint lesson -----------------------


@dataclass
class ApprovalRequest(RequestInfoMessage):
    draft: str = ""


class Gateway(Executor):
    """Asks a human about each draft; feedback goes back to the writer, "approve" publishes."""

    @handler
    async def on_draft(self, response: AgentExecutorResponse, ctx: WorkflowContext[ApprovalRequest]) -> None:
        await ctx.send_message(ApprovalRequest(draft=response.agent_run_response.text), target_id="review")

    @handler
    async def on_answer(
        self, answer: RequestResponse[ApprovalRequest, str], ctx: WorkflowContext[AgentExecutorRequest, str]
    ) -> None:
        if answer.data.strip().lower() == "approve":
            await ctx.yield_output(answer.original_request.draft)
        else:
            await ctx.send_message(
                AgentExecutorRequest([ChatMessage(Role.USER, text=answer.data)]), target_id="writer"
            )


def approval_workflow(storage: Any) -> Any:
    agent = AgentExecutor(writer(), id="writer")
    gateway, review = Gateway("gateway"), RequestInfoExecutor("review")
    return (
        WorkflowBuilder()
        .add_edge(agent, gateway)
        .add_edge(gateway, review)
        .add_edge(review, gateway)
        .add_edge(gateway, agent)
        .set_start_executor(agent)
        .with_checkpointing(storage)
        .build()
    )


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_a_restored_workflow_continues_the_agents_conversation(kind: str, tmp_path: Path) -> None:
    storage = InMemoryCheckpointStorage() if kind == "memory" else FileCheckpointStorage(tmp_path)
    brief = NO_PRICE_BRIEF + " Price: $79."
    first = run(approval_workflow(storage).run(brief))
    [request] = first.get_request_info_events()
    first_draft = request.data.draft

    checkpoints = run(storage.list_checkpoints())
    paused = max(checkpoints, key=lambda cp: cp.iteration_count)
    fresh = approval_workflow(storage)  # as if in a new process: new executors, new agent
    resumed = run(fresh.run_from_checkpoint(paused.checkpoint_id, responses={request.request_id: "Add a headline."}))
    [second_request] = resumed.get_request_info_events()
    second_draft = second_request.data.draft
    headline, _, body = second_draft.partition("\n\n")
    assert body == first_draft  # the same draft, now with a headline
    assert headline and "\n" not in headline

    # The writer's conversation came back from the checkpoint: both exchanges are in it.
    finished = run(fresh.send_responses({second_request.request_id: "approve"}))
    assert finished.get_outputs() == [second_draft]
    latest = max(run(storage.list_checkpoints()), key=lambda cp: cp.iteration_count)
    conversation = RequestInfoExecutor.checkpoint_summary(latest).executor_states["writer"]["conversation"]
    assert [m.role for m in conversation] == [Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT]
    assert conversation[0].text == brief and conversation[2].text == "Add a headline."
