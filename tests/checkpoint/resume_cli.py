"""A tiny program the tests run in *fresh processes*: start or resume a HITL workflow with
checkpoints in a folder, and print what happened as one JSON line.

    python -m tests.checkpoint.resume_cli start release_notes DIR "brief text"
    python -m tests.checkpoint.resume_cli resume release_notes DIR CHECKPOINT_ID '{"request-id": "approve"}'
    python -m tests.checkpoint.resume_cli loop DIR        (a long loop, for the SIGKILL test)
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from tests.core.review_workflows import ReviewResponse, release_notes_workflow, worker_reviewer_workflow
from wfkit import (
    ExecutorInvokedEvent,
    FileCheckpointStorage,
    RequestInfoEvent,
    SQLiteCheckpointStorage,
    WorkflowBuilder,
    WorkflowContext,
    executor,
)

FACTORIES = {"release_notes": release_notes_workflow, "worker_reviewer": worker_reviewer_workflow}


def storage_for(where: str) -> Any:
    return SQLiteCheckpointStorage(where) if where.endswith(".sqlite") else FileCheckpointStorage(where)


def decode_answer(kind: str, value: Any) -> Any:
    return ReviewResponse(**value) if kind == "worker_reviewer" else value


def report(result: Any) -> None:
    print(
        json.dumps(
            {
                "state": result.get_final_state().name,
                "outputs": [str(o) for o in result.get_outputs()],
                "requests": [
                    {"id": e.request_id, "data": repr(e.data)} for e in result if isinstance(e, RequestInfoEvent)
                ],
                "invoked": [e.executor_id for e in result if isinstance(e, ExecutorInvokedEvent)],
            }
        )
    )


LOOP_END = 1000


def loop_workflow(storage: Any):
    @executor(id="count")
    async def count(n: int, ctx: WorkflowContext[int, int]) -> None:
        await ctx.set_shared_state("last", n)
        if n >= LOOP_END:
            await ctx.yield_output(n)
        else:
            await ctx.send_message(n + 1)

    builder = WorkflowBuilder(max_iterations=2 * LOOP_END).add_edge(count, count).set_start_executor(count)
    return (builder.with_checkpointing(storage) if storage is not None else builder).build()


async def main(argv: list[str]) -> None:
    command = argv[0]
    if command == "loop":
        await loop_workflow(storage_for(argv[1])).run(0)
        return
    kind, where = argv[1], argv[2]
    storage = storage_for(where)
    if command == "start":
        report(await FACTORIES[kind](checkpoint_storage=storage).run(argv[3]))
    elif command == "resume":
        answers = {rid: decode_answer(kind, value) for rid, value in json.loads(argv[4]).items()}
        # A fresh workflow without storage of its own, as a learner would build it tomorrow.
        workflow = FACTORIES[kind]()
        report(await workflow.run_from_checkpoint(argv[3], checkpoint_storage=storage, responses=answers))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
