"""One reading of a run: after each kind of ending, every view gives every executor the same status.

The views: the live graph (`GraphState`, fed the run's events as `GraphView` is), the picture
the live view draws, the run explorer over the recorded run (`explore`), the picture the explorer
draws of its last step, and the explorer over the checkpoints alone (a new session's view). Each
test runs a real workflow, then checks every view against the statuses a learner should see.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any, Callable

from tests.conftest import run
from tests.core.composed_workflows import DraftTask, draft_parent_workflow, two_level_workflow
from tests.history.workflows import approval_workflow, failing_workflow, fan_workflow
from wfkit import (
    ExecutorFailure,
    FileCheckpointStorage,
    Never,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    executor,
)
from wfkit.core.events import WorkflowEvent
from wfkit.history import RunHistory
from wfkit.history.statuses import STATUSES, every_executor_id
from wfkit.notebook import NotebookRun, explore
from wfkit.viz.dot import STATE_COLOURS
from wfkit.widgets import GraphView
from wfkit.widgets.graph_state import GraphState

STATUS_OF_FILL = {fill: status for status, (fill, _) in STATE_COLOURS.items()}
NODE = re.compile(r'class="node">\s*<title>([^<]+)</title>\s*<path fill="([^"]+)"')


def drawn(svg: str) -> dict[str, str]:
    """Executor id -> the status its box is coloured as, in an SVG picture of the graph."""
    return {node: STATUS_OF_FILL[fill] for node, fill in NODE.findall(svg)}


def recorded(workflow: Any, message: Any) -> list[WorkflowEvent]:
    """The events of one run, whether it finished, paused or failed."""
    try:
        return list(run(workflow.run(message)))
    except WorkflowFailedError as error:
        return list(error.events)


def live_views(workflow: Any, events: list[WorkflowEvent]) -> dict[str, dict[str, str]]:
    graph = GraphState(workflow)
    graph.update_all(events)
    view = GraphView(workflow, min_redraw_interval=0)
    for event in events:
        view.handle(event)
    view.flush()
    return {
        "live graph": {eid: graph.states.get(eid, "idle") for eid in every_executor_id(workflow)},
        "live picture": drawn(view.picture.value),
    }


def explorer_views(explorer: Any) -> dict[str, dict[str, str]]:
    last = explorer.steps[-1]
    return {"explorer": dict(last.statuses), "explorer picture": drawn(explorer.page.graph_html(last))}


def stored_view(storage: Any, build: Callable[[], Any], branch: str = "main") -> dict[str, dict[str, str]]:
    history = run(RunHistory.from_storage(storage, build))
    history.switch_to(branch)
    return {"explorer from checkpoints": dict(history.steps[-1].statuses)}


def opened(events: list[WorkflowEvent], workflow: Any, build: Callable[[], Any]) -> Any:
    async def scenario():
        return await explore(events, workflow=workflow, factory=build, show=False)

    return run(scenario())


def assert_every_view_shows(views: dict[str, dict[str, str]], expected: dict[str, str]) -> None:
    for name, statuses in views.items():
        assert statuses == expected, f"the {name} shows {statuses}"


def test_the_status_words_are_the_colours_the_drawing_has():
    assert tuple(STATE_COLOURS) == STATUSES


# --- the six endings ------------------------------------------------------------------------------


def test_after_a_normal_run_every_view_shows_every_executor_done(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = fan_workflow(storage)
    events = recorded(workflow, "Ab")
    views = live_views(workflow, events) | explorer_views(opened(events, workflow, lambda: fan_workflow(storage)))
    views |= stored_view(storage, lambda: fan_workflow(storage))
    assert_every_view_shows(views, {"split": "done", "upper": "done", "lower": "done", "join": "done"})


def test_after_a_failed_run_every_view_shows_the_executor_that_raised_failed(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = failing_workflow(storage)
    events = recorded(workflow, "x")
    views = live_views(workflow, events) | explorer_views(opened(events, workflow, lambda: failing_workflow(storage)))
    views |= stored_view(storage, lambda: failing_workflow(storage))
    assert_every_view_shows(views, {"prepare": "done", "explode": "failed"})


def test_after_a_paused_run_every_view_shows_the_asking_executor_waiting(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = approval_workflow(storage)
    events = recorded(workflow, "cats")
    views = live_views(workflow, events) | explorer_views(opened(events, workflow, lambda: approval_workflow(storage)))
    views |= stored_view(storage, lambda: approval_workflow(storage))
    assert_every_view_shows(views, {"draft": "done", "gate": "waiting", "publish": "idle"})


@executor(id="start")
async def start(order: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(order)


@executor(id="slow")
async def slow(order: str, ctx: WorkflowContext[Never, str]) -> None:
    await asyncio.sleep(10)  # far past the run's limit: the run stops it


def timed_workflow(storage: Any) -> Any:
    return (
        WorkflowBuilder(name="timed")
        .add_edge(start, slow)
        .with_run_timeout(0.2)
        .with_checkpointing(storage)
        .set_start_executor(start)
        .build()
    )


def test_after_a_run_cut_by_its_run_timeout_every_view_shows_the_cut_off_executor_failed(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = timed_workflow(storage)
    events = recorded(workflow, "order 1")
    assert [e.type for e in events if e.type in ("executor_completed", "executor_failed")] == ["executor_completed"]
    views = live_views(workflow, events) | explorer_views(opened(events, workflow, lambda: timed_workflow(storage)))
    views |= stored_view(storage, lambda: timed_workflow(storage))
    assert_every_view_shows(views, {"start": "done", "slow": "failed"})


@executor(id="pay")
async def pay(order: str, ctx: WorkflowContext[Never, str]) -> None:
    raise ConnectionError("gateway down")


@executor(id="manual")
async def manual(failure: ExecutorFailure, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(f"taken by hand: {failure.message}")


def fallback_workflow(storage: Any) -> Any:
    return (
        WorkflowBuilder(name="payment")
        .add_edge(start, pay)
        .with_fallback(pay, manual)
        .with_checkpointing(storage)
        .set_start_executor(start)
        .build()
    )


def test_after_a_fallback_every_view_shows_the_failed_executor_failed_and_its_fallback_done(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = fallback_workflow(storage)
    events = recorded(workflow, "order 7")
    assert [e.data for e in events if e.type == "output"] == ["taken by hand: order 7"]
    views = live_views(workflow, events) | explorer_views(opened(events, workflow, lambda: fallback_workflow(storage)))
    views |= stored_view(storage, lambda: fallback_workflow(storage))
    assert_every_view_shows(views, {"start": "done", "pay": "failed", "manual": "done"})


def test_after_a_fork_every_view_shows_the_branch_the_fork_made(tmp_path):
    """The recorded run was approved and published; the fork from step 2 rejects the draft, so
    on the fork's branch the publisher never ran, though it did in the run the fork left."""
    storage = FileCheckpointStorage(tmp_path)
    workflow = approval_workflow(storage)
    asked = recorded(workflow, "cats")
    [request_id] = workflow.pending_requests
    events = asked + list(run(workflow.send_responses({request_id: True})))
    explorer = opened(events, workflow, lambda: approval_workflow(storage))
    run(explorer.fork(2, {request_id: False}))
    fork = explorer.history.branch
    assert (fork.name, fork.from_step) == ("fork 1", 2)
    # The branch as one stream: the recorded run up to the end of step 2, then the fork's run.
    end_of_step_2 = next(i for i, e in enumerate(events) if e.type == "superstep_completed" and e.iteration == 2)
    branch_events = events[: end_of_step_2 + 1] + fork.events
    views = live_views(workflow, branch_events) | explorer_views(explorer)
    views |= stored_view(storage, lambda: approval_workflow(storage), branch="fork 1")
    assert_every_view_shows(views, {"draft": "done", "gate": "done", "publish": "idle"})


@executor(id="fan")
async def fan(order: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(order)


@executor(id="steady")
async def steady(order: str, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(order)


@executor(id="brittle")
async def brittle(order: str, ctx: WorkflowContext[Never, str]) -> None:
    raise ValueError("brittle breaks")


def half_failing_workflow(storage: Any) -> Any:
    return (
        WorkflowBuilder(name="half_failing")
        .add_fan_out_edges(fan, [steady, brittle])
        .with_checkpointing(storage)
        .set_start_executor(fan)
        .build()
    )


def test_after_a_step_where_one_of_two_executors_raised_only_that_one_shows_failed(tmp_path):
    """The failed run's last checkpoint names the executor that raised, so the explorer over the
    checkpoints alone tells it from the one beside it that returned, as the events do."""
    storage = FileCheckpointStorage(tmp_path)
    workflow = half_failing_workflow(storage)
    events = recorded(workflow, "x")
    build = lambda: half_failing_workflow(storage)  # noqa: E731
    views = live_views(workflow, events) | explorer_views(opened(events, workflow, build))
    views |= stored_view(storage, build)
    assert_every_view_shows(views, {"fan": "done", "steady": "done", "brittle": "failed"})


# --- inside a sub-workflow ------------------------------------------------------------------------


def test_a_paused_sub_workflow_shows_its_inner_executors_as_the_live_graph_does(tmp_path):
    """The executors inside a sub-workflow are boxes of the drawing (``parent/child``), coloured
    from the events their WorkflowExecutor passes up. (A checkpoint records the sub-workflow's
    call, not what ran inside it, so the explorer over checkpoints alone is not asked here.)"""
    storage = FileCheckpointStorage(tmp_path)
    workflow = draft_parent_workflow(storage)
    events = recorded(workflow, DraftTask("cats"))
    views = live_views(workflow, events)
    views |= explorer_views(opened(events, workflow, lambda: draft_parent_workflow(storage)))
    assert_every_view_shows(
        views,
        {
            "draft_writer": "done",
            "approval_sub_workflow": "waiting",
            "approval_sub_workflow/approval_gateway": "done",
            "approval_sub_workflow/approval_gate": "done",
            "draft_finaliser": "idle",
        },
    )


def test_after_a_run_through_two_levels_of_sub_workflows_every_inner_executor_shows_done(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = two_level_workflow(storage)
    asked = recorded(workflow, "cats")
    [request_id] = workflow.pending_requests
    events = asked + list(run(workflow.send_responses({request_id: "approve"})))
    views = live_views(workflow, events) | explorer_views(opened(events, workflow, lambda: two_level_workflow(storage)))
    inner = ["middle/relay", "middle/inner", "middle/inner/approval_gateway", "middle/inner/approval_gate", "middle/unwrap"]
    assert_every_view_shows(views, dict.fromkeys(["starter", "middle", *inner, "sink"], "done"))


# --- a run resumed from a checkpoint ------------------------------------------------------------


def test_a_run_resumed_from_a_checkpoint_starts_its_live_graph_where_the_explorer_shows_that_step(tmp_path):
    """The recorded run paused at step 2; a notebook run resumes from step 2's checkpoint in a
    fresh workflow and rejects the draft. The drafter ran before the checkpoint: the live graph
    shows it done, as the explorer's fork with the same answer and the explorer of that run do."""
    storage = FileCheckpointStorage(tmp_path)
    build = lambda: approval_workflow(storage)  # noqa: E731
    workflow = build()
    events = recorded(workflow, "cats")
    [request_id] = workflow.pending_requests
    explorer = opened(events, workflow, build)
    checkpoint_id = explorer.history.step(2).checkpoint_id

    async def resume_in_a_notebook_run():
        resumed = NotebookRun(build(), min_redraw_interval=0)
        await resumed.resume(checkpoint_id, storage, {request_id: False})
        return resumed, await explore(resumed, factory=build, show=False)

    resumed, explorer_of_resumed = run(resume_in_a_notebook_run())
    run(explorer.fork(2, {request_id: False}))
    graph = resumed.view.graph
    views = {
        "live graph": {eid: graph.states.get(eid, "idle") for eid in every_executor_id(resumed.workflow)},
        "live picture": drawn(graph.picture.value),
        "explorer's fork": dict(explorer.steps[-1].statuses),
        "explorer of the resumed run": dict(explorer_of_resumed.steps[-1].statuses),
    }
    assert_every_view_shows(views, {"draft": "done", "gate": "done", "publish": "idle"})
    assert [step.number for step in explorer_of_resumed.steps] == [1, 2, 3]  # the steps before it, then its own
