"""`FileCheckpointStorage`: one JSON file per checkpoint in a folder you can open and read."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ...core.blocking import run_blocking
from ...errors import CheckpointFormatError, CheckpointNotFoundError
from ..model import WorkflowCheckpoint
from .base import (
    TodaysNames,
    check_checkpoint_id,
    matches,
    one_workflow,
    os_storage_error,
    sort_checkpoints,
    warn_skipped,
)


class FileCheckpointStorage(TodaysNames):
    """Saves each checkpoint as ``<storage_path>/<checkpoint_id>.json``.

    A save is atomic: the text goes to a temporary file in the same folder, is flushed to disk,
    and then renamed over the real name in one step. So a crash or a killed kernel leaves either
    the old file or the new one, never half a file. Leftover temporary files (``.*.tmp``) from
    such a crash are ignored.

    Listing never fails because of one bad file: unreadable files are left out, reported with a
    warning and kept in `last_skipped` as ``(path, reason)`` pairs. When the folder itself
    refuses (read-only, a full disk), a `CheckpointStorageError` names it and what to do.

    In the browser (JupyterLite) a folder next to the lessons is in the browser's own storage:
    the files are still there after the page is loaded again (see `wfkit.core.browser`).

    >>> storage = FileCheckpointStorage("checkpoints")
    """

    def __init__(self, storage_path: str | os.PathLike[str]) -> None:
        self.storage_path = Path(storage_path)
        try:
            self.storage_path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise os_storage_error(f"use {self.storage_path} as the checkpoint folder", error) from error
        self.last_skipped: list[tuple[Path, str]] = []

    def path_for(self, checkpoint_id: str) -> Path:
        """The file a checkpoint id is saved in (after checking the id cannot leave the folder)."""
        return self.storage_path / f"{check_checkpoint_id(checkpoint_id)}.json"

    async def save_checkpoint(self, checkpoint: WorkflowCheckpoint) -> str:
        """Write `checkpoint` atomically (replacing one with the same id) and return its id."""
        path = self.path_for(checkpoint.checkpoint_id)
        text = checkpoint.to_json()
        try:
            # File I/O runs in a worker thread (where there are threads: `run_blocking`) so the
            # event loop, and the notebook's widgets, stay live.
            await run_blocking(self._write_atomically, path, text)
        except OSError as error:
            raise os_storage_error(f"save checkpoint {checkpoint.checkpoint_id} as {path}", error) from error
        return checkpoint.checkpoint_id

    async def load_checkpoint(self, checkpoint_id: str) -> WorkflowCheckpoint:
        """The checkpoint in ``<checkpoint_id>.json``.

        Raises `CheckpointNotFoundError` if there is no such file, and `CheckpointFormatError`
        naming the file if it is damaged.
        """
        path = self.path_for(checkpoint_id)
        try:
            return await run_blocking(_read_checkpoint, path)
        except FileNotFoundError:
            existing = await run_blocking(self._ids_on_disk)
            raise CheckpointNotFoundError.for_id(checkpoint_id, existing, f"folder {self.storage_path}") from None
        except OSError as error:
            raise os_storage_error(f"read checkpoint {checkpoint_id} from {path}", error) from error

    async def list_checkpoints(
        self, workflow_id: str | None = None, *, workflow_name: str | None = None
    ) -> list[WorkflowCheckpoint]:
        """The readable checkpoints (of one workflow, if given), oldest first."""
        workflow_id = one_workflow(workflow_id, workflow_name)
        checkpoints, skipped = await run_blocking(self._read_all)
        self.last_skipped = skipped
        warn_skipped(str(self.storage_path), [reason for _, reason in skipped])
        return sort_checkpoints([cp for cp in checkpoints if matches(cp, workflow_id)])

    async def list_checkpoint_ids(
        self, workflow_id: str | None = None, *, workflow_name: str | None = None
    ) -> list[str]:
        """Ids of the readable checkpoints (of one workflow, if given), oldest first."""
        return [cp.checkpoint_id for cp in await self.list_checkpoints(one_workflow(workflow_id, workflow_name))]

    async def delete_checkpoint(self, checkpoint_id: str) -> bool:
        """Delete ``<checkpoint_id>.json``; False if there was no such file."""
        path = self.path_for(checkpoint_id)
        try:
            await run_blocking(path.unlink)
        except FileNotFoundError:
            return False
        except OSError as error:
            raise os_storage_error(f"delete checkpoint {checkpoint_id} ({path})", error) from error
        return True

    def _write_atomically(self, path: Path, text: str) -> None:
        # The temporary file must be in the same folder: os.replace is only atomic within one
        # file system. Its name starts with '.' and ends with '.tmp', so listings never see it.
        handle, temp_name = tempfile.mkstemp(dir=self.storage_path, prefix=f".{path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as temp_file:
                temp_file.write(text)
                temp_file.flush()
                os.fsync(temp_file.fileno())  # the bytes are on disk before the name points at them
            os.replace(temp_name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise
        _fsync_directory(self.storage_path)  # and the rename itself survives a power cut

    def _read_all(self) -> tuple[list[WorkflowCheckpoint], list[tuple[Path, str]]]:
        checkpoints: list[WorkflowCheckpoint] = []
        skipped: list[tuple[Path, str]] = []
        for path in sorted(self.storage_path.glob("*.json")):
            try:
                checkpoints.append(_read_checkpoint(path))
            except FileNotFoundError:
                continue  # deleted since the folder was listed
            except (CheckpointFormatError, OSError) as error:
                skipped.append((path, str(error)))
        return checkpoints, skipped

    def _ids_on_disk(self) -> list[str]:
        return sorted(path.stem for path in self.storage_path.glob("*.json"))

    def __repr__(self) -> str:
        return f"FileCheckpointStorage({str(self.storage_path)!r})"


def _read_checkpoint(path: Path) -> WorkflowCheckpoint:
    source = f"checkpoint file {path}"
    checkpoint = WorkflowCheckpoint.from_json(path.read_bytes(), source=source)
    if checkpoint.checkpoint_id != path.stem:
        raise CheckpointFormatError(
            f"{source}: holds checkpoint {checkpoint.checkpoint_id!r}, but a file is named after the "
            "checkpoint it holds. Was it renamed or copied by hand?"
        )
    return checkpoint


def _fsync_directory(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder as a file; NTFS renames are journaled
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
