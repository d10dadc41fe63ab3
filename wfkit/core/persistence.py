"""The seam through which the engine saves a run: a small protocol, implemented elsewhere.

The engine knows nothing of files, databases or JSON. After each superstep it calls
`Persistence.after_step(state, status)`; to continue a run, `Workflow` asks `load(checkpoint_id)`
for the saved `RunState`. `wfkit.checkpoint` implements the protocol over a checkpoint storage
(`InMemoryCheckpointStorage`, `FileCheckpointStorage`, `SQLiteCheckpointStorage`, or your own),
and a run reaches it through one labelled door (`run.checkpointing`), a lazy import, so the
core never imports the checkpoint package at module level.
"""

from __future__ import annotations

from typing import Callable, Protocol

from .events import WorkflowErrorDetails, WorkflowRunState
from .state import RunState


class Persistence(Protocol):
    """Saves and loads the runs of one workflow."""

    async def after_step(
        self, state: RunState, status: WorkflowRunState, failure: WorkflowErrorDetails | None = None
    ) -> None:
        """Save `state`, the committed state between two supersteps, as the run stands (`status`).

        A run that failed is saved once more, with the `failure` that stopped it (which executor
        raised), so a history read from checkpoints alone can tell it from the others of its step.
        """
        ...

    async def load(self, checkpoint_id: str, prepare: Callable[[RunState], None]) -> RunState:
        """The `RunState` saved under `checkpoint_id`, ready to run on.

        `prepare(state)` runs after the state is read and before any executor takes back what
        it saved (`Executor.restore_state`), so a bad answer given with the restore (it raises
        there) leaves every executor as it was.
        """
        ...
