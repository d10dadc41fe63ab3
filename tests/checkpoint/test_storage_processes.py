"""Storages under real-world stress: two processes writing at once, and a writer killed mid-save."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pytest

from wfkit.checkpoint import FileCheckpointStorage, SQLiteCheckpointStorage, decode_value

WRITER = Path(__file__).with_name("checkpoint_writer.py")


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def open_storage(kind: str, path: Path) -> Any:
    return FileCheckpointStorage(path) if kind == "file" else SQLiteCheckpointStorage(path)


def start_writer(
    kind: str, path: Path, workflow_id: str, count: int, payload_bytes: int, *go: Path
) -> subprocess.Popen[str]:
    command = [sys.executable, str(WRITER), kind, str(path), workflow_id, str(count), str(payload_bytes), *map(str, go)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def storage_path(kind: str, tmp_path: Path) -> Path:
    return tmp_path / ("checkpoints" if kind == "file" else "checkpoints.db")


@pytest.mark.parametrize("kind", ["file", "sqlite"])
def test_two_processes_writing_at_once_lose_nothing(kind: str, tmp_path: Path) -> None:
    path, go = storage_path(kind, tmp_path), tmp_path / "go"
    writers = [start_writer(kind, path, name, 50, 2_000, go) for name in ("alpha", "beta")]
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    go.touch()  # both are waiting: now they write side by side
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors

    storage = open_storage(kind, path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ids = run(storage.list_checkpoint_ids())
    assert len(ids) == 100
    assert len(run(storage.list_checkpoint_ids("alpha"))) == len(run(storage.list_checkpoint_ids("beta"))) == 50
    for checkpoint_id in ids:
        checkpoint = run(storage.load_checkpoint(checkpoint_id))
        assert decode_value(checkpoint.shared_state["payload"])[1] == checkpoint.iteration_count


def kill_mid_write(kind: str, path: Path, saves_before_kill: int, delay: float) -> list[str]:
    """Start a writer of large checkpoints, SIGKILL it after some saves, return the ids it reported."""
    writer = start_writer(kind, path, "victim", 0, 1_000_000)
    assert writer.stdout is not None
    reported: list[str] = []
    try:
        while len(reported) < saves_before_kill:
            line = writer.stdout.readline()
            assert line, writer.stderr.read() if writer.stderr else "writer exited"
            reported.append(line.split()[1])
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        remaining, _ = writer.communicate(timeout=30)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == -signal.SIGKILL
    reported += [line.split()[1] for line in remaining.splitlines() if line.startswith("saved ")]
    return reported


needs_sigkill = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


@needs_sigkill
@pytest.mark.parametrize("delay", [0.0, 0.003, 0.011])
def test_a_file_writer_killed_mid_save_leaves_only_whole_checkpoints(tmp_path: Path, delay: float) -> None:
    folder = storage_path("file", tmp_path)
    reported = kill_mid_write("file", folder, saves_before_kill=3, delay=delay)

    storage = FileCheckpointStorage(folder)
    for path in folder.glob("*.json"):  # every file that exists under its real name is whole
        assert run(storage.load_checkpoint(path.stem)).checkpoint_id == path.stem
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        listed = run(storage.list_checkpoint_ids())
    assert storage.last_skipped == []
    assert set(reported) <= set(listed), "a save that returned must survive the kill"
    newest = run(storage.load_checkpoint(listed[-1]))
    assert newest.iteration_count == len(listed) - 1


@needs_sigkill
@pytest.mark.parametrize("delay", [0.0, 0.003, 0.011])
def test_a_sqlite_writer_killed_mid_save_leaves_only_whole_checkpoints(tmp_path: Path, delay: float) -> None:
    path = storage_path("sqlite", tmp_path)
    reported = kill_mid_write("sqlite", path, saves_before_kill=3, delay=delay)

    storage = SQLiteCheckpointStorage(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        listed = run(storage.list_checkpoint_ids())
    assert storage.last_skipped == []
    assert set(reported) <= set(listed), "a save that returned must survive the kill"
    for checkpoint_id in listed:
        assert run(storage.load_checkpoint(checkpoint_id)).checkpoint_id == checkpoint_id
    assert run(storage.load_checkpoint(listed[-1])).iteration_count == len(listed) - 1
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()
