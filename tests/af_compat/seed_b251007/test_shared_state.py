"""Shared state in AF b251007: `ctx.set_shared_state(key, value)` in one executor is read with
`await ctx.get_shared_state(key)` by any executor in a later superstep; an unknown key raises
`KeyError`; the shared state is saved in checkpoints."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import InMemoryCheckpointStorage, Never, WorkflowBuilder, WorkflowContext, WorkflowFailedError, executor


@executor(id="file_note")
async def file_note(note: str, ctx: WorkflowContext[str]) -> None:
    key = f"note-{len(note)}"
    await ctx.set_shared_state(key, note)
    await ctx.send_message(key)  # pass the key, not the note: the note stays in shared state


@executor(id="read_note")
async def read_note(key: str, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output((await ctx.get_shared_state(key)).upper())


def note_workflow(storage=None):
    builder = WorkflowBuilder().set_start_executor(file_note).add_edge(file_note, read_note)
    if storage is not None:
        builder = builder.with_checkpointing(checkpoint_storage=storage)
    return builder.build()


def test_a_value_set_by_one_executor_is_read_by_the_next():
    assert run(note_workflow().run("buy milk")).get_outputs() == ["BUY MILK"]


def test_reading_a_key_nobody_set_raises_key_error():
    @executor(id="curious")
    async def curious(text: str, ctx: WorkflowContext) -> None:
        await ctx.get_shared_state("never-set")

    with pytest.raises(WorkflowFailedError) as failed:
        run(WorkflowBuilder().set_start_executor(curious).build().run("x"))
    assert isinstance(failed.value.__cause__, KeyError)


def test_shared_state_is_saved_in_the_checkpoint():
    storage = InMemoryCheckpointStorage()
    run(note_workflow(storage).run("call mum"))
    first = min(run(storage.list_checkpoints()), key=lambda cp: cp.iteration_count)
    assert first.shared_state == {"note-8": "call mum"}


def test_a_resumed_run_reads_the_shared_state_of_its_checkpoint():
    storage = InMemoryCheckpointStorage()
    run(note_workflow(storage).run("water plants"))
    first = min(run(storage.list_checkpoints()), key=lambda cp: cp.iteration_count)
    result = run(note_workflow(storage).run_from_checkpoint(first.checkpoint_id, storage))
    assert result.get_outputs() == ["WATER PLANTS"]
