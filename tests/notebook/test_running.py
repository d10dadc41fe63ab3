"""`wfkit.notebook.run` in-process: what the view says always matches the run, reprs stay short,
and the ways a wait can end (a click, another cell, an interrupt, a newer run) each leave the
run in a state a learner can go on from."""

from __future__ import annotations

import asyncio

import pytest

import wfkit.notebook.running as running
from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
from wfkit import Executor, Never, WorkflowBuilder, WorkflowContext, WorkflowRunState, handler, response_handler
from wfkit.notebook import NotebookRun, current_runs
from wfkit.notebook.live_runs import SAME_CELL, SAME_WORKFLOW, take_over
from wfkit.notebook.notebook_run import WAITING_NOTE
from wfkit.notebook.running import ANOTHER_CELL, INTERRUPTED_WHILE_RUNNING, INTERRUPTED_WHILE_WAITING
from wfkit.widgets import RunView

IDLE = WorkflowRunState.IDLE
PAUSED = WorkflowRunState.IDLE_WITH_PENDING_REQUESTS


@pytest.fixture
def shown(monkeypatch) -> list[RunView]:
    views: list[RunView] = []
    monkeypatch.setattr(running, "_display", lambda widget: views.append(widget))
    return views


async def until(condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


def only_card(view: RunView):
    [card] = view.prompts.cards.values()
    return card


def run_of(view: RunView) -> NotebookRun:
    """The live run that `view` draws."""
    [notebook_run] = [notebook_run for notebook_run in current_runs() if notebook_run.view is view]
    return notebook_run


def test_the_waiting_note_goes_when_a_click_finishes_the_run(shown):
    async def scenario():
        waiting = asyncio.ensure_future(running.run(release_notes_workflow(), "Launch", wait_for_clicks=True))
        await until(lambda: shown and shown[0].note == WAITING_NOTE)
        view = shown[0]
        assert WAITING_NOTE in view.status.value and view.prompts.cards
        only_card(view).buttons["Approve"].click()
        result = await asyncio.wait_for(waiting, 5)
        assert result.final_state is IDLE
        assert view.note == "" and "Waiting" not in view.status.value and "Waiting" not in repr(result)

    run(scenario())


def test_a_click_after_the_cell_returned_clears_the_paused_note_too():
    async def scenario():
        result = await running.run(release_notes_workflow(), "Launch", show=False)
        assert result.final_state is PAUSED and "The run is paused" in result.view.note
        only_card(result.view).buttons["Approve"].click()
        await result.wait_until_quiet()
        assert result.final_state is IDLE and result.message == "" and "paused" not in result.view.status.value

    run(scenario())


def test_the_repr_is_a_few_short_lines_even_for_a_long_output():
    async def scenario():
        result = await running.run(release_notes_workflow(), "Launch " + "a very long brief " * 200, ["approve"],
                                   show=False)
        text = repr(result)
        lines = text.splitlines()
        assert lines[0] == "NotebookRun: IDLE, 1 output, 0 pending request(s), " + f"{len(result.events)} events"
        assert len(lines) <= 3 and all(len(line) <= 320 for line in lines)
        assert "…" in lines[1] and "\\n" not in text.replace("\\\\n", "")

    run(scenario())


def test_stop_waiting_ends_the_wait_and_the_run_stays_paused_for_a_later_click(shown):
    async def scenario():
        waiting = asyncio.ensure_future(running.run(release_notes_workflow(), "Launch", wait_for_clicks=True))
        await until(lambda: shown and shown[0].prompts.cards)
        view = shown[0]
        run_of(view).stop_waiting(ANOTHER_CELL)
        result = await asyncio.wait_for(waiting, 2)
        assert result.final_state is PAUSED and result.message == ANOTHER_CELL and view.note == ANOTHER_CELL
        only_card(view).buttons["Approve"].click()  # the card still works, in the background
        await result.wait_until_quiet()
        assert result.final_state is IDLE and result.outputs

    run(scenario())


def test_an_interrupt_in_a_notebook_cell_ends_the_wait_and_returns_the_paused_run(shown, monkeypatch):
    monkeypatch.setattr(running, "in_a_kernel_cell", lambda: True)

    async def scenario():
        cell = asyncio.ensure_future(running.run(release_notes_workflow(), "Launch", wait_for_clicks=True))
        await until(lambda: shown and shown[0].note == WAITING_NOTE)
        cell.cancel()  # what ipykernel 7 does to the cell's task on Kernel > Interrupt
        result = await asyncio.wait_for(cell, 2)
        assert result.final_state is PAUSED and result.message == INTERRUPTED_WHILE_WAITING
        [request_id] = result.pending_requests
        await result.send_responses({request_id: "approve"})
        assert result.final_state is IDLE

    run(scenario())


def test_an_interrupt_in_the_middle_of_a_step_says_the_run_was_cancelled(shown, monkeypatch):
    from tests.widgets.workflows import ask_while_busy_workflow

    monkeypatch.setattr(running, "in_a_kernel_cell", lambda: True)

    async def scenario():
        cell = asyncio.ensure_future(running.run(ask_while_busy_workflow(), "pricing", wait_for_clicks=True))
        await until(lambda: shown and shown[0].busy)
        await asyncio.sleep(0.05)  # "slow" is at work
        cell.cancel()
        result = await asyncio.wait_for(cell, 2)
        assert result.final_state is WorkflowRunState.CANCELLED and result.message == INTERRUPTED_WHILE_RUNNING
        assert "cancelled" in result.view.status.value

    run(scenario())


def test_outside_a_notebook_cell_a_cancellation_goes_on_up(shown):
    async def scenario():
        cell = asyncio.ensure_future(running.run(release_notes_workflow(), "Launch", wait_for_clicks=True))
        await until(lambda: shown and shown[0].prompts.cards)
        cell.cancel()
        with pytest.raises(asyncio.CancelledError):
            await cell

    run(scenario())


def test_a_new_run_of_the_same_cell_retires_the_old_one_and_its_clicks_are_ignored():
    async def scenario():
        workflow = release_notes_workflow()
        old = NotebookRun(workflow)
        await take_over(old, "cell-1")
        assert (await old.start("Launch")).final_state is PAUSED
        old_card = only_card(old.view)
        new = NotebookRun(release_notes_workflow())  # another workflow, but the same cell
        await take_over(new, "cell-1")
        assert old.retired and old.message == SAME_CELL and old.view.prompts.cards == {}
        assert SAME_CELL in old.view.prompts.title.value
        assert current_runs()[-1] is new and old not in current_runs()
        old_card.buttons["Approve"].click()  # a stale card, still on some page
        await old.wait_until_quiet()
        assert workflow.last_run_state is PAUSED  # nothing was sent

    run(scenario())


class SlowToAct(Executor):
    """Asks, then takes a second over the answer: a continuation still running when a newer run starts."""

    @handler
    async def ask(self, topic: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(f"go ahead with {topic}?", str)

    @response_handler
    async def act(self, question: str, answer: str, ctx: WorkflowContext[Never, str]) -> None:
        await asyncio.sleep(1.0)
        await ctx.yield_output(f"{answer}: done")


def test_a_new_run_of_the_same_workflow_elsewhere_retires_the_old_one_and_cancels_its_continuation():
    async def scenario():
        workflow = WorkflowBuilder().set_start_executor(SlowToAct("slow")).build()
        old = NotebookRun(workflow)
        await take_over(old, "cell-1")
        assert (await old.start("pricing")).final_state is PAUSED
        only_card(old.view).buttons["Approve"].click()  # continues in a background task...
        await until(lambda: old.busy)
        new = NotebookRun(workflow)
        await take_over(new, "cell-2")  # ...which the new run cancels
        assert old.retired and old.message == SAME_WORKFLOW and not old.busy and old.outputs == []
        assert (await new.start("pricing")).final_state is PAUSED  # the workflow is free again

    run(scenario())


def test_runs_in_other_cells_on_other_workflows_are_left_alone():
    async def scenario():
        first, second = NotebookRun(release_notes_workflow()), NotebookRun(release_notes_workflow())
        await take_over(first, "cell-1")
        await take_over(second, "cell-2")
        assert not first.retired and current_runs()[-2:] == [first, second]

    run(scenario())


def test_two_plain_python_runs_of_different_workflows_leave_each_other_live():
    """Outside a kernel there is no cell id (it is ""): two runs there are not "the same cell"
    run again, and only a run of the same workflow may retire another."""
    first = run(running.run(release_notes_workflow(), "Launch", show=False))
    second = run(running.run(release_notes_workflow(), "Launch", show=False))
    assert (first.final_state, second.final_state) == (PAUSED, PAUSED)
    assert not first.retired and first.message != SAME_CELL
    assert first in current_runs() and second in current_runs()


def test_with_nobody_to_click_a_cell_that_needs_the_answers_goes_on_at_once(shown, monkeypatch):
    monkeypatch.setenv("WFKIT_HEADLESS", "1")  # papermill, CI: nobody will answer

    async def scenario():
        result = await running.run(release_notes_workflow(), "Launch")
        await result.wait_for_answers()
        return result

    assert run(scenario()).final_state is PAUSED  # as the run stands: the cell goes on with it


def test_where_a_cell_can_wait_a_cell_that_needs_the_answers_waits_for_the_click(shown, monkeypatch):
    monkeypatch.setattr(running, "someone_can_click", lambda: True)  # a person, and no kernel in between

    async def scenario():
        result = await running.run(release_notes_workflow(), "Launch", wait_for_clicks=False)
        needs = asyncio.ensure_future(result.wait_for_answers())
        await until(lambda: result.message == WAITING_NOTE)
        assert not needs.done()
        only_card(shown[0]).buttons["Approve"].click()
        await asyncio.wait_for(needs, 5)
        return result

    assert run(scenario()).final_state is IDLE
