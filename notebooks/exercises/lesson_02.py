"""Lesson 2 exercise: the response handler of an executor that asks a yes/no question.

The learner writes an `Executor` class whose `ask` handler (given) asks "Place the order for
...?" with ``ctx.request_info(..., response_type=bool)``; their `@response_handler` must yield
``"ordered <item>"`` for yes and ``"cancelled <item>"`` for no. `await check(...)` really runs it: one
workflow per answer, paused, then answered with `run(responses=...)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wfkit import Executor, WorkflowBuilder
from wfkit.teach import CheckResult, Exercise, report

exercise = Exercise.for_module(__name__, __file__)


@dataclass
class ConfirmOrder:
    """The question the order desk asks a person: yes (True) or no (False)?"""

    item: str
    question: str


CASES = [("tea", True, "ordered tea"), ("cake", False, "cancelled cake")]


async def _run_case(executor_class: type, item: str, answer: bool) -> tuple[list[Any], str]:
    workflow = WorkflowBuilder(start_executor=executor_class("desk")).build()
    first = await workflow.run(item)
    asks = first.get_request_info_events()
    if len(asks) != 1:
        return [], f"for {item!r} the desk should ask exactly one question, it asked {len(asks)}"
    if not isinstance(asks[0].data, ConfirmOrder):
        return [], f"the question should be a ConfirmOrder, got {type(asks[0].data).__name__}"
    second = await workflow.run(responses={asks[0].request_id: answer})
    failed = [e for e in second if e.type == "failed"]
    if failed:
        return [], f"answering {answer} made the run fail: {getattr(failed[0], 'details', failed[0])}"
    return second.get_outputs(), ""


@exercise.checker
async def check(candidate: Any) -> CheckResult:
    """Run the order desk `candidate` (an Executor class) with a yes and a no answer."""
    if not (isinstance(candidate, type) and issubclass(candidate, Executor)):
        return report(False, f"Pass your Executor class itself (e.g. OrderDesk), got {candidate!r}.")
    for item, answer, expected in CASES:
        try:
            outputs, problem = await _run_case(candidate, item, answer)
        except Exception as error:
            return report(False, f"Running it with answer {answer} raised {type(error).__name__}: {error}")
        if problem:
            return report(False, f"With answer {answer}: {problem}.")
        if outputs != [expected]:
            hint = (
                " Nothing was yielded: does your @response_handler call ctx.yield_output, and does its context "
                "declare WorkflowContext[Never, str]?"
                if not outputs
                else " Look at the `answer` argument: True means yes, False means no."
            )
            return report(False, f"Ordering {item!r} and answering {answer} gave {outputs}, expected [{expected!r}].{hint}")
    return report(True, "Yes orders, no cancels: your response handler gets the original request and the answer.")


reveal = exercise.reveal  # shows the reference solution, once the check has run
