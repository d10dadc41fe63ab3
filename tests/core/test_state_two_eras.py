"""`ctx.get_state` / `ctx.set_state` in both eras of Agent Framework, told apart by the call.

Today (AF 1.x): ``ctx.get_state(key, default)`` / ``ctx.set_state(key, value)``, plain calls, on
the workflow's shared state. The seed era: ``await ctx.get_state()`` / ``await
ctx.set_state(dict)``, this executor's own state. Both run in one workflow, and both are saved in
checkpoints. Executors' own attributes are saved through `on_checkpoint_save` /
`on_checkpoint_restore` (today) or `snapshot_state` / `restore_state` (the seed era).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import run
from wfkit import (
    Executor,
    FileCheckpointStorage,
    Never,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    executor,
    handler,
)


@executor(id="note")
async def note(topic: str, ctx: WorkflowContext[str]) -> None:
    ctx.set_state("topic", topic)  # today's shared state: a plain call
    await ctx.set_state({"notes": 1})  # the seed era's own state of this executor
    await ctx.send_message(topic)


@executor(id="read")
async def read(topic: str, ctx: WorkflowContext[Never, str]) -> None:
    mine = await ctx.get_state()  # this executor has kept nothing of its own
    await ctx.yield_output(f"{ctx.get_state('topic')}, {ctx.get_state('missing', 'none')}, {mine}")


def both_eras(storage: Any = None):
    return WorkflowBuilder(start_executor=note, checkpoint_storage=storage).add_edge(note, read).build()


def test_shared_state_by_key_and_own_state_as_a_dict_live_side_by_side():
    workflow = both_eras()
    assert run(workflow.run("cats")).get_outputs() == ["cats, none, None"]
    state = workflow.latest_run.state
    assert state.shared_state == {"topic": "cats"} and state.executor_states == {"note": {"notes": 1}}


def test_both_kinds_of_state_are_saved_in_checkpoints_and_restored(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    run(both_eras(storage).run("dogs"))
    [after_note] = [cp for cp in run(storage.list_checkpoints()) if cp.iteration_count == 1]
    again = both_eras(storage)
    assert run(again.run(checkpoint_id=after_note.checkpoint_id)).get_outputs() == ["dogs, none, None"]


def test_a_shared_value_is_seen_by_the_others_once_its_superstep_succeeded():
    seen: list[Any] = []

    @executor(id="first")
    async def first(text: str, ctx: WorkflowContext[str]) -> None:
        ctx.set_state("count", 1)
        seen.append(ctx.get_state("count"))  # its own write, at once
        await ctx.send_message(text)

    @executor(id="second")
    async def second(text: str, ctx: WorkflowContext) -> None:
        seen.append(ctx.get_state("count"))

    run(WorkflowBuilder(start_executor=first).add_edge(first, second).build().run("x"))
    assert seen == [1, 1]


def test_set_state_with_one_argument_that_is_not_a_dict_says_how_to_set_a_shared_value():
    @executor(id="wrong")
    async def wrong(text: str, ctx: WorkflowContext) -> None:
        ctx.set_state(text)

    with pytest.raises(WorkflowFailedError) as failed:
        run(WorkflowBuilder(start_executor=wrong).build().run("x"))
    assert "ctx.set_state(key, value)" in str(failed.value.__cause__)


class Counter(Executor):
    """Counts in an attribute of its own, saved with today's hooks."""

    def __init__(self, id: str) -> None:
        super().__init__(id=id)
        self.count = 0

    @handler
    async def tick(self, text: str, ctx: WorkflowContext[str]) -> None:
        self.count += 1
        await ctx.send_message(text)

    async def on_checkpoint_save(self) -> dict[str, Any]:
        return {"count": self.count}

    async def on_checkpoint_restore(self, state: dict[str, Any]) -> None:
        self.count = state["count"]


def test_todays_checkpoint_hooks_save_and_restore_an_executors_attributes(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    counter = Counter("counter")

    @executor(id="end")
    async def end(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)

    workflow = WorkflowBuilder(start_executor=counter, checkpoint_storage=storage).add_edge(counter, end).build()
    run(workflow.run("a"))
    [saved] = [cp for cp in run(storage.list_checkpoints()) if cp.iteration_count == 1]
    counter.count = 99  # changed since
    run(workflow.run(checkpoint_id=saved.checkpoint_id))
    assert counter.count == 1
