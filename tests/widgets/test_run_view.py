"""RunView only draws: the events it is handed, and the state and note its owner sets. A click
on a card goes to the `on_answer` callbacks, and never to the workflow."""

from __future__ import annotations

from IPython.core.formatters import DisplayFormatter

from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
from tests.widgets.workflows import failing_workflow, two_questions_workflow
from wfkit import WorkflowOutputEvent, WorkflowRunState
from wfkit.widgets import RunView
from wfkit.widgets.run_view import SHOWN_OUTPUTS

PAUSED = WorkflowRunState.IDLE_WITH_PENDING_REQUESTS


def streamed_into(view: RunView, message: str) -> RunView:
    """Run the view's workflow in a stream and hand every event to the view, as its owner does."""

    async def scenario():
        async for event in view.workflow.run_stream(message):
            view.handle(event)
        view.flush()

    run(scenario())
    return view


def only_card(view: RunView):
    [card] = view.prompts.cards.values()
    return card


def test_the_events_of_a_run_draw_the_graph_the_log_and_a_card_per_request():
    view = streamed_into(RunView(two_questions_workflow(), min_redraw_interval=0), "pricing")
    assert set(view.prompts.cards) == {"legal-question", "marketing-question"}
    assert view.graph.states["start"] == "done" and view.graph.states["legal"] == "waiting"
    assert view.event_log.total > 0


def test_outputs_are_drawn_as_they_come():
    workflow = release_notes_workflow()
    view = RunView(workflow, min_redraw_interval=0)
    view.handle(WorkflowOutputEvent("New: the grinder. Pre-order today!", source_executor_id="publish"))
    view.flush()
    assert view.recent_outputs == ["New: the grinder. Pre-order today!"] and view.output_count == 1
    assert "Pre-order today!" in view.output_box.value


def test_a_long_run_keeps_only_the_outputs_it_shows_and_says_how_many_there_were():
    view = RunView(release_notes_workflow(), min_redraw_interval=0)
    for number in range(1, SHOWN_OUTPUTS + 6):
        view.handle(WorkflowOutputEvent(f"note {number}", source_executor_id="publish"))
    view.flush()
    assert view.recent_outputs == [f"note {number}" for number in range(6, SHOWN_OUTPUTS + 6)]
    assert f"the last {SHOWN_OUTPUTS} of {SHOWN_OUTPUTS + 5}" in view.output_box.value


def test_resetting_with_statuses_starts_the_graph_from_them():
    """A run resumed from a checkpoint goes on from where that step left its executors."""
    view = RunView(release_notes_workflow(), min_redraw_interval=0)
    view.reset(statuses={"prepare_brief": "done", "writer": "failed", "review_gateway": "waiting", "finalise": "idle"})
    # How each call ended carries over; "waiting" comes back when the resumed run asks again.
    assert view.graph.states == {"prepare_brief": "done", "writer": "failed"}


def test_a_click_goes_to_the_callbacks_and_not_to_the_workflow():
    workflow = release_notes_workflow()
    view = streamed_into(RunView(workflow), "Launch")
    received = []
    view.on_answer(lambda request_id, answer: received.append((request_id, answer)))
    card = only_card(view)
    card.buttons["Approve"].click()
    assert received == [(card.request.request_id, "approve")]
    assert workflow.last_run_state is PAUSED and card.request.request_id in workflow.pending_requests
    assert card.answered  # locked: the owner reopens it if the answer is refused


def test_the_status_line_draws_the_state_and_the_note_its_owner_sets():
    view = streamed_into(RunView(release_notes_workflow(), title="Release notes"), "Launch")
    assert "not started" in view.status.value  # the events alone do not set the status line
    view.state, view.note = PAUSED.name, "Waiting for your answer."
    assert "Release notes" in view.status.value and "paused: waiting for answers" in view.status.value
    assert "Waiting for your answer." in view.status.value and "#7c3aed" in view.status.value
    view.state, view.note = "FAILED", "The run failed."
    assert "failed" in view.status.value and "#dc2626" in view.status.value


def test_a_failure_is_drawn_on_the_graph():
    view = streamed_into(RunView(failing_workflow(), min_redraw_interval=0), "x")
    assert view.graph.states["boom"] == "failed"
    assert any(line.kind == "error" and "boom" in line.text for line in view.event_log.lines)


def test_show_requests_keeps_exactly_those_cards_and_what_was_typed():
    workflow = two_questions_workflow()
    view = streamed_into(RunView(workflow), "pricing")
    legal = view.prompts.cards["legal-question"]
    legal.feedback.value = "Check the terms"
    view.show_requests([workflow.pending_requests["legal-question"]])
    assert list(view.prompts.cards) == ["legal-question"]
    assert view.prompts.cards["legal-question"] is legal and legal.feedback.value == "Check the terms"


def test_reopen_unlocks_a_card_and_says_why():
    view = streamed_into(RunView(release_notes_workflow()), "Launch")
    card = only_card(view)
    card.buttons["Approve"].click()
    view.reopen([card.request.request_id], "That answer was refused: answer again.")
    assert not card.answered and "answer again" in card.status.value


def test_retire_closes_the_cards_and_leaves_one_line():
    view = streamed_into(RunView(release_notes_workflow()), "Launch")
    view.retire("Replaced: this cell was run again.")
    assert view.prompts.cards == {} and "Replaced: this cell was run again." in view.prompts.title.value


def test_an_answer_is_noted_in_the_log_once():
    view = RunView(release_notes_workflow())
    view.note_answer("r1", "approve")
    assert [line.kind for line in view.event_log.lines] == ["answer"]
    assert view.event_log.lines[0].text == "answer: approve"


def test_reset_clears_the_drawing_for_a_new_run():
    view = streamed_into(RunView(release_notes_workflow()), "Launch")
    view.state = PAUSED.name
    view.reset()
    assert view.recent_outputs == [] and view.output_count == 0 and view.prompts.cards == {}
    assert view.event_log.total == 0 and view.graph.states == {}
    assert view.state == PAUSED.name  # the status line is its owner's to set


def test_the_static_fallback_holds_status_graph_cards_outputs_and_log():
    view = streamed_into(RunView(release_notes_workflow()), "Launch")
    view.state = PAUSED.name
    bundle, _ = DisplayFormatter().format(view)  # what Jupyter stores for the display
    html = bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "paused: waiting for answers" in html and "<svg" in html
    assert "Pre-order today!" in html and "state IDLE_WITH_PENDING_REQUESTS" in html


def test_an_answer_line_says_to_whom_and_what_was_answered_without_the_request_id():
    from tests.core.review_workflows import ReviewResponse

    view = streamed_into(RunView(release_notes_workflow()), "Launch")
    card = only_card(view)
    request_id = card.request.request_id
    view.note_answer(request_id, ReviewResponse(request_id=request_id, feedback="", approved=True))
    text = view.event_log.lines[-1].text
    assert text == f"answer to {card.request.executor_id}: ReviewResponse(feedback='', approved=True)"
