"""`SQLiteCheckpointStorage`: every checkpoint as one row of a SQLite database file.

One file however many checkpoints, safe for several processes at once, and queryable with any
SQLite tool: ``SELECT checkpoint_id, iteration_count FROM checkpoints``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

from ...core.blocking import run_blocking
from ...core.browser import BROWSER_DRIVE, in_the_browser
from ...errors import CheckpointFormatError, CheckpointNotFoundError, CheckpointStorageError
from ..model import WorkflowCheckpoint
from .base import (
    FIX_DISK_FULL,
    FIX_OTHER,
    FIX_READ_ONLY,
    TodaysNames,
    check_checkpoint_id,
    one_workflow,
    os_storage_error,
    sort_checkpoints,
    storage_error,
    warn_skipped,
)

T = TypeVar("T")

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

# The body is read as bytes: SQLite hands back TEXT that is not UTF-8 only as a failure of the
# whole query, which would hide every good checkpoint behind one damaged row.
_BODY = "CAST(body AS BLOB)"


def _refuse_the_browser_drive(path: Path) -> None:
    """In the browser, refuse a database in JupyterLite's drive before SQLite damages it there."""
    if not in_the_browser():
        return
    drive = Path(BROWSER_DRIVE)
    absolute = Path(os.path.abspath(path))
    if absolute == drive or drive in absolute.parents:
        raise storage_error(
            f"open the checkpoint database {path}",
            f"in the browser this folder is JupyterLite's drive ({BROWSER_DRIVE}), kept in the browser's "
            "storage, which writes whole files, while SQLite changes its file in place, page by page",
            "Use FileCheckpointStorage (one JSON file per checkpoint, kept there across page reloads), or "
            "a database under /tmp, kept in the kernel's memory until it stops.",
        )


class SQLiteCheckpointStorage(TodaysNames):
    """Saves checkpoints in the table ``checkpoints`` of the SQLite file at `path`.

    The database runs in WAL mode, and a process that finds the file busy waits up to `timeout`
    seconds, so two processes can save into one file at the same time. Queries run in a worker
    thread, so the event loop (and the notebook's widgets) stay responsive meanwhile. When the
    file cannot be written (read-only, a full disk), a `CheckpointStorageError` says what to do.

    In the browser (JupyterLite) the database cannot live in the folder the lessons live in, the
    browser's storage, which keeps whole files only (see `wfkit.core.browser`): there a
    `CheckpointStorageError` says to use `FileCheckpointStorage`, or a path under ``/tmp`` for a
    database kept until the kernel stops.

    >>> storage = SQLiteCheckpointStorage("checkpoints.db")
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.last_skipped: list[tuple[str, str]] = []
        # One connection, used by one thread at a time. Opening a connection per save would be
        # simpler, but closing the last connection to a WAL database folds the log back into the
        # file each time, which makes a save about ten times slower.
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._connection_pid = 0
        _refuse_the_browser_drive(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise os_storage_error(f"create the folder of the checkpoint database {self.path}", error) from error
        try:
            # WAL lets readers go on while one process writes; the setting stays in the file.
            self._use_connection(self._switch_to_wal)
            self._use_connection(lambda connection: connection.executescript(_SCHEMA))
        except sqlite3.DatabaseError as error:
            self.close()
            raise CheckpointFormatError(f"{self.path} cannot be used as a checkpoint database: {error}.") from None

    def _switch_to_wal(self, connection: sqlite3.Connection) -> None:
        # Two processes opening a new database at once both ask for WAL; SQLite may answer
        # "database is locked" to that request without waiting, so wait here instead.
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _use_connection(self, work: Callable[[sqlite3.Connection], T], doing: str = "") -> T:
        """Run `work` on this process's connection; `doing` ("save checkpoint x") is for errors."""
        with self._lock:
            try:
                # A connection must not cross a fork (multiprocessing): a child opens its own.
                if self._connection is None or self._connection_pid != os.getpid():
                    self._connection = self._connect()
                    self._connection_pid = os.getpid()
                return work(self._connection)
            except sqlite3.OperationalError as error:  # the file refused, not damaged data
                raise self._storage_error(doing, error) from error

    def _storage_error(self, doing: str, error: sqlite3.OperationalError) -> CheckpointStorageError:
        fixes = {
            "SQLITE_FULL": FIX_DISK_FULL,
            "SQLITE_READONLY": FIX_READ_ONLY,
            "SQLITE_PERM": FIX_READ_ONLY,
            "SQLITE_CANTOPEN": "Make sure the path names a file, not a folder, in a folder you can write, "
                               "or choose another path.",
            "SQLITE_BUSY": f"Another process held the database for longer than timeout={self.timeout} s: "
                           "try again, or pass a larger timeout.",
        }
        fix = fixes.get(getattr(error, "sqlite_errorname", ""), FIX_OTHER)
        where = f"the checkpoint database {self.path}"
        return storage_error(f"{doing} in {where}" if doing else f"open {where}", str(error), fix)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: each statement commits on its own, and each save is one statement.
        # check_same_thread=False: worker threads take turns, under self._lock.
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        # FULL: a saved checkpoint survives a power cut too, as FileCheckpointStorage's do.
        connection.execute("PRAGMA synchronous = FULL")
        return connection

    def close(self) -> None:
        """Close the database connection; the next operation opens a new one."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    async def save_checkpoint(self, checkpoint: WorkflowCheckpoint) -> str:
        """Insert `checkpoint` (replacing one with the same id) and return its id."""
        checkpoint_id = check_checkpoint_id(checkpoint.checkpoint_id)
        row = (checkpoint_id, checkpoint.workflow_id, checkpoint.timestamp, checkpoint.iteration_count,
               checkpoint.to_json())
        await self._query("INSERT OR REPLACE INTO checkpoints VALUES (?, ?, ?, ?, ?)", row,
                          doing=f"save checkpoint {checkpoint_id}")
        return checkpoint_id

    async def load_checkpoint(self, checkpoint_id: str) -> WorkflowCheckpoint:
        """The checkpoint saved under `checkpoint_id`; raises `CheckpointNotFoundError`."""
        rows = await self._query(f"SELECT {_BODY} FROM checkpoints WHERE checkpoint_id = ?",
                                 (check_checkpoint_id(checkpoint_id),), doing=f"load checkpoint {checkpoint_id}")
        if not rows:
            ids = await self._query("SELECT checkpoint_id FROM checkpoints ORDER BY timestamp", ())
            raise CheckpointNotFoundError.for_id(checkpoint_id, [row[0] for row in ids], f"database {self.path}")
        return WorkflowCheckpoint.from_json(rows[0][0], source=self._source(checkpoint_id))

    async def list_checkpoints(
        self, workflow_id: str | None = None, *, workflow_name: str | None = None
    ) -> list[WorkflowCheckpoint]:
        """The readable checkpoints (of one workflow, if given), oldest first."""
        workflow_id = one_workflow(workflow_id, workflow_name)
        if workflow_id is None:
            rows = await self._query(f"SELECT checkpoint_id, {_BODY} FROM checkpoints", (), doing="list checkpoints")
        else:
            rows = await self._query(f"SELECT checkpoint_id, {_BODY} FROM checkpoints WHERE workflow_id = ?",
                                     (workflow_id,), doing="list checkpoints")
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

    async def list_checkpoint_ids(
        self, workflow_id: str | None = None, *, workflow_name: str | None = None
    ) -> list[str]:
        """Ids of the readable checkpoints (of one workflow, if given), oldest first."""
        return [cp.checkpoint_id for cp in await self.list_checkpoints(one_workflow(workflow_id, workflow_name))]

    async def delete_checkpoint(self, checkpoint_id: str) -> bool:
        """Delete the row of `checkpoint_id`; False if there was none."""
        parameters = (check_checkpoint_id(checkpoint_id),)

        def delete_row(connection: sqlite3.Connection) -> bool:
            return connection.execute("DELETE FROM checkpoints WHERE checkpoint_id = ?", parameters).rowcount > 0

        return await run_blocking(self._use_connection, delete_row, f"delete checkpoint {checkpoint_id}")

    async def _query(self, query: str, parameters: tuple[object, ...], *, doing: str = "") -> list[tuple[Any, ...]]:
        return await run_blocking(
            self._use_connection, lambda connection: connection.execute(query, parameters).fetchall(), doing
        )

    def _source(self, checkpoint_id: object) -> str:
        return f"checkpoint {checkpoint_id} in database {self.path}"

    def __repr__(self) -> str:
        return f"SQLiteCheckpointStorage({str(self.path)!r})"
