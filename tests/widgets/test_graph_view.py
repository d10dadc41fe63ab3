"""GraphView and GraphState: node states and edge counts follow a run; redraws are throttled."""

from __future__ import annotations

import asyncio

from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
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
    assert "1 delivered" in svg and "×" not in svg
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


def test_the_caption_explains_the_delivered_counts_once_one_is_drawn():
    workflow = release_notes_workflow()
    view = GraphView(workflow, min_redraw_interval=0)
    assert "delivered" not in view.caption.value  # no count drawn yet: no legend
    run(stream_into(view, workflow.run_stream("Launch the grinder")))
    caption = view.caption.value
    assert caption.count('class="wfkit-mark-legend"') == 1 and 'data-mark="delivered"' in caption
    assert "“n delivered”</b> on an arrow: that many messages went along it so far in this run" in caption
    assert "queued" not in view.picture.value and "queued" not in caption  # the explorer's word, not this view's


def test_a_fast_run_of_thousands_of_events_redraws_only_a_few_times_and_ends_on_the_final_picture():
    workflow = countdown_workflow()
    # An interval longer than any run, so the count does not depend on the machine's speed: the
    # first change draws at once, and every later one waits for the flush at the end.
    view = GraphView(workflow, min_redraw_interval=3600)
    view.throttle.draws = 0
    run(stream_into(view, workflow.run_stream(1500)))  # about 6,000 events
    assert view.throttle.draws == 2
    assert view.edge_counts == {("counter", "counter"): 1500}
    assert "1500 delivered" in view.picture.value  # the last draw shows the last count


class FakeClock:
    """A clock that moves only when a test says so (whole milliseconds, so sums are exact)."""

    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def test_the_throttle_draws_at_most_once_per_interval_and_flush_draws_the_last_change():
    clock = FakeClock()
    drawn: list[int] = []
    throttle = Throttle(lambda: drawn.append(clock.now), interval=50, clock=clock)
    for millisecond in range(200):  # a request every millisecond, with no event loop running
        clock.now = millisecond
        throttle.request()
    throttle.flush()
    assert drawn == [0, 50, 100, 150, 199]
    assert not throttle._dirty


def test_the_throttle_draws_nothing_on_flush_when_every_change_is_drawn():
    throttle = Throttle(lambda: None, interval=50, clock=FakeClock())
    throttle.request()
    throttle.flush()
    assert throttle.draws == 1


def test_requests_merged_in_an_event_loop_are_drawn_by_one_timer_when_the_interval_ends():
    clock = FakeClock()  # time stands still, so only the scheduled timer can draw again
    throttle = Throttle(lambda: None, interval=0.01, clock=clock)

    async def go() -> tuple[int, int]:
        for _ in range(100):
            throttle.request()
        before = throttle.draws
        # asyncio runs due timers in order, so this sleep ends after the throttle's timer.
        await asyncio.sleep(0.05)
        return before, throttle.draws

    assert run(go()) == (1, 2)
    assert not throttle._dirty


def test_the_static_fallback_is_the_svg_in_the_same_display():
    view = GraphView(release_notes_workflow())
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith("<svg")
