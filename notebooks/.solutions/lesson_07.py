"""The reference solution of lesson_07 (its check must pass it) and a known wrong answer (the
check must refuse it). Hidden from the file browser; `lesson_07.reveal()` prints the solution
once the learner has run the check."""

from __future__ import annotations

from wfkit import Workflow, WorkflowBuilder


def solution(first: WorkflowBuilder, second: WorkflowBuilder) -> Workflow:
    builder = WorkflowBuilder()
    a = builder.add_workflow(first, prefix="trim")
    b = builder.add_workflow(second, prefix="stamp")
    return builder.add_edge(a.outputs[0], b.start).set_start_executor(a.start).build()


def wrong(first: WorkflowBuilder, second: WorkflowBuilder) -> Workflow:
    """A plausible slip: the parts wired the other way round (it builds, and runs, but measures
    the text before it is trimmed)."""
    builder = WorkflowBuilder()
    a = builder.add_workflow(first, prefix="trim")
    b = builder.add_workflow(second, prefix="stamp")
    return builder.add_edge(b.start, a.start).set_start_executor(b.start).build()
