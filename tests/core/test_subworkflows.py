"""Sub-workflows: a whole workflow as one executor, its requests, answers and checkpoints."""

from __future__ import annotations

import json

import pytest

from tests.core.composed_workflows import (
    ApprovalGateway,
    Decision,
    DraftFinaliser,
    DraftPackage,
    DraftTask,
    DraftWriter,
    FinalDraft,
    ReviewRequest,
    SubmitRequest,
    Submitter,
    Unwrap,
    approval_sub_workflow,
    draft_parent_workflow,
    two_level_workflow,
)
from tests.conftest import run, run_in_new_process
from wfkit import (
    CheckpointGraphMismatchError,
    Executor,
    ExecutorInvokedEvent,
    FileCheckpointStorage,
    InMemoryCheckpointStorage,
    Never,
    RequestInfoExecutor,
    RequestResponse,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowExecutor,
    WorkflowFailedError,
    WorkflowRunState,
    executor,
    handler,
    response_handler,
)

def cli(*args: str) -> dict:
    return run_in_new_process("tests.core.subworkflow_resume_cli", *args)


def test_child_request_surfaces_with_the_same_id_and_answers_reach_the_child():
    workflow = draft_parent_workflow()

    async def scenario():
        first = await workflow.run(DraftTask("owls"))
        [ask] = first.get_request_info_events()
        assert ask.source_executor_id == "approval_sub_workflow"
        assert isinstance(ask.data, ReviewRequest) and ask.data.iteration == 1
        # The child's own RequestInfoExecutor made it: same id inside and outside.
        [child_state] = workflow.latest_run.state.executor_states["approval_sub_workflow"]["executions"].values()
        assert list(child_state.pending_requests) == [ask.request_id]
        second = await workflow.send_responses({ask.request_id: "add facts"})
        [ask2] = second.get_request_info_events()
        third = await workflow.send_responses({ask2.request_id: "shorter"})
        [ask3] = third.get_request_info_events()
        assert ask3.data.iteration == 3
        return await workflow.send_responses({ask3.request_id: "approve"})

    result = run(scenario())
    assert result.get_outputs() == [
        FinalDraft("owls", "A short piece about owls. (revised: add facts) (revised: shorter)", 3)
    ]


def test_child_executor_events_appear_in_the_parent_stream_with_a_prefix():
    result = run(draft_parent_workflow().run(DraftTask("owls")))
    invoked = [e.executor_id for e in result if isinstance(e, ExecutorInvokedEvent)]
    assert invoked == [
        "draft_writer",
        "approval_sub_workflow",
        "approval_sub_workflow/approval_gateway",
        "approval_sub_workflow/approval_gate",
    ]


def test_revise_revise_approve_resumed_from_parent_checkpoints_in_new_processes(tmp_path):
    folder = str(tmp_path)
    report = cli("start", folder, "Python async programming")
    for answer in ["revise: more examples", "revise: friendlier", "approve"]:
        [ask] = report["requests"]
        storage = FileCheckpointStorage(folder)
        checkpoints = run(storage.list_checkpoints())
        # Only the parent writes checkpoints; the child's state is inside them.
        assert {cp.workflow_id for cp in checkpoints} == {draft_parent_workflow().id}
        newest = checkpoints[-1]
        summary = RequestInfoExecutor.checkpoint_summary(newest)
        assert summary.status == "awaiting human response"
        [pending] = summary.pending_requests
        assert pending.request_id == ask["id"] and pending.request_message.draft_text == ask["draft"]
        report = cli("resume", folder, newest.checkpoint_id, json.dumps({ask["id"]: answer}))
    assert report["state"] == "IDLE"
    assert report["outputs"] == [
        repr(FinalDraft("Python async programming",
                        "A short piece about Python async programming. (revised: revise: more examples) "
                        "(revised: revise: friendlier)", 3))
    ]


def test_nested_child_never_writes_its_own_checkpoints():
    child_storage, parent_storage = InMemoryCheckpointStorage(), InMemoryCheckpointStorage()
    writer_parent = draft_parent_workflow(parent_storage, child_storage=child_storage)
    run(writer_parent.run(DraftTask("owls")))
    assert run(child_storage.list_checkpoint_ids()) == []
    assert run(parent_storage.list_checkpoint_ids())


def test_a_changed_child_graph_refuses_the_parent_checkpoint():
    storage = InMemoryCheckpointStorage()
    run(draft_parent_workflow(storage).run(DraftTask("owls")))
    newest = run(storage.list_checkpoints())[-1]
    changed = draft_parent_workflow(audited=True)
    with pytest.raises(CheckpointGraphMismatchError, match="executor 'approval_sub_workflow' was a WorkflowExecutor"):
        run(changed.run_from_checkpoint(newest.checkpoint_id, checkpoint_storage=storage))


# --- interception -----------------------------------------------------------------------------


class AutoReviewer(Executor):
    """A parent executor that answers the child's review requests itself when the draft is short."""

    @handler
    async def review(self, request: ReviewRequest, ctx: WorkflowContext[RequestResponse]) -> None:
        verdict = "approve" if len(request.draft_text) < 100 else "too long"
        await ctx.send_message(RequestResponse(verdict, request, request.request_id), target_id="review")


def intercepting_workflow(storage=None):
    """A parent whose AutoReviewer answers the approval sub-workflow's requests itself."""

    @executor(id="start")
    async def start(text: str, ctx: WorkflowContext[DraftPackage]) -> None:
        await ctx.send_message(DraftPackage("owls", text, 1))

    @executor(id="publish")
    async def publish(decision: Decision, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"approved={decision.approved}")

    review = WorkflowExecutor(approval_sub_workflow(), id="review")
    builder = (
        WorkflowBuilder()
        .add_edge(start, review)
        .add_edge(review, AutoReviewer("auto"))
        .add_edge("auto", review)
        .add_edge(review, publish)
        .set_start_executor(start)
    )
    return (builder.with_checkpointing(storage) if storage else builder).build()


def test_a_parent_executor_that_handles_the_request_type_answers_it_itself():
    result = run(intercepting_workflow().run("Owls hunt at night."))
    assert result.get_request_info_events() == []
    assert result.get_outputs() == ["approved=True"]
    assert result.get_final_state() is WorkflowRunState.IDLE


def test_an_intercepted_request_in_flight_resumes_from_a_checkpoint():
    storage = InMemoryCheckpointStorage()
    run(intercepting_workflow(storage).run("Owls hunt at night."))
    # The checkpoint where the child's question is on its way to the AutoReviewer.
    [in_flight] = [cp for cp in run(storage.list_checkpoints()) if [m["target_id"] for m in cp.all_messages()] == ["auto"]]
    resumed = run(intercepting_workflow().run_from_checkpoint(in_flight.checkpoint_id, storage))
    assert resumed.get_outputs() == ["approved=True"]
    assert resumed.get_request_info_events() == []
    invoked = [e.executor_id for e in resumed if isinstance(e, ExecutorInvokedEvent)]
    assert invoked[0] == "auto" and "start" not in invoked


# --- two levels -------------------------------------------------------------------------------


def test_two_levels_of_nesting_pause_and_resume_from_a_checkpoint():
    storage = InMemoryCheckpointStorage()
    first = run(two_level_workflow(storage).run("owls"))
    [ask] = first.get_request_info_events()
    assert ask.source_executor_id == "middle" and ask.data.topic == "owls"
    newest = run(storage.list_checkpoints())[-1]
    resumed = run(two_level_workflow().run_from_checkpoint(newest.checkpoint_id, storage, {ask.request_id: "approve"}))
    assert resumed.get_outputs() == ["owls approved"]
    assert any(e.executor_id == "middle/inner/approval_gateway" for e in resumed if isinstance(e, ExecutorInvokedEvent))


def test_two_levels_of_nesting_revise_then_approve_across_new_processes(tmp_path):
    folder = str(tmp_path)
    report = cli("start", folder, "owls", "two_levels")
    [ask] = report["requests"]
    newest = run(FileCheckpointStorage(folder).list_checkpoints())[-1]
    report = cli("resume", folder, newest.checkpoint_id, json.dumps({ask["id"]: "shorter"}), "two_levels")
    assert report["state"] == "IDLE" and report["outputs"] == [repr("owls rejected")]
    assert report["requests"] == []


# --- failures ---------------------------------------------------------------------------------


def test_a_failing_child_fails_the_parent_naming_the_sub_workflow():
    @executor(id="broken")
    async def broken(text: str, ctx: WorkflowContext) -> None:
        raise ValueError("bad draft")

    @executor(id="start")
    async def start(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    child = WorkflowBuilder().set_start_executor(broken).build()
    workflow = WorkflowBuilder().add_edge(start, child.as_executor("child")).set_start_executor(start).build()
    with pytest.raises(WorkflowFailedError, match=r"Sub-workflow 'child' failed: ValueError in broken: bad draft"):
        run(workflow.run("x"))


def test_a_second_job_runs_while_the_first_still_waits():
    @executor(id="twice")
    async def twice(text: str, ctx: WorkflowContext[DraftPackage | str]) -> None:
        await ctx.send_message(DraftPackage("a", "first", 1))  # only `review` takes this
        await ctx.send_message("later")  # only `again` takes this

    @executor(id="again")
    async def again(text: str, ctx: WorkflowContext[DraftPackage]) -> None:
        await ctx.send_message(DraftPackage("b", "second", 1))

    review = WorkflowExecutor(approval_sub_workflow(), id="review")
    workflow = (
        WorkflowBuilder().add_edge(twice, review).add_edge(twice, again).add_edge(again, review)
        .add_edge(review, Unwrap("unwrap")).set_start_executor(twice).build()
    )
    asks = run(workflow.run("go")).get_request_info_events()
    assert [a.data.topic for a in asks] == ["a", "b"]
    result = run(workflow.send_responses({asks[1].request_id: "approve", asks[0].request_id: "approve"}))
    assert sorted(result.get_outputs()) == ["a approved", "b approved"]


def test_sub_workflow_declares_its_child_types_for_build_checks():
    review = WorkflowExecutor(approval_sub_workflow(), id="review")
    assert review.input_types[0] is DraftPackage
    assert Decision in review.output_types and ReviewRequest in review.output_types


def test_wrapping_a_workflow_does_not_change_it():
    storage = InMemoryCheckpointStorage()
    child = approval_sub_workflow(storage)
    WorkflowExecutor(child, id="review")
    run(child.run(DraftPackage("owls", "About owls", 1)))
    assert run(storage.list_checkpoint_ids()), "the child run on its own still writes its checkpoints"


def test_a_plain_string_request_is_never_intercepted():
    class Asker(Executor):
        @handler
        async def ask(self, topic: str, ctx: WorkflowContext) -> None:
            await ctx.request_info(f"Title for {topic}?", response_type=str)

        @response_handler
        async def answer(self, question: str, title: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(title)

    @executor(id="start")
    async def start(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    @executor(id="echo")
    async def echo(text: str, ctx: WorkflowContext) -> None: ...

    child = WorkflowBuilder().set_start_executor(Asker("asker")).build()
    workflow = WorkflowBuilder().add_edge(start, child.as_executor("child")).add_edge("child", echo).set_start_executor(start).build()
    [ask] = run(workflow.run("owls")).get_request_info_events()
    assert ask.data == "Title for owls?"


class SilentReviewer(Executor):
    """Takes the child's review requests (so they are intercepted) but never answers."""

    @handler
    async def review(self, request: ReviewRequest, ctx: WorkflowContext) -> None: ...


def test_an_intercepted_request_nobody_answers_is_a_warning():
    from wfkit import WorkflowWarningEvent

    @executor(id="start")
    async def start(text: str, ctx: WorkflowContext[DraftPackage]) -> None:
        await ctx.send_message(DraftPackage("owls", text, 1))

    review = WorkflowExecutor(approval_sub_workflow(), id="review")
    workflow = (
        WorkflowBuilder().add_edge(start, review).add_edge(review, SilentReviewer("silent")).set_start_executor(start).build()
    )
    result = run(workflow.run("About owls"))
    assert result.get_final_state() is WorkflowRunState.IDLE
    [warning] = [e for e in result if isinstance(e, WorkflowWarningEvent)]
    assert "Sub-workflow 'review' is still waiting" in warning.message and "never answered" in warning.message


def test_surfaced_requests_raise_no_warning():
    from wfkit import WorkflowWarningEvent

    result = run(draft_parent_workflow().run(DraftTask("owls")))
    assert not [e for e in result if isinstance(e, WorkflowWarningEvent)]


# --- the child's own executor state, request styles, reuse ---------------------------------------


class CountingGateway(ApprovalGateway):
    """Keeps an attribute of its own across requests, saved through snapshot_state."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.asked = 0

    @handler
    async def ask(self, package: DraftPackage, ctx: WorkflowContext[ReviewRequest]) -> None:
        self.asked += 1
        await super().ask(package, ctx)

    async def snapshot_state(self) -> dict:
        return {"asked": self.asked}

    async def restore_state(self, state: dict) -> None:
        self.asked = state["asked"]


def _counting_parent(storage=None):
    gateway = CountingGateway("approval_gateway")
    child = (
        WorkflowBuilder(max_iterations=5)
        .add_edge(gateway, RequestInfoExecutor("approval_gate"))
        .add_edge("approval_gate", gateway)
        .set_start_executor(gateway)
        .build()
    )
    builder = (
        WorkflowBuilder(max_iterations=20)
        .add_edge(DraftWriter("draft_writer"), WorkflowExecutor(child, id="review"))
        .add_edge("review", DraftFinaliser("draft_finaliser"), condition=lambda d: d.approved)
        .add_edge("review", "draft_writer", condition=lambda d: not d.approved)
        .set_start_executor("draft_writer")
    )
    return (builder.with_checkpointing(storage) if storage else builder).build(), gateway


def test_a_child_executors_own_snapshot_is_saved_in_the_parent_checkpoint():
    storage = InMemoryCheckpointStorage()
    first, _ = _counting_parent(storage)
    [ask] = run(first.run(DraftTask("owls"))).get_request_info_events()
    [ask] = run(first.send_responses({ask.request_id: "shorter"})).get_request_info_events()
    newest = run(storage.list_checkpoints())[-1]

    fresh, gateway = _counting_parent()
    run(fresh.run_from_checkpoint(newest.checkpoint_id, storage, {ask.request_id: "approve"}))
    assert gateway.asked == 2


class WouldAnswer(Executor):
    """Has a handler for the child's request type, but a request_info request carries no id to answer."""

    seen: list = []

    @handler
    async def take(self, request: SubmitRequest, ctx: WorkflowContext) -> None:
        WouldAnswer.seen.append(request)

    @handler
    async def take_text(self, text: str, ctx: WorkflowContext) -> None: ...


def test_a_request_info_request_surfaces_even_when_a_parent_executor_handles_its_type():
    @executor(id="start")
    async def start(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    child = WorkflowBuilder().set_start_executor(Submitter("submitter")).build()
    workflow = (
        WorkflowBuilder()
        .add_edge(start, child.as_executor("child"))
        .add_edge("child", WouldAnswer("would_answer"))
        .set_start_executor(start)
        .build()
    )
    WouldAnswer.seen = []
    [ask] = run(workflow.run("owls")).get_request_info_events()
    assert isinstance(ask.data, SubmitRequest) and WouldAnswer.seen == []
    assert run(workflow.send_responses({ask.request_id: "yes"})).get_final_state() is WorkflowRunState.IDLE


def test_one_workflow_wrapped_twice_runs_in_both_places_at_once():
    @executor(id="split")
    async def split(topic: str, ctx: WorkflowContext[DraftPackage]) -> None:
        await ctx.send_message(DraftPackage(topic, f"About {topic}", 1))

    child = approval_sub_workflow()
    workflow = (
        WorkflowBuilder()
        .add_fan_out_edges(split, [child.as_executor("left"), child.as_executor("right")])
        .add_edge("left", Unwrap("unwrap_left"))
        .add_edge("right", Unwrap("unwrap_right"))
        .set_start_executor(split)
        .build()
    )
    asks = run(workflow.run("owls")).get_request_info_events()
    assert sorted(a.source_executor_id for a in asks) == ["left", "right"]
    result = run(workflow.send_responses({a.request_id: "approve" for a in asks}))
    assert result.get_outputs() == ["owls approved", "owls approved"]
