"""The event log writes a team's own events as sentences, not as the objects they carry."""

from __future__ import annotations

from tests.conftest import run
from tests.orchestrations.test_magentic import TASK, late_2025, today
from tests.orchestrations.test_support_desk_team import support_desk
from wfkit import AgentResponse, Message, Role
from wfkit.core.events import WorkflowEvent
from wfkit.orchestrations.handoff_requests import HandoffSentEvent
from wfkit.widgets.event_log import KINDS, describe_event


def team_lines(events) -> list[str]:
    return [line for kind, line in map(describe_event, events) if kind == "team"]


def test_a_group_chat_says_who_was_asked_and_why():
    events = list(run(support_desk().run("I was charged twice for order 5521, please refund one charge")))
    lines = team_lines(events)
    assert lines[0].startswith("billing asked to speak (round 1): ") and "'refund'" in lines[0]
    assert lines[1] == "billing has spoken (round 1)"
    assert not [line for kind, line in map(describe_event, events) if kind == "other"]


def test_a_handoff_says_who_handed_to_whom():
    event = WorkflowEvent("handoff_sent", data=HandoffSentEvent(source="triage", target="billing"))
    assert describe_event(event) == ("team", "triage handed the conversation to billing")


def test_a_magentic_run_reads_as_plan_progress_and_choices_without_escapes():
    lines = team_lines(run(today().build().run(TASK)))
    assert lines[0].startswith("the manager made a plan: We are working on this task: Compare")
    assert "\\n" not in " ".join(lines)
    assert any(line.startswith("progress: not done yet; next Researcher: Researcher, please gather") for line in lines)
    assert lines[-1].startswith("progress: the task is done")


def test_the_previews_magentic_events_read_as_sentences_too():
    lines = team_lines(run(late_2025().build().run(TASK)))
    assert lines[0].startswith("manager, the task: Compare") and lines[1].startswith("manager, the plan:")
    assert any(line.startswith("researcher answered: Here is what I gathered:") for line in lines)
    assert lines[-1].startswith("final answer: Here is the team's answer")


def test_team_is_a_kind_the_log_can_filter_on():
    assert "team" in KINDS
    unknown = WorkflowEvent("group_chat", data=AgentResponse([Message(Role.ASSISTANT, ["x"])]))
    assert describe_event(unknown)[0] == "other"  # a group_chat event this log does not know stays whole
