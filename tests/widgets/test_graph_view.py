"""GraphView and GraphState: node states and edge counts follow a run; redraws are throttled."""

from __future__ import annotations

import asyncio
import time

from tests.conftest import run
from tests.hitl.workflows import release_notes_workflow
from tests.widgets.workflows import countdown_workflow, failing_workflow, fan_in_workflow, two_questions_workflow
from wfkit.widgets import GraphView
from wfkit.widgets.graph_state import GraphState
from wfkit.widgets.throttle import Throttle


async def stream_into(view: GraphView, stream) -> None:
    async for event in stream:
        view.handle(event)
    view.flush()


def test_a_paused_run_shows_the_asking_executor_waiting_and_the_others_done():
    workflow = release_notes_workflow()
    view = GraphView(workflow)
    run(stream_into(view, workflow.run_stream("Launch the grinder")))
    assert view.states == {
        "prepare_brief": "done",
        "writer": "done",
        "review_gateway": "done",
        "request_info": "waiting",
    }
    assert "finalise" not in view.states  # idle: it has not run


def test_answering_turns_waiting_into_done_and_counts_every_message_on_its_edge():
    workflow = release_notes_workflow()
    view = GraphView(workflow)
    run(stream_into(view, workflow.run_stream("Launch the grinder")))
    [request_id] = workflow.pending_requests
    run(stream_into(view, workflow.send_responses_streaming({request_id: "approve"})))
    assert set(view.states.values()) == {"done"} and len(view.states) == 5
    assert view.edge_counts == {
        ("prepare_brief", "writer"): 1,
        ("writer", "review_gateway"): 1,
        ("review_gateway", "request_info"): 1,
        ("request_info", "review_gateway"): 1,  # the answer, forwarded as a RequestResponse
        ("review_gateway", "finalise"): 1,
    }


def test_the_picture_is_svg_with_state_colours_and_counts():
    workflow = release_notes_workflow()
    view = GraphView(workflow)
    run(stream_into(view, workflow.run_stream("Launch the grinder")))
    svg = view.picture.value
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert "#ddd6fe" in svg  # the waiting violet
    assert "×1" in svg
    assert "waiting 1" in view.caption.value and "done 3" in view.caption.value


def test_a_failed_executor_is_marked_failed():
    workflow = failing_workflow()
    view = GraphView(workflow)
    run(stream_into(view, workflow.run_stream("x")))
    assert view.states == {"start": "done", "boom": "failed"}


def test_a_fan_in_counts_one_message_from_each_source():
    workflow = fan_in_workflow()
    view = GraphView(workflow)
    run(stream_into(view, workflow.run_stream("x")))
    assert view.edge_counts[("a", "join")] == 1 and view.edge_counts[("b", "join")] == 1
    assert view.states["join"] == "done"


def test_two_pending_requests_make_two_executors_wait():
    workflow = two_questions_workflow()
    state = GraphState(workflow)

    async def go():
        async for event in workflow.run_stream("pricing"):
            state.update(event)

    run(go())
    assert state.states == {"start": "done", "legal": "waiting", "marketing": "waiting"}


def test_reset_makes_every_executor_idle_again():
    workflow = fan_in_workflow()
    view = GraphView(workflow)
    run(stream_into(view, workflow.run_stream("x")))
    view.reset()
    view.flush()
    assert view.states == {} and view.edge_counts == {}
    assert "idle 4" in view.caption.value


def test_a_fast_run_of_thousands_of_events_redraws_only_a_few_times_and_ends_on_the_final_picture():
    workflow = countdown_workflow()
    view = GraphView(workflow, min_redraw_interval=0.1)
    view.throttle.draws = 0
    started = time.monotonic()
    run(stream_into(view, workflow.run_stream(1500)))  # about 6,000 events
    elapsed = time.monotonic() - started
    assert view.throttle.draws <= elapsed / 0.1 + 3
    assert view.edge_counts == {("counter", "counter"): 1500}
    assert "×1500" in view.picture.value  # the last draw shows the last count


def test_the_throttle_merges_requests_and_always_draws_the_last_change():
    drawn: list[float] = []
    throttle = Throttle(lambda: drawn.append(time.monotonic()), interval=0.05)

    async def go():
        for _ in range(200):
            throttle.request()
            await asyncio.sleep(0.001)
        throttle.flush()

    run(go())
    assert 2 <= len(drawn) < 20
    assert all(later - earlier >= 0.045 for earlier, later in zip(drawn, drawn[1:-1]))
    assert not throttle._dirty


def test_the_static_fallback_is_the_svg_in_the_same_display():
    view = GraphView(release_notes_workflow())
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith("<svg")
