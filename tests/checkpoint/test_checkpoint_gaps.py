"""Checkpoint behaviours test_checkpoints.py leaves open: a message that cannot be saved, the
statuses a summary gives that no other test reaches, and the request_info-style workflow
(seed 002) summarised after a resume in a new process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run, run_in_new_process
from tests.core.review_workflows import HumanReviewRequest, ReviewRequest, ReviewResponse
from wfkit import (
    CheckpointEncodingError,
    Executor,
    ExecutorInvokedEvent,
    FileCheckpointStorage,
    InMemoryCheckpointStorage,
    Never,
    RequestInfoExecutor,
    SQLiteCheckpointStorage,
    WorkflowBuilder,
    WorkflowCheckpoint,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowRunState,
    executor,
    handler,
    response_handler,
)

# --- a message that cannot be saved -------------------------------------------------------------


class Parcel:
    """Not a dataclass and not registered: a message of this type cannot go into a checkpoint."""

    def __init__(self, text: str) -> None:
        self.text = text


def parcel_workflow(storage):
    """prepare -> pack -> unpack. Step 1 sends a str (saved fine); step 2 sends a Parcel."""

    @executor(id="prepare")
    async def prepare(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.set_shared_state("text", text)
        await ctx.send_message(text.strip())

    @executor(id="pack")
    async def pack(text: str, ctx: WorkflowContext[Parcel]) -> None:
        await ctx.send_message(Parcel(text))

    @executor(id="unpack")
    async def unpack(parcel: Parcel, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(parcel.text)

    return (
        WorkflowBuilder()
        .add_chain([prepare, pack, unpack])
        .set_start_executor(prepare)
        .with_checkpointing(storage)
        .build()
    )


def test_an_unregistered_message_type_fails_the_save_naming_the_type_and_the_fix(tmp_path):
    with pytest.raises(WorkflowFailedError) as caught:
        run(parcel_workflow(FileCheckpointStorage(tmp_path)).run(" hello "))
    details = caught.value.details
    assert details.error_type == CheckpointEncodingError.__name__
    assert "Parcel" in details.message
    assert "register_checkpoint_type" in details.message
    assert "unpack" in details.message  # where it was found: the message on its way to 'unpack'
    # Loudly: the run did not go on past the step whose checkpoint could not be written.
    assert not [e for e in caught.value.events if isinstance(e, ExecutorInvokedEvent) and e.executor_id == "unpack"]


def test_the_checkpoint_before_a_failed_save_stays_loadable(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    with pytest.raises(WorkflowFailedError):
        run(parcel_workflow(storage).run(" hello "))
    [before] = run(storage.list_checkpoints())
    # Nothing of the failed save was written: no second checkpoint, no half-written file.
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == [f"{before.checkpoint_id}.json"]
    assert before.iteration_count == 1
    summary = RequestInfoExecutor.checkpoint_summary(run(storage.load_checkpoint(before.checkpoint_id)))
    assert (summary.status, summary.targets) == ("in progress", ["pack"])
    # It restores into a fresh workflow, which continues with 'pack' (and fails the same way there).
    with pytest.raises(WorkflowFailedError) as again:
        run(parcel_workflow(InMemoryCheckpointStorage()).run_from_checkpoint(before.checkpoint_id, storage))
    invoked = [e.executor_id for e in again.value.events if isinstance(e, ExecutorInvokedEvent)]
    assert invoked == ["pack"]
    assert again.value.details.error_type == CheckpointEncodingError.__name__


# --- statuses no other test reaches -------------------------------------------------------------


def test_a_checkpoint_with_no_step_run_nothing_waiting_and_nothing_pending_is_idle():
    checkpoint = WorkflowCheckpoint(workflow_id="fresh", iteration_count=0, run_state=WorkflowRunState.IDLE.name)
    assert RequestInfoExecutor.checkpoint_summary(checkpoint).status == "idle"


class AskAndCarryOn(Executor):
    """Asks a human, and in the same step sends work on to 'next'."""

    @handler
    async def start(self, text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.request_info(f"OK to publish {text!r}?", response_type=str)
        await ctx.send_message(text, target_id="next")

    @response_handler
    async def on_answer(self, question: str, answer: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(answer)


def ask_and_carry_on_workflow(storage, next_step):
    asker = AskAndCarryOn("asker")
    return WorkflowBuilder().add_edge(asker, next_step).set_start_executor(asker).with_checkpointing(storage).build()


def test_a_checkpoint_with_a_pending_request_and_messages_still_waiting_is_in_progress():
    @executor(id="next")
    async def next_step(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text.upper())

    storage = InMemoryCheckpointStorage()
    run(ask_and_carry_on_workflow(storage, next_step).run("draft"))
    statuses = [RequestInfoExecutor.checkpoint_summary(cp).status for cp in run(storage.list_checkpoints())]
    assert statuses == ["in progress", "awaiting human response"]


def test_a_run_that_failed_while_a_request_was_pending_is_summarised_as_failed():
    @executor(id="next")
    async def next_step(text: str, ctx: WorkflowContext[Never, str]) -> None:
        raise RuntimeError("the printer is on fire")

    storage = InMemoryCheckpointStorage()
    with pytest.raises(WorkflowFailedError, match="printer is on fire"):
        run(ask_and_carry_on_workflow(storage, next_step).run("draft"))
    newest = run(storage.list_checkpoints())[-1]
    summary = RequestInfoExecutor.checkpoint_summary(newest)
    assert newest.pending_requests, "the question asked before the failure should still be pending"
    assert summary.status == "failed"


# --- seed 002 (ctx.request_info + @response_handler), summarised across processes ---------------


@pytest.fixture(params=["file", "sqlite"])
def storage_path(request, tmp_path) -> str:
    return str(tmp_path / "cps") if request.param == "file" else str(tmp_path / "cps.sqlite")


def storage_at(path: str):
    return SQLiteCheckpointStorage(path) if path.endswith(".sqlite") else FileCheckpointStorage(path)


def cli(*args: str) -> dict:
    return run_in_new_process("tests.checkpoint.resume_cli", *args)


def test_request_info_style_pause_written_by_another_process_is_awaiting_with_the_question(storage_path):
    first = cli("start", "worker_reviewer", storage_path, "Why learn to code?")
    [ask] = first["requests"]
    paused = run(storage_at(storage_path).list_checkpoints())[-1]
    summary = RequestInfoExecutor.checkpoint_summary(paused)
    assert summary.status == "awaiting human response"
    [pending] = summary.pending_requests
    assert (pending.request_id, pending.executor_id) == (ask["id"], "sub-worker-reviewer")
    assert pending.response_type is ReviewResponse
    # The request comes back as the object the reviewer asked with, holding what the human reads.
    assert isinstance(pending.request_message, HumanReviewRequest)
    assert pending.request_message.agent_request == ReviewRequest("r1", "Why learn to code?", "Answer to: Why learn to code?")


def test_request_info_style_paused_again_after_a_resume_in_a_new_process_awaits_only_the_new_request(storage_path):
    [ask] = cli("start", "worker_reviewer", storage_path, "Why learn to code?")["requests"]
    paused = run(storage_at(storage_path).list_checkpoints())[-1]
    answer = {"request_id": "r1", "feedback": "give an example", "approved": False}
    second = cli("resume", "worker_reviewer", storage_path, paused.checkpoint_id, json.dumps({ask["id"]: answer}))
    assert second["state"] == "IDLE_WITH_PENDING_REQUESTS"
    [again] = second["requests"]

    newest = run(storage_at(storage_path).list_checkpoints())[-1]
    summary = RequestInfoExecutor.checkpoint_summary(newest)
    assert summary.status == "awaiting human response"
    [pending] = summary.pending_requests  # the answered request is gone
    assert pending.request_id == again["id"] != ask["id"]
    assert pending.request_message.agent_request == ReviewRequest("r1", "", "Attempt 2: give an example")
    assert summary.executor_states["sub-worker"] == {"attempt": 2}
