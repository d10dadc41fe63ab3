"""One count of events, one meaning: the log's header and the result say the same number, the
number of events the run had (``len(result.events)``), however many lines the log shows."""

from __future__ import annotations

import re

import wfkit.notebook as notebook
from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
from tests.widgets.test_event_log_once import agent_workflow
from wfkit.notebook import NotebookRun


def counts(result: NotebookRun) -> tuple[int, int, int]:
    """(events in the record, the header's count, the result's count)."""
    header = re.search(r"<b>Events</b>: ([\d,]+)", result.view.event_log.header.value)
    said = re.search(r"(\d+) events", repr(result))
    return len(result.events), int(header.group(1).replace(",", "")), int(said.group(1))


def test_a_run_with_answers_counts_its_events_alike_in_the_header_and_the_result():
    result = run(notebook.run(release_notes_workflow(), "Launch", ["Mention the price", "approve"], show=False))
    recorded, header, said = counts(result)
    assert recorded == header == said
    answers = [line for line in result.view.event_log.lines if line.kind == "answer"]
    assert len(answers) == 2  # the answers have lines of their own, and are not counted as events


def test_an_answer_streamed_in_pieces_counts_every_piece_and_says_in_how_many_lines():
    result = run(notebook.run(agent_workflow(), "Write it", show=False))
    recorded, header, said = counts(result)
    assert recorded == header == said
    lines = len(result.view.event_log.lines)
    assert lines < recorded  # the pieces share the answer's line
    assert f"in {lines} lines" in result.view.event_log.header.value
