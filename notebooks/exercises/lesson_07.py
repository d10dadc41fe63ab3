"""Lesson 7 exercise: compose two given parts with `add_workflow` and wire them.

The learner writes ``compose(first, second) -> Workflow``: `first` is `trim_part()` (squeezes
runs of spaces), `second` is `stamp_part()` (prefixes the length). Composed in the right order,
``"  hello    world "`` gives ``"[11 chars] hello world"``. `check` builds the learner's workflow
from fresh parts and runs it on a few inputs.
"""

from __future__ import annotations

from typing import Any, Callable

from wfkit import Executor, Never, Workflow, WorkflowBuilder, WorkflowContext, handler
from wfkit.teach import CheckResult, Exercise, report

exercise = Exercise.for_module(__name__, __file__)


class Trim(Executor):
    @handler
    async def trim(self, text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(" ".join(text.split()))


class Emit(Executor):
    @handler
    async def emit(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)


class Stamp(Executor):
    @handler
    async def stamp(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"[{len(text)} chars] {text}")


def trim_part() -> WorkflowBuilder:
    """trim -> emit: yields the text with runs of whitespace squeezed to one space."""
    trim = Trim("trim")
    return WorkflowBuilder(name="trim", start_executor=trim).add_edge(trim, Emit("emit"))


def stamp_part() -> WorkflowBuilder:
    """stamp: yields the text prefixed with its length."""
    return WorkflowBuilder(name="stamp", start_executor=Stamp("stamp"))


CASES = [("  hello    world ", "[11 chars] hello world"), ("a   b", "[3 chars] a b")]


@exercise.checker
async def check(candidate: Callable[[WorkflowBuilder, WorkflowBuilder], Any]) -> CheckResult:
    """Build the learner's composition from fresh parts and run it on each input."""
    try:
        workflow = candidate(trim_part(), stamp_part())
    except Exception as error:
        return report(False, f"compose(...) raised {type(error).__name__}: {error}")
    if not isinstance(workflow, Workflow):
        return report(False, f"compose(...) should return the built Workflow (call .build()), got {type(workflow).__name__}.")
    if not any("/" in executor_id for executor_id in workflow.executors):
        return report(False, f"Use add_workflow(..., prefix=...) for both parts; the executors are {sorted(workflow.executors)}.")
    for text, expected in CASES:
        result = await workflow.run(text)
        outputs = result.get_outputs()
        if outputs != [expected]:
            hint = ""
            if len(outputs) > 1:
                hint = " More than one output: is the first part's exit wired on to the second part's start?"
            elif outputs and outputs[0].startswith(f"[{len(text)} chars]"):
                hint = " The length was measured before trimming: trim first, then stamp."
            elif outputs == [" ".join(text.split())]:
                hint = " Only the first part ran: add an edge from its exit (handle.outputs[0]) to the second part's start."
            return report(False, f"Input {text!r} gave {outputs}, expected [{expected!r}].{hint}")
    return report(True, "Trim, then stamp: the first part's exit now feeds the second part's start.")


reveal = exercise.reveal  # shows the reference solution, once the check has run
