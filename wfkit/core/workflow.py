"""`Workflow`: a built, immutable graph of executors, and the ways to run it.

Each way to run is a short call onto a `WorkflowRun` (run.py), which holds the run itself. The
workflow keeps its latest run (`latest_run`), so that `send_responses` can continue a run that
paused for answers. `run(message)` always starts afresh.

Whoever keeps an earlier run may still answer it: ``send_responses(answers, run=that_run)``.
A notebook's request card does, so a click answers the run the card was shown for even when a
later cell has started the same workflow again. That run becomes the latest once more.
"""

from __future__ import annotations

import hashlib
import json
from functools import partial
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, Mapping

from ..errors import WorkflowRunError
from .edges import EdgeGroup
from .events import WorkflowEvent, WorkflowRunState
from .run import CheckpointStorage, WorkflowEventStream, WorkflowRun, WorkflowRunResult, streamed
from .run_keywords import WorkflowInvocationKwargs, resolve_run_kwargs

RunKeywords = dict[str, WorkflowInvocationKwargs]  # resolved run keywords, by name (see run_keywords.py)

if TYPE_CHECKING:
    from .policies import ExecutorPolicy
    from .executor import Executor


class Workflow:
    """A graph of executors joined by edge groups, built by `WorkflowBuilder`.

    ``await workflow.run(message)`` runs it to the end and returns the events;
    ``async for event in workflow.run_stream(message)`` shows them as they happen.
    """

    def __init__(
        self,
        executors: dict[str, Executor],
        edge_groups: list[EdgeGroup],
        start_executor_id: str,
        *,
        max_iterations: int = 100,
        name: str | None = None,
        description: str | None = None,
        checkpoint_storage: Any = None,
        prefixes: dict[str, str] | None = None,
        forwarding_exits: set[str] | None = None,
        policies: dict[str, ExecutorPolicy] | None = None,
        concurrency_limits: list[tuple[list[str], int]] | None = None,
        run_timeout_seconds: float | None = None,
        outputs_shown: dict[str, str] | None = None,
    ) -> None:
        self.executors = dict(executors)
        self.run_timeout_seconds = run_timeout_seconds
        # executor id -> how its yields show: "output", "intermediate" or "hidden"; an executor
        # not named yields outputs (see WorkflowBuilder's output_from=).
        self.outputs_shown = outputs_shown or {}
        self.policies = policies or {}
        self.concurrency_limits = concurrency_limits or []
        self.prefixes = prefixes or {}
        self.forwarding_exits = forwarding_exits or set()
        self.edge_groups = list(edge_groups)
        self.start_executor_id = start_executor_id
        self.max_iterations = max_iterations
        self.name = name
        self.description = description
        self.checkpoint_storage = checkpoint_storage
        # executor id -> the edge groups that carry its messages away (what the engine routes by)
        self.routes: dict[str, list[EdgeGroup]] = {executor_id: [] for executor_id in self.executors}
        for group in self.edge_groups:
            for source in group.sources:
                self.routes[source].append(group)
        self._successors = {
            source: {target for group in groups for target in group.targets}
            for source, groups in self.routes.items()
        }
        # An inlined executor addresses its neighbours by their ids inside its part (see
        # composition.py): resolved here, once, so sending a message never looks at prefixes.
        self._local_names: dict[str, dict[str, str]] = {}
        for source, prefix in self.prefixes.items():
            inside = f"{prefix}/"
            names = {t[len(inside):]: t for t in self._successors.get(source, ()) if t.startswith(inside)}
            if names:
                self._local_names[source] = names
        # The same graph gets the same id in every process, so its checkpoints can be found again.
        self.id = name or f"workflow-{self.graph_signature()}"
        self._latest_run = WorkflowRun(self)

    def __repr__(self) -> str:
        label = f"{self.name!r}, " if self.name else ""
        return (
            f"Workflow({label}start={self.start_executor_id!r}, executors={list(self.executors)}, "
            f"edge_groups={len(self.edge_groups)})"
        )

    # --- the graph ------------------------------------------------------------------------

    @property
    def start_executor(self) -> Executor:
        """The executor that receives the message given to `run`."""
        return self.executors[self.start_executor_id]

    def get_executor(self, executor_id: str) -> Executor:
        """The executor with this id; the error lists the ids that exist."""
        try:
            return self.executors[executor_id]
        except KeyError:
            raise KeyError(f"No executor {executor_id!r}; this workflow has {list(self.executors)}.") from None

    def out_groups(self, executor_id: str) -> list[EdgeGroup]:
        """The edge groups that carry messages away from `executor_id`."""
        return self.routes[executor_id]

    def successors(self, executor_id: str) -> set[str]:
        """Ids of the executors `executor_id` has an edge to."""
        return self._successors[executor_id]

    def address_of(self, source_id: str, target_id: str) -> str:
        """The full id of `target_id` as `source_id` names it (the same, unless `source_id` was
        inlined by `add_workflow` and names a neighbour by its id inside the part)."""
        names = self._local_names.get(source_id)
        return target_id if names is None else names.get(target_id, target_id)

    def graph_signature(self) -> str:
        """A hash of the graph's shape (executor ids and classes, edges), stored in checkpoints
        so a checkpoint is never restored into a different graph."""
        return hashlib.sha256(json.dumps(self.graph_description(), sort_keys=True).encode()).hexdigest()[:16]

    def graph_description(self) -> dict[str, Any]:
        """The graph as plain data: executors with their classes, and edge groups."""
        return {
            "start": self.start_executor_id,
            "executors": {eid: ex.describe() for eid, ex in sorted(self.executors.items())},
            "edges": sorted(
                f"{group.kind}:{','.join(group.sources)}->{','.join(group.targets)}" for group in self.edge_groups
            ),
        }

    # --- running --------------------------------------------------------------------------

    def run(
        self,
        message: Any = None,
        *,
        stream: bool = False,
        responses: Mapping[str, Any] | None = None,
        checkpoint_id: str | None = None,
        checkpoint_storage: CheckpointStorage | None = None,
        include_status_events: bool | None = None,
        function_invocation_kwargs: Mapping[str, Any] | WorkflowInvocationKwargs | None = None,
        client_kwargs: Mapping[str, Any] | WorkflowInvocationKwargs | None = None,
    ) -> Awaitable[WorkflowRunResult] | WorkflowEventStream:
        """Run the workflow: start it, answer it, or continue a saved run; every way in one call.

        - ``await run(message)`` starts afresh with `message` for the start executor;
        - ``await run(responses={request_id: answer})`` answers the latest run's requests and
          lets it go on (the seed era's `send_responses`);
        - ``await run(checkpoint_id=..., checkpoint_storage=...)`` continues a saved run, with
          ``responses=`` answering its requests at once (`run_from_checkpoint`).

        It waits for the run to end and returns its events (a `WorkflowRunResult`). With
        ``stream=True`` it returns a `WorkflowEventStream` instead: ``async for event in
        workflow.run(message, stream=True)`` shows the events as they happen.

        A pause for answers is a normal end: see `get_request_info_events()`. A failure raises
        `WorkflowFailedError`, which carries every event of the run, from the exception that
        caused it (its ``__cause__``). The result holds the status events too, unless
        ``include_status_events=False`` keeps them apart (`status_timeline()`), as Agent
        Framework 1.x does by default.

        `function_invocation_kwargs` and `client_kwargs` are handed to the agents inside: for
        every agent, or per agent by executor id (see `run_keywords`). Answering a run or
        continuing it from a checkpoint keeps the ones it had, unless new ones are given.
        """
        keywords = None
        if function_invocation_kwargs is not None or client_kwargs is not None:
            keywords = resolve_run_kwargs(
                self, {"function_invocation_kwargs": function_invocation_kwargs, "client_kwargs": client_kwargs}
            )
        prepare = self._preparation(message, responses, checkpoint_id, checkpoint_storage, keywords)
        if stream:
            if include_status_events is not None:
                raise WorkflowRunError(
                    "include_status_events only shapes the result of a run you wait for; a stream "
                    "shows every event as it happens. Drop it, or drop stream=True."
                )
            return WorkflowEventStream(streamed(prepare))
        return self._collected(prepare, include_status_events)

    async def _collected(
        self, prepare: Callable[[], Awaitable[WorkflowRun]], include_status_events: bool | None
    ) -> WorkflowRunResult:
        result = await (await prepare()).collect()
        return result if include_status_events in (None, True) else result.with_status_apart()

    def _preparation(
        self,
        message: Any,
        responses: Mapping[str, Any] | None,
        checkpoint_id: str | None,
        checkpoint_storage: CheckpointStorage | None,
        keywords: RunKeywords | None = None,
    ) -> Callable[[], Awaitable[WorkflowRun]]:
        """What gets the run ready, for the way `run` was called; refuses a call that means nothing.

        `keywords` (the run keywords, resolved) replace the run's own when given; a new run
        without them has none."""
        if responses is not None and message is not None:
            raise WorkflowRunError(
                "Pass either a message (to start a new run) or responses={request_id: answer} (to answer "
                "the run that is waiting), not both."
            )
        if checkpoint_id is not None:
            if message is not None:
                raise WorkflowRunError(
                    "Pass either a message (to start a new run) or checkpoint_id=... (to continue a saved "
                    "one), not both: a run restored from a checkpoint already has its messages."
                )
            storage = self._storage_for_restore(checkpoint_storage)
            return partial(self._restored, checkpoint_id, storage, responses, keywords)
        if responses is not None:
            return partial(self._answered, responses, keywords)
        if message is None:
            raise WorkflowRunError(
                "Nothing to run: pass a message for the start executor (workflow.run(message)), "
                "responses={request_id: answer} to answer a waiting run, or checkpoint_id=... to "
                "continue a saved run."
            )
        return partial(self._fresh, message, checkpoint_storage, keywords)

    def run_stream(
        self,
        message: Any = None,
        *,
        checkpoint_id: str | None = None,
        checkpoint_storage: CheckpointStorage | None = None,
    ) -> AsyncIterator[WorkflowEvent]:
        """`run`, yielding the events while it runs: ``async for event in workflow.run_stream(message)``.

        Leaving the loop early (``break``) stops the run and leaves the workflow ready for the next.
        """
        return streamed(self._preparation(message, None, checkpoint_id, checkpoint_storage))

    async def send_responses(
        self, responses: Mapping[str, Any], run: WorkflowRun | None = None
    ) -> WorkflowRunResult:
        """Answer pending requests (``{request_id: answer}``) and continue the run until it ends again.

        The run answered is the latest one, or `run`, an earlier run of this workflow that you
        kept (`latest_run` when it was the latest): it goes on from where it paused, even if
        the workflow has run again since, and becomes the latest run again.
        """
        return await (await self._answered(responses, run=run)).collect()

    def send_responses_streaming(
        self, responses: Mapping[str, Any], run: WorkflowRun | None = None
    ) -> AsyncIterator[WorkflowEvent]:
        """`send_responses`, yielding the events as they happen."""
        return streamed(lambda: self._answered(responses, run=run))

    async def run_from_checkpoint(
        self,
        checkpoint_id: str,
        checkpoint_storage: CheckpointStorage | None = None,
        responses: Mapping[str, Any] | None = None,
    ) -> WorkflowRunResult:
        """Continue a run from a saved checkpoint (in this or a brand-new process).

        `responses` answers pending requests at once: their `RequestInfoEvent`s are not emitted
        again. Requests left unanswered are emitted again, so you can answer them now.
        """
        storage = self._storage_for_restore(checkpoint_storage)
        return await (await self._restored(checkpoint_id, storage, responses)).collect()

    def run_stream_from_checkpoint(
        self,
        checkpoint_id: str,
        checkpoint_storage: CheckpointStorage | None = None,
        responses: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[WorkflowEvent]:
        """`run_from_checkpoint`, yielding the events as they happen."""
        storage = self._storage_for_restore(checkpoint_storage)
        return streamed(lambda: self._restored(checkpoint_id, storage, responses))

    @property
    def latest_run(self) -> WorkflowRun:
        """The run that `send_responses` continues: the latest started, restored or answered
        (before any, an empty run that has not started)."""
        return self._latest_run

    @property
    def pending_requests(self) -> dict[str, Any]:
        """The requests the latest run is waiting on, by request id."""
        return self._latest_run.pending_requests

    @property
    def last_run_state(self) -> WorkflowRunState | None:
        """Where the latest run call ended (None before the first has ended)."""
        return self._latest_run.status

    async def _fresh(
        self, message: Any, storage: CheckpointStorage | None, keywords: RunKeywords | None = None
    ) -> WorkflowRun:
        # A new run replaces the old one anyway, so it may close a stream left behind.
        if self._latest_run.is_running:
            await self._latest_run.make_way(starting_afresh=True)
        return self._take(WorkflowRun.starting(self, message, storage), keywords)

    async def _answered(
        self, responses: Mapping[str, Any], keywords: RunKeywords | None = None, run: WorkflowRun | None = None
    ) -> WorkflowRun:
        run = run or self._latest_run
        if run.workflow is not self:
            raise WorkflowRunError(
                f"That run belongs to another workflow ({run.workflow.id!r}), not to {self.id!r}: answer "
                "it through the workflow that ran it."
            )
        if run is not self._latest_run:
            await self._latest_run.make_way()  # one run at a time: a newer run still going comes first
        await run.make_way()  # answers given while a run is busy would be lost
        self._latest_run.refuse_if_running()  # nothing may have started while we waited
        run.answer(responses)
        run.claim()
        if keywords is not None:
            run.state.run_kwargs = keywords
        self._latest_run = run
        return run

    async def _restored(
        self,
        checkpoint_id: str,
        storage: CheckpointStorage,
        responses: Mapping[str, Any] | None,
        keywords: RunKeywords | None = None,
    ) -> WorkflowRun:
        if self._latest_run.is_running:
            await self._latest_run.make_way(starting_afresh=True)
        return self._take(await WorkflowRun.restored(self, checkpoint_id, storage, responses), keywords)

    def _take(self, run: WorkflowRun, keywords: RunKeywords | None = None) -> WorkflowRun:
        """Make `run` the latest run, claimed by the calling task (refused if one still runs),
        with `keywords` as its run keywords when given."""
        self._latest_run.refuse_if_running()
        run.claim()
        if keywords is not None:
            run.state.run_kwargs = keywords
        self._latest_run = run
        return run

    def _storage_for_restore(self, storage: CheckpointStorage | None) -> CheckpointStorage:
        chosen = storage or self.checkpoint_storage
        if chosen is None:
            raise WorkflowRunError(
                "No checkpoint storage to restore from. Pass checkpoint_storage=... or build the "
                "workflow with .with_checkpointing(storage)."
            )
        return chosen

    # --- composition ----------------------------------------------------------------------

    def as_executor(self, id: str | None = None, allow_direct_output: bool = False) -> Executor:
        """This workflow as one executor of a bigger workflow (a `WorkflowExecutor`).

        ``allow_direct_output=True`` makes its outputs the bigger workflow's outputs even when
        the node has out-edges (with none, they are anyway).
        """
        from .subworkflow import WorkflowExecutor

        return WorkflowExecutor(self, id=id, allow_direct_output=allow_direct_output)

    def as_agent(self, name: str | None = None) -> Any:
        """This workflow behind an agent's `run(messages)` (a `WorkflowAgent`)."""
        from ..agents.workflow_agent import WorkflowAgent

        return WorkflowAgent(self, name=name)

    # --- drawing (see wfkit.viz) ------------------------------------------------------------

    def to_dot(self) -> str:
        """The graph in Graphviz DOT text."""
        from ..viz.dot import workflow_to_dot

        return workflow_to_dot(self)

    def to_mermaid(self) -> str:
        """The graph as a Mermaid flowchart."""
        from ..viz.mermaid import workflow_to_mermaid

        return workflow_to_mermaid(self)

    def to_svg(self) -> str:
        """The graph drawn as SVG by Graphviz (needs its `dot` program)."""
        from ..viz.svg import dot_to_svg

        return dot_to_svg(self.to_dot())

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from ..viz.svg import mimebundle

        return mimebundle(self)

