"""The live view's graph and log, linked both ways: a click on a box narrows the log to that
executor and highlights the box and its arrows; a click on a log line highlights the executor
it is about and the arrow its message came along."""

from __future__ import annotations

import re

from tests.conftest import run
from tests.widgets.page_clicks import click, press
from tests.widgets.workflows import fan_in_workflow, two_questions_workflow
from wfkit.widgets import RunView
from wfkit.widgets.clickable import ClickableHTML


def streamed(workflow, message: str) -> RunView:
    view = RunView(workflow, min_redraw_interval=0)

    async def scenario():
        async for event in workflow.run_stream(message):
            view.handle(event)
        view.flush()

    run(scenario())
    return view


def shown_texts(view: RunView) -> list[str]:
    return [line.text for line in view.event_log.visible_lines()]


def serial_of(view: RunView, text: str) -> int:
    return next(line.serial for line in view.event_log.lines if line.text.startswith(text))


def test_a_click_on_a_box_shows_only_that_executors_lines_and_says_so():
    view = streamed(fan_in_workflow(), "hi")
    everything = shown_texts(view)
    click(view.graph.picture, "node:a")
    only_a = shown_texts(view)
    assert view.event_log.only_executor == "a"
    assert only_a and len(only_a) < len(everything)
    # a's own lines, and the call its message made: the join's, with a among its sources
    assert only_a == ["a ← 'hi'", "a ✓ done", "join ← ['hi', 'hi']"]
    assert view.event_log.focus.layout.display == "" and "Showing only <b>a</b>'s lines" in view.event_log.focus.text.value
    assert f"({len(only_a)} of {len(everything)})" in view.event_log.focus.text.value
    assert "data-pick" in view.event_log.view.value and "superstep 1 started" not in view.event_log.view.value


def test_the_box_clicked_and_the_arrows_its_messages_take_are_highlighted():
    view = streamed(fan_in_workflow(), "hi")
    click(view.graph.picture, "node:a")
    # a's arrow in from start, and out to the join (the join then goes on to join)
    assert view.graph.picture.marked == ["node:a", "edge:start->a", "edge:a->(join 1)"]
    # every key marked is a box or an arrow of the picture drawn
    titles = set(re.findall(r"<title>([^<]*)</title>", view.graph.picture.value.replace("&#45;&gt;", "->")))
    assert {key.split(":", 1)[1] for key in view.graph.picture.marked} <= titles


def test_show_all_and_a_second_click_on_the_box_bring_every_line_back():
    view = streamed(fan_in_workflow(), "hi")
    everything = shown_texts(view)
    click(view.graph.picture, "node:b")
    view.event_log.focus.show_all.click()
    assert shown_texts(view) == everything and view.graph.picture.marked == []
    assert view.event_log.focus.layout.display == "none"
    click(view.graph.picture, "node:b")
    click(view.graph.picture, "node:b")
    assert shown_texts(view) == everything and view.event_log.only_executor == ""


def test_a_click_on_an_arrow_or_the_start_dot_narrows_nothing():
    view = streamed(fan_in_workflow(), "hi")
    click(view.graph.picture, "edge:start->a")
    click(view.graph.picture, "node:(start)")
    assert view.event_log.only_executor == "" and view.graph.picture.marked == []


def test_a_click_on_a_log_line_highlights_its_executor_and_the_arrow_its_message_came_along():
    view = streamed(fan_in_workflow(), "hi")
    click(view.event_log.view, f"line:{serial_of(view, 'b ←')}")
    assert view.graph.picture.marked == ["node:b", "edge:start->b"]
    assert view.event_log.view.marked == [f"line:{serial_of(view, 'b ←')}"]  # the line itself, tinted
    # the join's call came from both sources, each through the join node
    click(view.event_log.view, f"line:{serial_of(view, 'join ←')}")
    assert view.graph.picture.marked == ["node:join", "edge:a->(join 1)", "edge:(join 1)->join", "edge:b->(join 1)"]


def test_a_line_about_no_executor_clears_the_highlight():
    view = streamed(two_questions_workflow(), "pricing")
    click(view.event_log.view, f"line:{serial_of(view, 'legal ←')}")
    assert view.graph.picture.marked[0] == "node:legal"
    click(view.event_log.view, f"line:{serial_of(view, 'superstep 1 started')}")
    assert view.graph.picture.marked == []


def test_a_click_on_a_line_the_log_no_longer_keeps_does_nothing():
    view = streamed(two_questions_workflow(), "pricing")
    click(view.event_log.view, "line:99999")
    click(view.event_log.view, "line:not-a-number")
    assert view.graph.picture.marked == [] and view.event_log.view.marked == []


def test_a_new_run_forgets_what_was_singled_out():
    view = streamed(two_questions_workflow(), "pricing")
    click(view.graph.picture, "node:legal")
    view.reset()
    assert view.event_log.only_executor == "" and view.graph.picture.marked == []


def test_keys_reach_python_only_when_the_widget_listens_for_them():
    heard: list[str] = []
    widget = ClickableHTML(value="<p>x</p>", hotkeys=["Enter"])
    widget.on_key(heard.append)
    press(widget, "Enter")
    press(widget, "a")
    assert heard == ["Enter"]


def test_where_widgets_cannot_run_the_picture_stays_a_picture():
    view = streamed(fan_in_workflow(), "hi")
    bundle = view.graph.picture._repr_mimebundle_()
    assert bundle["text/html"] == view.graph.picture.value and "<svg" in bundle["text/html"]
    assert "<svg" in view.static_html() and "data-pick" in view.static_html()  # the log's lines, plain HTML
