"""Run observers (`wfkit.core.observers`): the door through which tools outside the core watch runs.

A watch that writes down what it sees stands in for a tool here: what it records is what the
engine showed it, in order.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import run
from wfkit import Executor, RetryPolicy, WorkflowBuilder, WorkflowContext, WorkflowFailedError, handler
from wfkit.core.engine import Engine
from wfkit.core.events import WorkflowRunState
from wfkit.core.observers import RunWatch, add_run_observer, remove_run_observer, run_observers, watching
from wfkit.core.state import RunState


class Upper(Executor):
    @handler
    async def shout(self, text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text.upper())


class Reverse(Executor):
    @handler
    async def reverse(self, text: str, ctx: WorkflowContext[Any, str]) -> None:
        if text == "FAIL":
            raise ValueError("no")
        await ctx.yield_output(text[::-1])


def two_steps():
    upper, reverse = Upper(id="upper"), Reverse(id="reverse")
    return WorkflowBuilder(name="flow").set_start_executor(upper).add_edge(upper, reverse).build()


class Notes(RunWatch):
    """Writes down each moment it is shown, as text, into `log`."""

    def __init__(self, log: list[str], who: str = "") -> None:
        self.log, self.who = log, who

    async def run(self, supersteps):
        self.log.append(f"{self.who}run(")
        final = await supersteps()
        self.log.append(f"{self.who}){final.name}")
        return final

    def superstep(self, superstep, state):
        async def noted():
            self.log.append(f"{self.who}step {state.iteration + 1}(")
            failure = await superstep()
            self.log.append(f"{self.who}){'failed' if failure else ''}")
            return failure

        return noted

    def invoke(self, invoke):
        async def noted(message):
            self.log.append(f"{self.who}call {message.target_id}(")
            try:
                await invoke(message)
            finally:
                self.log.append(f"{self.who})")

        return noted

    def sent(self, source_id, payload, target_id):
        self.log.append(f"{self.who}sent {source_id}:{payload!r}->{target_id}")

    def failed(self, details):
        self.log.append(f"{self.who}failed {details.error_type}")


class Observer:
    def __init__(self, log: list[str], who: str = "", only: str | None = None) -> None:
        self.log, self.who, self.only = log, who, only

    def watch(self, workflow):
        if self.only is not None and workflow.id != self.only:
            return None
        return Notes(self.log, self.who)


@pytest.fixture
def observe():
    added: list[Observer] = []

    def add(observer: Observer) -> Observer:
        add_run_observer(observer)
        added.append(observer)
        return observer

    yield add
    for observer in added:
        remove_run_observer(observer)


def test_with_no_observer_the_engine_watches_nothing_and_calls_invoke_itself():
    assert run_observers() == []
    engine = Engine(two_steps(), RunState(), lambda event: None)
    assert engine.watch is None
    assert engine.invokers == {}  # every executor is called through `invoke` itself


def test_a_watch_sees_the_run_each_step_each_call_and_each_send_in_order(observe):
    log: list[str] = []
    observe(Observer(log))
    assert run(two_steps().run("hi")).get_outputs() == ["IH"]
    assert log == [
        "run(",
        "step 1(", "call upper(", "sent upper:'HI'->None", ")", ")",
        "step 2(", "call reverse(", ")", ")",
        ")IDLE",
    ]


def test_a_failure_is_seen_by_the_call_the_step_and_the_run(observe):
    log: list[str] = []
    observe(Observer(log))
    with pytest.raises(WorkflowFailedError):
        run(two_steps().run("fail"))
    assert log[-6:] == ["step 2(", "call reverse(", ")", ")failed", "failed ValueError", ")FAILED"]


def test_each_attempt_of_a_retried_call_is_a_call_of_its_own(observe):
    class Flaky(Executor):
        tries = 0

        @handler
        async def go(self, text: str, ctx: WorkflowContext[Any, str]) -> None:
            Flaky.tries += 1
            if Flaky.tries < 2:
                raise ConnectionError("again")
            await ctx.yield_output(text)

    log: list[str] = []
    observe(Observer(log))
    flaky = Flaky(id="flaky")
    workflow = WorkflowBuilder().set_start_executor(flaky).with_retry(flaky, RetryPolicy(backoff_seconds=0)).build()
    run(workflow.run("x"))
    assert log.count("call flaky(") == 2


def test_observers_may_pass_on_a_workflow_and_several_nest_first_added_outermost(observe):
    log: list[str] = []
    observe(Observer(log, "A:"))
    observe(Observer(log, "B:"))
    observe(Observer(log, "C:", only="another workflow"))  # says None: leaves this one alone
    run(two_steps().run("hi"))
    assert log[:4] == ["A:run(", "B:run(", "A:step 1(", "B:step 1("]
    assert log[4:7] == ["A:call upper(", "B:call upper(", "A:sent upper:'HI'->None"]
    assert not any(line.startswith("C:") for line in log)
    assert log[-2:] == ["B:)IDLE", "A:)IDLE"]


def test_adding_twice_adds_once_and_removing_stops_the_watching(observe):
    log: list[str] = []
    observer = observe(Observer(log))
    add_run_observer(observer)
    assert run_observers() == [observer]
    remove_run_observer(observer)
    remove_run_observer(observer)  # removing one that is not there is fine
    run(two_steps().run("hi"))
    assert log == []
    assert watching(two_steps()) is None


def test_the_base_watch_changes_nothing():
    watch = RunWatch()

    async def supersteps() -> WorkflowRunState:
        return WorkflowRunState.IDLE

    assert run(watch.run(supersteps)) is WorkflowRunState.IDLE
    assert watch.superstep(supersteps, RunState()) is supersteps  # type: ignore[arg-type]
    assert watch.invoke(supersteps) is supersteps  # type: ignore[arg-type]
