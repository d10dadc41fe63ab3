"""Every event says what kind it is in one word, `event.type`, with Agent Framework 1.x's names
where Agent Framework has the same event, so code that reads a run can `match` on it."""

from __future__ import annotations

import inspect
import pytest

from tests.conftest import run
from wfkit import WorkflowBuilder, WorkflowContext, executor
from wfkit.agents.events import AgentRunEvent, AgentRunUpdateEvent
from wfkit.core import events
from wfkit.core.events import WorkflowEvent
from wfkit.core.subworkflow import SubWorkflowRequestInfoEvent

# The events both frameworks have, with the name Agent Framework 1.x gives each.
AGENT_FRAMEWORK_NAMES = {
    "WorkflowStartedEvent": "started",
    "WorkflowStatusEvent": "status",
    "WorkflowFailedEvent": "failed",
    "WorkflowOutputEvent": "output",
    "WorkflowWarningEvent": "warning",
    "RequestInfoEvent": "request_info",
    "SuperStepStartedEvent": "superstep_started",
    "SuperStepCompletedEvent": "superstep_completed",
    "ExecutorInvokedEvent": "executor_invoked",
    "ExecutorCompletedEvent": "executor_completed",
    "ExecutorFailedEvent": "executor_failed",
}

# The bases no run emits as they are: they are only there to be extended.
BASES = {"WorkflowEvent", "ExecutorEvent", "_ExecutorLifecycleEvent", "_SuperStepEvent", "_YieldedEvent"}


def event_classes() -> dict[str, type[WorkflowEvent]]:
    return {
        name: cls
        for name, cls in inspect.getmembers(events, inspect.isclass)
        if issubclass(cls, WorkflowEvent) and cls.__module__ == events.__name__
    }


def test_the_events_agent_framework_also_has_carry_its_type_names():
    classes = event_classes()
    assert {name: classes[name].type for name in AGENT_FRAMEWORK_NAMES} == AGENT_FRAMEWORK_NAMES


def test_every_event_a_run_can_emit_has_a_type_of_its_own_in_snake_case():
    emitted = {name: cls.type for name, cls in event_classes().items() if name not in BASES}
    emitted |= {"AgentRunUpdateEvent": AgentRunUpdateEvent.type, "AgentRunEvent": AgentRunEvent.type}
    assert len(set(emitted.values())) == len(emitted), "two event classes share a type"
    assert all(name.isidentifier() and name == name.lower() for name in emitted.values())
    assert emitted["ExecutorRetryEvent"] == "executor_retry"
    assert emitted["ExecutorFallbackEvent"] == "executor_fallback"


def test_your_own_event_reads_custom_unless_it_names_a_type_and_a_subclass_keeps_its_parents():
    class Noted(WorkflowEvent):
        pass

    class DraftReady(WorkflowEvent):
        type = "draft_ready"

    assert (Noted().type, DraftReady().type) == ("custom", "draft_ready")
    assert SubWorkflowRequestInfoEvent.type == "request_info"


def test_a_run_can_be_read_by_type_alone():
    @executor(id="shout")
    async def shout(text: str, ctx: WorkflowContext[str, str]) -> None:
        await ctx.yield_output(text.upper())

    result = run(WorkflowBuilder().set_start_executor(shout).build().run("hi"))
    kinds = [event.type for event in result]
    assert kinds[0] == "started" and kinds[-1] == "status"
    assert kinds.index("executor_invoked") < kinds.index("output") < kinds.index("executor_completed")


def test_an_event_made_with_a_type_reads_that_type_in_both_spellings_of_today():
    by_position = WorkflowEvent("draft_ready", data="the draft")
    by_name = WorkflowEvent(type="draft_ready", data="the draft")
    assert (by_position.type, by_position.data) == ("draft_ready", "the draft")
    assert by_position == by_name
    assert by_position != WorkflowEvent("other", data="the draft")


def test_one_value_without_data_is_the_data_as_in_the_seed_era():
    event = WorkflowEvent("the draft")
    assert (event.type, event.data) == ("custom", "the draft")


def test_a_type_given_twice_is_refused_by_name():
    with pytest.raises(TypeError, match="given its type twice"):
        WorkflowEvent("a", data=1, type="b")


def test_a_subclass_of_today_made_with_a_type_travels_through_a_run():
    class DatabaseEvent(WorkflowEvent):
        pass

    @executor(id="saver")
    async def saver(text: str, ctx: WorkflowContext) -> None:
        await ctx.add_event(DatabaseEvent(type="database_event", data=f"saved {text}"))

    workflow = WorkflowBuilder(start_executor=saver).build()
    events = run(workflow.run("email 7"))
    custom = [event for event in events if isinstance(event, DatabaseEvent)]
    assert [(event.type, event.data) for event in custom] == [("database_event", "saved email 7")]


def test_an_event_class_can_be_subscripted_in_annotations_as_in_agent_framework():
    alias = WorkflowEvent[str]
    assert alias.__origin__ is WorkflowEvent and alias.__args__ == (str,)
