"""`InMemoryCheckpointStorage`: checkpoints that live as long as the Python process (or kernel)."""

from __future__ import annotations

from ...errors import CheckpointNotFoundError
from ..model import WorkflowCheckpoint
from .base import TodaysNames, check_checkpoint_id, matches, one_workflow, sort_checkpoints


class InMemoryCheckpointStorage(TodaysNames):
    """Keeps each checkpoint as its JSON text in a dict: quick, and gone when the kernel restarts.

    Storing the text rather than the object means a save is a real copy, exactly as with a
    file: nothing a handler does after the save can change what was saved.

    >>> storage = InMemoryCheckpointStorage()
    """

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    async def save_checkpoint(self, checkpoint: WorkflowCheckpoint) -> str:
        """Save `checkpoint` (replacing one with the same id) and return its id."""
        checkpoint_id = check_checkpoint_id(checkpoint.checkpoint_id)
        self._texts[checkpoint_id] = checkpoint.to_json()
        return checkpoint_id

    async def load_checkpoint(self, checkpoint_id: str) -> WorkflowCheckpoint:
        """The checkpoint saved under `checkpoint_id`; raises `CheckpointNotFoundError`."""
        text = self._texts.get(check_checkpoint_id(checkpoint_id))
        if text is None:
            raise CheckpointNotFoundError.for_id(checkpoint_id, list(self._texts), "this InMemoryCheckpointStorage")
        return WorkflowCheckpoint.from_json(text, source=f"in-memory checkpoint {checkpoint_id}")

    async def list_checkpoints(
        self, workflow_id: str | None = None, *, workflow_name: str | None = None
    ) -> list[WorkflowCheckpoint]:
        """The checkpoints (of one workflow, if given), oldest first."""
        workflow_id = one_workflow(workflow_id, workflow_name)
        checkpoints = [
            WorkflowCheckpoint.from_json(text, source=f"in-memory checkpoint {checkpoint_id}")
            for checkpoint_id, text in list(self._texts.items())
        ]
        return sort_checkpoints([cp for cp in checkpoints if matches(cp, workflow_id)])

    async def list_checkpoint_ids(
        self, workflow_id: str | None = None, *, workflow_name: str | None = None
    ) -> list[str]:
        """Ids of the checkpoints (of one workflow, if given), oldest first."""
        return [cp.checkpoint_id for cp in await self.list_checkpoints(one_workflow(workflow_id, workflow_name))]

    async def delete_checkpoint(self, checkpoint_id: str) -> bool:
        """Remove a checkpoint; False if there was none with that id."""
        return self._texts.pop(check_checkpoint_id(checkpoint_id), None) is not None

    def __repr__(self) -> str:
        return f"InMemoryCheckpointStorage({len(self._texts)} checkpoints)"
