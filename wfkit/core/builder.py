"""`WorkflowBuilder`: describe a graph step by step, then `build()` a `Workflow`.

Every method returns the builder, so a workflow reads as one fluent expression. Executors may
be given as instances, as agents (wrapped for you), or by name after `register_executor`.
`build()` checks the graph and explains anything that cannot work.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from .edges import (
    Case,
    Condition,
    Default,
    EdgeGroup,
    FallbackEdgeGroup,
    FanInEdgeGroup,
    FanOutEdgeGroup,
    LoopEdgeGroup,
    Selection,
    SingleEdge,
    SwitchCaseEdgeGroup,
    chain_edges,
)
from .composition import WorkflowHandle, choose_prefix, clone_executor, prefixed_id
from . import limits
from ..errors import WorkflowValidationError
from .executor import Executor
from .policies import Compensation, ExecutorPolicy, RetryPolicy
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

    # The class `build` makes. A pattern whose workflow offers more (the previews' Magentic
    # workflow) sets a subclass of `Workflow` here.
    workflow_class: type[Workflow] = Workflow

    def __init__(
        self,
        max_iterations: int = 100,
        name: str | None = None,
        description: str | None = None,
        *,
        start_executor: ExecutorRef | None = None,
        checkpoint_storage: Any = None,
        output_from: Sequence[ExecutorRef] | str | None = None,
        intermediate_output_from: Sequence[ExecutorRef] | str | None = None,
    ):
        """Start a builder. Agent Framework 1.x names the start executor and the checkpoint
        storage here (``WorkflowBuilder(start_executor=writer, checkpoint_storage=storage)``);
        the seed era calls `set_start_executor` and `with_checkpointing`. Both work; naming two
        different start executors is an error.

        By default every ``ctx.yield_output`` is an output of the workflow. ``output_from=[a, b]``
        (or ``"all"``) names the executors whose yields are its outputs;
        ``intermediate_output_from=[c]`` (or ``"all_other"``: every other executor that yields)
        those whose yields are steps on the way (`WorkflowIntermediateEvent`). Once either is
        given, what other executors yield is not shown.
        """
        max_iterations = limits.whole_number("max_iterations", max_iterations)
        self.max_iterations = max_iterations
        self.name = name
        self.description = description
        self._executors: dict[str, Executor] = {}
        self._factories: dict[str, Callable[[], Any]] = {}
        self._edge_groups: list[EdgeGroup] = []
        self._start: str | None = None
        self._checkpoint_storage: Any = None
        # Composition: which prefix each inlined executor lives under, which inlined executors
        # yield the part's results, and which edge groups came with an inlined part.
        self._prefixes: dict[str, str] = {}
        self._exits: set[str] = set()
        self._inlined_groups: set[str] = set()
        self._policies: dict[str, ExecutorPolicy] = {}
        self._concurrency_limits: list[tuple[list[str], int]] = []
        self._default_retry: RetryPolicy | None = None
        self._run_timeout: float | None = None
        self._start_named_at_construction = False
        self._output_from = output_from
        self._intermediate_output_from = intermediate_output_from
        if start_executor is not None:
            self.set_start_executor(start_executor)
            self._start_named_at_construction = True
        if checkpoint_storage is not None:
            self.with_checkpointing(checkpoint_storage)

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

    def add_agent(self, agent: Any, id: str | None = None, output_response: bool = False) -> WorkflowBuilder:
        """Add `agent` wrapped in an `AgentExecutor` with these settings; later edges may name
        the agent itself and mean this executor.

        `id` defaults to the agent's name. With ``output_response=True`` each of its answers is
        also a workflow output (an `AgentRunResponse`)::

            WorkflowBuilder().add_agent(writer, id="writer", output_response=True).add_edge(writer, reviewer)
        """
        # A door to wfkit.agents, imported only when an agent is added, so the core never
        # imports the agents package at module level.
        from ..agents.executor import agent_executor_for

        self._ref(agent_executor_for(agent, id=id, output_response=output_response))
        return self

    def add_executor(self, executor: ExecutorRef) -> WorkflowBuilder:
        """Add an executor without an edge (edges add their executors for you)."""
        self._ref(executor)
        return self

    # --- edges ------------------------------------------------------------------------------

    def add_edge(self, source: ExecutorRef, target: ExecutorRef, condition: Condition | None = None) -> WorkflowBuilder:
        """Connect `source` to `target`; with `condition(message) -> bool`, only messages for which
        it is true pass."""
        return self._add(SingleEdge([self._ref(source)], [self._ref(target)], condition=condition))

    def add_fan_out_edges(
        self, source: ExecutorRef, targets: Sequence[ExecutorRef], max_concurrency: int | None = None
    ) -> WorkflowBuilder:
        """Send everything `source` sends to every target (that accepts its type).

        With `max_concurrency`, at most that many of the targets run at once.
        """
        group = FanOutEdgeGroup([self._ref(source)], [self._ref(t) for t in targets])
        if max_concurrency is not None:
            self.limit_concurrency(group.targets, max_concurrency)
        return self._add(group)

    def add_fan_in_edges(
        self, sources: Sequence[ExecutorRef], target: ExecutorRef, *, min_successes: int | None = None
    ) -> WorkflowBuilder:
        """Collect one message from each source and deliver them to `target` as one ``list``.

        This is a *join*: `target` runs once every source has sent. A source that never sends
        (its handler sent nothing, a condition said no) leaves the join waiting; if the run
        ends that way, a `FanInWaitingEvent` warning names the join and the missing sources.

        By default one source failing fails the whole run. With ``min_successes=n`` the join
        may go ahead without the sources that failed for good (after their retries): such a
        failure no longer fails the run, the source counts as arrived, and once every source
        has sent or failed, `target` gets the list of the successful messages (still a
        ``list[T]``) if at least `n` succeeded, with a `FanInPartialEvent` saying who failed.
        Fewer than `n` fails the run with `FanInFailedError`::

            builder.add_fan_in_edges([ocr, layout, metadata], merge, min_successes=2)

        A source with a fallback (`with_fallback`) is different: its failure goes to the
        fallback executor instead, and the join keeps waiting for that source (the warning at
        the end of the run says so). Make the fallback a source of the join if its answer
        should count.
        """
        source_ids = [self._ref(s) for s in sources]
        if min_successes is not None:
            min_successes = limits.whole_number("add_fan_in_edges(min_successes=...)", min_successes)
        if min_successes is not None and not 1 <= min_successes <= len(source_ids):
            raise WorkflowValidationError(
                f"min_successes is how many of the {len(source_ids)} sources must succeed: between 1 "
                f"and {len(source_ids)}, got {min_successes}. Leave it out to wait for every source."
            )
        return self._add(FanInEdgeGroup(source_ids, [self._ref(target)], min_successes=min_successes))

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

    def add_loop(
        self,
        source: ExecutorRef,
        back_to: ExecutorRef,
        until: Condition,
        exit_to: ExecutorRef | None = None,
        max_rounds: int = 10,
    ) -> WorkflowBuilder:
        """Send what `source` sends back to `back_to` until ``until(message)`` is true, then on
        to `exit_to`. Going round more than `max_rounds` times fails the run with a clear error."""
        max_rounds = limits.whole_number("add_loop(max_rounds=...)", max_rounds)
        targets = [self._ref(back_to)] + ([self._ref(exit_to)] if exit_to is not None else [])
        return self._add(LoopEdgeGroup([self._ref(source)], targets, until=until, max_rounds=max_rounds))

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

    # --- reliability ------------------------------------------------------------------------

    def _policy(self, executor: ExecutorRef) -> ExecutorPolicy:
        return self._policies.setdefault(self._ref(executor), ExecutorPolicy())

    def with_retry(self, executor: ExecutorRef, policy: RetryPolicy | None = None) -> WorkflowBuilder:
        """Call `executor`'s handler again when it fails, as `policy` says (default: 3 attempts).
        Each retry is a `ExecutorRetryEvent`; what a failed attempt sent or saved is taken back."""
        self._policy(executor).retry = policy or RetryPolicy()
        return self

    def with_default_retry(self, policy: RetryPolicy | None = None) -> WorkflowBuilder:
        """Retry every executor as `policy` says (default: 3 attempts), unless it has its own
        `with_retry`. It applies at `build()`, so executors added later get it too::

            builder.with_default_retry(RetryPolicy(max_attempts=2))
            builder.with_retry(charge, RetryPolicy(max_attempts=1))   # never retry this one

        Settings travel with `add_workflow` and `merge`: a part's default covers the part's own
        executors, which then keep it in the bigger workflow.
        """
        self._default_retry = policy or RetryPolicy()
        return self

    def with_run_timeout(self, seconds: float) -> WorkflowBuilder:
        """Stop a run that takes longer than `seconds`: it fails with a `WorkflowTimeoutError`.

        The clock runs from ``run(...)`` (or an answer, or a restore) until the run finishes or
        pauses for a request: time spent waiting for a person does not count. The step under
        way is dropped, so the checkpoint of the last finished step is what a restore resumes
        from, and the workflow is free for the next run at once. `with_timeout` limits one
        executor's call instead. This is a setting of the whole workflow: `add_workflow` does
        not copy a part's run timeout (its steps become steps of the bigger run).
        """
        self._run_timeout = limits.seconds("with_run_timeout", seconds)
        return self

    def with_timeout(self, executor: ExecutorRef, seconds: float) -> WorkflowBuilder:
        """Fail a call of `executor`'s handler that runs longer than `seconds` (a retry policy or
        fallback may then handle it).

        A plain ``def`` function executor runs in a worker thread, and a thread cannot be killed:
        on time the run moves on (it fails, retries or takes the fallback) while the thread
        finishes in the background. Whatever it returns then is dropped, never delivered to a
        later superstep, but side effects it has (a file written, a request sent) still happen.
        ``asyncio.run`` waits for such threads before it returns; a notebook does not.
        """
        self._policy(executor).timeout_seconds = limits.seconds("with_timeout", seconds)
        return self

    def with_fallback(self, executor: ExecutorRef, fallback: ExecutorRef) -> WorkflowBuilder:
        """When `executor` fails for good, send an `ExecutorFailure` to `fallback` instead of
        failing the run (e.g. a human review)."""
        source, target = self._ref(executor), self._ref(fallback)
        self._policy(source).fallback = target
        return self._add(FallbackEdgeGroup([source], [target]))

    def with_compensation(self, executor: ExecutorRef, undo: Compensation) -> WorkflowBuilder:
        """If the run fails, call ``undo(executor_id, messages_it_handled)`` for `executor` (when it
        had completed), latest first: the undo steps of a saga."""
        self._policy(executor).compensation = undo
        return self

    def limit_concurrency(self, executors: Sequence[ExecutorRef], limit: int) -> WorkflowBuilder:
        """Let at most `limit` of `executors` run at the same time."""
        limit = limits.whole_number("limit_concurrency(limit=...)", limit)
        self._concurrency_limits.append(([self._ref(e) for e in executors], limit))
        return self

    # --- composition ------------------------------------------------------------------------

    def add_workflow(self, part: WorkflowBuilder | Workflow | Any, prefix: str | None = None) -> WorkflowHandle:
        """Copy another workflow's graph into this one, its ids prefixed (``prefix/id``), with its
        retry, timeout, fallback and concurrency settings.

        `part` is a `WorkflowBuilder`, a `Workflow`, or a high-level builder with a ``.builder()``
        method (`SequentialBuilder`, `ConcurrentBuilder`). `prefix` defaults to the part's name
        ("sequential" and "concurrent" for those two)::

            facts = builder.add_workflow(ConcurrentBuilder().participants([a, b]))  # ids "concurrent/..."
            builder.add_edge(facts.outputs[0], report)

        Returns a `WorkflowHandle`: wire ``handle.start`` and ``handle.outputs`` with `add_edge`.
        The part itself is never changed.
        """
        part = part_as_builder_or_workflow(part)
        prefix = choose_prefix(prefix, part.name, taken=self._executors)
        workflow = part.build() if isinstance(part, WorkflowBuilder) else part
        ids = {eid: prefixed_id(prefix, eid) for eid in workflow.executors}
        for eid, executor in workflow.executors.items():
            self._ref(clone_executor(executor, ids[eid]))
            # An executor of a part inlined in the part keeps addressing its own neighbours.
            inner = workflow.prefixes.get(eid)
            self._prefixes[ids[eid]] = prefixed_id(prefix, inner) if inner else prefix
        for group in workflow.edge_groups:
            renamed = group.rename(ids.__getitem__)
            self._add(renamed)
            # An exit the part itself wired onward keeps sending along that edge here, too.
            if not any(source in workflow.forwarding_exits for source in group.sources):
                self._inlined_groups.add(renamed.id)
        self._exits.update(ids[eid] for eid in workflow.forwarding_exits)
        self._add_reliability(workflow.policies, workflow.concurrency_limits, ids.__getitem__)
        outputs = part_exits(workflow, ids)
        self._exits.update(outputs)
        return WorkflowHandle(prefix, ids[workflow.start_executor_id], outputs, list(ids.values()))

    def mark_exit(self, executor: ExecutorRef) -> WorkflowBuilder:
        """Make `executor` an exit of this graph: it yields its results while no edge leaves it,
        and sends them along the edges you add from it later.

        The high-level builders mark their end this way (a `ConcurrentBuilder`'s aggregator), so
        ``ConcurrentBuilder().participants([a, b]).builder().add_edge("aggregator", report)``
        works without changing the aggregator. `add_workflow` marks a part's exits for you.
        """
        self._exits.add(self._ref(executor))
        return self

    def merge(self, other: WorkflowBuilder) -> WorkflowBuilder:
        """Add everything `other` holds (executors, factories, edges, reliability settings) to this
        builder, ids unchanged.

        Ids must not clash: use `add_workflow(..., prefix=...)` when they do. `other` is not changed;
        this builder keeps its own start executor and checkpointing unless it has none.
        """
        clashes = sorted((set(self._executors) | set(self._factories)) & (set(other._executors) | set(other._factories)))
        if clashes:
            raise WorkflowValidationError(
                f"Cannot merge: both builders have executors named {clashes}. Use add_workflow(other, "
                "prefix=...) to keep them apart."
            )
        self._executors.update(other._executors)
        self._factories.update(other._factories)
        for group in other._edge_groups:
            self._add(group)
        self._add_reliability(other._policies, other._concurrency_limits, lambda key: key)
        if other._default_retry is not None:  # it covers other's executors, not this builder's
            _give_default_retry(self._policies, [*other._executors, *other._factories], other._default_retry)
        self._prefixes.update(other._prefixes)
        self._exits.update(other._exits)
        self._inlined_groups.update(other._inlined_groups)
        self._start = self._start or other._start
        self._checkpoint_storage = self._checkpoint_storage or other._checkpoint_storage
        return self

    def _add_reliability(
        self,
        policies: dict[str, ExecutorPolicy],
        limits: list[tuple[list[str], int]],
        rename: Callable[[str], str],
    ) -> None:
        """Take over another graph's policies and concurrency limits, its ids renamed."""
        renamed_policies, renamed_limits = _renamed_reliability(policies, limits, rename)
        self._policies.update(renamed_policies)
        self._concurrency_limits.extend(renamed_limits)

    def get_executor(self, executor_id: str) -> Executor | str:
        """The executor added under `executor_id` (or the name itself, for a registered factory),
        for use in `add_edge` after a `merge`."""
        if executor_id in self._executors:
            return self._executors[executor_id]
        if executor_id in self._factories:
            return executor_id
        known = sorted(set(self._executors) | set(self._factories))
        raise KeyError(f"No executor {executor_id!r} in this builder; it has {known}.")

    # --- the rest ---------------------------------------------------------------------------

    def set_start_executor(self, executor: ExecutorRef) -> WorkflowBuilder:
        """The executor that receives the message given to `Workflow.run`."""
        start = self._ref(executor)
        if self._start_named_at_construction and start != self._start:
            raise WorkflowValidationError(
                f"The start executor was already given to WorkflowBuilder(start_executor=...) as "
                f"{self._start!r}; set_start_executor({start!r}) names another. Name it once: in the "
                "constructor (Agent Framework 1.x) or with set_start_executor (the seed era)."
            )
        self._start = start
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
        rename = lambda key: renames.get(key, key)  # noqa: E731
        if any(name != new_id for name, new_id in renames.items()):
            executors = {executor.id: executor for executor in executors.values()}
            groups = [g.rename(rename) for g in self._edge_groups]
            start = rename(self._start) if self._start else None
        else:
            groups, start = list(self._edge_groups), self._start
        policies, limits = _renamed_reliability(self._policies, self._concurrency_limits, rename)
        if self._default_retry is not None:
            _give_default_retry(policies, executors, self._default_retry)
        forwarding = {
            exit_id
            for exit_id in self._exits
            if any(exit_id in g.sources and g.id not in self._inlined_groups for g in self._edge_groups)
        }
        validate_graph(executors, groups, start, forwarding)
        assert start is not None
        return self.workflow_class(
            executors,
            groups,
            start,
            max_iterations=self.max_iterations,
            name=self.name,
            description=self.description,
            checkpoint_storage=self._checkpoint_storage,
            prefixes=dict(self._prefixes),
            forwarding_exits=forwarding,
            policies=policies,
            concurrency_limits=limits,
            run_timeout_seconds=self._run_timeout,
            outputs_shown=self._outputs_shown(executors),
        )

    def _outputs_shown(self, executors: dict[str, Executor]) -> dict[str, str]:
        """How each executor's yields show (see `__init__`): empty when neither list was given."""
        chosen, on_the_way = self._output_from, self._intermediate_output_from
        if chosen is None and on_the_way is None:
            return {}
        yielding = [eid for eid, executor in executors.items() if executor.workflow_output_types]
        outputs = self._named_ids(chosen, "output_from", yielding, executors, allowed=("all",))
        if on_the_way == "all_other":
            intermediate = [eid for eid in yielding if eid not in outputs]
        else:
            intermediate = self._named_ids(on_the_way, "intermediate_output_from", yielding, executors, allowed=("all",))
        both = sorted(set(outputs) & set(intermediate))
        if both:
            raise WorkflowValidationError(
                f"{both} are named both in output_from and in intermediate_output_from. An executor's "
                "yields are either outputs or steps on the way: name each in one list (or use "
                "intermediate_output_from='all_other')."
            )
        return {
            eid: "output" if eid in outputs else "intermediate" if eid in intermediate else "hidden"
            for eid in executors
        }

    def _named_ids(
        self,
        named: Sequence[ExecutorRef] | str | None,
        what: str,
        yielding: list[str],
        executors: dict[str, Executor],
        allowed: tuple[str, ...],
    ) -> list[str]:
        if named is None:
            return []
        if isinstance(named, str):
            if named not in allowed:
                raise WorkflowValidationError(
                    f"{what}={named!r}: give a list of executors, or one of {list(allowed)}."
                )
            return list(yielding)
        ids = [ref if isinstance(ref, str) else as_executor(ref).id for ref in named]
        unknown = [eid for eid in ids if eid not in executors]
        if unknown:
            raise WorkflowValidationError(
                f"{what} names {unknown}, which are not in this workflow; it has {sorted(executors)}."
            )
        return ids


def part_as_builder_or_workflow(part: Any) -> WorkflowBuilder | Workflow:
    """What `add_workflow` can copy: a builder or workflow as it is, a high-level builder
    (anything with a ``.builder()`` method returning a `WorkflowBuilder`) through that method."""
    if isinstance(part, (WorkflowBuilder, Workflow)):
        return part
    make_builder = getattr(part, "builder", None)
    made = make_builder() if callable(make_builder) else None
    if isinstance(made, WorkflowBuilder):
        return made
    raise WorkflowValidationError(
        f"add_workflow cannot copy {part!r}: it takes a WorkflowBuilder, a Workflow, or a high-level "
        "builder with a .builder() method returning a WorkflowBuilder (SequentialBuilder, ConcurrentBuilder). "
        "To use an executor, add it with add_executor or add_edge instead."
    )


def part_exits(workflow: Workflow, ids: dict[str, str]) -> list[str]:
    """The exits of an inlined part: executors that yield results and send nowhere further in it
    (or, if every yielding executor has onward edges, all of them)."""
    yielding = [eid for eid, ex in workflow.executors.items() if ex.workflow_output_types]
    terminal = [eid for eid in yielding if not workflow.successors(eid)]
    return [ids[eid] for eid in (terminal or yielding)]


def _renamed_reliability(
    policies: dict[str, ExecutorPolicy],
    limits: list[tuple[list[str], int]],
    rename: Callable[[str], str],
) -> tuple[dict[str, ExecutorPolicy], list[tuple[list[str], int]]]:
    """Policies and concurrency limits with every executor id passed through `rename`. Both are
    new objects, so a later `with_retry` or `limit_concurrency` never changes the graph they came from."""
    renamed_policies = {rename(key): _renamed_policy(policy, rename) for key, policy in policies.items()}
    renamed_limits = [([rename(i) for i in ids], limit) for ids, limit in limits]
    return renamed_policies, renamed_limits


def _give_default_retry(policies: dict[str, ExecutorPolicy], executor_ids: Iterable[str], default: RetryPolicy) -> None:
    """Set `default` as the retry policy of each of `executor_ids` that has none of its own."""
    for executor_id in executor_ids:
        policy = policies.setdefault(executor_id, ExecutorPolicy())
        policy.retry = policy.retry or default


def _renamed_policy(policy: ExecutorPolicy, rename: Callable[[str], str]) -> ExecutorPolicy:
    fallback = rename(policy.fallback) if policy.fallback else None
    return ExecutorPolicy(policy.retry, policy.timeout_seconds, fallback, policy.compensation)


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
