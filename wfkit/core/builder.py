"""`WorkflowBuilder`: describe a graph step by step, then `build()` a `Workflow`.

Every method returns the builder, so a workflow reads as one fluent expression. Executors may
be given as instances, as agents (wrapped for you), or by name after `register_executor`.
`build()` checks the graph and explains anything that cannot work.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from .edges import (
    Case,
    Condition,
    Default,
    EdgeGroup,
    FanInEdgeGroup,
    FanOutEdgeGroup,
    Selection,
    SingleEdge,
    SwitchCaseEdgeGroup,
    chain_edges,
)
from .errors import WorkflowValidationError
from .executor import Executor
from .validation import validate_graph
from .workflow import Workflow

ExecutorRef = Any  # an Executor, an agent, or the name of a registered factory / added executor


class WorkflowBuilder:
    """Builds a `Workflow`.

    >>> workflow = (
    ...     WorkflowBuilder()
    ...     .add_edge(upper, exclaim)
    ...     .set_start_executor(upper)
    ...     .build()
    ... )
    """

    def __init__(self, max_iterations: int = 100, name: str | None = None, description: str | None = None):
        if not isinstance(max_iterations, int) or max_iterations < 1:
            raise ValueError(f"max_iterations must be a positive whole number, got {max_iterations!r}.")
        self.max_iterations = max_iterations
        self.name = name
        self.description = description
        self._executors: dict[str, Executor] = {}
        self._factories: dict[str, Callable[[], Any]] = {}
        self._edge_groups: list[EdgeGroup] = []
        self._start: str | None = None
        self._checkpoint_storage: Any = None

    # --- executors --------------------------------------------------------------------------

    def register_executor(self, factory: Callable[[], Executor], name: str) -> WorkflowBuilder:
        """Register a factory under `name`; use the name in edges. It is called at each `build()`,
        so every built workflow gets fresh executors."""
        if not callable(factory):
            raise TypeError(f"register_executor takes a factory function, got {factory!r}.")
        if name in self._factories or name in self._executors:
            raise WorkflowValidationError(f"The name {name!r} is already registered in this builder.")
        self._factories[name] = factory
        return self

    def register_agent(self, factory: Callable[[], Any], name: str) -> WorkflowBuilder:
        """Register an agent factory under `name`; each build wraps a fresh agent in an executor."""
        return self.register_executor(lambda: as_executor(factory(), default_id=name), name)

    def _ref(self, ref: ExecutorRef) -> str:
        """Record an executor reference and return the key edges use for it."""
        if isinstance(ref, str):
            if ref not in self._factories and ref not in self._executors:
                raise WorkflowValidationError(
                    f"No executor or registered factory is called {ref!r}. Add the executor itself, or "
                    f"register it first with .register_executor(factory, name={ref!r})."
                )
            return ref
        executor = as_executor(ref)
        existing = self._executors.get(executor.id)
        if existing is not None and existing is not executor:
            raise WorkflowValidationError(
                f"Two different executors have the id {executor.id!r} ({existing!r} and {executor!r}). "
                "Ids must be unique in a workflow: give one of them another id."
            )
        self._executors[executor.id] = executor
        return executor.id

    def add_executor(self, executor: ExecutorRef) -> WorkflowBuilder:
        """Add an executor without an edge (edges add their executors for you)."""
        self._ref(executor)
        return self

    # --- edges ------------------------------------------------------------------------------

    def add_edge(self, source: ExecutorRef, target: ExecutorRef, condition: Condition | None = None) -> WorkflowBuilder:
        """Connect `source` to `target`; with `condition(message) -> bool`, only messages for which
        it is true pass."""
        return self._add(SingleEdge([self._ref(source)], [self._ref(target)], condition=condition))

    def add_fan_out_edges(self, source: ExecutorRef, targets: Sequence[ExecutorRef]) -> WorkflowBuilder:
        """Send everything `source` sends to every target (that accepts its type)."""
        return self._add(FanOutEdgeGroup([self._ref(source)], [self._ref(t) for t in targets]))

    def add_fan_in_edges(self, sources: Sequence[ExecutorRef], target: ExecutorRef) -> WorkflowBuilder:
        """Collect one message from each source and deliver them to `target` as one ``list``."""
        return self._add(FanInEdgeGroup([self._ref(s) for s in sources], [self._ref(target)]))

    def add_switch_case_edge_group(self, source: ExecutorRef, cases: Sequence[Case | Default]) -> WorkflowBuilder:
        """Route each message to the first `Case` whose condition holds, else to the `Default`."""
        defaults = [i for i, case in enumerate(cases) if isinstance(case, Default)]
        if defaults != [len(cases) - 1]:
            raise WorkflowValidationError(
                "A switch-case group needs exactly one Default(target), as its last entry, so every "
                "message has somewhere to go."
            )
        resolved: list[Case | Default] = [
            Default(self._ref(c.target)) if isinstance(c, Default) else Case(c.condition, self._ref(c.target))
            for c in cases
        ]
        source_id = self._ref(source)
        return self._add(SwitchCaseEdgeGroup([source_id], [c.target for c in resolved], cases=resolved))

    def add_multi_selection_edge_group(
        self, source: ExecutorRef, targets: Sequence[ExecutorRef], selection_func: Selection
    ) -> WorkflowBuilder:
        """Let ``selection_func(message, target_ids) -> list[str]`` pick which targets get each message."""
        return self._add(
            FanOutEdgeGroup([self._ref(source)], [self._ref(t) for t in targets], selection=selection_func)
        )

    def add_chain(self, executors: Sequence[ExecutorRef]) -> WorkflowBuilder:
        """Connect executors one after another: a -> b -> c."""
        for group in chain_edges([self._ref(e) for e in executors]):
            self._add(group)
        return self

    def _add(self, group: EdgeGroup) -> WorkflowBuilder:
        if any(existing.id == group.id for existing in self._edge_groups):
            raise WorkflowValidationError(
                f"The edge {' , '.join(group.sources)} -> {' , '.join(group.targets)} was added twice. "
                "Remove the duplicate (a condition belongs on one edge)."
            )
        self._edge_groups.append(group)
        return self

    # --- the rest ---------------------------------------------------------------------------

    def set_start_executor(self, executor: ExecutorRef) -> WorkflowBuilder:
        """The executor that receives the message given to `Workflow.run`."""
        self._start = self._ref(executor)
        return self

    def with_checkpointing(self, checkpoint_storage: Any) -> WorkflowBuilder:
        """Save a checkpoint to `checkpoint_storage` after every superstep."""
        self._checkpoint_storage = checkpoint_storage
        return self

    def build(self) -> Workflow:
        """Check the graph and return a runnable `Workflow`."""
        executors = dict(self._executors)
        for name, factory in self._factories.items():
            made = as_executor(factory(), default_id=name)
            executors[name] = made
        renames = {name: executors[name].id for name in self._factories}
        if any(name != new_id for name, new_id in renames.items()):
            executors = {executor.id: executor for executor in executors.values()}
            groups = [g.rename(lambda key: renames.get(key, key)) for g in self._edge_groups]
            start = renames.get(self._start, self._start) if self._start else None
        else:
            groups, start = list(self._edge_groups), self._start
        validate_graph(executors, groups, start)
        assert start is not None
        return Workflow(
            executors,
            groups,
            start,
            max_iterations=self.max_iterations,
            name=self.name,
            description=self.description,
            checkpoint_storage=self._checkpoint_storage,
        )


def as_executor(obj: Any, default_id: str | None = None) -> Executor:
    """An `Executor` for `obj`: executors pass through; agents and workflows are wrapped.

    Objects that know how to become an executor provide ``_as_workflow_executor(default_id)``;
    that keeps this module free of imports from the agents package.
    """
    if isinstance(obj, Executor):
        return obj
    convert = getattr(obj, "_as_workflow_executor", None)
    if convert is not None:
        return convert(default_id)
    raise TypeError(
        f"{obj!r} is not an executor. Pass an Executor, a function decorated with @executor, an agent, "
        "or the name of a registered factory."
    )
