"""The checks `WorkflowBuilder.build()` runs, each failing with a message that names the fix."""

from __future__ import annotations

from .edges import EdgeGroup, FanInEdgeGroup
from ..errors import TypeCompatibilityError, WorkflowValidationError
from .executor import Executor
from .typecheck import is_compatible, type_names


def validate_graph(
    executors: dict[str, Executor],
    groups: list[EdgeGroup],
    start: str | None,
    forwarding_exits: set[str] = frozenset(),  # type: ignore[assignment]
) -> None:
    """Raise a `WorkflowValidationError` subclass for the first problem found."""
    if start is None:
        raise WorkflowValidationError(
            "No start executor. Call .set_start_executor(executor) to say which executor receives "
            "the message given to run()."
        )
    check_handlers(executors)
    check_reachable(executors, groups, start)
    for group in groups:
        check_types(executors, group, forwarding_exits)


def check_handlers(executors: dict[str, Executor]) -> None:
    for executor in executors.values():
        if not executor.handlers:
            raise WorkflowValidationError(
                f"Executor '{executor.id}' ({type(executor).__name__}) has no handlers. Decorate a method "
                "with @handler so it can receive messages."
            )


def check_reachable(executors: dict[str, Executor], groups: list[EdgeGroup], start: str) -> None:
    successors: dict[str, set[str]] = {eid: set() for eid in executors}
    for group in groups:
        for source in group.sources:
            successors[source].update(group.targets)
    seen, frontier = {start}, [start]
    while frontier:
        for target in successors[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    unreachable = sorted(set(executors) - seen)
    if unreachable:
        raise WorkflowValidationError(
            f"No path from the start executor '{start}' reaches {unreachable}. Add an edge to them, or "
            "leave them out of the builder."
        )


def check_types(executors: dict[str, Executor], group: EdgeGroup, forwarding_exits: set[str]) -> None:
    """Every edge must carry at least one type its source sends and its target accepts.

    An inlined part's exit that was wired onward sends what it yields, too.
    """
    for source_id in group.sources:
        source = executors[source_id]
        sent = source.output_types
        if group.kind == "fallback":
            from .state import ExecutorFailure

            sent = (ExecutorFailure,)
        elif source_id in forwarding_exits:
            sent = sent + source.workflow_output_types
        for target_id in group.targets:
            target = executors[target_id]
            accepted = target.input_types
            if isinstance(group, FanInEdgeGroup):
                ok = any(is_compatible(list[s], a) for s in sent for a in accepted)  # type: ignore[valid-type]
                what = f" (a fan-in delivers a list of what '{source_id}' sends)"
            else:
                ok = any(is_compatible(s, a) for s in sent for a in accepted)
                what = ""
            if ok:
                continue
            if not sent:
                raise TypeCompatibilityError(
                    f"Edge '{source_id}' -> '{target_id}': no handler of '{source_id}' declares that it "
                    "sends messages. Declare the type in its context, e.g. ctx: WorkflowContext[str], "
                    "or remove the edge."
                )
            raise TypeCompatibilityError(
                f"Edge '{source_id}' -> '{target_id}': '{source_id}' sends {type_names(sent)}, but "
                f"'{target_id}' accepts {type_names(accepted)}: nothing sent fits what it accepts{what}. Add a handler "
                f"to '{target_id}' for one of the sent types, or put an executor between them that converts."
            )


