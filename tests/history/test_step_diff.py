"""`RunHistory.diff`: what differs between any two steps, of one branch or of two."""

from __future__ import annotations

import pytest

from tests.conftest import run
from tests.history.test_steps import approved_run, recorded
from tests.history.workflows import approval_workflow, loop_workflow
from wfkit import RunHistory, StepDiff
from wfkit.history.step_diff import ABSENT


def test_two_steps_of_one_branch_differ_by_what_the_steps_between_did(tmp_path):
    history, *_ = recorded(loop_workflow, 0, tmp_path)
    difference = history.diff(1, 3)
    assert isinstance(difference, StepDiff) and difference.states_known
    changes = {change.key: (change.before, change.after) for change in difference.state}
    assert changes["shared:n"] == (1, 3)
    assert difference.lines()[0] == "state shared:n: 1 -> 3"
    assert history.diff(2, 2).is_empty()
    assert history.diff(2, 2).lines() == ["main step 2 and main step 2 agree on states, waiting messages, requests and outputs"]
    last = history.steps[-1].number
    ending = history.diff(1, last)
    assert ending.outputs_only_second == ["'counted to 3'"] and ending.outputs_only_first == []


def test_the_same_step_of_two_branches_shows_how_the_fork_ended_otherwise(tmp_path):
    result, storage = approved_run(tmp_path)

    async def scenario():
        history = RunHistory.from_events(result.workflow, result.events, factory=lambda: approval_workflow(storage))
        await history.load_checkpoints()
        [request_id] = history.step(2).pending_requests
        await history.fork(2, {request_id: False})
        return history

    history = run(scenario())
    difference = history.diff(("main", 3), ("fork 1", 3))
    changes = {change.key: (change.before, change.after) for change in difference.state}
    assert changes["gate:approved"] == (True, False)
    assert difference.outputs_only_second == ["'rejected: Draft about cats'"]
    waiting = difference.messages_only_first
    assert [(m.source, m.target) for m in waiting] == [("gate", "publish")]  # main went on to publish
    page = difference._repr_html_()
    assert "<th>main step 3</th><th>fork 1 step 3</th>" in page and "gate:approved" in page

    before_the_answer = history.diff(("main", 2), ("fork 1", 3))
    assert [r.executor_id for r in before_the_answer.requests_only_first] == ["gate"]  # answered in the fork
    assert {c.key: c.before for c in before_the_answer.state}["gate:approved"] is ABSENT
    assert "state gate:approved: added, False" in before_the_answer.lines()


def test_without_checkpoints_the_states_are_said_unknown_not_unchanged(tmp_path):
    history, *_ = recorded(loop_workflow, 0, tmp_path, load=False)
    difference = history.diff(1, 3)
    assert not difference.states_known and difference.state == []
    assert "states: not compared (a step without a checkpoint records none)" in difference.lines()


def test_a_step_or_branch_that_does_not_exist_is_named(tmp_path):
    history, *_ = recorded(loop_workflow, 0, tmp_path)
    with pytest.raises(IndexError, match="The branch 'main' has no superstep 40; it has steps 1 to"):
        history.diff(1, 40)
    with pytest.raises(KeyError, match="No branch 'fork 9'; the branches are \\['main'\\]"):
        history.diff(1, ("fork 9", 1))
