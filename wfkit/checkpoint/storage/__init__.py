"""Checkpoint storages: where saved runs live. All follow the `CheckpointStorage` protocol.

- `InMemoryCheckpointStorage`: a dict in this process; quick, gone on kernel restart.
- `FileCheckpointStorage`: one readable JSON file per checkpoint in a folder.
- `SQLiteCheckpointStorage`: one SQLite file, safe for several processes at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import CheckpointStorage
from .file import FileCheckpointStorage
from .memory import InMemoryCheckpointStorage

if TYPE_CHECKING:
    from .sqlite import SQLiteCheckpointStorage

__all__ = ["CheckpointStorage", "FileCheckpointStorage", "InMemoryCheckpointStorage", "SQLiteCheckpointStorage"]


def __getattr__(name: str) -> Any:
    # sqlite3 is only imported by whoever uses the SQLite storage, to keep `import wfkit` quick.
    if name == "SQLiteCheckpointStorage":
        from .sqlite import SQLiteCheckpointStorage

        return SQLiteCheckpointStorage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
