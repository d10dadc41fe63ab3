"""NotebookRun drives a run: clicks on its view's cards continue the workflow, answers from
code settle it, and after each the workflow, the record and the view agree."""

from __future__ import annotations

import asyncio
import threading

from tests.conftest import run
from tests.core.test_joins import document_flow, silent_metadata
from tests.core.review_workflows import release_notes_workflow, worker_reviewer_workflow
from tests.widgets.workflows import (
    ask_while_busy_workflow,
    failing_workflow,
    fussy_question_workflow,
    two_questions_workflow,
)
from wfkit import InMemoryCheckpointStorage, WorkflowContext, WorkflowRunState, executor
from wfkit.notebook import NotebookRun
from wfkit.notebook.notebook_run import WAITING_NOTE

IDLE = WorkflowRunState.IDLE
PAUSED = WorkflowRunState.IDLE_WITH_PENDING_REQUESTS


def only_card(notebook_run: NotebookRun):
    [card] = notebook_run.view.prompts.cards.values()
    return card


async def until(condition, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


# --- clicks drive the run ----------------------------------------------------------------------


def test_revise_then_approve_by_clicking_finishes_the_run_with_the_revised_draft():
    async def scenario():
        workflow = release_notes_workflow()
        result = await NotebookRun(workflow).start("Launch the grinder at $249")
        assert result.final_state is PAUSED and workflow.last_run_state is PAUSED
        assert len(workflow.pending_requests) == 1

        card = only_card(result)
        card.feedback.value = "Mention the warranty"
        card.buttons["Revise"].click()
        await result.wait_until_quiet()
        assert workflow.last_run_state is PAUSED
        revised = only_card(result)
        assert revised is not card and revised.request.data.iteration == 2
        assert "[revised: Mention the warranty]" in revised.content.value

        revised.buttons["Approve"].click()
        await result.wait_until_quiet()
        assert workflow.last_run_state is IDLE and workflow.pending_requests == {}
        assert result.outputs == ["New: Launch the grinder at $249. Pre-order today! [revised: Mention the warranty]"]
        assert result.view.prompts.cards == {}
        assert set(result.view.graph.states.values()) == {"done"}
        assert "finished" in result.view.status.value

    run(scenario())


def test_a_run_that_waits_for_clicks_returns_when_the_clicks_have_finished_it():
    async def scenario():
        workflow = release_notes_workflow()
        notebook_run = NotebookRun(workflow)
        waiting = asyncio.ensure_future(notebook_run.start("Launch", wait_for_clicks=True))
        await until(lambda: notebook_run.message == WAITING_NOTE)
        assert not waiting.done() and workflow.last_run_state is PAUSED
        assert WAITING_NOTE in notebook_run.view.status.value
        only_card(notebook_run).buttons["Approve"].click()
        assert (await asyncio.wait_for(waiting, 5)).final_state is IDLE
        assert workflow.last_run_state is IDLE and notebook_run.outputs

    run(scenario())


def test_each_of_two_open_requests_is_answered_by_its_own_card():
    async def scenario():
        workflow = two_questions_workflow()
        result = await NotebookRun(workflow).start("pricing")
        cards = result.view.prompts.cards
        assert set(cards) == {"legal-question", "marketing-question"}

        cards["marketing-question"].buttons["Approve"].click()
        await result.wait_until_quiet()
        assert workflow.last_run_state is PAUSED and list(workflow.pending_requests) == ["legal-question"]
        assert result.outputs == ["marketing heard 'approve'"]

        card = result.view.prompts.cards["legal-question"]
        card.feedback.value = "Check the terms"
        card.buttons["Revise"].click()
        await result.wait_until_quiet()
        assert workflow.last_run_state is IDLE
        assert result.outputs == ["marketing heard 'approve'", "legal heard 'Check the terms'"]

    run(scenario())


def test_a_double_click_sends_one_answer():
    async def scenario():
        workflow = release_notes_workflow()
        result = await NotebookRun(workflow).start("Launch")
        card = only_card(result)
        card.buttons["Approve"].click()
        card.buttons["Approve"].click()
        result.answer(card.request.request_id, "approve")  # even a second call in code is ignored
        await result.wait_until_quiet()
        assert workflow.last_run_state is IDLE and len(result.outputs) == 1
        assert sum(line.kind == "answer" for line in result.view.event_log.lines) == 1

    run(scenario())


def test_an_answer_to_a_request_already_answered_is_ignored():
    async def scenario():
        workflow = release_notes_workflow()
        result = await NotebookRun(workflow).start("Launch")
        request_id = only_card(result).request.request_id
        result.answer(request_id, "approve")
        await result.wait_until_quiet()
        result.answer(request_id, "approve")  # a card on a lagging page
        await result.wait_until_quiet()
        assert workflow.last_run_state is IDLE and result.error is None and len(result.outputs) == 1

    run(scenario())


def test_a_click_while_the_run_is_busy_is_sent_when_it_stops():
    async def scenario():
        workflow = ask_while_busy_workflow()
        notebook_run = NotebookRun(workflow)
        started = asyncio.ensure_future(notebook_run.start("pricing"))
        await until(lambda: notebook_run.view.prompts.cards)
        assert notebook_run.busy and notebook_run.view.busy
        only_card(notebook_run).buttons["Approve"].click()
        await started
        await notebook_run.wait_until_quiet()
        assert workflow.last_run_state is IDLE
        assert sorted(notebook_run.outputs) == ["legal heard 'approve'", "slow work on pricing done"]

    run(scenario())


def test_an_answer_of_the_wrong_type_is_refused_and_the_card_opens_again():
    async def scenario():
        workflow = release_notes_workflow()
        result = await NotebookRun(workflow).start("Launch")
        card = only_card(result)
        card.answered = True  # as after a click
        result.answer(card.request.request_id, 42)
        await result.wait_until_quiet()
        assert workflow.last_run_state is PAUSED and card.request.request_id in workflow.pending_requests
        assert not card.answered and "expects a str answer" in card.status.value

    run(scenario())


def test_an_answer_whose_handler_fails_opens_its_card_again_and_a_second_answer_finishes_the_run():
    async def scenario():
        workflow = fussy_question_workflow()
        result = await NotebookRun(workflow).start("lunch")
        assert result.final_state is PAUSED
        card = only_card(result)
        card.answered = True  # as after a click
        result.answer("fussy-question", "no")
        await result.wait_until_quiet()
        assert workflow.last_run_state is WorkflowRunState.FAILED
        assert list(workflow.pending_requests) == ["fussy-question"]
        assert only_card(result) is card and not card.answered  # open to be answered again
        assert "is not an answer this step can use" in card.status.value and "answer again" in card.status.value

        card.answered = True
        result.answer("fussy-question", "yes")
        await result.wait_until_quiet()
        assert workflow.last_run_state is IDLE and result.outputs == ["fussy heard 'yes'"]
        assert result.view.prompts.cards == {}

    run(scenario())


def test_a_click_from_another_thread_is_handled_on_the_loop_of_the_run():
    # JupyterLab may deliver clicks on a kernel subshell: another thread, another event loop.
    async def scenario():
        workflow = release_notes_workflow()
        notebook_run = NotebookRun(workflow)
        waiting = asyncio.ensure_future(notebook_run.start("Launch", wait_for_clicks=True))
        await until(lambda: notebook_run.view.prompts.cards)
        card = only_card(notebook_run)
        clicker = threading.Thread(target=lambda: asyncio.run(click_soon(card)))
        clicker.start()
        assert (await asyncio.wait_for(waiting, 5)).final_state is IDLE
        clicker.join()

    async def click_soon(card):
        card.buttons["Approve"].click()

    run(scenario())


def test_revise_then_approve_on_a_verdict_card_finishes_the_review_loop():
    async def scenario():
        workflow = worker_reviewer_workflow()
        result = await NotebookRun(workflow).start("What is 2+2?")
        assert result.final_state is PAUSED
        card = only_card(result)
        card.feedback.value = "Show the working"
        card.buttons["Revise"].click()
        await result.wait_until_quiet()
        assert result.outputs == []

        card = only_card(result)
        assert "round 2" in card.header.value
        card.buttons["Approve"].click()
        await result.wait_until_quiet()
        assert workflow.last_run_state is IDLE and result.outputs == ["approved after 2 attempt(s)"]

    run(scenario())


# --- what the run says, and what its view draws ------------------------------------------------


def test_a_failed_run_says_why():
    async def scenario():
        return await NotebookRun(failing_workflow()).start("x")

    result = run(scenario())
    assert result.final_state is WorkflowRunState.FAILED
    assert "ValueError in boom: cannot handle 'x'" in result.message
    assert result.view.graph.states["boom"] == "failed" and result.view.note == result.message


def test_the_view_shows_the_run_busy_while_it_streams_and_not_after():
    async def scenario() -> None:
        notebook_run = NotebookRun(ask_while_busy_workflow(), min_redraw_interval=0)
        view = notebook_run.view
        started = asyncio.ensure_future(notebook_run.start("pricing"))
        await until(lambda: view.graph.states.get("slow") == "running")
        assert notebook_run.busy and view.busy and "running" in view.status.value
        await started
        assert not view.busy and notebook_run.final_state is PAUSED and "paused" in view.status.value

    run(scenario())


def test_the_view_draws_the_outputs_the_record_keeps():
    result = run(NotebookRun(release_notes_workflow()).start("Launch", answers=["approve"]))
    assert result.view.recent_outputs == result.outputs and result.view.output_count == len(result.outputs)
    assert result.view.state == result.state == "IDLE"


def test_the_message_says_which_join_is_still_waiting_and_for_whom():
    result = run(NotebookRun(document_flow(silent_metadata).build(), min_redraw_interval=0).start("page 1"))
    assert result.final_state is IDLE
    assert "'merge'" in result.message and "'metadata'" in result.message and "waiting" in result.message
    assert "waiting" in result.view.status.value  # the status line shows the message


def test_a_run_that_completes_its_join_has_no_message():
    @executor(id="metadata")
    async def sending_metadata(page: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"metadata of {page}")

    result = run(NotebookRun(document_flow(sending_metadata).build(), min_redraw_interval=0).start("page 1"))
    assert result.message == ""


# --- resuming ----------------------------------------------------------------------------------


def test_resume_continues_from_a_checkpoint_in_the_same_view_with_the_answers_given():
    storage = InMemoryCheckpointStorage()

    async def scenario():
        paused = await NotebookRun(release_notes_workflow(storage)).start("Launch")
        [request_id] = paused.pending_requests
        checkpoint = (await storage.list_checkpoints())[-1]
        view = paused.view
        resumed = await paused.resume(
            checkpoint.checkpoint_id, storage, workflow=release_notes_workflow(), answers={request_id: "approve"}
        )
        return resumed, view

    resumed, view = run(scenario())
    assert resumed.final_state is IDLE and resumed.outputs == ["New: Launch. Pre-order today!"]
    assert resumed.view is view and view.prompts.cards == {} and "finished" in view.status.value
