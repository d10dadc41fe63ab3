"""`SQLiteCheckpointStorage`: every checkpoint as one row of a SQLite database file.

One file however many checkpoints, safe for several processes at once, and queryable with any
SQLite tool: ``SELECT checkpoint_id, iteration_count FROM checkpoints``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..model import CheckpointFormatError, CheckpointNotFoundError, WorkflowCheckpoint
from .base import check_checkpoint_id, sort_checkpoints, warn_skipped

_SCHEMA = """
CREATE TABLE IF NOT EXISTS checkpoints (
    checkpoint_id   TEXT PRIMARY KEY,
    workflow_id     TEXT NOT NULL,
    timestamp       TEXT NOT NULL,
    iteration_count INTEGER NOT NULL,
    body            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS checkpoints_by_workflow ON checkpoints (workflow_id);
"""


class SQLiteCheckpointStorage:
    """Saves checkpoints in the table ``checkpoints`` of the SQLite file at `path`.

    Each operation opens its own short-lived connection (in a worker thread, so the event loop
    stays responsive). The database runs in WAL mode, and a writer that finds the file busy waits
    up to `timeout` seconds, so two processes can save into one file at the same time.

    >>> storage = SQLiteCheckpointStorage("checkpoints.db")
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.last_skipped: list[tuple[str, str]] = []
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._connect() as connection:
                # WAL lets readers go on while one process writes; the setting stays in the file.
                connection.execute("PRAGMA journal_mode = WAL")
                connection.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise CheckpointFormatError(f"{self.path} cannot be used as a checkpoint database: {error}.") from None

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # isolation_level=None: each statement commits on its own, and each save is one statement.
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            # FULL: a saved checkpoint survives a power cut too, as FileCheckpointStorage's do.
            connection.execute("PRAGMA synchronous = FULL")
            yield connection
        finally:
            connection.close()

    async def save_checkpoint(self, checkpoint: WorkflowCheckpoint) -> str:
        """Insert `checkpoint` (replacing one with the same id) and return its id."""
        checkpoint_id = check_checkpoint_id(checkpoint.checkpoint_id)
        row = (checkpoint_id, checkpoint.workflow_id, checkpoint.timestamp, checkpoint.iteration_count,
               checkpoint.to_json())
        await asyncio.to_thread(self._execute, "INSERT OR REPLACE INTO checkpoints VALUES (?, ?, ?, ?, ?)", row)
        return checkpoint_id

    async def load_checkpoint(self, checkpoint_id: str) -> WorkflowCheckpoint:
        """The checkpoint saved under `checkpoint_id`; raises `CheckpointNotFoundError`."""
        query = "SELECT body FROM checkpoints WHERE checkpoint_id = ?"
        rows = await asyncio.to_thread(self._execute, query, (check_checkpoint_id(checkpoint_id),))
        if not rows:
            ids = await asyncio.to_thread(self._execute, "SELECT checkpoint_id FROM checkpoints ORDER BY timestamp", ())
            raise CheckpointNotFoundError.for_id(checkpoint_id, [row[0] for row in ids], f"database {self.path}")
        return WorkflowCheckpoint.from_json(rows[0][0], source=self._source(checkpoint_id))

    async def list_checkpoints(self, workflow_id: str | None = None) -> list[WorkflowCheckpoint]:
        """The readable checkpoints (of one workflow, if given), oldest first."""
        if workflow_id is None:
            rows = await asyncio.to_thread(self._execute, "SELECT checkpoint_id, body FROM checkpoints", ())
        else:
            query = "SELECT checkpoint_id, body FROM checkpoints WHERE workflow_id = ?"
            rows = await asyncio.to_thread(self._execute, query, (workflow_id,))
        checkpoints: list[WorkflowCheckpoint] = []
        skipped: list[tuple[str, str]] = []
        for checkpoint_id, body in rows:
            try:
                checkpoints.append(WorkflowCheckpoint.from_json(body, source=self._source(checkpoint_id)))
            except CheckpointFormatError as error:
                skipped.append((checkpoint_id, str(error)))
        self.last_skipped = skipped
        warn_skipped(str(self.path), [reason for _, reason in skipped])
        return sort_checkpoints(checkpoints)

    async def list_checkpoint_ids(self, workflow_id: str | None = None) -> list[str]:
        """Ids of the readable checkpoints (of one workflow, if given), oldest first."""
        return [cp.checkpoint_id for cp in await self.list_checkpoints(workflow_id)]

    async def delete_checkpoint(self, checkpoint_id: str) -> bool:
        """Delete the row of `checkpoint_id`; False if there was none."""
        return await asyncio.to_thread(self._delete_row, check_checkpoint_id(checkpoint_id))

    def _execute(self, query: str, parameters: tuple[object, ...]) -> list[tuple[object, ...]]:
        with self._connect() as connection:
            return connection.execute(query, parameters).fetchall()

    def _delete_row(self, checkpoint_id: str) -> bool:
        with self._connect() as connection:
            return connection.execute("DELETE FROM checkpoints WHERE checkpoint_id = ?", (checkpoint_id,)).rowcount > 0

    def _source(self, checkpoint_id: object) -> str:
        return f"checkpoint {checkpoint_id} in database {self.path}"

    def __repr__(self) -> str:
        return f"SQLiteCheckpointStorage({str(self.path)!r})"
