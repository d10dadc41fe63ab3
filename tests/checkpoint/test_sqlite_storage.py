"""SQLiteCheckpointStorage: a table of checkpoints in WAL mode, read defensively."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from wfkit.checkpoint import CheckpointFormatError, SQLiteCheckpointStorage, WorkflowCheckpoint


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def query(path: Path, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(path)
    try:
        with connection:
            return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def test_the_database_and_its_folder_are_created(tmp_path: Path) -> None:
    SQLiteCheckpointStorage(tmp_path / "nested" / "cp.db")
    assert (tmp_path / "nested" / "cp.db").is_file()


def test_the_database_runs_in_wal_mode(tmp_path: Path) -> None:
    SQLiteCheckpointStorage(tmp_path / "cp.db")
    assert query(tmp_path / "cp.db", "PRAGMA journal_mode") == [("wal",)]


def test_the_table_has_one_column_per_listed_fact_and_the_body(tmp_path: Path) -> None:
    SQLiteCheckpointStorage(tmp_path / "cp.db")
    columns = [(row[1], row[2], row[5]) for row in query(tmp_path / "cp.db", "PRAGMA table_info(checkpoints)")]
    assert columns == [
        ("checkpoint_id", "TEXT", 1),
        ("workflow_id", "TEXT", 0),
        ("timestamp", "TEXT", 0),
        ("iteration_count", "INTEGER", 0),
        ("body", "TEXT", 0),
    ]


def test_a_saved_row_can_be_read_with_plain_sql(tmp_path: Path) -> None:
    storage = SQLiteCheckpointStorage(tmp_path / "cp.db")
    saved = WorkflowCheckpoint(checkpoint_id="one", workflow_id="wf", iteration_count=7)
    run(storage.save_checkpoint(saved))
    columns = "checkpoint_id, workflow_id, timestamp, iteration_count, body"
    rows = query(tmp_path / "cp.db", f"SELECT {columns} FROM checkpoints")
    assert rows == [("one", "wf", saved.timestamp, 7, saved.to_json())]


def test_reopening_the_file_finds_the_checkpoints_again(tmp_path: Path) -> None:
    run(SQLiteCheckpointStorage(tmp_path / "cp.db").save_checkpoint(WorkflowCheckpoint(checkpoint_id="kept")))
    assert run(SQLiteCheckpointStorage(tmp_path / "cp.db").list_checkpoint_ids()) == ["kept"]


def test_a_damaged_row_is_skipped_and_reported_and_loading_it_names_it(tmp_path: Path) -> None:
    storage = SQLiteCheckpointStorage(tmp_path / "cp.db")
    run(storage.save_checkpoint(WorkflowCheckpoint(checkpoint_id="good")))
    run(storage.save_checkpoint(WorkflowCheckpoint(checkpoint_id="bad")))
    query(tmp_path / "cp.db", "UPDATE checkpoints SET body = substr(body, 1, 30) WHERE checkpoint_id = 'bad'")

    with pytest.warns(RuntimeWarning, match="1 unreadable checkpoint"):
        assert run(storage.list_checkpoint_ids()) == ["good"]
    assert [checkpoint_id for checkpoint_id, _ in storage.last_skipped] == ["bad"]
    with pytest.raises(CheckpointFormatError, match=r"checkpoint bad in database .*cp\.db"):
        run(storage.load_checkpoint("bad"))


def test_a_file_that_is_not_a_database_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("these are my notes, not a database " * 100)
    with pytest.raises(CheckpointFormatError, match=r"notes\.db cannot be used as a checkpoint database"):
        SQLiteCheckpointStorage(tmp_path / "notes.db")


def test_close_lets_go_of_the_database_and_the_next_operation_reopens_it(tmp_path: Path) -> None:
    storage = SQLiteCheckpointStorage(tmp_path / "cp.db")
    run(storage.save_checkpoint(WorkflowCheckpoint(checkpoint_id="before")))
    storage.close()
    storage.close()  # closing twice is harmless
    run(storage.save_checkpoint(WorkflowCheckpoint(checkpoint_id="after")))
    assert sorted(run(storage.list_checkpoint_ids())) == ["after", "before"]


def test_many_saves_at_once_from_one_event_loop_all_land(tmp_path: Path) -> None:
    storage = SQLiteCheckpointStorage(tmp_path / "cp.db")
    other = SQLiteCheckpointStorage(tmp_path / "cp.db")  # a second connection to the same file

    async def save_many() -> None:
        await asyncio.gather(*(
            (storage if i % 2 else other).save_checkpoint(WorkflowCheckpoint(checkpoint_id=f"cp-{i}"))
            for i in range(40)
        ))

    run(save_many())
    assert len(run(storage.list_checkpoint_ids())) == 40


def test_in_the_browser_a_database_in_jupyterlite_s_drive_is_refused_saying_what_works(monkeypatch) -> None:
    import wfkit.checkpoint.storage.sqlite as sqlite_storage
    from wfkit.checkpoint import CheckpointStorageError

    monkeypatch.setattr(sqlite_storage, "in_the_browser", lambda: True)
    with pytest.raises(CheckpointStorageError, match="FileCheckpointStorage") as refused:
        SQLiteCheckpointStorage("/drive/checkpoints/lesson.db")
    assert "JupyterLite's drive" in str(refused.value) and "/tmp" in str(refused.value)


def test_in_the_browser_a_database_outside_the_drive_is_used(monkeypatch, tmp_path: Path) -> None:
    import wfkit.checkpoint.storage.sqlite as sqlite_storage

    monkeypatch.setattr(sqlite_storage, "in_the_browser", lambda: True)
    SQLiteCheckpointStorage(tmp_path / "cp.db")
    assert (tmp_path / "cp.db").is_file()
