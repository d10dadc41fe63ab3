"""Composing workflows by inlining: one graph copied into another under a prefix.

`WorkflowBuilder.add_workflow(part, prefix="review")` copies every executor of `part` into the
builder with ids such as ``review/gateway``, and its edges with them. Without `prefix`, the
part's name is the prefix. The returned
`WorkflowHandle` names the part's entry (`start`) and exits (`outputs`: the executors that
yield results) so you can wire them with `add_edge`. An exit you wire onward sends what it
would have yielded along its new edges instead.

Compare with a sub-workflow (`WorkflowExecutor`): there the part stays one opaque node with a
run of its own; here its executors become ordinary nodes of one bigger graph.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import WorkflowValidationError

if TYPE_CHECKING:
    from .executor import Executor

SEPARATOR = "/"


@dataclass(frozen=True)
class WorkflowHandle:
    """Where an inlined workflow starts and ends, by prefixed executor id.

    ``builder.add_edge(handle.outputs[0], other.start)`` joins two parts; ``handle["gateway"]``
    is the prefixed id of the part's executor ``gateway``.
    """

    prefix: str
    start: str
    outputs: list[str]
    executor_ids: list[str] = field(default_factory=list)

    def __getitem__(self, original_id: str) -> str:
        prefixed = prefixed_id(self.prefix, original_id)
        if prefixed not in self.executor_ids:
            inner = [i.split(SEPARATOR, 1)[1] for i in self.executor_ids]
            raise KeyError(f"The part '{self.prefix}' has no executor {original_id!r}; it has {inner}.")
        return prefixed


def prefixed_id(prefix: str, executor_id: str) -> str:
    """``review`` + ``gateway`` -> ``review/gateway``."""
    return f"{prefix}{SEPARATOR}{executor_id}"


def choose_prefix(prefix: str | None, part_name: str | None, taken: Any) -> str:
    """The prefix a part is inlined under: the one given, else the part's name.

    `taken` holds the ids already in the builder; a prefix some of them start with is in use.
    """
    if prefix is None:
        if not part_name:
            raise WorkflowValidationError(
                "This part has no name to use as its prefix. Pass one: add_workflow(part, prefix=\"review\"), "
                "or name the part (WorkflowBuilder(name=\"review\"))."
            )
        prefix, source = part_name, "the part's name, the default prefix"
    else:
        source = "the prefix you gave"
    if not prefix or SEPARATOR in prefix:
        raise WorkflowValidationError(
            f"A prefix is a non-empty name without '{SEPARATOR}', got {prefix!r} ({source}). "
            "Pass another with add_workflow(part, prefix=...)."
        )
    if any(existing.startswith(prefix + SEPARATOR) for existing in taken):
        raise WorkflowValidationError(
            f"The prefix {prefix!r} ({source}) is already used in this builder: two parts cannot share "
            "it. Pass another with add_workflow(part, prefix=...)."
        )
    return prefix


def clone_executor(executor: Executor, new_id: str) -> Executor:
    """A copy of `executor` under `new_id`, sharing nothing mutable with the original when it
    can be deep-copied (so the source workflow is never changed by a composition)."""
    try:
        clone = copy.deepcopy(executor)
    except Exception:  # holds something that cannot be copied (a network client, say): share it
        clone = copy.copy(executor)
    clone.id = new_id
    return clone
