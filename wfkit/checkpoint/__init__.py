"""Checkpoints: save a run between supersteps and continue it later, in this process or another.

- `model`: `WorkflowCheckpoint`, the saved run as plain JSON data.
- `codec`: the safe JSON encoding of values.
- `registry`: the types allowed in checkpoints, by name.
- `storage`: where checkpoints are kept (memory, a folder of JSON files, a SQLite file).
- `persistence`: the engine's `Persistence`, saving a run as a checkpoint and loading it back.
- `summary`: checkpoints read for people (status, pending requests).
- `contents`: everything a checkpoint holds, decoded to be looked at (the run explorer's view).

The checkpoint errors (`CheckpointError` and its subclasses) live in `wfkit.errors`, with every
other wfkit error, and are importable from here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import (
    CheckpointEncodingError,
    CheckpointError,
    CheckpointFormatError,
    CheckpointGraphMismatchError,
    CheckpointNotFoundError,
    CheckpointRegistryError,
    CheckpointStorageError,
    InvalidCheckpointIdError,
)
from .codec import decode_value, encode_value
from .model import WorkflowCheckpoint
from .registry import is_registered, register_checkpoint_type, register_types_from_annotation
from .storage import CheckpointStorage, FileCheckpointStorage, InMemoryCheckpointStorage
from .summary import get_checkpoint_summary
from .contents import CheckpointContents, is_left_as_saved, missing_types, read_contents, why_left_as_saved

if TYPE_CHECKING:
    from .storage.sqlite import SQLiteCheckpointStorage

__all__ = [
    "CheckpointContents",
    "CheckpointEncodingError",
    "CheckpointError",
    "CheckpointFormatError",
    "CheckpointGraphMismatchError",
    "CheckpointNotFoundError",
    "CheckpointRegistryError",
    "CheckpointStorage",
    "CheckpointStorageError",
    "FileCheckpointStorage",
    "InMemoryCheckpointStorage",
    "InvalidCheckpointIdError",
    "SQLiteCheckpointStorage",
    "WorkflowCheckpoint",
    "decode_value",
    "encode_value",
    "get_checkpoint_summary",
    "is_left_as_saved",
    "is_registered",
    "missing_types",
    "read_contents",
    "register_checkpoint_type",
    "register_types_from_annotation",
    "why_left_as_saved",
]


def __getattr__(name: str) -> Any:
    # Loaded on first use only, so `import wfkit` does not pay for sqlite3.
    if name == "SQLiteCheckpointStorage":
        from .storage.sqlite import SQLiteCheckpointStorage

        return SQLiteCheckpointStorage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
