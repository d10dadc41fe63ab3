"""`trace(run)`: what a run did, step by step, for checks on behaviour.

An exercise that checks only a return value cannot tell a workflow that reviews a draft before
publishing it from one that publishes first and reviews afterwards: both end with the same
output. A `RunTrace` reads the run's events and answers the questions such a check asks:

    >>> result = await workflow.run("a draft")                         # doctest: +SKIP
    >>> story = trace(result)                                           # doctest: +SKIP
    >>> story.supersteps                                                # doctest: +SKIP
    [['writer'], ['reviewer'], ['publisher']]
    >>> story.ran_before("reviewer", "publisher")                       # doctest: +SKIP
    True
    >>> story.expect_before("reviewer", "publisher")                    # doctest: +SKIP

`expect_ran`, `expect_not_ran`, `expect_runs`, `expect_before` and `expect_side_by_side` fail
with a sentence about what the run did instead ("your run ran publisher in superstep 2, before
reviewer, which ran in superstep 3"), which is what an exercise's hint should say.

A trace holds the workflow's own executors; a sub-workflow's inner executors, which reach the
events with ids such as ``review/gate``, are counted in `counts` but not listed in `supersteps`,
where the sub-workflow is one executor.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Union

from ..core.events import WorkflowEvent
from ..core.run import WorkflowRunResult

INPUT = "__input__"  # the source the engine names for the message a run starts with


@dataclass(frozen=True)
class CrossedMessage:
    """One message delivered along an edge, in superstep `superstep`.

    `source` is ``"__input__"`` for the message the run was started with.
    """

    source: str
    target: str
    superstep: int
    message: Any


@dataclass
class AskedRequest:
    """A question an executor asked a person, and the answer, once it was given."""

    request_id: str
    executor_id: str
    question: Any
    superstep: int
    answered: bool = False
    answer: Any = None


@dataclass
class TracedStep:
    """One superstep: its number and the executors that ran in it, in the order they started."""

    number: int
    ran: list[str] = field(default_factory=list)
    failed: bool = False


TraceSource = Union[WorkflowRunResult, Iterable[WorkflowEvent], Any]


class RunTrace:
    """What a run did: which executors ran in each superstep, what crossed each edge, what was
    asked and answered, what came out. Build one with `trace`."""

    def __init__(self, events: Iterable[WorkflowEvent]) -> None:
        self.steps: list[TracedStep] = []
        self.counts: Counter[str] = Counter()
        self.messages: list[CrossedMessage] = []
        self.requests: list[AskedRequest] = []
        self.outputs: list[Any] = []
        current: TracedStep | None = None
        by_id: dict[str, AskedRequest] = {}
        for event in events:
            match event.type:
                case "superstep_started":
                    current = TracedStep(event.iteration)
                    self.steps.append(current)
                case "superstep_completed":
                    current = None
                case "failed" if current is not None:
                    current.failed = True
                case "executor_invoked":
                    self.counts[event.executor_id] += 1
                    if current is None or "/" in event.executor_id:
                        continue  # a sub-workflow's inner executor: its parent is the step's executor
                    if event.executor_id not in current.ran:
                        current.ran.append(event.executor_id)
                    if event.request_id in by_id:
                        by_id[event.request_id].answered = True
                        by_id[event.request_id].answer = event.data
                    for source in event.source_executor_ids or (INPUT,):
                        self.messages.append(CrossedMessage(source, event.executor_id, current.number, event.data))
                case "request_info" if event.request_id not in by_id:
                    asked = AskedRequest(
                        event.request_id, event.source_executor_id, event.data, current.number if current else 0
                    )
                    by_id[event.request_id] = asked
                    self.requests.append(asked)
                case "output":
                    self.outputs.append(event.data)

    @property
    def supersteps(self) -> list[list[str]]:
        """The executor ids that ran in each superstep, in order: ``[['writer'], ['reviewer']]``."""
        return [list(step.ran) for step in self.steps]

    def superstep_of(self, executor_id: str) -> int | None:
        """The number of the first superstep in which `executor_id` ran; None if it never ran."""
        return next((step.number for step in self.steps if executor_id in step.ran), None)

    def ran_before(self, first: str, then: str) -> bool:
        """True if `first` ran in an earlier superstep than `then` first ran (both must have run)."""
        a, b = self.superstep_of(first), self.superstep_of(then)
        return a is not None and b is not None and a < b

    def messages_between(self, source: str, target: str) -> list[Any]:
        """The messages that crossed the edge from `source` to `target`, in order."""
        return [m.message for m in self.messages if m.source == source and m.target == target]

    def story(self, separator: str = "\n") -> str:
        """The run in one line per superstep: ``superstep 1: writer``; ``separator="; "`` puts it
        on one line, for a hint."""
        lines = [f"superstep {step.number}: {', '.join(step.ran) or 'nothing ran'}" for step in self.steps]
        return separator.join(lines) or "the run took no superstep"

    def expect_ran(self, executor_id: str) -> None:
        """Fail, saying what ran instead, unless `executor_id` ran at least once."""
        if self.superstep_of(executor_id) is None:
            ran = sorted({eid for step in self.steps for eid in step.ran})
            raise AssertionError(f"{executor_id} never ran; your run ran {_names(ran)}")

    def expect_before(self, first: str, then: str) -> None:
        """Fail, saying what the run did instead, unless `first` ran in a superstep before `then`."""
        self.expect_ran(first)
        self.expect_ran(then)
        a, b = self.superstep_of(first), self.superstep_of(then)
        if a == b:
            raise AssertionError(f"your run ran {first} and {then} together, in superstep {a}; {first} must come first")
        if not self.ran_before(first, then):
            raise AssertionError(
                f"your run ran {then} in superstep {b}, before {first}, which ran in superstep {a}"
            )

    def expect_not_ran(self, executor_id: str) -> None:
        """Fail, saying when it ran, if `executor_id` ran at all."""
        step = self.superstep_of(executor_id)
        if step is not None:
            raise AssertionError(f"your run ran {executor_id} in superstep {step}; it should not have run")

    def expect_runs(self, executor_id: str, times: int) -> None:
        """Fail, saying how often it ran and in which supersteps, unless `executor_id` ran `times` times."""
        count = sum(executor_id in step.ran for step in self.steps)
        if count == 0 and times:
            raise AssertionError(f"{executor_id} never ran; it should run {_times(times)}")
        if count != times:
            steps = [step.number for step in self.steps if executor_id in step.ran]
            where = f" (supersteps {', '.join(map(str, steps))})" if steps else ""
            raise AssertionError(f"your run ran {executor_id} {_times(count)}{where}, not {_times(times)}")

    def expect_side_by_side(self, *executor_ids: str) -> None:
        """Fail, saying where each ran, unless all of `executor_ids` ran in one and the same superstep."""
        for executor_id in executor_ids:
            self.expect_ran(executor_id)
        steps = {executor_id: self.superstep_of(executor_id) for executor_id in executor_ids}
        if len(set(steps.values())) > 1:
            where = ", ".join(f"{executor_id} in superstep {step}" for executor_id, step in steps.items())
            raise AssertionError(f"your run ran {where}: one after another, not side by side in one superstep")

    def __repr__(self) -> str:
        return f"RunTrace({self.supersteps}, outputs={len(self.outputs)}, requests={len(self.requests)})"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _names(ids: list[str]) -> str:
    return ", ".join(ids) if ids else "nothing"


def trace(*runs: TraceSource) -> RunTrace:
    """The `RunTrace` of a run: give its result, its events, or a notebook run (`wfkit.notebook.run`).

    A run continued with answers (``send_responses``) gives a second result: pass both, in
    order, and the trace reads them as one run: ``trace(first, after_answer)``.
    """
    if not runs:
        raise TypeError("trace() needs a run: its result, its events, or a notebook run")
    events: list[WorkflowEvent] = []
    for run in runs:
        found = getattr(run, "events", run)  # a NotebookRun keeps its events in .events
        items = list(found) if isinstance(found, Iterable) else None
        if items is None or not all(isinstance(item, WorkflowEvent) for item in items):
            raise TypeError(
                f"trace() takes a run's result, its events or a notebook run, not {type(run).__name__}: "
                "pass what `await workflow.run(...)` returned"
            )
        events.extend(items)
    return RunTrace(events)
