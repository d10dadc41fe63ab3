"""RunView: clicks on the cards drive the workflow; after each, the workflow is where it should be."""

from __future__ import annotations

import asyncio
import threading

from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
from tests.widgets.workflows import (
    ask_while_busy_workflow,
    failing_workflow,
    fussy_question_workflow,
    two_questions_workflow,
)
from wfkit import WorkflowRunState
from wfkit.widgets import RunView

IDLE = WorkflowRunState.IDLE
PAUSED = WorkflowRunState.IDLE_WITH_PENDING_REQUESTS


def only_card(view: RunView):
    [card] = view.prompts.cards.values()
    return card


def test_revise_then_approve_by_clicking_finishes_the_run_with_the_revised_draft():
    async def scenario():
        workflow = release_notes_workflow()
        view = RunView(workflow)
        assert await view.run("Launch the grinder at $249") is PAUSED
        assert workflow.last_run_state is PAUSED and len(workflow.pending_requests) == 1

        card = only_card(view)
        card.feedback.value = "Mention the warranty"
        card.buttons["Revise"].click()
        await view.wait_until_quiet()
        assert workflow.last_run_state is PAUSED
        revised = only_card(view)
        assert revised is not card and revised.request.data.iteration == 2
        assert "[revised: Mention the warranty]" in revised.content.value

        revised.buttons["Approve"].click()
        await view.wait_until_quiet()
        assert workflow.last_run_state is IDLE and workflow.pending_requests == {}
        assert view.outputs == ["New: Launch the grinder at $249. Pre-order today! [revised: Mention the warranty]"]
        assert view.prompts.cards == {}
        assert set(view.graph.states.values()) == {"done"}
        assert "finished" in view.status.value

    run(scenario())


def test_a_run_that_waits_for_clicks_returns_when_the_clicks_have_finished_it():
    async def scenario():
        workflow = release_notes_workflow()
        view = RunView(workflow)
        waiting = asyncio.ensure_future(view.run("Launch", wait_for_clicks=True))
        while "Waiting for your answer" not in view.note:
            await asyncio.sleep(0.01)
        assert not waiting.done() and workflow.last_run_state is PAUSED
        only_card(view).buttons["Approve"].click()
        assert await asyncio.wait_for(waiting, 5) is IDLE
        assert workflow.last_run_state is IDLE and view.outputs

    run(scenario())


def test_each_of_two_open_requests_is_answered_by_its_own_card():
    async def scenario():
        workflow = two_questions_workflow()
        view = RunView(workflow)
        assert await view.run("pricing") is PAUSED
        assert set(view.prompts.cards) == {"legal-question", "marketing-question"}

        view.prompts.cards["marketing-question"].buttons["Approve"].click()
        await view.wait_until_quiet()
        assert workflow.last_run_state is PAUSED and list(workflow.pending_requests) == ["legal-question"]
        assert view.outputs == ["marketing heard 'approve'"]

        card = view.prompts.cards["legal-question"]
        card.feedback.value = "Check the terms"
        card.buttons["Revise"].click()
        await view.wait_until_quiet()
        assert workflow.last_run_state is IDLE
        assert view.outputs == ["marketing heard 'approve'", "legal heard 'Check the terms'"]

    run(scenario())


def test_a_double_click_sends_one_answer():
    async def scenario():
        workflow = release_notes_workflow()
        view = RunView(workflow)
        await view.run("Launch")
        card = only_card(view)
        card.buttons["Approve"].click()
        card.buttons["Approve"].click()
        view.answer(card.request.request_id, "approve")  # even a second call in code is ignored
        await view.wait_until_quiet()
        assert workflow.last_run_state is IDLE and len(view.outputs) == 1
        assert sum(line.kind == "answer" for line in view.event_log.lines) == 1

    run(scenario())


def test_a_click_while_the_run_is_busy_is_sent_when_it_stops():
    async def scenario():
        workflow = ask_while_busy_workflow()
        view = RunView(workflow)
        started = asyncio.ensure_future(view.run("pricing"))
        while not view.prompts.cards:
            await asyncio.sleep(0.01)
        assert view.busy
        only_card(view).buttons["Approve"].click()
        await started
        await view.wait_until_quiet()
        assert workflow.last_run_state is IDLE
        assert sorted(view.outputs) == ["legal heard 'approve'", "slow work on pricing done"]

    run(scenario())


def test_an_answer_of_the_wrong_type_is_refused_and_the_card_opens_again():
    async def scenario():
        workflow = release_notes_workflow()
        view = RunView(workflow)
        await view.run("Launch")
        card = only_card(view)
        card.answered = True  # as after a click
        view.answer(card.request.request_id, 42)
        await view.wait_until_quiet()
        assert workflow.last_run_state is PAUSED and card.request.request_id in workflow.pending_requests
        assert not card.answered and "expects a str answer" in card.status.value

    run(scenario())


def test_an_answer_whose_handler_fails_opens_its_card_again_and_a_second_answer_finishes_the_run():
    async def scenario():
        workflow = fussy_question_workflow()
        view = RunView(workflow)
        assert await view.run("lunch") is PAUSED
        card = only_card(view)
        card.answered = True  # as after a click
        view.answer("fussy-question", "no")
        await view.wait_until_quiet()
        assert workflow.last_run_state is WorkflowRunState.FAILED
        assert list(workflow.pending_requests) == ["fussy-question"]
        assert only_card(view) is card and not card.answered  # open to be answered again
        assert "is not an answer this step can use" in card.status.value and "answer again" in card.status.value

        card.answered = True
        view.answer("fussy-question", "yes")
        await view.wait_until_quiet()
        assert workflow.last_run_state is IDLE and view.outputs == ["fussy heard 'yes'"]
        assert view.prompts.cards == {}

    run(scenario())


def test_a_click_from_another_thread_is_handled_on_the_loop_of_the_run():
    # JupyterLab may deliver clicks on a kernel subshell: another thread, another event loop.
    async def scenario():
        workflow = release_notes_workflow()
        view = RunView(workflow)
        waiting = asyncio.ensure_future(view.run("Launch", wait_for_clicks=True))
        while not view.prompts.cards:
            await asyncio.sleep(0.01)
        card = only_card(view)
        clicker = threading.Thread(target=lambda: asyncio.run(click_soon(card)))
        clicker.start()
        assert await asyncio.wait_for(waiting, 5) is IDLE
        clicker.join()

    async def click_soon(card):
        card.buttons["Approve"].click()

    run(scenario())


def test_a_failed_run_says_why():
    async def scenario():
        view = RunView(failing_workflow())
        assert await view.run("x") is WorkflowRunState.FAILED
        assert "ValueError in boom: cannot handle 'x'" in view.note
        assert view.graph.states["boom"] == "failed"

    run(scenario())


def test_the_static_fallback_holds_status_graph_cards_outputs_and_log():
    async def scenario():
        view = RunView(release_notes_workflow())
        await view.run("Launch")
        return view._repr_mimebundle_()

    bundle = run(scenario())
    html = bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "paused: waiting for answers" in html and "<svg" in html
    assert "Pre-order today!" in html and "state IDLE_WITH_PENDING_REQUESTS" in html
