"""A history read from checkpoints that are damaged or out of order: every good step is still
shown, and a damaged one is marked with why (`Superstep.problem`), instead of a `KeyError` that
left the explorer with no step at all."""

from __future__ import annotations

import pytest

from tests.conftest import run
from tests.history.workflows import loop_workflow
from wfkit import InMemoryCheckpointStorage
from wfkit.checkpoint.model import PARENT_KEY
from wfkit.history import RunHistory


def recorded_loop():
    """The loop workflow's checkpoints (one per step, a chain of 4), oldest first, and its storage."""
    storage = InMemoryCheckpointStorage()
    workflow = loop_workflow(storage)
    run(workflow.run(0))
    return storage, run(storage.list_checkpoints(workflow.id))


def history_of(storage):
    return run(RunHistory.from_storage(storage, lambda: loop_workflow(storage)))


def resave(storage, checkpoint):
    run(storage.save_checkpoint(checkpoint))


def all_steps(history):
    return [step for branch in history.branches for step in branch.own_steps()]


def test_a_child_saved_earlier_than_its_parent_still_follows_it_and_is_marked():
    """A corrected clock, or folders merged from two machines: the timestamps disagree with the
    parent links. The parent links win; the step says its time is off."""
    storage, checkpoints = recorded_loop()
    third = checkpoints[2]
    third.timestamp = "2000-01-01T00:00:00.000000+00:00"
    resave(storage, third)
    history = history_of(storage)
    assert [step.number for step in history.steps] == [1, 2, 3, 4]
    assert len(history.branches) == 1
    marked = history.steps[2]
    assert marked.checkpoint_id == third.checkpoint_id
    assert "saved before its parent" in marked.problem and checkpoints[1].checkpoint_id[:8] in marked.problem
    assert [step.problem for step in history.steps if step is not marked] == ["", "", ""]


def test_a_checkpoint_that_is_its_own_parent_is_shown_and_marked():
    storage, checkpoints = recorded_loop()
    second = checkpoints[1]
    second.metadata[PARENT_KEY] = second.checkpoint_id
    resave(storage, second)
    history = history_of(storage)
    shown = all_steps(history)
    assert sorted(step.checkpoint_id for step in shown) == sorted(cp.checkpoint_id for cp in checkpoints)
    [marked] = [step for step in shown if step.problem]
    assert marked.checkpoint_id == second.checkpoint_id
    assert "names itself as its parent" in marked.problem


def test_checkpoints_whose_parents_form_a_cycle_are_shown_and_marked():
    storage, checkpoints = recorded_loop()
    second, third = checkpoints[1], checkpoints[2]
    second.metadata[PARENT_KEY] = third.checkpoint_id  # second -> third -> second
    resave(storage, second)
    history = history_of(storage)
    shown = all_steps(history)
    assert sorted(step.checkpoint_id for step in shown) == sorted(cp.checkpoint_id for cp in checkpoints)
    marked = {step.checkpoint_id: step.problem for step in shown if step.problem}
    assert set(marked) == {second.checkpoint_id}  # the link that closes the cycle is the one broken
    assert "cycle" in marked[second.checkpoint_id] and third.checkpoint_id[:8] in marked[second.checkpoint_id]


def test_good_histories_have_no_problems():
    storage, _ = recorded_loop()
    assert [step.problem for step in history_of(storage).steps] == ["", "", "", ""]


def test_two_checkpoints_with_one_step_number_are_both_kept_and_each_names_the_other():
    """Folders merged from two runs, say: a checkpoint numbered like the one before it."""
    storage, checkpoints = recorded_loop()
    second, third = checkpoints[1], checkpoints[2]
    third.iteration_count = 2  # the same number as the step before it
    resave(storage, third)
    history = history_of(storage)
    assert [step.number for step in history.steps] == [1, 2, 2, 4]
    assert [history.step(2, nth=n).checkpoint_id for n in (1, 2)] == [second.checkpoint_id, third.checkpoint_id]
    assert history.position_of(2, nth=2) == 2
    first_note, second_note = (history.shared_number_note(step) for step in history.steps_numbered(2))
    assert "2 checkpoints on branch main share step number 2" in first_note
    assert f"This is the 1st of 2: checkpoint {second.checkpoint_id[:8]}" in first_note
    assert f"The other: the 2nd is checkpoint {third.checkpoint_id[:8]}" in first_note
    assert f"This is the 2nd of 2: checkpoint {third.checkpoint_id[:8]}" in second_note
    assert f"the 1st is checkpoint {second.checkpoint_id[:8]}" in second_note
    assert [history.shared_number_note(history.step(n)) for n in (1, 4)] == ["", ""]
    assert [step.problem for step in history.steps] == ["", "", "", ""]  # a shared number is no damage
    with pytest.raises(IndexError, match="has 2 step\\(s\\) numbered 2, so there is no 3rd one"):
        history.step(2, nth=3)
