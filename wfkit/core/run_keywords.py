"""Run keywords: what ``workflow.run(..., function_invocation_kwargs=..., client_kwargs=...)``
hands on to the agents inside the workflow.

An agent's own ``run`` takes two sets of keywords: ``function_invocation_kwargs`` reach the
tools that take ``**kwargs`` (a user's token, say) and never the model, and ``client_kwargs``
go to the chat client with each request (``{"store": False}``). A workflow run takes the same
two, and every agent executor hands them to its agent when it runs it. Each is given in one
of three shapes::

    workflow.run(task, function_invocation_kwargs={"user_token": token})        # every agent
    workflow.run(task, function_invocation_kwargs={"researcher": {...},          # one each, by
                                                   "writer": {...}})             # executor id
    workflow.run(task, function_invocation_kwargs=WorkflowInvocationKwargs(      # both
        global_kwargs={"user_token": token}, executor_kwargs={"writer": {...}}))

A plain mapping is read as "one each" when one of its keys is the id of an executor of the
workflow, or of a sub-workflow inside it. Then every key must be one: a misspelt id would
otherwise leave an agent without its keywords and nobody would notice. Keys that name no
executor at all are keywords for every agent.

The core only carries them. The run resolves what it was given into one
`WorkflowInvocationKwargs` per keyword (`resolve_run_kwargs`) and keeps them in its `RunState`,
so they are saved with its checkpoints, as data, like shared state. A handler reads them as
``ctx.run_kwargs``; the agent executor (in `wfkit.agents`) picks out its own with
`WorkflowInvocationKwargs.for_executor`.

How long they last, as in Agent Framework 1.x: a run started with a message has only what that
call gave (nothing, if it gave none); answering a run (``run(responses=...)``) or continuing it
from a checkpoint keeps the keywords it had, unless the call gives new ones, which then
replace them all. A sub-workflow's runs get their parent's (`for_sub_workflow`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from ..errors import RunKeywordsError

if TYPE_CHECKING:
    from .workflow import Workflow

@dataclass(frozen=True)
class WorkflowInvocationKwargs:
    """Keywords for the agents of a workflow run: `global_kwargs` for every agent, and
    `executor_kwargs` for one agent each, by executor id. An agent's own win over the global
    ones when both give the same keyword::

        WorkflowInvocationKwargs(global_kwargs={"user_token": token},
                                 executor_kwargs={"writer": {"style": "short"}})
    """

    global_kwargs: Mapping[str, Any] = field(default_factory=dict)
    executor_kwargs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def for_executor(self, executor_id: str) -> dict[str, Any]:
        """The keywords the agent of executor `executor_id` gets: the global ones, then its own."""
        return {**self.global_kwargs, **self.executor_kwargs.get(executor_id, {})}

    def for_sub_workflow(self, executor_id: str) -> WorkflowInvocationKwargs:
        """What the runs of the sub-workflow that executor `executor_id` runs get.

        Every agent inside gets the global keywords plus those given to `executor_id` itself (one
        entry for the whole sub-workflow); an entry naming one of them by its own id reaches it,
        as in the parent (an id used both in the parent and inside names both).
        """
        return WorkflowInvocationKwargs(self.for_executor(executor_id), self.executor_kwargs)


def resolve_run_kwargs(workflow: Workflow, given: Mapping[str, Any]) -> dict[str, WorkflowInvocationKwargs]:
    """The run keywords in `given` (``{"client_kwargs": ..., ...}``, None where not given),
    each read as one of the three shapes; refuses an executor id `workflow` does not have."""
    resolved: dict[str, WorkflowInvocationKwargs] = {}
    for name, value in given.items():
        if value is not None:
            resolved[name] = _resolved(workflow, name, value)
    return resolved


def _resolved(workflow: Workflow, name: str, value: Any) -> WorkflowInvocationKwargs:
    ids = executor_ids_within(workflow)
    if isinstance(value, WorkflowInvocationKwargs):
        global_kwargs, per_executor = _mapping(name, "global_kwargs", value.global_kwargs), value.executor_kwargs
    elif isinstance(value, Mapping):
        if not any(key in ids for key in value):
            return WorkflowInvocationKwargs(global_kwargs=dict(value))
        global_kwargs, per_executor = {}, value
    else:
        raise RunKeywordsError(
            f"{name}= takes a dict of keywords (for every agent), a dict of such dicts by executor id, or "
            f"WorkflowInvocationKwargs(...); got {type(value).__name__}: {value!r}."
        )
    unknown = [key for key in _mapping(name, "executor_kwargs", per_executor) if key not in ids]
    if unknown:
        raise RunKeywordsError(
            f"{name}= gives keywords to {', '.join(map(repr, unknown))}, but the workflow has no executor with "
            f"that id. Its executors (sub-workflows' included) are: {', '.join(map(repr, sorted(ids)))}. A dict "
            "whose keys name executors gives keywords to one agent each; for keywords every agent gets as well, "
            f"pass {name}=WorkflowInvocationKwargs(global_kwargs={{...}}, executor_kwargs={{...}})."
        )
    return WorkflowInvocationKwargs(
        global_kwargs=dict(global_kwargs),
        executor_kwargs={eid: dict(_mapping(name, repr(eid), kw)) for eid, kw in per_executor.items()},
    )


def _mapping(name: str, part: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RunKeywordsError(
            f"{name}=: the keywords for {part} must be a dict (keyword -> value), got {type(value).__name__}: "
            f"{value!r}."
        )
    return value


def executor_ids_within(workflow: Workflow) -> set[str]:
    """The ids of `workflow`'s executors and of every executor of a sub-workflow inside it."""
    from .subworkflow import WorkflowExecutor  # subworkflow.py imports this module

    ids = set(workflow.executors)
    for executor in workflow.executors.values():
        if isinstance(executor, WorkflowExecutor):
            ids |= executor_ids_within(executor.workflow)
    return ids
