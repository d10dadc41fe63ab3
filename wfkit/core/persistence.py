"""The seam through which the engine saves a run: a small protocol, implemented elsewhere.

The engine knows nothing of files, databases or JSON. After each superstep it calls
`Persistence.after_step(state, status)`; to continue a run, `Workflow` asks `load(checkpoint_id)`
for the saved `RunState`. `wfkit.checkpoint` implements the protocol over a checkpoint storage
(`InMemoryCheckpointStorage`, `FileCheckpointStorage`, `SQLiteCheckpointStorage`, or your own),
and plugs itself in with `use_persistence` when it is imported, so the arrows point one way:
`checkpoint` -> `core`, never back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Protocol

from ..errors import WorkflowRunError
from .events import WorkflowRunState
from .state import RunState

if TYPE_CHECKING:
    from .workflow import Workflow


class Persistence(Protocol):
    """Saves and loads the runs of one workflow."""

    async def after_step(self, state: RunState, status: WorkflowRunState) -> None:
        """Save `state`, the committed state between two supersteps, as the run stands (`status`)."""
        ...

    async def load(self, checkpoint_id: str, prepare: Callable[[RunState], None]) -> RunState:
        """The `RunState` saved under `checkpoint_id`, ready to run on.

        `prepare(state)` runs after the state is read and before any executor takes back what
        it saved (`Executor.restore_state`), so a bad answer given with the restore (it raises
        there) leaves every executor as it was.
        """
        ...


PersistenceFactory = Callable[["Workflow", Any], Persistence]
_factory: PersistenceFactory | None = None


def use_persistence(factory: PersistenceFactory) -> None:
    """Tell the engine how to save runs to a checkpoint storage (`wfkit.checkpoint` does this)."""
    global _factory
    _factory = factory


def persistence_for(workflow: Workflow, storage: Any) -> Persistence:
    """How `workflow` saves to and loads from `storage`."""
    if _factory is None:
        raise WorkflowRunError(
            "Checkpointing needs the wfkit.checkpoint package, which was not imported. Import wfkit "
            "(or wfkit.checkpoint) before running a workflow with checkpoint storage."
        )
    return _factory(workflow, storage)
