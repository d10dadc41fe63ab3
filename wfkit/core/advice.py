"""What the engine says when a message goes nowhere or a run goes on too long.

Each function writes one warning or failure in full: what happened, where, and what to change.
They live here, beside each other, so that `engine.py` reads as the loop it is: the engine
calls one of them at the moment it notices, and emits the sentence it gets back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .events import WorkflowErrorDetails
from .state import RunState
from .step import Sent

if TYPE_CHECKING:
    from .edges import EdgeGroup
    from .workflow import Workflow


def refused(workflow: Workflow, group: EdgeGroup, sent: Sent, target_id: str) -> str:
    """Why a value an edge group's condition chose a target for was dropped: the target does not take its type."""
    kind = type(sent.payload).__name__
    return (
        f"A {kind} sent by '{sent.source_id}' was dropped: its {group.kind} edge group chose '{target_id}', "
        f"but '{target_id}' accepts {workflow.executors[target_id].describe_inputs()}. Add a handler "
        f"for {kind} to '{target_id}', or make the condition choose a target that accepts it."
    )


def too_many_supersteps(steps: int, state: RunState) -> WorkflowErrorDetails:
    """Why a run stopped at its bound of supersteps, and how to raise the bound or end the loop."""
    return WorkflowErrorDetails(
        "MaxIterationsExceeded",
        f"The run stopped after {steps} supersteps with messages still waiting for "
        f"{sorted({m.target_id for m in state.messages})}. If the loop is meant to run longer, raise the "
        f"bound: WorkflowBuilder(max_iterations={steps * 2}); if not, check the condition that should end it.",
    )


def undeliverable(workflow: Workflow, sent: Sent) -> str:
    """Why a sent value reached no executor: no edges, only a fallback route, or targets of
    other types; and what to change."""
    kind, source_id = type(sent.payload).__name__, sent.source_id
    groups = workflow.routes[source_id]
    as_result = _how_to_make_it_a_result(workflow.executors[source_id])
    if not groups:
        return (
            f"Executor '{source_id}' sent a {kind}, but it has no outgoing edges, so nobody received it. "
            f"Add an edge from '{source_id}', or {as_result}."
        )
    refused = [
        t for group in groups if group.carries(sent.payload) for t in group.candidates(sent)
        if not workflow.executors[t].can_handle(sent.payload)
    ]
    if not refused:  # the edges it could take carry only an ExecutorFailure
        routes = [t for group in groups if not group.carries(sent.payload) for t in group.targets]
        return (
            f"A {kind} sent by '{source_id}' reached no executor: the edge to "
            f"{', '.join(repr(t) for t in dict.fromkeys(routes))} is a fallback route, which carries an "
            f"ExecutorFailure when '{source_id}' fails, never what it sends. Add an edge from '{source_id}' "
            f"to the executor that should receive it, or {as_result}."
        )
    reasons = "; ".join(f"'{t}' accepts {workflow.executors[t].describe_inputs()}" for t in dict.fromkeys(refused))
    if _is_sub_workflow_node(workflow.executors[source_id]):
        # It only passes on what its child yields: "send a type it accepts" is not its choice.
        return (
            f"A {kind} the sub-workflow '{source_id}' passed on reached no executor: {reasons}. Add an "
            f"edge from '{source_id}' to an executor that accepts {kind}, or {as_result}."
        )
    return (
        f"A {kind} sent by '{source_id}' reached no executor: {reasons}. Add a handler for {kind} "
        "to the intended target, or send a type it accepts."
    )


def _is_sub_workflow_node(executor: Any) -> bool:
    # Duck-typed (a `WorkflowExecutor` has this switch): subworkflow.py imports the engine, which imports this.
    return hasattr(executor, "allow_direct_output")


def _how_to_make_it_a_result(executor: Any) -> str:
    """The advice for a value that should have been a result: a handler can yield it itself; a
    sub-workflow node cannot call ``ctx.yield_output``, but can be told to yield its child's outputs."""
    if _is_sub_workflow_node(executor):
        return (
            f"create it with WorkflowExecutor(..., id={executor.id!r}, allow_direct_output=True) if its "
            "child's outputs are results of this workflow"
        )
    return "use ctx.yield_output(...) if it is a result"
