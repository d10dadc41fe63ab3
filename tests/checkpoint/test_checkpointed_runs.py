"""Checkpoints with a human in the loop: pause, look, resume (in new processes), and bad input."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, run, run_in_new_process
from tests.core.review_workflows import HumanApprovalRequest, ReviewResponse, release_notes_workflow, worker_reviewer_workflow
from wfkit import (
    CheckpointEncodingError,
    CheckpointGraphMismatchError,
    CheckpointNotFoundError,
    Executor,
    FileCheckpointStorage,
    InMemoryCheckpointStorage,
    Never,
    RequestInfoEvent,
    RequestInfoExecutor,
    SQLiteCheckpointStorage,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowRunState,
    executor,
    handler,
    response_handler,
)

def cli(*args: str) -> dict:
    return run_in_new_process("tests.checkpoint.resume_cli", *args)


async def latest(storage) -> object:
    checkpoints = await storage.list_checkpoints()
    return checkpoints[-1]


@pytest.fixture(params=["file", "sqlite"])
def storage_path(request, tmp_path) -> str:
    return str(tmp_path / "cps") if request.param == "file" else str(tmp_path / "cps.sqlite")


def storage_at(path: str):
    return SQLiteCheckpointStorage(path) if path.endswith(".sqlite") else FileCheckpointStorage(path)


# --- pause, inspect, resume -------------------------------------------------------------------


def test_a_paused_run_is_summarised_as_awaiting_a_human(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    result = run(release_notes_workflow(storage).run("Launch the grinder at $249"))
    [ask] = result.get_request_info_events()
    checkpoint = run(latest(storage))
    summary = RequestInfoExecutor.checkpoint_summary(checkpoint)
    assert summary.status == "awaiting human response"
    assert summary.draft_preview == "New: Launch the grinder at $249. Pre-order today!"
    assert [p.request_id for p in summary.pending_requests] == [ask.request_id]
    assert summary.executor_states["review_gateway"]["iteration"] == 1
    [pending] = RequestInfoExecutor.pending_requests_from_checkpoint(checkpoint)
    assert isinstance(pending.request_message, HumanApprovalRequest)
    assert (pending.executor_id, pending.iteration, pending.draft) == ("request_info", 1, ask.data.draft)
    assert pending.prompt.startswith("Reply 'approve'")
    # Agent Framework's names for the same fields work too.
    assert (pending.source_executor_id, pending.original_request) == (pending.executor_id, pending.request_message)


def test_checkpoints_are_written_after_every_superstep(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    result = run(release_notes_workflow(storage).run("Launch"))
    steps = max(e.iteration for e in result if type(e).__name__ == "SuperStepCompletedEvent")
    checkpoints = run(storage.list_checkpoints())
    assert [cp.iteration_count for cp in checkpoints] == list(range(1, steps + 1))
    statuses = [RequestInfoExecutor.checkpoint_summary(cp).status for cp in checkpoints]
    assert statuses[:-1] == ["in progress"] * (steps - 1)
    assert statuses[-1] == "awaiting human response"


def test_release_notes_resume_in_new_processes_revise_then_approve(storage_path):
    first = cli("start", "release_notes", storage_path, "Introduce the grinder.  Mention $249")
    assert first["state"] == "IDLE_WITH_PENDING_REQUESTS"
    [ask] = first["requests"]
    checkpoint = run(latest(storage_at(storage_path)))

    second = cli("resume", "release_notes", storage_path, checkpoint.checkpoint_id, json.dumps({ask["id"]: "add a call to action"}))
    assert second["state"] == "IDLE_WITH_PENDING_REQUESTS"
    # The answered request is not asked again; the new one is about the revised draft.
    [again] = second["requests"]
    assert again["id"] != ask["id"] and "[revised: add a call to action]" in again["data"]
    assert second["invoked"] == ["request_info", "review_gateway", "writer", "review_gateway", "request_info"]

    checkpoint = run(latest(storage_at(storage_path)))
    third = cli("resume", "release_notes", storage_path, checkpoint.checkpoint_id, json.dumps({again["id"]: "approve"}))
    assert third["state"] == "IDLE"
    assert third["outputs"] == ["New: Introduce the grinder. Mention $249. Pre-order today! [revised: add a call to action]"]
    assert third["requests"] == []
    final = run(latest(storage_at(storage_path)))
    assert RequestInfoExecutor.checkpoint_summary(final).status == "completed"


def test_request_info_style_resumes_in_a_new_process(storage_path):
    first = cli("start", "worker_reviewer", storage_path, "Why learn to code?")
    [ask] = first["requests"]
    checkpoint = run(latest(storage_at(storage_path)))
    answer = {"request_id": "r1", "feedback": "give an example", "approved": False}
    second = cli("resume", "worker_reviewer", storage_path, checkpoint.checkpoint_id, json.dumps({ask["id"]: answer}))
    [again] = second["requests"]
    assert "Attempt 2: give an example" in again["data"]
    checkpoint = run(latest(storage_at(storage_path)))
    answer = {"request_id": "r1", "feedback": "", "approved": True}
    third = cli("resume", "worker_reviewer", storage_path, checkpoint.checkpoint_id, json.dumps({again["id"]: answer}))
    assert third["outputs"] == ["approved after 2 attempt(s)"]


def test_resume_without_answers_asks_the_pending_questions_again(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    [ask] = run(release_notes_workflow(storage).run("Launch")).get_request_info_events()
    checkpoint = run(latest(storage))
    resumed = release_notes_workflow()
    result = run(resumed.run_from_checkpoint(checkpoint.checkpoint_id, checkpoint_storage=storage))
    [again] = result.get_request_info_events()
    assert again.request_id == ask.request_id and again.data.draft == ask.data.draft
    assert result.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    # ...and the restored workflow takes the answer live.
    assert run(resumed.send_responses({ask.request_id: "approve"})).get_outputs() == ["New: Launch. Pre-order today!"]


def test_streamed_resume_applies_answers_without_reemitting_their_requests(tmp_path):
    storage = InMemoryCheckpointStorage()
    [ask] = run(release_notes_workflow(storage).run("Launch")).get_request_info_events()
    checkpoint = run(latest(storage))

    async def resume():
        stream = release_notes_workflow().run_stream_from_checkpoint(
            checkpoint.checkpoint_id, checkpoint_storage=storage, responses={ask.request_id: "approve"}
        )
        return [e async for e in stream]

    events = run(resume())
    assert not [e for e in events if isinstance(e, RequestInfoEvent)]
    assert [e.data for e in events if type(e).__name__ == "WorkflowOutputEvent"] == ["New: Launch. Pre-order today!"]


# --- a restore continues exactly where the run stopped ----------------------------------------


def fan_in_workflow(storage, seen: list[str]):
    @executor(id="split")
    async def split(n: int, ctx: WorkflowContext[int]) -> None:
        seen.append("split")
        await ctx.set_shared_state("input", n)
        await ctx.send_message(n)

    @executor(id="quick")
    async def quick(n: int, ctx: WorkflowContext[int]) -> None:
        seen.append("quick")
        await ctx.send_message(n + 1)

    @executor(id="slow")
    async def slow(n: int, ctx: WorkflowContext[int]) -> None:
        seen.append("slow")
        state = await ctx.get_state() or {"calls": 0}
        await ctx.set_state({"calls": state["calls"] + 1})
        await ctx.send_message(n + 2)

    @executor(id="slower")
    async def slower(n: int, ctx: WorkflowContext[int]) -> None:
        seen.append("slower")
        await ctx.send_message(n * 10)

    class Join(Executor):
        @handler
        async def join(self, values: list[int], ctx: WorkflowContext[Never, tuple]) -> None:
            seen.append("join")
            await ctx.yield_output((tuple(values), await ctx.get_shared_state("input")))

    return (
        WorkflowBuilder()
        .add_fan_out_edges(split, [quick, slow])
        .add_edge(slow, slower)
        .add_fan_in_edges([quick, slower], Join("join"))
        .set_start_executor(split)
        .with_checkpointing(storage)
        .build()
    )


def test_restore_from_every_checkpoint_runs_no_executor_twice_and_loses_nothing():
    storage = InMemoryCheckpointStorage()
    uninterrupted: list[str] = []
    expected = run(fan_in_workflow(storage, uninterrupted).run(1)).get_outputs()
    assert expected == [((2, 30), 1)]
    steps = [["split"], ["quick", "slow"], ["slower"], ["join"]]
    assert uninterrupted == [name for step in steps for name in step]
    checkpoints = run(storage.list_checkpoints())
    assert [cp.iteration_count for cp in checkpoints] == [1, 2, 3, 4]
    # After step 2, quick's message waits in the fan-in buffer for slower's.
    assert checkpoints[1].fan_in_buffers
    for checkpoint in checkpoints:
        resumed_seen: list[str] = []
        fresh = fan_in_workflow(InMemoryCheckpointStorage(), resumed_seen)
        result = run(fresh.run_from_checkpoint(checkpoint.checkpoint_id, checkpoint_storage=storage))
        already_ran = [name for step in steps[: checkpoint.iteration_count] for name in step]
        assert already_ran + resumed_seen == uninterrupted
        assert result.get_outputs() == (expected if checkpoint.iteration_count < 4 else [])


def test_restored_run_keeps_executor_and_shared_state(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    [ask] = run(release_notes_workflow(storage).run("Launch")).get_request_info_events()
    checkpoint = run(latest(storage))
    resumed = release_notes_workflow()
    run(resumed.run_from_checkpoint(checkpoint.checkpoint_id, checkpoint_storage=storage, responses={ask.request_id: "shorter"}))
    assert resumed.latest_run.state.shared_state["brief"] == "Launch."
    assert resumed.latest_run.state.executor_states["review_gateway"]["iteration"] == 2


# --- bad input is refused clearly and loses nothing -------------------------------------------


def test_unknown_checkpoint_id_lists_existing_ones(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    run(release_notes_workflow(storage).run("Launch"))
    with pytest.raises(CheckpointNotFoundError, match="Existing ids"):
        run(release_notes_workflow().run_from_checkpoint("no-such-id", checkpoint_storage=storage))


def test_checkpoint_from_a_different_graph_names_the_difference(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    run(release_notes_workflow(storage).run("Launch"))
    checkpoint = run(latest(storage))
    other = worker_reviewer_workflow()
    with pytest.raises(CheckpointGraphMismatchError, match=r"executors \['finalise'.*are missing now"):
        run(other.run_from_checkpoint(checkpoint.checkpoint_id, checkpoint_storage=storage))


def test_wrong_answer_on_restore_leaves_the_checkpoint_and_request_untouched(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    [ask] = run(worker_reviewer_workflow(storage).run("Why?")).get_request_info_events()
    checkpoint = run(latest(storage))
    count = len(run(storage.list_checkpoint_ids()))
    from wfkit import RequestResponseError

    with pytest.raises(RequestResponseError, match="expects a ReviewResponse"):
        run(worker_reviewer_workflow().run_from_checkpoint(checkpoint.checkpoint_id, storage, {ask.request_id: "yes"}))
    assert len(run(storage.list_checkpoint_ids())) == count
    result = run(
        worker_reviewer_workflow().run_from_checkpoint(
            checkpoint.checkpoint_id, storage, {ask.request_id: ReviewResponse("r1", "", True)}
        )
    )
    assert result.get_outputs() == ["approved after 1 attempt(s)"]


class Opaque:
    """Not a dataclass, not registered: cannot go into a checkpoint."""


def test_unregistered_type_in_state_fails_the_save_loudly(tmp_path):
    @executor(id="keeper")
    async def keeper(text: str, ctx: WorkflowContext) -> None:
        await ctx.set_shared_state("thing", Opaque())

    workflow = WorkflowBuilder().set_start_executor(keeper).with_checkpointing(FileCheckpointStorage(tmp_path)).build()
    with pytest.raises(WorkflowFailedError) as caught:
        run(workflow.run("x"))
    assert caught.value.details.error_type == CheckpointEncodingError.__name__
    assert "Opaque" in caught.value.details.message and "register_checkpoint_type" in caught.value.details.message


@dataclass
class Note:
    text: str


def test_message_types_in_handler_annotations_are_registered_automatically(tmp_path):
    @executor(id="make")
    async def make(text: str, ctx: WorkflowContext[Note]) -> None:
        await ctx.send_message(Note(text))

    storage = FileCheckpointStorage(tmp_path)

    class NoteAsker(Executor):
        @handler
        async def on_note(self, note: Note, ctx: WorkflowContext) -> None:
            await ctx.request_info(note, response_type=str)

        @response_handler
        async def on_answer(self, note: Note, answer: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(f"{note.text}: {answer}")

    workflow = WorkflowBuilder().add_edge(make, NoteAsker("asker")).set_start_executor(make).with_checkpointing(storage).build()
    [request] = run(workflow.run("hello")).get_request_info_events()
    checkpoint = run(latest(storage))
    raw = Path(tmp_path, f"{checkpoint.checkpoint_id}.json").read_text()
    assert "Note" in raw and "pickle" not in raw
    result = run(
        WorkflowBuilder().add_edge(make, NoteAsker("asker")).set_start_executor(make).build().run_from_checkpoint(
            checkpoint.checkpoint_id, storage, {request.request_id: "hi"}
        )
    )
    assert result.get_outputs() == ["hello: hi"]


def test_a_failed_run_keeps_its_last_checkpoint_and_can_retry_the_step(tmp_path):
    attempts = {"n": 0}

    @executor(id="prepare")
    async def prepare(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.set_shared_state("prepared", True)
        await ctx.send_message(text)

    @executor(id="flaky")
    async def flaky(text: str, ctx: WorkflowContext[Never, str]) -> None:
        attempts["n"] += 1
        if attempts["n"] == 1:
            raise ConnectionError("model unreachable")
        await ctx.yield_output(text.upper())

    def build(storage=None):
        builder = WorkflowBuilder().add_edge(prepare, flaky).set_start_executor(prepare)
        return (builder.with_checkpointing(storage) if storage else builder).build()

    storage = FileCheckpointStorage(tmp_path)
    with pytest.raises(WorkflowFailedError, match="model unreachable"):
        run(build(storage).run("go"))
    checkpoints = run(storage.list_checkpoints())
    statuses = [RequestInfoExecutor.checkpoint_summary(cp).status for cp in checkpoints]
    assert statuses == ["in progress", "failed"]
    # Both load; the failed one resumes by retrying the step that failed.
    result = run(build().run_from_checkpoint(checkpoints[-1].checkpoint_id, storage))
    assert result.get_outputs() == ["GO"]


def test_two_workflows_can_share_one_storage_folder_at_once(tmp_path):
    storage = FileCheckpointStorage(tmp_path)

    async def both():
        one = release_notes_workflow(storage)
        two = worker_reviewer_workflow(storage)
        return await asyncio.gather(one.run("Launch"), two.run("Why?")), one, two

    _, one, two = run(both())
    ids_one = run(storage.list_checkpoint_ids(workflow_id=one.id))
    ids_two = run(storage.list_checkpoint_ids(workflow_id=two.id))
    assert ids_one and ids_two and not set(ids_one) & set(ids_two)
    for checkpoint_id in ids_one + ids_two:
        run(storage.load_checkpoint(checkpoint_id))


# --- a process killed in the middle of writing ------------------------------------------------


@pytest.mark.parametrize("kind", ["file", "sqlite"])
def test_sigkill_during_checkpoint_writes_leaves_a_resumable_checkpoint(tmp_path, kind):
    where = str(tmp_path / ("cps.sqlite" if kind == "sqlite" else "cps"))
    child = subprocess.Popen([sys.executable, "-m", "tests.checkpoint.resume_cli", "loop", where], cwd=REPO)
    storage = storage_at(where)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            if len(run(storage.list_checkpoint_ids())) >= 20:
                break
        except Exception:
            continue  # the sqlite file may not have its table yet
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL, "the child finished before it was killed; the test proves nothing"
    checkpoints = run(storage.list_checkpoints())
    assert len(checkpoints) >= 20
    newest = checkpoints[-1]
    from tests.checkpoint.resume_cli import LOOP_END, loop_workflow

    result = run(loop_workflow(None).run_from_checkpoint(newest.checkpoint_id, checkpoint_storage=storage))
    assert result.get_outputs() == [LOOP_END]


class RememberingWriter(Executor):
    """Keeps an attribute through snapshot_state, and notes every restore."""

    restored: list[dict] = []

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.drafts = 0

    @handler
    async def write(self, text: str, ctx: WorkflowContext) -> None:
        self.drafts += 1
        await ctx.request_info(f"Approve draft {self.drafts}?", response_type=str)

    @response_handler
    async def answered(self, question: str, answer: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{answer} after {self.drafts}")

    async def snapshot_state(self) -> dict:
        return {"drafts": self.drafts}

    async def restore_state(self, state: dict) -> None:
        RememberingWriter.restored.append(state)
        self.drafts = state["drafts"]


def test_a_refused_answer_on_restore_leaves_the_executors_untouched():
    from wfkit import RequestResponseError

    storage = InMemoryCheckpointStorage()
    first = WorkflowBuilder().set_start_executor(RememberingWriter("writer")).with_checkpointing(storage).build()
    [ask] = run(first.run("notes")).get_request_info_events()
    newest = run(storage.list_checkpoints())[-1]

    live = RememberingWriter("writer")
    live.drafts = 7
    fresh = WorkflowBuilder().set_start_executor(live).build()
    RememberingWriter.restored = []
    with pytest.raises(RequestResponseError, match="expects a str"):
        run(fresh.run_from_checkpoint(newest.checkpoint_id, storage, {ask.request_id: 42}))
    assert RememberingWriter.restored == [] and live.drafts == 7
    result = run(fresh.run_from_checkpoint(newest.checkpoint_id, storage, {ask.request_id: "ok"}))
    assert result.get_outputs() == ["ok after 1"]
