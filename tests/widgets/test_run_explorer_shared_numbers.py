"""Two checkpoints with one step number on a branch (a run resumed from an earlier checkpoint
and saved without parent links, or folders merged from two runs): the explorer reaches each of
them by the slider, Previous and Next, says on the page which is which, and forks from the one
shown."""

from __future__ import annotations

import asyncio

from tests.conftest import run
from tests.history.workflows import approval_resumed_from_step_1_without_parent_links, approval_workflow, loop_workflow
from wfkit import InMemoryCheckpointStorage
from wfkit.history import RunHistory
from wfkit.history.records import short_id
from wfkit.widgets.fork_cards import cards_in
from wfkit.widgets.run_explorer import RunExplorer


def shared_number_explorer():
    storage = InMemoryCheckpointStorage()
    checkpoints = approval_resumed_from_step_1_without_parent_links(storage)

    async def scenario():
        return await RunExplorer(await RunHistory.from_storage(storage, lambda: approval_workflow(storage)))

    return run(scenario()), checkpoints


def test_the_history_keeps_both_steps_of_one_number_and_names_each():
    explorer, checkpoints = shared_number_explorer()
    history = explorer.history
    assert [step.number for step in history.steps] == [1, 2, 2]
    assert [step.checkpoint_id for step in history.steps] == [cp.checkpoint_id for cp in checkpoints]
    assert history.step(2).checkpoint_id == checkpoints[1].checkpoint_id
    assert history.step(2, nth=2).checkpoint_id == checkpoints[2].checkpoint_id
    assert history.steps_numbered(2) == history.steps[1:]
    assert [step.saved_at for step in history.steps] == [cp.timestamp for cp in checkpoints]


def test_next_and_previous_reach_every_checkpoint_of_a_shared_number():
    explorer, checkpoints = shared_number_explorer()
    every = [cp.checkpoint_id for cp in checkpoints]
    explorer.show(1)
    forward = [explorer.shown.checkpoint_id]
    for _ in every:
        explorer.next.click()
        forward.append(explorer.shown.checkpoint_id)
    assert forward == every + [every[-1]]  # and Next stops at the last
    backward = [explorer.shown.checkpoint_id]
    for _ in every[1:]:
        explorer.previous.click()
        backward.append(explorer.shown.checkpoint_id)
    assert backward == every[::-1]


def test_the_slider_has_a_stop_for_each_checkpoint_of_a_shared_number():
    explorer, checkpoints = shared_number_explorer()
    assert [label for label, _ in explorer.slider.options] == ["1", "2 (1 of 2)", "2 (2 of 2)"]
    reached = []
    for index in range(len(explorer.slider.options)):
        explorer.slider.index = index
        reached.append((explorer.number, explorer.shown.checkpoint_id))
    assert reached == [(1, checkpoints[0].checkpoint_id), (2, checkpoints[1].checkpoint_id), (2, checkpoints[2].checkpoint_id)]
    explorer.slider.index = 0
    explorer.slider.value = 2  # a number alone: its first step
    assert explorer.shown.checkpoint_id == checkpoints[1].checkpoint_id


def when(checkpoint) -> str:
    """A checkpoint's time as the page writes it: '2026-12-05 14:02:10.221'."""
    return checkpoint.timestamp[:10] + " " + checkpoint.timestamp[11:23]


def test_the_page_says_plainly_which_of_the_two_is_shown():
    explorer, checkpoints = shared_number_explorer()
    first, second = checkpoints[1], checkpoints[2]
    explorer.show(2, nth=2)
    page = explorer.view.value
    assert "2 checkpoints on branch main share step number 2" in page
    assert f"This is the 2nd of 2: checkpoint {short_id(second.checkpoint_id)}, saved {when(second)}" in page
    assert f"The other: the 1st is checkpoint {short_id(first.checkpoint_id)}, saved {when(first)}" in page
    explorer.show(2)
    assert f"This is the 1st of 2: checkpoint {short_id(first.checkpoint_id)}" in explorer.view.value
    explorer.show(1)
    assert "share step number" not in explorer.view.value
    assert "share step number 2" in explorer.static_html()


def test_the_card_of_the_second_step_forks_from_its_own_checkpoint():
    explorer, checkpoints = shared_number_explorer()
    second = checkpoints[2]

    async def scenario():
        explorer.show(2, nth=2)
        [card] = cards_in(list(explorer.cards.children))
        assert any("Answer here to fork from step 2 (2 of 2)" in getattr(w, "value", "") for w in explorer.cards.children)
        card.buttons["Reject"].click()
        for _ in range(500):
            await asyncio.sleep(0.01)
            if not explorer.forking and len(explorer.history.branches) > 1:
                break

    run(scenario())
    fork = explorer.history.branch
    assert fork.name == "fork 1" and fork.from_checkpoint == second.checkpoint_id, explorer.message.value
    assert [step.checkpoint_id for step in fork.steps[:3]] == [cp.checkpoint_id for cp in checkpoints]
    assert fork.own_steps() == fork.steps[3:] and fork.steps[-1].outputs == ["rejected: Draft about cats"]


def test_a_number_no_step_has_gets_no_stop_on_the_slider():
    """Steps 1, 2, 2, 4 (merged folders): the slider offers the four steps there are, not a 3
    that would leave step 2 drawn under a slider that reads 3."""
    storage = InMemoryCheckpointStorage()
    workflow = loop_workflow(storage)
    run(workflow.run(0))
    third = run(storage.list_checkpoints(workflow.id))[2]
    third.iteration_count = 2
    run(storage.save_checkpoint(third))

    async def scenario():
        return await RunExplorer(await RunHistory.from_storage(storage, lambda: loop_workflow(storage)))

    explorer = run(scenario())
    assert [label for label, _ in explorer.slider.options] == ["1", "2 (1 of 2)", "2 (2 of 2)", "4"]
    explorer.show(2, nth=2)
    explorer.next.click()
    assert (explorer.number, explorer.slider.label) == (4, "4") and "step 4 of 4" in explorer.view.value
