"""Forks with edits: a step's shared state or an executor's state changed before the run goes on."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import FileCheckpointStorage, ForkEditError, Never, RunHistory, WorkflowBuilder, WorkflowContext, executor
from wfkit.history.fork_edits import EDITED_KEY


def greeter(storage):
    """start (sets the greeting, passes the name on) -> greet (reads the greeting)."""

    @executor(id="start")
    async def start(name: str, ctx: WorkflowContext[str]) -> None:
        ctx.set_state("greeting", "hello")
        await ctx.send_message(name)

    @executor(id="greet")
    async def greet(name: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{ctx.get_state('greeting')}, {name}")

    return WorkflowBuilder(start_executor=start).add_edge(start, greet).with_checkpointing(storage).build()


def counter(storage):
    """One executor that counts its own calls in its state and stops at 3."""

    @executor(id="count")
    async def count(tick: str, ctx: WorkflowContext[str, int]) -> None:
        mine = await ctx.get_state() or {"calls": 0}
        calls = mine["calls"] + 1
        await ctx.set_state({"calls": calls})
        if calls >= 3:
            await ctx.yield_output(calls)
        else:
            await ctx.send_message(tick)

    return WorkflowBuilder(start_executor=count).add_edge(count, count).with_checkpointing(storage).build()


def history_of(build, message, tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    workflow = build(storage)

    async def go():
        history = RunHistory.from_events(workflow, await workflow.run(message), factory=lambda: build(storage))
        await history.load_checkpoints()
        return history

    return run(go()), storage


def test_an_edited_shared_state_gives_the_ending_the_edit_implies(tmp_path):
    history, storage = history_of(greeter, "cats", tmp_path)
    assert history.steps[-1].outputs == ["hello, cats"]
    original = history.step(1).checkpoint_id
    result = run(history.fork(1, state={"greeting": "bonjour"}))
    assert result.get_outputs() == ["bonjour, cats"]
    fork = history.branch
    assert fork.edits == {"shared:greeting": "bonjour"}
    assert "edited shared:greeting = 'bonjour'" in history.tree()
    # The edit is the fork's, not its first step's: that step only greeted.
    assert fork.own_steps()[0].changes.changed == []
    # The step's checkpoint is untouched; the copy says what was changed and where it came from.
    saved = run(storage.list_checkpoints())
    copies = [cp for cp in saved if EDITED_KEY in cp.metadata]
    assert len(copies) == 1 and copies[0].metadata["parent_checkpoint_id"] == original
    assert copies[0].metadata[EDITED_KEY] == {"shared:greeting": "'bonjour'"}
    assert run(storage.load_checkpoint(original)).shared_state != copies[0].shared_state
    history.switch_to("main")
    assert history.steps[-1].outputs == ["hello, cats"]


def test_an_edited_executor_state_changes_how_soon_a_loop_ends(tmp_path):
    history, _ = history_of(counter, "tick", tmp_path)
    assert [step.number for step in history.steps] == [1, 2, 3]
    result = run(history.fork(1, executor_states={"count": {"calls": 2}}))
    assert result.get_outputs() == [3]
    assert [step.number for step in history.branch.own_steps()] == [2]  # one more call, not two
    assert history.branch.edits == {"count:calls": 2}


@pytest.mark.parametrize(
    ("edits", "named"),
    [
        ({"state": {"colour": "red"}}, r"state=\{'colour': \.\.\.\}: the shared state after step 1 has no key 'colour'; it has \['greeting'\]"),
        ({"executor_states": {"nobody": {"x": 1}}}, r"the workflow has no executor 'nobody'; it has \['greet', 'start'\]"),
        ({"executor_states": {"greet": {"x": 1}}}, r"executor_states\['greet'\]\['x'\]: greet's state after step 1 has no key 'x'; it has no state at all"),
        ({"executor_states": {"greet": 5}}, r"executor_states\['greet'\] must be a dict of the keys to change, not a int"),
        ({"state": {"greeting": object()}}, r"state\['greeting'\]: a checkpoint cannot hold this value"),
    ],
)
def test_a_bad_edit_is_refused_by_name_and_nothing_is_saved_or_run(tmp_path, edits, named):
    history, storage = history_of(greeter, "cats", tmp_path)
    before = len(run(storage.list_checkpoints()))
    with pytest.raises(ForkEditError, match=named):
        run(history.fork(1, **edits))
    assert len(run(storage.list_checkpoints())) == before
    assert [branch.name for branch in history.branches] == ["main"]


@pytest.mark.parametrize(
    ("edits", "edit"),
    [
        ({"state": {"colour": "red"}}, "shared:colour"),
        ({"state": {"greeting": 1 + 2j}}, "shared:greeting"),
        ({"executor_states": {"greet": {"x": 1}}}, "greet:x"),
        ({"executor_states": {"nobody": {"x": 1}}}, ""),  # not one key: the executor itself
    ],
)
def test_a_refusal_names_the_edit_as_the_explorers_form_does(tmp_path, edits, edit):
    history, _ = history_of(greeter, "cats", tmp_path)
    with pytest.raises(ForkEditError) as refused:
        run(history.fork(1, **edits))
    assert refused.value.edit == edit
