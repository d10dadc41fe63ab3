"""Where no thread can start (Pyodide, in the browser), plain `def` executors and checkpoint
file and SQLite I/O run inline on the event loop, and do the same work.

The browser is simulated in CPython: `threads_available` (the one place wfkit asks) says no,
and starting a thread fails as it does in Pyodide, so any call that still reached for a thread
would fail the test.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run
from wfkit import Never, WorkflowBuilder, WorkflowContext, executor
from wfkit.checkpoint import FileCheckpointStorage, SQLiteCheckpointStorage, WorkflowCheckpoint
from wfkit.core import blocking


@pytest.fixture
def no_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The browser's rules: wfkit is told there are no threads, and a thread that starts anyway fails."""

    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(blocking, "threads_available", lambda: False)
    monkeypatch.setattr(threading.Thread, "start", refuse)


def test_threads_are_unavailable_exactly_on_emscripten(monkeypatch: pytest.MonkeyPatch) -> None:
    assert blocking.threads_available() is True
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert blocking.threads_available() is False


def test_without_threads_a_plain_def_executor_runs_inline_and_its_result_goes_on(no_threads: None) -> None:
    ran_on: list[int] = []

    @executor(id="shout")
    def shout(text: str) -> str:
        ran_on.append(threading.get_ident())
        return text.upper()

    @executor(id="sink")
    async def sink(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)

    workflow = WorkflowBuilder(start_executor=shout).add_edge(shout, sink).build()
    result = run(workflow.run("hello"))
    assert result.get_outputs() == ["HELLO"]
    assert ran_on == [threading.get_ident()]


def test_with_threads_a_plain_def_executor_runs_in_a_worker_thread() -> None:
    ran_on: list[int] = []

    @executor(id="note")
    def note(text: str, ctx: WorkflowContext[Never, str]) -> None:
        ran_on.append(threading.get_ident())

    run(WorkflowBuilder(start_executor=note).build().run("hello"))
    assert ran_on and ran_on != [threading.get_ident()]


@pytest.mark.parametrize(
    "make_storage",
    [lambda folder: FileCheckpointStorage(folder / "checkpoints"), lambda folder: SQLiteCheckpointStorage(folder / "cp.db")],
    ids=["file", "sqlite"],
)
def test_without_threads_disk_checkpoints_save_load_list_and_delete(
    no_threads: None, make_storage: Any, tmp_path: Path
) -> None:
    storage = make_storage(tmp_path)
    saved = WorkflowCheckpoint(workflow_id="wf", iteration_count=2)
    assert run(storage.save_checkpoint(saved)) == saved.checkpoint_id
    assert run(storage.load_checkpoint(saved.checkpoint_id)).iteration_count == 2
    assert [cp.checkpoint_id for cp in run(storage.list_checkpoints())] == [saved.checkpoint_id]
    assert run(storage.delete_checkpoint(saved.checkpoint_id)) is True
    assert run(storage.list_checkpoints()) == []
