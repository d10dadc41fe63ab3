"""Agent Framework side of benchmarks/checkpoints.py: the chain with checkpoints, and pause + resume.

AF 1.x API: ``WorkflowBuilder(start_executor=..., checkpoint_storage=FileCheckpointStorage(...))``,
``ctx.request_info(request_data, response_type)`` + ``@response_handler``, and
``workflow.run(checkpoint_id=..., checkpoint_storage=..., responses={request_id: answer})``.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

from agent_framework import (
    Executor,
    FileCheckpointStorage,
    WorkflowContext,
    handler,
    response_handler,
)
from checkpoints_common import ASK_INPUT, Paused, directory_bytes, number_in, question_for, remove_files
from common import CHAIN_LENGTH, BrokenRun, single_output
from shapes_af import AddOne, AddOneAndFinish, _builder

try:
    from typing_extensions import Never
except ImportError:  # pragma: no cover
    from typing import Never  # type: ignore[attr-defined,no-redef]

NAME = "agent-framework-core"
STORAGE = "FileCheckpointStorage (one JSON file per checkpoint, state pickled + base64, no fsync)"


def version() -> str:
    return metadata.version("agent-framework-core")


def _chain(storage: Any) -> Any:
    links = [AddOne(id=f"link{i}") for i in range(CHAIN_LENGTH - 1)]
    links.append(AddOneAndFinish(id=f"link{CHAIN_LENGTH - 1}"))
    kwargs = {"checkpoint_storage": storage} if storage is not None else {}
    return _builder(links[0], **kwargs).add_chain(links).build()


class Chain:
    """The chain of 10, with file checkpoints in `directory` (or none if it is None)."""

    def __init__(self, directory: str | None) -> None:
        self.directory = directory
        self.workflow = _chain(FileCheckpointStorage(directory) if directory else None)

    async def run(self) -> int:
        return single_output((await self.workflow.run(0)).get_outputs(), "chain")

    async def written(self) -> tuple[int, int]:
        return directory_bytes(self.directory, ".json")

    async def clear(self) -> None:
        remove_files(self.directory, ".json")

    async def close(self) -> None:
        pass


# --- pause + resume ---------------------------------------------------------------------------


class First(Executor):
    @handler
    async def step(self, n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 1)


class Ask(Executor):
    @handler
    async def step(self, n: int, ctx: WorkflowContext) -> None:
        await ctx.request_info(request_data=question_for(n), response_type=int)

    @response_handler
    async def answered(self, question: str, answer: int, ctx: WorkflowContext[Never, int]) -> None:
        await ctx.yield_output(number_in(question) + answer)


def _two_steps(storage: Any) -> Any:
    first, ask = First(id="first"), Ask(id="ask")
    return _builder(first, checkpoint_storage=storage).add_edge(first, ask).build()


async def make_chain(directory: str | None) -> Chain:
    return Chain(directory)


async def make_pause_resume(directory: str) -> PauseResume:
    return PauseResume(directory)


class PauseResume:
    """Run until the human is asked; then, in a freshly built workflow, resume with the answer."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.workflow: Any = None
        self.fresh: Any = None
        self.fresh_storage: Any = None

    async def build_pausing(self) -> None:
        """A new workflow for the next pause (not timed), so no run starts with a request pending."""
        self.workflow = _two_steps(FileCheckpointStorage(self.directory))

    async def pause(self) -> Paused:
        result = await self.workflow.run(ASK_INPUT)
        requests = result.get_request_info_events()
        if result.get_outputs() or len(requests) != 1:
            raise BrokenRun(f"pause: expected one request and no output, got {result!r:.300}")
        return Paused(requests[0].request_id, requests[0].data)

    async def checkpoint_id(self, paused: Paused) -> str:
        """The checkpoint to resume from: the newest one of this workflow in the folder (not timed)."""
        latest = await FileCheckpointStorage(self.directory).get_latest(workflow_name=self.workflow.name)
        if latest is None:
            raise BrokenRun("pause: no checkpoint was saved")
        return latest.checkpoint_id

    async def build_fresh(self) -> None:
        """A new workflow instance and a new storage object, as a new process would make them."""
        self.fresh_storage = FileCheckpointStorage(self.directory)
        self.fresh = _two_steps(self.fresh_storage)

    async def resume(self, checkpoint_id: str, paused: Paused, answer: int) -> int:
        result = await self.fresh.run(
            checkpoint_id=checkpoint_id, checkpoint_storage=self.fresh_storage, responses={paused.request_id: answer}
        )
        return single_output(result.get_outputs(), "resume")

    async def clear(self) -> None:
        remove_files(self.directory, ".json")

    async def close(self) -> None:
        pass
