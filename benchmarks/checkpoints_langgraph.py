"""LangGraph side of benchmarks/checkpoints.py: the chain with checkpoints, and pause + resume.

Checkpoints go to LangGraph's SQLite saver (`AsyncSqliteSaver` from langgraph-checkpoint-sqlite,
one database file in the temporary folder) if that package is installed: LangGraph has no
file-per-checkpoint saver. Without it they go to LangGraph's `InMemorySaver`, whose bytes are
the lengths of the serialized blobs it keeps (it serializes every checkpoint and write, as the
SQLite saver does, but writes nothing to disk); `STORAGE` says which was used.

The human step is ``interrupt()``; the resume is ``Command(resume=answer)`` with the paused
checkpoint's id in the config. Graphs run with LangGraph's default durability ("async": a
step's checkpoint is saved while the next step runs; ``ainvoke`` returns only after every save
is done).
"""

from __future__ import annotations

import os
import uuid
from importlib import metadata
from typing import Any, TypedDict

from checkpoints_common import ASK_INPUT, Paused, question_for
from common import BrokenRun
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt
from shapes_langgraph import _build

try:
    import aiosqlite
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
except ModuleNotFoundError:  # langgraph-checkpoint-sqlite is not installed
    SQLITE = False
else:
    SQLITE = True

NAME = "langgraph"
if SQLITE:
    STORAGE = (
        "AsyncSqliteSaver (langgraph-checkpoint-sqlite; one SQLite file; checkpoint + metadata + pending-writes blobs)"
    )
else:
    STORAGE = (
        "InMemorySaver (langgraph-checkpoint-sqlite not installed; nothing on disk; bytes = its serialized blobs)"
    )


def version() -> str:
    if not SQLITE:
        return metadata.version("langgraph")
    sqlite = metadata.version("langgraph-checkpoint-sqlite")
    return f"{metadata.version('langgraph')} (langgraph-checkpoint-sqlite {sqlite})"


_MEMORY: dict[str, Any] = {}  # folder -> its InMemorySaver, so a "fresh" saver sees the checkpoints


async def _saver(directory: str) -> tuple[Any, Any]:
    """(the SQLite connection or None, a checkpointer) for `directory`."""
    if not SQLITE:
        return None, _MEMORY.setdefault(directory, InMemorySaver())
    connection = await aiosqlite.connect(os.path.join(directory, "checkpoints.sqlite"))
    saver = AsyncSqliteSaver(connection)
    await saver.setup()
    return connection, saver


async def _stored(connection: Any, saver: Any, thread_id: str) -> tuple[int, int]:
    """(checkpoints, bytes of their checkpoint, metadata and pending-write blobs) of one thread."""
    if connection is None:  # InMemorySaver keeps (type, bytes) pairs; count the bytes
        count = size = 0
        for checkpoints in saver.storage.get(thread_id, {}).values():
            for checkpoint, meta, _parent in checkpoints.values():
                count += 1
                size += len(checkpoint[1]) + len(meta[1])
        size += sum(len(blob[1]) for key, blob in saver.blobs.items() if key[0] == thread_id)
        size += sum(
            len(write[2][1]) for key, writes in saver.writes.items() if key[0] == thread_id for write in writes.values()
        )
        return count, size
    async with connection.execute(
        "SELECT count(*), coalesce(sum(length(checkpoint) + length(metadata)), 0) FROM checkpoints WHERE thread_id = ?",
        (thread_id,),
    ) as cursor:
        count, checkpoint_bytes = await cursor.fetchone()
    async with connection.execute(
        "SELECT coalesce(sum(length(value)), 0) FROM writes WHERE thread_id = ?", (thread_id,)
    ) as cursor:
        (write_bytes,) = await cursor.fetchone()
    return count, checkpoint_bytes + write_bytes


class Chain:
    """The chain of 10 (shapes_langgraph's graph), with a SQLite checkpointer (or none)."""

    def __init__(self, directory: str | None) -> None:
        self.directory = directory
        self.connection: Any = None
        self.saver: Any = None
        self.graph: Any = None
        self.threads: list[str] = []

    async def open(self) -> None:
        if self.directory is None:
            self.graph = _build("chain")
            return
        self.connection, self.saver = await _saver(self.directory)
        self.graph = _build("chain").builder.compile(checkpointer=self.saver)

    async def run(self) -> int:
        if self.saver is None:
            return (await self.graph.ainvoke({"value": 0}))["value"]
        thread_id = uuid.uuid4().hex  # a new thread per run: a run never continues the last one
        self.threads.append(thread_id)
        return (await self.graph.ainvoke({"value": 0}, {"configurable": {"thread_id": thread_id}}))["value"]

    async def written(self) -> tuple[int, int]:
        count = size = 0
        for thread_id in self.threads:
            c, s = await _stored(self.connection, self.saver, thread_id)
            count, size = count + c, size + s
        return count, size

    async def clear(self) -> None:
        if self.saver is not None:
            for thread_id in self.threads:
                await self.graph.checkpointer.adelete_thread(thread_id)
        self.threads.clear()

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()


async def make_chain(directory: str | None) -> Chain:
    chain = Chain(directory)
    await chain.open()
    return chain


# --- pause + resume ---------------------------------------------------------------------------


class AskState(TypedDict):
    value: int


async def _first(state: AskState) -> dict[str, Any]:
    return {"value": state["value"] + 1}


async def _ask(state: AskState) -> dict[str, Any]:
    answer = interrupt(question_for(state["value"]))
    return {"value": state["value"] + answer}


def _two_steps(saver: Any) -> Any:
    graph = StateGraph(AskState)
    graph.add_node("first", _first)
    graph.add_node("ask", _ask)
    graph.add_edge(START, "first")
    graph.add_edge("first", "ask")
    graph.add_edge("ask", END)
    return graph.compile(checkpointer=saver)


class PauseResume:
    """Run until the human is asked; then, in a freshly built graph with a new connection to the
    same database (with InMemorySaver: the same saver object), resume from the paused checkpoint
    with the answer."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.connection: Any = None
        self.graph: Any = None
        self.fresh_connection: Any = None
        self.fresh: Any = None
        self.thread_id = ""

    async def build_pausing(self) -> None:
        if self.connection is None:
            self.connection, saver = await _saver(self.directory)
        else:
            saver = self.graph.checkpointer
        self.graph = _two_steps(saver)
        self.thread_id = uuid.uuid4().hex

    async def pause(self) -> Paused:
        result = await self.graph.ainvoke({"value": ASK_INPUT}, {"configurable": {"thread_id": self.thread_id}})
        interrupts = result.get("__interrupt__") or []
        if len(interrupts) != 1:
            raise BrokenRun(f"pause: expected one interrupt, got {result!r:.300}")
        return Paused(interrupts[0].id, interrupts[0].value)

    async def checkpoint_id(self, paused: Paused) -> str:
        """The checkpoint to resume from: the thread's latest (not timed)."""
        snapshot = await self.graph.aget_state({"configurable": {"thread_id": self.thread_id}})
        if not snapshot.interrupts:
            raise BrokenRun("pause: the saved state has no pending interrupt")
        return snapshot.config["configurable"]["checkpoint_id"]

    async def build_fresh(self) -> None:
        """A new graph and a new saver on a new connection, as a new process would make them."""
        self.fresh_connection, saver = await _saver(self.directory)
        self.fresh = _two_steps(saver)

    async def resume(self, checkpoint_id: str, paused: Paused, answer: int) -> int:
        config = {"configurable": {"thread_id": self.thread_id, "checkpoint_id": checkpoint_id}}
        result = await self.fresh.ainvoke(Command(resume=answer), config)
        return result["value"]

    async def clear(self) -> None:
        if self.fresh_connection is not None:
            await self.fresh_connection.close()
            self.fresh_connection = None
        await self.graph.checkpointer.adelete_thread(self.thread_id)

    async def close(self) -> None:
        for connection in (self.fresh_connection, self.connection):
            if connection is not None:
                await connection.close()


async def make_pause_resume(directory: str) -> PauseResume:
    return PauseResume(directory)
