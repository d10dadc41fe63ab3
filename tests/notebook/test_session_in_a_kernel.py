"""A learner's habits in a real kernel: run the waiting cell again, interrupt it, run another
cell, "Run All". None of them may freeze the notebook or end in a traceback.

The kernel is a real ipykernel, sent the messages JupyterLab sends (tests/notebook/live_kernel.py);
the browser test repeats the important ones in JupyterLab itself.
"""

from __future__ import annotations

import pytest

from tests.notebook.live_kernel import LiveKernel
from wfkit.notebook.live_runs import SAME_CELL
from wfkit.notebook.running import ANOTHER_CELL, INTERRUPTED_WHILE_WAITING

SETUP = """
import wfkit.notebook
from tests.core.review_workflows import release_notes_workflow
workflow = release_notes_workflow()
"""
LIVE = 'result = await wfkit.notebook.run(workflow, "Launch the grinder")'
SHOW = "print(result.final_state.name, '|', result.message, '|', result.outputs)"


@pytest.fixture
def kernel():
    live = LiveKernel()
    try:
        setup = live.run(SETUP)
        assert setup.reply["status"] == "ok", setup.errors
        yield live
    finally:
        live.close()


def card_waits(kernel: LiveKernel, cards: int = 1) -> None:
    """Wait for the card, and as long again as a learner takes to read it (cells sent within
    half a second of the run's start count as sent with it, like the rest of a Run All)."""
    kernel.wait_until(lambda: kernel.button_count("Approve") >= cards, 30, f"approval card {cards}")
    kernel.pump(1.0)


def finished_cleanly(kernel: LiveKernel, cell, timeout: float = 10) -> None:
    kernel.wait_until(lambda: cell.done, timeout, f"cell {cell.cell_id} to end")
    assert cell.reply["status"] == "ok" and cell.errors == [], cell.errors


def test_running_the_waiting_cell_again_replaces_the_run_with_a_fresh_card(kernel):
    first = kernel.execute(LIVE, "live")
    card_waits(kernel)
    again = kernel.execute(LIVE, "live")  # the learner presses Shift+Enter on it once more
    finished_cleanly(kernel, first, timeout=5)  # the old wait lets go within seconds
    card_waits(kernel, cards=2)  # the new run shows a card of its own
    assert not again.done
    kernel.click("Approve")
    finished_cleanly(kernel, again)
    shown = kernel.run(SHOW + "\nprint(len(wfkit.notebook.current_runs()))")
    assert shown.text.startswith("IDLE |") and "Pre-order today!" in shown.text
    assert shown.text.strip().endswith("1")  # the first run was retired


def test_the_replaced_run_says_so_and_ignores_clicks(kernel):
    kernel.execute(LIVE, "live")
    card_waits(kernel)
    kernel.execute("old = result", "keep")
    again = kernel.execute(LIVE, "live")
    card_waits(kernel, cards=2)
    shown = kernel.run("print(old.retired, '|', old.message, '|', len(old.view.prompts.cards))")
    assert shown.text.strip() == f"True | {SAME_CELL} | 0"
    finished_cleanly(kernel, again)  # the cell just run made the new run stop waiting, in turn
    kernel.run("old.answer(next(iter(old.pending_requests)), 'approve')")  # a stale click
    shown = kernel.run(SHOW)
    assert shown.text.startswith("IDLE_WITH_PENDING_REQUESTS |")  # the new run did not take it


def test_an_interrupt_ends_the_wait_with_one_line_and_the_run_stays_resumable(kernel):
    live = kernel.execute(LIVE, "live")
    card_waits(kernel)
    kernel.interrupt()
    finished_cleanly(kernel, live, timeout=5)  # no CancelledError traceback: `result` is assigned
    shown = kernel.run(SHOW)
    assert shown.text.strip() == f"IDLE_WITH_PENDING_REQUESTS | {INTERRUPTED_WHILE_WAITING} | []"
    answered = kernel.run("[rid] = result.pending_requests\nawait result.send_responses({rid: 'approve'})\n" + SHOW)
    assert answered.reply["status"] == "ok", answered.errors
    assert answered.text.startswith("IDLE |")


def test_after_an_interrupt_the_card_still_continues_the_run(kernel):
    live = kernel.execute(LIVE, "live")
    card_waits(kernel)
    kernel.interrupt()
    finished_cleanly(kernel, live, timeout=5)
    kernel.click("Approve")
    shown = kernel.run("await result.wait_until_quiet()\n" + SHOW)
    assert shown.text.startswith("IDLE |")


def test_running_another_cell_while_a_card_waits_lets_that_cell_run(kernel):
    live = kernel.execute(LIVE, "live")
    card_waits(kernel)
    other = kernel.execute("print('the other cell ran')", "other")
    finished_cleanly(kernel, live, timeout=5)
    finished_cleanly(kernel, other)
    assert other.text == "the other cell ran\n"
    shown = kernel.run(SHOW)
    assert shown.text.strip() == f"IDLE_WITH_PENDING_REQUESTS | {ANOTHER_CELL} | []"


def test_run_all_waits_for_the_click_before_the_cells_after_it(kernel):
    # "Run All" sends every cell at once: those queued with the waiting cell must wait for it.
    live = kernel.execute(LIVE, "live")
    after = kernel.execute("print('after:', result.final_state.name)", "after")
    card_waits(kernel)
    kernel.pump(2.0)
    assert not live.done and not after.done
    kernel.click("Approve")
    finished_cleanly(kernel, live)
    finished_cleanly(kernel, after)
    assert after.text == "after: IDLE\n"


def test_a_cell_that_needs_the_answers_waits_for_the_click_the_run_s_cell_let_go(kernel):
    live = kernel.execute(LIVE, "live")
    card_waits(kernel)
    kernel.execute("print('the learner moved on')", "other")  # the run's cell stops waiting
    finished_cleanly(kernel, live, timeout=5)
    needs = kernel.execute("await result.wait_for_answers()\n" + SHOW, "needs")
    kernel.pump(1.5)
    assert not needs.done  # it waits for the card, as the run's cell did
    kernel.click("Approve")
    finished_cleanly(kernel, needs)
    assert needs.text.startswith("IDLE |")


def test_a_cell_stopped_for_an_answer_shows_one_line_not_a_traceback(kernel):
    stopped = kernel.run("from wfkit import NotAnsweredYetError\nraise NotAnsweredYetError('Answer the card above first')")
    [error] = stopped.errors
    assert error["traceback"] == ["NotAnsweredYetError: Answer the card above first"]
