"""`RunHistory`: a recorded run, step by step, and the forks made from it.

A history has one or more *branches*. The first is the run you recorded; `fork(n, responses)`
resumes a fresh workflow from the checkpoint taken after step `n` (with other answers, say) and
adds what that run did as a new branch, which shares steps 1 to `n` with the one it left::

    history = RunHistory.from_events(workflow, result, storage=storage, factory=build_workflow)
    await history.load_checkpoints()        # the states after each step, from the storage
    history.steps[1].changes.lines()        # what step 2 changed
    await history.fork(2, {request_id: False})
    print(history.tree())

A run resumed from a checkpoint (``run_from_checkpoint``) has events only from there on: its
history starts with the steps that led to the checkpoint (`steps_before_checkpoint` reads them
from the storage), and its own steps carry their statuses on, as a fork's do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence, Union

from ..checkpoint.contents import parent_id, request_ids, run_id
from ..core.events import WorkflowEvent, WorkflowRunState
from ..core.run import WorkflowRun
from ..errors import SavedTestError, WorkflowFailedError, WorkflowRunError
from .from_checkpoints import checkpoint_tree, steps_from_checkpoints
from .from_events import steps_from_events
from .records import Superstep, short_id
from .fork_edits import edit_names, save_edited_copy, with_edits
from .step_diff import StepDiff, diff_steps
from .statuses import every_executor_id

if TYPE_CHECKING:
    from ..checkpoint.model import WorkflowCheckpoint
    from ..checkpoint.storage.base import CheckpointStorage
    from ..core.workflow import Workflow

WorkflowFactory = Callable[[], "Workflow"]
StepRef = Union[int, "tuple[str, int]"]  # a step number on the branch shown, or (branch name, number)


@dataclass
class Branch:
    """One line of steps: the recorded run (`parent` None) or a fork.

    A fork has the steps of its parent up to `from_step` (the checkpoint `from_checkpoint` was
    taken after it), then its own; `edits` holds what it changed in that step's states before
    going on (see `RunHistory.fork`). `ending` is how it ended: "finished", "paused" (requests
    open), "failed", or "running" while a live run goes on.
    """

    name: str
    steps: list[Superstep] = field(default_factory=list)
    parent: str | None = None
    from_step: int | None = None
    from_checkpoint: str | None = None
    ending: str = "running"
    events: list[WorkflowEvent] = field(default_factory=list)
    edits: dict[str, Any] = field(default_factory=dict)  # a fork's edits, "shared:n" -> the value given

    def own_steps(self) -> list[Superstep]:
        """The steps this branch added (all of them, for the recorded run)."""
        if self.from_step is None:
            return self.steps
        for index, step in enumerate(self.steps):
            if self.from_checkpoint is not None and step.checkpoint_id == self.from_checkpoint:
                return self.steps[index + 1 :]
        return [step for step in self.steps if step.number > self.from_step]


def ending_of(events: Iterable[WorkflowEvent]) -> str:
    """"finished", "paused", "failed" or "running", from the run's last status event."""
    last = None
    for event in events:
        if event.type == "status":
            last = event.state  # type: ignore[attr-defined]
    return {
        WorkflowRunState.IDLE: "finished",
        WorkflowRunState.IDLE_WITH_PENDING_REQUESTS: "paused",
        WorkflowRunState.FAILED: "failed",
    }.get(last, "running")  # type: ignore[arg-type]


class RunHistory:
    """The supersteps of a run and of its forks (see the module docstring).

    `workflow` names the executors and the graph; `storage` holds the checkpoints (forks need
    it); `factory` builds a fresh workflow for each fork, as a new session would (without one,
    a fork runs in a copy of `workflow` that shares its executor objects).
    """

    def __init__(
        self,
        workflow: Workflow,
        storage: CheckpointStorage | None = None,
        factory: WorkflowFactory | None = None,
    ) -> None:
        self.workflow = workflow
        self.storage = storage
        self.factory = factory
        self.branches: list[Branch] = [Branch("main")]
        self.current = 0  # index in `branches` of the branch `steps` shows
        self.from_checkpoints_only = False  # True: no events, every branch comes from checkpoints
        self.earlier: list[Superstep] = []  # a resumed run's steps before its own (see `read_events`)
        self.workflow_id = workflow.id
        self._checkpoints: list[WorkflowCheckpoint] = []

    # --- making one ---------------------------------------------------------------------------

    @classmethod
    def from_events(
        cls,
        workflow: Workflow,
        events: Iterable[WorkflowEvent],
        storage: CheckpointStorage | None = None,
        factory: WorkflowFactory | None = None,
        earlier: Sequence[Superstep] = (),
    ) -> RunHistory:
        """The history of the run whose `events` are given (a `WorkflowRunResult` works).

        `storage` defaults to the workflow's own checkpoint storage; call `load_checkpoints` to
        add the states it recorded. For a run resumed from a checkpoint, `earlier` are the steps
        before it (`steps_before_checkpoint`).
        """
        history = cls(workflow, storage if storage is not None else workflow.checkpoint_storage, factory)
        history.read_events(events, earlier)
        return history

    @classmethod
    async def from_storage(
        cls, storage: CheckpointStorage, factory: WorkflowFactory, workflow_id: str | None = None
    ) -> RunHistory:
        """The history the checkpoints in `storage` record (another session's, say): one branch
        per chain of checkpoints. `factory` builds the workflow, for its graph and for forks."""
        history = cls.of_storage(storage, factory, workflow_id)
        await history.load_checkpoints()
        return history

    @classmethod
    def of_storage(cls, storage: CheckpointStorage, factory: WorkflowFactory, workflow_id: str | None = None) -> RunHistory:
        """`from_storage` without reading anything yet: `load_checkpoints` reads the branches."""
        history = cls(factory(), storage, factory)
        history.from_checkpoints_only = True
        history.workflow_id = workflow_id or history.workflow.id
        return history

    def read_events(self, events: Iterable[WorkflowEvent], earlier: Sequence[Superstep] = ()) -> None:
        """(Re)read the recorded run from its events, keeping the checkpoints already loaded.
        The explorer of a live run calls this as its events grow.

        `earlier` are the steps that led to the checkpoint the run was resumed from (none for a
        run that started afresh): they come first, and the run's own steps go on from the last.
        """
        events, self.earlier = list(events), list(earlier)
        main = self.branches[0]
        main.events = events
        before = self.earlier[-1] if self.earlier else None
        own = steps_from_events(self.workflow, events, self._checkpoints_of_run(events), before=before)
        main.steps = self.earlier + own
        main.ending = ending_of(events)

    async def load_checkpoints(self) -> None:
        """Read the storage's checkpoints of this workflow and put their states into the steps."""
        if self.storage is None:
            return
        checkpoints = await self.storage.list_checkpoints(self.workflow_id)
        if self.from_checkpoints_only:
            self.read_checkpoints(checkpoints)
        else:
            self._checkpoints = checkpoints
            self.read_events(self.branches[0].events, self.earlier)

    def read_checkpoints(self, checkpoints: list[WorkflowCheckpoint]) -> None:
        """Build every branch from checkpoints alone (`from_storage`)."""
        self._checkpoints = list(checkpoints)
        tree = checkpoint_tree(self._checkpoints)
        ids, start = every_executor_id(self.workflow), self.workflow.start_executor_id
        branches: list[Branch] = []
        where: dict[str, tuple[Branch, Superstep]] = {}  # checkpoint id -> its branch and step
        for number, (chain, fork_point) in enumerate(zip(tree.chains, tree.forks_from)):
            parent = where.get(fork_point) if fork_point else None
            before = parent[1] if parent else None
            own = steps_from_checkpoints(chain, ids, start, before)
            shared = parent[0].steps[: _index_of(before, parent[0].steps) + 1] if parent and before else []
            branch = Branch(
                "main" if number == 0 else f"fork {number}",
                shared + own,
                parent=parent[0].name if parent else None,
                from_step=before.number if before else None,
                from_checkpoint=fork_point,
                ending=_ending_of_chain(chain),
            )
            for checkpoint, step in zip(chain, own):
                where[checkpoint.checkpoint_id] = (branch, step)
                step.problem = tree.problems.get(checkpoint.checkpoint_id, "")
            branches.append(branch)
        self.branches = branches or [Branch("main", ending="finished")]
        self.current = 0

    def _checkpoints_of_run(self, events: list[WorkflowEvent]) -> list[WorkflowCheckpoint]:
        """The loaded checkpoints that belong to the run of `events`.

        Checkpoints are grouped by run id; the run is the group holding the run's request ids,
        else the latest group (a workflow's storage may hold many runs of it). A resumed run
        keeps the run id of the run it resumed, so its checkpoints are a chain that grew from
        the checkpoint it resumed: the one holding its request ids, else the newest.
        """
        if not self._checkpoints:
            return []
        asked = {e.request_id for e in events if e.type == "request_info"}  # type: ignore[attr-defined]
        if self.earlier and self.earlier[-1].checkpoint_id:
            chains = chains_from(self.earlier[-1].checkpoint_id, self._checkpoints)
            holding = [chain for chain in chains if asked & {rid for cp in chain for rid in request_ids(cp)}]
            if holding:
                return holding[-1]
            return chains[-1] if chains else []
        runs: dict[str, list[WorkflowCheckpoint]] = {}
        for checkpoint in self._checkpoints:
            runs.setdefault(run_id(checkpoint), []).append(checkpoint)
        for group in runs.values():
            saved = {request_id for checkpoint in group for request_id in request_ids(checkpoint)}
            if asked and asked & saved:
                return _first_chain(group)
        own_run = self.workflow.latest_run.state.run_id
        if own_run in runs:
            return _first_chain(runs[own_run])
        return _first_chain(list(runs.values())[-1])

    # --- reading it ---------------------------------------------------------------------------

    @property
    def branch(self) -> Branch:
        """The branch `steps` shows (see `switch_to`)."""
        return self.branches[self.current]

    @property
    def steps(self) -> list[Superstep]:
        """The supersteps of the current branch, in order."""
        return self.branch.steps

    def step(self, number: int, nth: int = 1) -> Superstep:
        """The current branch's superstep with that `number`.

        Two checkpoints can share a step number on one branch (a run resumed from an earlier
        checkpoint that saved no parent links, or folders merged from two runs): `nth` picks
        among them, 1 for the first (see `steps_numbered` and `shared_number_note`).
        """
        return self.steps[self.position_of(number, nth)]

    def position_of(self, number: int, nth: int = 1) -> int:
        """Where the step `step(number, nth)` is in `steps`; raises `IndexError` if none is."""
        positions = [index for index, step in enumerate(self.steps) if step.number == number]
        if 1 <= nth <= len(positions):
            return positions[nth - 1]
        if positions:
            raise IndexError(
                f"The branch {self.branch.name!r} has {len(positions)} step(s) numbered {number}, "
                f"so there is no {_ordinal(nth)} one."
            )
        numbers = [s.number for s in self.steps]
        raise IndexError(
            f"The branch {self.branch.name!r} has no superstep {number}; "
            + (f"it has steps {numbers[0]} to {numbers[-1]}." if numbers else "it has no steps yet.")
        )

    def steps_numbered(self, number: int) -> list[Superstep]:
        """The current branch's supersteps with that `number`, in order: one as a rule."""
        return [step for step in self.steps if step.number == number]

    def shared_number_note(self, step: Superstep) -> str:
        """A sentence that says which is which when `step` shares its number with other steps
        of the current branch ("" when it does not): each one's place, checkpoint and time.

        >>> print(history.shared_number_note(history.step(2, nth=2)))    # doctest: +SKIP
        2 checkpoints on branch main share step number 2 (...). This is the 2nd of 2: checkpoint
        5e0c2b1a, saved 2026-12-05 14:02:10.221. The other: the 1st is checkpoint 1a2b3c4d, ...
        """
        numbered = self.steps_numbered(step.number)
        if len(numbered) < 2:
            return ""
        place = _index_of(step, numbered)
        others = "; ".join(
            f"the {_ordinal(index + 1)} is {_saved(other)}" for index, other in enumerate(numbered) if index != place
        )
        return (
            f"{len(numbered)} checkpoints on branch {self.branch.name} share step number {step.number} (a run "
            "resumed from an earlier checkpoint without parent links, or folders merged from two runs?). "
            f"This is the {_ordinal(place + 1)} of {len(numbered)}: {_saved(step)}. The other"
            f"{'s' if len(numbered) > 2 else ''}: {others}. Previous, Next and the slider reach each one; "
            "a fork leaves from the one shown."
        )

    def steps_up_to(self, checkpoint_id: str) -> list[Superstep]:
        """The steps that led to the checkpoint `checkpoint_id`: those of the branch it is on, up
        to the step it was taken after (none, if no branch has it)."""
        for branch in self.branches:
            for index, step in enumerate(branch.steps):
                if step.checkpoint_id == checkpoint_id:
                    return branch.steps[: index + 1]
        return []

    def switch_to(self, name: str) -> Branch:
        """Show the branch called `name` ("main", "fork 1", ...)."""
        for index, branch in enumerate(self.branches):
            if branch.name == name:
                self.current = index
                return branch
        raise KeyError(f"No branch {name!r}; the branches are {[b.name for b in self.branches]}.")

    def tree(self) -> str:
        """The branches as a small tree: which step and checkpoint each fork left from."""
        lines = []
        for branch in self.branches:
            own = branch.own_steps()
            span = f"steps {own[0].number}–{own[-1].number}" if own else "no steps of its own"
            if branch.parent is None:
                lines.append(f"{branch.name}: {span}, {branch.ending}")
            else:
                checkpoint = (branch.from_checkpoint or "")[:8]
                edited = f", edited {', '.join(f'{k} = {v!r}' for k, v in branch.edits.items())}" if branch.edits else ""
                lines.append(
                    f"└─ {branch.name}, from step {branch.from_step} of {branch.parent} "
                    f"(checkpoint {checkpoint}…{edited}): {span}, {branch.ending}"
                )
        return "\n".join(lines)

    # --- forking ------------------------------------------------------------------------------

    async def fork(
        self,
        number: int,
        responses: Mapping[str, Any] | None = None,
        nth: int = 1,
        *,
        state: Mapping[str, Any] | None = None,
        executor_states: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> Any:
        """Resume from the checkpoint taken after step `number` of the current branch, in a
        fresh workflow, answering `responses` ({request_id: answer}); returns the new run's
        `WorkflowRunResult`, and shows the new branch. `nth` picks among steps that share the
        number (see `step`).

        `state` ({key: value}) and `executor_states` ({executor_id: {key: value}}) change the
        step's shared state and executors' states first: the fork resumes from an edited copy
        of the checkpoint, and its branch records the edits (`wfkit.history.fork_edits`; a bad
        edit raises `ForkEditError` naming it, before anything runs).

        A fork whose run fails is kept as a branch too (ending "failed"), and the
        `WorkflowFailedError` is raised after it was added.
        """
        position = self.position_of(number, nth)
        step = self.steps[position]
        if self.storage is None or step.checkpoint_id is None:
            raise WorkflowRunError(
                f"Step {number} has no checkpoint to fork from. Build the workflow with "
                ".with_checkpointing(storage) (or pass storage=...), run it again, and explore that run."
            )
        start = step.checkpoint_id
        if state or executor_states:  # saved before `known` is listed: the copy is not a step of the fork
            start = await save_edited_copy(self.storage, start, set(self.workflow.executors), state, executor_states)
        fresh = self.factory() if self.factory is not None else None
        known = {cp.checkpoint_id for cp in await self.storage.list_checkpoints(self.workflow_id)}
        failure: WorkflowFailedError | None = None
        try:
            if fresh is not None:
                result: Any = await fresh.run_from_checkpoint(start, self.storage, responses=responses)
            else:  # a run of its own, so the workflow's latest run stays as it was
                forked = await WorkflowRun.restored(self.workflow, start, self.storage, responses)
                result = await forked.collect()
            events = list(result)
        except WorkflowFailedError as error:
            failure, result, events = error, None, list(error.events)
        added = [cp for cp in await self.storage.list_checkpoints(self.workflow_id) if cp.checkpoint_id not in known]
        self._checkpoints += added
        shared = self.steps[: position + 1]
        # Compared with the step it left, as edited: the edits are the fork's, not its first step's.
        own = steps_from_events(fresh or self.workflow, events, added, before=with_edits(shared[-1], state, executor_states))
        branch = Branch(
            f"fork {len(self.branches)}",
            shared + own,
            parent=self.branch.name,
            from_step=number,
            from_checkpoint=step.checkpoint_id,
            ending=ending_of(events),
            events=events,
            edits=edit_names(state, executor_states),
        )
        self.branches.append(branch)
        self.current = len(self.branches) - 1
        if failure is not None:
            raise failure
        return result

    # --- comparing two steps ------------------------------------------------------------------

    def diff(self, first: StepRef, second: StepRef) -> StepDiff:
        """What differs between two steps: states, waiting messages, open requests and outputs.

        A step is its number on the branch shown (``history.diff(2, 7)``) or a branch's name
        and a number (``history.diff(("main", 4), ("fork 1", 4))``). See `StepDiff`.
        """
        (a, a_steps, a_name), (b, b_steps, b_name) = self._find(first), self._find(second)
        return diff_steps(a, a_steps, b, b_steps, a_name, b_name)

    def _find(self, ref: StepRef) -> tuple[Superstep, list[Superstep], str]:
        """The step `ref` names, its branch's steps, and how to name it ("main step 4")."""
        if isinstance(ref, tuple):
            name, number = ref
            branch = next((b for b in self.branches if b.name == name), None)
            if branch is None:
                raise KeyError(f"No branch {name!r}; the branches are {[b.name for b in self.branches]}.")
        else:
            branch, number = self.branch, ref
        found = next((step for step in branch.steps if step.number == number), None)
        if found is None:
            numbers = [step.number for step in branch.steps]
            raise IndexError(
                f"The branch {branch.name!r} has no superstep {number}; "
                + (f"it has steps {numbers[0]} to {numbers[-1]}." if numbers else "it has no steps yet.")
            )
        return found, branch.steps, f"{branch.name} step {number}"

    # --- keeping a run as a test --------------------------------------------------------------

    def events_of(self, branch: Branch) -> list[WorkflowEvent]:
        """The events that tell `branch`'s whole story from the run's start: for a fork, its
        parent's up to the step it left from, then its own."""
        if branch.parent is None:
            return list(branch.events)
        parent = next(b for b in self.branches if b.name == branch.parent)
        return _events_up_to(self.events_of(parent), branch.from_step) + list(branch.events)

    def save_test(self, path: str | Path, factory: str) -> Path:
        """Save the branch shown as a pytest file at `path` that replays it: the workflow built
        by `factory` (``"package.module:function"``), the same input and answers, the same
        supersteps and outputs expected. See `wfkit.teach.saved_test`."""
        from ..teach.saved_test import save_test
        from ..teach.trace import trace

        if self.from_checkpoints_only or self.earlier:
            raise SavedTestError(
                "this history starts from a checkpoint, so it does not hold the run's first message; "
                "explore the run that started afresh (wfkit.notebook.explore(run)) to save it as a test."
            )
        return save_test(trace(self.events_of(self.branch)), path, factory)


def _events_up_to(events: list[WorkflowEvent], step: int | None) -> list[WorkflowEvent]:
    """`events` until the end of superstep `step`."""
    for index, event in enumerate(events):
        if event.type == "superstep_completed" and event.iteration == step:  # type: ignore[attr-defined]
            return events[: index + 1]
    return list(events)


async def steps_before_checkpoint(
    storage: CheckpointStorage | None, checkpoint_id: str, workflow: Workflow
) -> list[Superstep]:
    """The steps a run resumed from `checkpoint_id` continues, read from the checkpoints in
    `storage` (of `workflow`'s graph): the last is the step the checkpoint was taken after, with
    every executor's status then. No steps if the storage does not hold that checkpoint.

    >>> (await steps_before_checkpoint(storage, checkpoint_id, workflow))[-1].statuses   # doctest: +SKIP
    {'draft': 'done', 'gate': 'waiting', 'publish': 'idle'}
    """
    if storage is None:
        return []
    checkpoints = await storage.list_checkpoints()
    saved = next((cp for cp in checkpoints if cp.checkpoint_id == checkpoint_id), None)
    if saved is None:
        return []  # resuming says so, in words about the storage
    history = RunHistory(workflow, storage)
    history.read_checkpoints([cp for cp in checkpoints if cp.workflow_id == saved.workflow_id])
    return history.steps_up_to(checkpoint_id)


def chains_from(checkpoint_id: str, checkpoints: list[WorkflowCheckpoint]) -> list[list[WorkflowCheckpoint]]:
    """The chains of checkpoints that runs resumed from `checkpoint_id` saved, one per run,
    oldest first (forks made later from those runs are left out)."""
    grown = {checkpoint_id}
    descendants = []
    for checkpoint in checkpoints:  # oldest first: a parent comes before its children
        if parent_id(checkpoint) in grown:
            grown.add(checkpoint.checkpoint_id)
            descendants.append(checkpoint)
    tree = checkpoint_tree(descendants)
    # Within the descendants, a chain that forks from none of them starts at `checkpoint_id`.
    return [chain for chain, fork_point in zip(tree.chains, tree.forks_from) if fork_point is None]


def _first_chain(checkpoints: list[WorkflowCheckpoint]) -> list[WorkflowCheckpoint]:
    """The recorded run's own checkpoints: the first chain (forks made later are branches)."""
    tree = checkpoint_tree(checkpoints)
    return tree.chains[0] if tree.chains else []


def _index_of(step: Superstep, steps: list[Superstep]) -> int:
    """Where `step` itself is in `steps` (by identity: two steps can hold equal values)."""
    return next(index for index, other in enumerate(steps) if other is step)


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _saved(step: Superstep) -> str:
    """A step's checkpoint and when it was saved, as `shared_number_note` says them."""
    if step.checkpoint_id is None:
        return "no checkpoint"
    when = step.saved_at.replace("T", " ")[:23] if step.saved_at else "at an unknown time"
    return f"checkpoint {short_id(step.checkpoint_id)}, saved {when}"


def _ending_of_chain(chain: list[WorkflowCheckpoint]) -> str:
    last = chain[-1].run_state if chain else ""
    if last == WorkflowRunState.FAILED.name:
        return "failed"
    if chain and chain[-1].pending_requests:
        return "paused"
    return "finished"
