"""EventLog: readable lines, a filter by kind, a bound with a drop count, batched redraws."""

from __future__ import annotations

import tracemalloc

from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
import ipywidgets as widgets

from wfkit import (
    AgentRunUpdateEvent,
    ExecutorFailedEvent,
    ExecutorInvokedEvent,
    RequestInfoEvent,
    SuperStepStartedEvent,
    WorkflowOutputEvent,
)
from wfkit.core.events import WorkflowErrorDetails
from wfkit.widgets import EventLog
from wfkit.widgets.event_log import KEPT_CHARACTERS, KINDS, LOG_STYLE, LogLine, describe_event


def log_of_a_paused_run() -> EventLog:
    log = EventLog()

    async def go():
        async for event in release_notes_workflow().run_stream("Launch the grinder"):
            log.handle(event)
        log.flush()

    run(go())
    return log


def test_events_read_as_short_lines_of_their_kind():
    assert describe_event(ExecutorInvokedEvent("writer", "a brief")) == ("executor", "writer ← 'a brief'")
    assert describe_event(SuperStepStartedEvent(3)) == ("superstep", "superstep 3 started")
    assert describe_event(WorkflowOutputEvent("done!", "finalise")) == ("output", "output from finalise: done!")
    kind, text = describe_event(RequestInfoEvent("r1", "review", str, "Check this", str))
    assert kind == "request" and text == "review asks: Check this"


def test_the_log_shows_the_run_with_each_line_escaped():
    log = log_of_a_paused_run()
    text = log.view.value
    assert "prepare_brief ← &#x27;Launch the grinder&#x27;" in text
    assert "state IDLE_WITH_PENDING_REQUESTS" in text
    assert "<b>Events</b>: " in log.header.value


def test_choosing_kinds_in_the_filter_hides_the_others():
    log = log_of_a_paused_run()
    log.filter.value = ("request",)  # what selecting "request" in the page does
    assert log.kinds_shown == ("request",)
    assert [line.kind for line in log.visible_lines()] == ["request"]
    assert "superstep" not in log.view.value.split("</style>")[1]
    assert "hidden by the filter" in log.header.value


def test_the_log_keeps_the_last_lines_and_says_how_many_it_dropped():
    log = EventLog(max_lines=100)
    for step in range(10_000):
        log.handle(SuperStepStartedEvent(step))
    log.flush()
    assert len(log.lines) == 100 and log.total == 10_000 and log.dropped == 9_900
    assert log.lines[0].text == "superstep 9900 started"
    assert "9,900 earlier lines dropped; keeping the last 100" in log.header.value


def test_ten_thousand_events_cost_only_a_few_redraws():
    log = EventLog(max_lines=200, min_redraw_interval=0.2)
    before = log.throttle.draws
    for step in range(10_000):
        log.handle(SuperStepStartedEvent(step))
    log.flush()
    assert log.throttle.draws - before <= 3  # a tight loop: one at once, one at the end


def test_streamed_pieces_of_an_agent_answer_share_one_line():
    log = EventLog()
    for piece in ["Hel", "lo ", "world"]:
        log.handle(AgentRunUpdateEvent("writer", piece))
    assert [line.text for line in log.lines] == ["writer writes: Hello world"]


def test_the_streamed_pieces_of_an_output_share_one_line_too():
    from wfkit import AgentResponseUpdate

    log = EventLog()
    for source, piece in [("billing", "Thanks, "), ("billing", "I can take this on."), ("shipping", "Hello")]:
        log.handle(WorkflowOutputEvent(AgentResponseUpdate(text=piece, response_id=source), source_executor_id=source))
    assert [line.text for line in log.lines] == [
        "output from billing: Thanks, I can take this on.", "output from shipping: Hello"]


def test_clear_starts_an_empty_log():
    log = log_of_a_paused_run()
    log.clear()
    log.flush()
    assert log.total == 0 and "no events yet" in log.view.value


def test_the_static_fallback_is_the_log_as_html():
    log = log_of_a_paused_run()
    bundle = log._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "state IDLE_WITH_PENDING_REQUESTS" in bundle["text/html"]


def test_the_filter_is_one_compact_drop_down_of_kinds():
    log = EventLog()
    assert isinstance(log.filter, widgets.Dropdown)
    labels = [label for label, _ in log.filter.options]
    assert labels[:2] == ["all events", "all but supersteps"] and "request only" in labels
    assert log.filter.value == KINDS and log.filter.label == "all events"


def test_all_but_supersteps_hides_only_the_superstep_lines():
    log = log_of_a_paused_run()
    log.filter.label = "all but supersteps"
    kinds = {line.kind for line in log.visible_lines()}
    assert "superstep" not in kinds and {"executor", "request"} <= kinds


def test_kinds_set_in_code_filter_the_log_and_leave_the_drop_down_unchosen():
    log = log_of_a_paused_run()
    log.kinds_shown = ("request", "executor")
    assert {line.kind for line in log.visible_lines()} == {"request", "executor"}
    assert log.filter.value is None
    log.filter.label = "all events"
    assert log.kinds_shown == KINDS


def test_a_line_is_a_grid_row_so_long_text_wraps_under_the_text_never_under_the_time():
    row = LogLine(1.5, "output", "output from writer: a long text").html()
    assert row == '<div><i>1.50s</i><b class="k-output">output</b><span>output from writer: a long text</span></div>'
    assert ".wfkit-log-lines>div{display:grid;grid-template-columns:8ch 9ch minmax(0,1fr)" in LOG_STYLE
    assert ".wfkit-log span{white-space:pre-wrap;overflow-wrap:anywhere" in LOG_STYLE
    log = log_of_a_paused_run()
    assert '<div class="wfkit-log-lines"><div data-pick="line:1"><i>' in log.view.value  # a click names the line


def test_values_in_lines_are_one_line_cut_with_a_marker():
    kind, text = describe_event(ExecutorInvokedEvent("writer", "line\n" * 100))
    assert "\n" not in text and text.endswith("…'") and len(text) <= len("writer ← ") + 80

    class Table:
        def __repr__(self) -> str:
            return "col_a col_b\n" + "\n".join(f"{n}     {n * n}" for n in range(100))

    kind, text = describe_event(WorkflowOutputEvent(Table(), "report"))
    assert "\n" not in text and text.endswith("…") and text.startswith("output from report: col_a col_b 0")


def test_a_failure_line_names_the_error_without_its_traceback():
    details = WorkflowErrorDetails("ValueError", "cannot handle 'x'", "Traceback (most recent call last):\n  ...")
    kind, text = describe_event(ExecutorFailedEvent("boom", details))
    assert (kind, text) == ("error", "boom ✗ failed: ValueError: cannot handle 'x'")


def test_a_long_streamed_answer_is_cut_when_shown_and_says_how_long_it_is():
    log = EventLog()
    for _ in range(200):
        log.handle(AgentRunUpdateEvent("writer", "more words\n"))
    log.flush()
    [line] = log.lines
    assert line.length == 2215 and len(line.text) == KEPT_CHARACTERS  # counted whole, kept in part
    shown = line.html()
    assert "…" in shown and "(2,215 characters)" in shown and "\n" not in shown


def test_a_streamed_answer_of_any_length_keeps_a_line_of_bounded_size():
    log, piece = EventLog(), "word " * 100
    tracemalloc.start()
    try:
        for _ in range(5_000):  # a 2.5 MB answer in 500-character pieces
            log.handle(AgentRunUpdateEvent("writer", piece))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [line] = log.lines
    assert line.length == len("writer writes: ") + 5_000 * len(piece)
    assert len(line.text) <= KEPT_CHARACTERS
    assert peak < 250_000  # kept whole, the line alone was 2.5 MB (and each piece copied it)


def test_what_a_streamed_answer_sends_to_the_page_does_not_grow_with_the_answer():
    log = EventLog(min_redraw_interval=0)  # draw on every piece: the most traffic there can be
    sizes: list[int] = []
    log.view.observe(lambda change: sizes.append(len(change["new"])), "value")
    for _ in range(2_000):
        log.handle(AgentRunUpdateEvent("writer", "word " * 100))
    assert len(sizes) == 2_000
    assert max(sizes) < len(LOG_STYLE) + 1_000  # one line, cut, however long the answer
    assert sizes[-1] - sizes[100] < 5  # only the character count's digits grow


# --- requests and answers lead with what matters ------------------------------------------------

UUID = "f840b450-4032-4de6-ab15-edb4152fdd8d"


def test_a_request_line_says_who_asks_what_without_its_id():
    from tests.core.review_workflows import HumanApprovalRequest

    data = HumanApprovalRequest(prompt="Approve?", draft="New: the grinder, $249", iteration=1, request_id=UUID)
    kind, text = describe_event(RequestInfoEvent(UUID, "review", HumanApprovalRequest, data, str))
    assert text == "review asks: HumanApprovalRequest(prompt='Approve?', draft='New: the grinder, $249', iteration=1)"


def test_an_executor_line_shows_the_answer_it_received_whole_without_its_ids():
    from tests.core.review_workflows import ReviewResponse

    answer = ReviewResponse(request_id=UUID, feedback="Add an example.", approved=False)
    kind, text = describe_event(ExecutorInvokedEvent("reviewer", answer))
    assert text == "reviewer ← ReviewResponse(feedback='Add an example.', approved=False)"
