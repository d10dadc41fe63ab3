"""`CheckpointStorage`: the one protocol every checkpoint store follows, and what stores share.

`CheckpointPersistence` only ever talks to this protocol, so a new store (Redis, S3...) is one
small class with these five async methods. A store keeps checkpoints as JSON text, never live objects, so
saving really copies the state: changing a dict after a save cannot change the checkpoint.
"""

from __future__ import annotations

import errno
import re
import warnings
from datetime import datetime, timezone
from typing import Protocol, runtime_checkable

from ...errors import CheckpointStorageError, InvalidCheckpointIdError
from ..model import WorkflowCheckpoint


@runtime_checkable
class CheckpointStorage(Protocol):
    """Where checkpoints are saved and found again. Any class with these five methods is one::

        builder.with_checkpointing(checkpoint_storage=FileCheckpointStorage("checkpoints"))
        ids = await storage.list_checkpoint_ids()
    """

    async def save_checkpoint(self, checkpoint: WorkflowCheckpoint) -> str:
        """Save `checkpoint` (replacing one with the same id) and return its id."""
        ...

    async def load_checkpoint(self, checkpoint_id: str) -> WorkflowCheckpoint:
        """The checkpoint saved under `checkpoint_id`; raises `CheckpointNotFoundError`."""
        ...

    async def list_checkpoint_ids(
        self, workflow_id: str | None = None, *, workflow_name: str | None = None
    ) -> list[str]:
        """Ids of the readable checkpoints (of one workflow, if given), oldest first."""
        ...

    async def list_checkpoints(
        self, workflow_id: str | None = None, *, workflow_name: str | None = None
    ) -> list[WorkflowCheckpoint]:
        """The readable checkpoints (of one workflow, if given by either name), oldest first."""
        ...

    async def delete_checkpoint(self, checkpoint_id: str) -> bool:
        """Remove a checkpoint; False if there was none with that id."""
        ...


class TodaysNames:
    """Agent Framework 1.x's names for what every store does, beside the seed era's.

    Today's AF calls them `save`, `load`, `delete`, `get_latest(workflow_name=...)` and lists
    with ``workflow_name=``; the seed era says `save_checkpoint`, `load_checkpoint`,
    `delete_checkpoint` and ``workflow_id``. Each name here is a short call onto the store's own
    method, so a store written for either era answers to both.
    """

    async def save(self, checkpoint: WorkflowCheckpoint) -> str:
        """`save_checkpoint`, by today's name."""
        return await self.save_checkpoint(checkpoint)  # type: ignore[attr-defined,no-any-return]

    async def load(self, checkpoint_id: str) -> WorkflowCheckpoint:
        """`load_checkpoint`, by today's name."""
        return await self.load_checkpoint(checkpoint_id)  # type: ignore[attr-defined,no-any-return]

    async def delete(self, checkpoint_id: str) -> bool:
        """`delete_checkpoint`, by today's name."""
        return await self.delete_checkpoint(checkpoint_id)  # type: ignore[attr-defined,no-any-return]

    async def get_latest(self, *, workflow_name: str) -> WorkflowCheckpoint | None:
        """The newest checkpoint of the workflow named `workflow_name`, or None if it has none."""
        checkpoints = await self.list_checkpoints(workflow_name=workflow_name)  # type: ignore[attr-defined]
        return checkpoints[-1] if checkpoints else None


def one_workflow(workflow_id: str | None, workflow_name: str | None) -> str | None:
    """The workflow a listing is filtered by, named the seed era's way (`workflow_id`) or today's
    (`workflow_name`); refuses two different names."""
    if workflow_id is not None and workflow_name is not None and workflow_id != workflow_name:
        raise ValueError(
            f"list_checkpoints got workflow_id={workflow_id!r} and workflow_name={workflow_name!r}: two "
            "names for the workflow to list. They are the same thing (the seed era's name and today's); "
            "pass one."
        )
    return workflow_id if workflow_id is not None else workflow_name


# Letters, digits, '-', '_' and '.', not starting with '.': always a plain file name, never a
# path, so `<id>.json` cannot land outside the storage folder (no '/', '\\' or '..').
_SAFE_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}")


def check_checkpoint_id(checkpoint_id: object) -> str:
    """Return `checkpoint_id` if it is safe to use as a file name, else raise `InvalidCheckpointIdError`."""
    if not isinstance(checkpoint_id, str) or not _SAFE_ID.fullmatch(checkpoint_id) or ".." in checkpoint_id:
        raise InvalidCheckpointIdError(
            f"{checkpoint_id!r} is not a valid checkpoint id: use letters, digits, '-', '_' and '.' "
            "(not first, never '..'), at most 200 characters. The default ids (uuid4) always are."
        )
    return checkpoint_id


def _sort_key(checkpoint: WorkflowCheckpoint) -> tuple[datetime, int, str]:
    moment = datetime.fromisoformat(checkpoint.timestamp)
    if moment.tzinfo is None:  # a naive timestamp is taken as UTC, so it can be compared at all
        moment = moment.replace(tzinfo=timezone.utc)
    return moment, checkpoint.iteration_count, checkpoint.checkpoint_id


def sort_checkpoints(checkpoints: list[WorkflowCheckpoint]) -> list[WorkflowCheckpoint]:
    """Oldest first: by timestamp, then iteration (two saves in one clock tick), then id."""
    return sorted(checkpoints, key=_sort_key)


def matches(checkpoint: WorkflowCheckpoint, workflow_id: str | None) -> bool:
    """True if `checkpoint` belongs in a listing filtered by `workflow_id` (None: every workflow)."""
    return workflow_id is None or checkpoint.workflow_id == workflow_id


def warn_skipped(where: str, reasons: list[str]) -> None:
    """Tell the user that a listing left out checkpoints it could not read, and why."""
    if reasons:
        lines = "\n".join(f"  - {reason}" for reason in reasons)
        warnings.warn(
            f"{len(reasons)} unreadable checkpoint(s) in {where} were skipped:\n{lines}",
            RuntimeWarning,
            stacklevel=3,
        )


# What to do about the usual reasons a file system refuses: the message a learner needs.
FIX_DISK_FULL = ("Free some disk space (or choose a folder on another disk) and save again; the checkpoints "
                 "saved before are intact.")
FIX_READ_ONLY = ("Choose a writable folder for the checkpoints (one in your home folder, say), or make this "
                 "one writable.")
FIX_NOT_A_FOLDER = "A file is in the way where a folder should be: choose another path, or move that file away."
FIX_A_FOLDER = "A folder is in the way of the checkpoint file: move or remove it, or choose another storage folder."
FIX_OTHER = "Check that the path exists and can be written, then try again."

_FIXES = {
    errno.ENOSPC: FIX_DISK_FULL,
    errno.EDQUOT: FIX_DISK_FULL,
    errno.EACCES: FIX_READ_ONLY,
    errno.EPERM: FIX_READ_ONLY,
    errno.EROFS: FIX_READ_ONLY,
    errno.ENOTDIR: FIX_NOT_A_FOLDER,
    errno.EEXIST: FIX_NOT_A_FOLDER,
    errno.EISDIR: FIX_A_FOLDER,
}


def storage_error(doing: str, reason: str, fix: str) -> CheckpointStorageError:
    """The error for a refused read or write: ``Could not <doing>: <reason>. <fix>``.

    `doing` names the checkpoint and the file or folder; raise the result *from* the OS's error.
    """
    return CheckpointStorageError(f"Could not {doing}: {reason}. {fix}")


def os_storage_error(doing: str, error: OSError) -> CheckpointStorageError:
    """`storage_error` for an `OSError`, with the fix that fits its errno (a full disk, a read-only folder...)."""
    return storage_error(doing, error.strerror or str(error), _FIXES.get(error.errno or 0, FIX_OTHER))
