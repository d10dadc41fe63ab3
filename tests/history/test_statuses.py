"""The status rule (`wfkit.history.statuses`) where it has something to decide: which status wins
when several hold, and what a failed superstep leaves of the requests asked and answered in it.
The live graph and the history read each run here through the same rule, so both are checked."""

from __future__ import annotations

from tests.conftest import run
from tests.widgets.workflows import Asker, Boom, FussyAsker, Splitter
from wfkit import WorkflowBuilder, WorkflowFailedError
from wfkit.history import RunHistory
from wfkit.history.statuses import status_of
from wfkit.widgets.graph_state import GraphState


def test_running_wins_then_failed_then_waiting_then_how_the_last_call_ended():
    assert status_of(running=True, outcome="failed", asking=True) == "running"
    assert status_of(running=False, outcome="failed", asking=True) == "failed"
    assert status_of(running=False, outcome="done", asking=True) == "waiting"
    assert status_of(running=False, outcome=None, asking=True) == "waiting"
    assert status_of(running=False, outcome="done", asking=False) == "done"
    assert status_of(running=False, outcome=None, asking=False) == "idle"


def both_views(workflow, events):
    """(the live graph's statuses, the history's last step) after `events`."""
    graph = GraphState(workflow)
    graph.update_all(events)
    live = {eid: graph.states.get(eid, "idle") for eid in workflow.executors}
    return live, RunHistory.from_events(workflow, events).steps[-1]


def failed_events(call):
    try:
        run(call)
    except WorkflowFailedError as error:
        return list(error.events)
    raise AssertionError("the run was expected to fail")


def test_a_request_asked_in_a_step_that_failed_was_never_made():
    start = Splitter("start")
    workflow = WorkflowBuilder().set_start_executor(start).add_fan_out_edges(start, [Asker("legal"), Boom("boom")]).build()
    events = failed_events(workflow.run("pricing"))
    assert "legal-question" in [e.request_id for e in events if e.type == "request_info"]  # announced...
    assert workflow.pending_requests == {}  # ...but dropped with the step
    live, last = both_views(workflow, events)
    assert live == last.statuses == {"start": "done", "legal": "done", "boom": "failed"}
    assert last.pending_requests == {}


def test_answers_handled_in_a_failed_step_are_open_again_and_the_failure_shows_over_the_question():
    start = Splitter("start")
    askers = [Asker("legal"), FussyAsker("fussy")]
    workflow = WorkflowBuilder().set_start_executor(start).add_fan_out_edges(start, askers).build()
    asked = list(run(workflow.run("pricing")))
    answered = failed_events(workflow.send_responses({"legal-question": "yes", "fussy-question": "no"}))
    assert set(workflow.pending_requests) == {"legal-question", "fussy-question"}  # both open again
    live, last = both_views(workflow, asked + answered)
    assert live == last.statuses == {"start": "done", "legal": "waiting", "fussy": "failed"}
    assert set(last.pending_requests) == set(workflow.pending_requests)
