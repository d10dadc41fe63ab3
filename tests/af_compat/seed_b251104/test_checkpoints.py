"""Checkpoints in AF b251104: saved after every superstep with `with_checkpointing(...)`, holding
the executors' `set_executor_state` dicts and the shared state; `get_checkpoint_summary(cp)`;
resuming with `workflow.run_stream(checkpoint_id=..., checkpoint_storage=...)` in a new workflow
instance, where a pending `ctx.request_info` request is asked again and answered with
`send_responses_streaming`, or answered at once with `run_from_checkpoint(..., responses=)`."""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import run
from wfkit import (
    Executor,
    FileCheckpointStorage,
    InMemoryCheckpointStorage,
    Never,
    RequestInfoEvent,
    WorkflowBuilder,
    WorkflowCheckpointSummary,
    WorkflowContext,
    WorkflowOutputEvent,
    get_checkpoint_summary,
    handler,
    response_handler,
)


@dataclass
class Proof:
    text: str
    round: int


class Editor(Executor):
    """Sends the text to a proofreader until a person approves it; counts the rounds in its state."""

    @handler
    async def start(self, text: str, ctx: WorkflowContext) -> None:
        await ctx.set_executor_state({"rounds": 1})
        await ctx.set_shared_state("first_draft", text)
        await ctx.request_info(request_data=Proof(text, 1), response_type=str)

    @response_handler
    async def reviewed(self, proof: Proof, verdict: str, ctx: WorkflowContext[Never, str]) -> None:
        state = await ctx.get_executor_state()
        if verdict == "approve":
            first = await ctx.get_shared_state("first_draft")
            await ctx.yield_output(f"{proof.text} (round {state['rounds']}, first: {first})")
            return
        state["rounds"] += 1
        await ctx.set_executor_state(state)
        await ctx.request_info(request_data=Proof(f"{proof.text} + {verdict}", state["rounds"]), response_type=str)


def editing(storage):
    return WorkflowBuilder().set_start_executor(Editor(id="editor")).with_checkpointing(checkpoint_storage=storage).build()


def latest(storage):
    return max(run(storage.list_checkpoints()), key=lambda cp: cp.timestamp)


def collect(stream) -> list:
    async def go():
        return [event async for event in stream]

    return run(go())


def test_a_checkpoint_holds_executor_state_and_shared_state():
    storage = InMemoryCheckpointStorage()
    run(editing(storage).run("Hello"))
    checkpoint = latest(storage)
    assert checkpoint.executor_states["editor"] == {"rounds": 1}
    assert checkpoint.shared_state["first_draft"] == "Hello"


def test_get_checkpoint_summary_reports_a_checkpoint_awaiting_a_response():
    storage = InMemoryCheckpointStorage()
    [asked] = run(editing(storage).run("Hello")).get_request_info_events()
    summary = get_checkpoint_summary(latest(storage))
    assert isinstance(summary, WorkflowCheckpointSummary) and summary.status == "awaiting human response"
    assert [event.request_id for event in summary.pending_request_info_events] == [asked.request_id]


def test_run_stream_with_a_checkpoint_id_asks_the_pending_request_again(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    [asked] = run(editing(storage).run("Hello")).get_request_info_events()
    fresh = editing(FileCheckpointStorage(tmp_path))
    events = collect(fresh.run_stream(checkpoint_id=latest(storage).checkpoint_id, checkpoint_storage=storage))
    [again] = [e for e in events if isinstance(e, RequestInfoEvent)]
    assert again.request_id == asked.request_id and again.data == Proof("Hello", 1)


def test_the_resumed_workflow_takes_the_answer_and_finishes():
    storage = InMemoryCheckpointStorage()
    run(editing(storage).run("Hello"))
    fresh = editing(storage)
    [again] = [e for e in collect(fresh.run_stream(checkpoint_id=latest(storage).checkpoint_id)) if isinstance(e, RequestInfoEvent)]
    events = collect(fresh.send_responses_streaming({again.request_id: "approve"}))
    assert [e.data for e in events if isinstance(e, WorkflowOutputEvent)] == ["Hello (round 1, first: Hello)"]


def test_restored_executor_state_counts_on_after_resume():
    storage = InMemoryCheckpointStorage()
    workflow = editing(storage)
    [first] = run(workflow.run("Hi")).get_request_info_events()
    run(workflow.send_responses({first.request_id: "add a comma"}))
    fresh = editing(storage)
    [again] = run(fresh.run_from_checkpoint(latest(storage).checkpoint_id)).get_request_info_events()
    assert again.data == Proof("Hi + add a comma", 2)
    assert run(fresh.send_responses({again.request_id: "approve"})).get_outputs() == ["Hi + add a comma (round 2, first: Hi)"]


def test_responses_given_with_the_checkpoint_answer_it_at_once():
    storage = InMemoryCheckpointStorage()
    [asked] = run(editing(storage).run("Yo")).get_request_info_events()
    result = run(editing(storage).run_from_checkpoint(latest(storage).checkpoint_id, storage, responses={asked.request_id: "approve"}))
    assert result.get_request_info_events() == [] and result.get_outputs() == ["Yo (round 1, first: Yo)"]
