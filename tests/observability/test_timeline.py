"""The timeline a learner reads: one row per span, nested by parent, bars on one time axis,
durations, failures in red, and every piece of text escaped."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import run
from tests.observability.workflows import two_steps
from wfkit import Executor, WorkflowBuilder, WorkflowContext, WorkflowFailedError, handler
from wfkit.notebook import span_timeline
from wfkit.observability import SpanRecord, clear_kept_spans, latest_trace, span_records, span_tree, span_tree_text
from wfkit.widgets import SpanTimeline
from wfkit.widgets.span_timeline import timeline_html

ROW = re.compile(r'<div title="[^"]*" style="display:flex')


def record(name: str, span_id: str, parent: str | None, start: int, end: int, **more: Any) -> SpanRecord:
    return SpanRecord(name, span_id, "t" * 32, parent, start, end, **more)


# A hand-made trace: times in nanoseconds, a run of 10 ms with two steps.
TRACE = [
    record("workflow.run", "a", None, 0, 10_000_000, attributes={"workflow.id": "review"}),
    record("workflow.superstep", "b", "a", 0, 4_000_000, attributes={"superstep.iteration": 1}),
    record("executor.process", "c", "b", 1_000_000, 3_000_000, attributes={"executor.id": "writer"}),
    record("message.send", "d", "c", 2_000_000, 2_000_000, kind="producer", attributes={"message.type": "str"}),
    record("workflow.superstep", "e", "a", 5_000_000, 10_000_000, attributes={"superstep.iteration": 2}),
    record(
        "executor.process", "f", "e", 5_000_000, 10_000_000, attributes={"executor.id": "critic"},
        failed=True, error="ValueError: too short",
    ),
]


def rows(markup: str) -> list[str]:
    return ROW.split(markup)[1:]


def test_one_row_per_span_in_reading_order_indented_by_depth():
    html = timeline_html(TRACE)
    found = rows(html)
    assert len(found) == 6
    labels = ["workflow.run review", "superstep 1", "executor.process writer", "message.send str", "superstep 2", "executor.process critic"]
    for row, label, depth in zip(found, labels, [0, 1, 2, 3, 1, 2]):
        assert f"padding-left:{depth * 14}px" in row
        assert label in row


def test_bars_sit_on_one_time_axis_and_durations_are_written():
    found = rows(timeline_html(TRACE))
    assert "left:0.000%;width:max(100.000%,2px)" in found[0]  # the run spans the whole axis
    assert "left:50.000%;width:max(50.000%,2px)" in found[4]  # the second step: its second half
    assert "10.00 ms" in found[0] and "2.00 ms" in found[2]
    axis = timeline_html(TRACE).split(ROW.pattern[:10])[0]
    assert "0.00 ms" in axis and "5.00 ms" in axis and "10.00 ms" in axis


def test_a_failed_span_is_red_and_says_what_failed():
    failed = rows(timeline_html(TRACE))[5]
    assert "#dc2626" in failed
    assert "✗ ValueError: too short" in failed


def test_messages_can_be_left_out():
    assert len(rows(timeline_html(TRACE, show_messages=False))) == 5


def test_a_long_trace_draws_its_first_rows_and_counts_the_rest():
    html = timeline_html(TRACE, max_rows=2)
    assert len(rows(html)) == 2
    assert "… and 4 more spans, not drawn." in html


def test_no_spans_says_how_to_get_some():
    assert "setup_observability()" in timeline_html([])


def test_text_from_the_run_is_shown_never_run_as_html():
    evil = '<img src=x onerror="alert(1)">'
    trace = [
        record(evil, "a", None, 0, 10, attributes={"workflow.id": evil}),
        record("executor.process", "b", "a", 0, 10, attributes={"executor.id": evil}, failed=True, error=f"<script>{evil}"),
    ]
    html = timeline_html(trace)
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;script&gt;" in html
    # Hover text too: a quote must not close the title attribute.
    assert 'onerror="alert' not in html


def test_a_real_runs_executor_ids_and_error_messages_are_escaped(seed_spans):
    class Evil(Executor):
        @handler
        async def go(self, text: str, ctx: WorkflowContext[Any, str]) -> None:
            raise ValueError("<script>alert('x')</script>")

    workflow = WorkflowBuilder(name="<b>bold</b>").set_start_executor(Evil(id="<i>evil</i>")).build()
    with pytest.raises(WorkflowFailedError):
        run(workflow.run("x"))
    html = SpanTimeline(span_records(seed_spans)).static_html()
    assert "<script" not in html and "<i>" not in html and "<b>" not in html
    assert "&lt;i&gt;evil&lt;/i&gt;" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_the_widget_switch_hides_and_shows_messages(seed_spans):
    run(two_steps().run("hello"))
    timeline = SpanTimeline(span_records(seed_spans))
    assert "6 spans over" in timeline.header.value
    assert len(rows(timeline.view.value)) == 6
    assert ">message.send str<" in timeline.view.value
    timeline.messages.value = False
    assert len(rows(timeline.view.value)) == 5
    assert ">message.send str<" not in timeline.view.value


def test_span_timeline_draws_the_latest_run_that_setup_kept(seed_spans):
    clear_kept_spans()
    run(two_steps(name="first").run("hello"))
    run(two_steps(name="second").run("hello"))
    timeline = span_timeline()
    assert len(timeline.records) == 6
    assert {r.attributes.get("workflow.id") for r in timeline.records} == {None, "second"}
    assert len(span_timeline(latest=False).records) == 12
    assert len(span_timeline(seed_spans).records) == 6  # an exporter given: its latest trace


def test_span_tree_puts_children_after_their_parent_earliest_first_and_orphans_on_top():
    shuffled = [TRACE[4], TRACE[2], TRACE[0], TRACE[5], TRACE[1], TRACE[3]]
    assert [r.span_id for _, r in span_tree(shuffled)] == ["a", "b", "c", "d", "e", "f"]
    orphan = record("executor.process", "z", "missing", 0, 1)
    assert span_tree([orphan]) == [(0, orphan)]


def test_latest_trace_keeps_the_trace_whose_first_span_started_last():
    old = record("workflow.run", "o", None, 0, 5)
    new = SpanRecord("workflow.run", "n", "u" * 32, None, 10, 20)
    child = SpanRecord("executor.process", "m", "u" * 32, "n", 11, 12)
    assert latest_trace([old, new, child]) == [new, child]


def test_the_text_tree_reads_like_the_timeline():
    assert span_tree_text(TRACE[:3]) == (
        "workflow.run  10.00 ms\n  workflow.superstep  4.00 ms\n    executor.process  2.00 ms"
    )
    assert span_tree_text([TRACE[5]]).endswith("FAILED: ValueError: too short")
