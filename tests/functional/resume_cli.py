"""Start or resume a functional workflow saved in a folder, in a fresh process; print a JSON report.

    python -m tests.functional.resume_cli start DIR TOPIC
    python -m tests.functional.resume_cli resume DIR CHECKPOINT_ID ANSWER

The report says which steps ran in this process, so a test can see that a restored run replays
the steps that finished before instead of running them again.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass

from wfkit import FileCheckpointStorage, RunContext, step, workflow

ran: list[str] = []


@dataclass
class Draft:
    topic: str
    text: str


@step
async def write_draft(topic: str) -> Draft:
    ran.append("write_draft")
    return Draft(topic, f"A short piece about {topic}.")


@step
async def publish(draft: Draft, verdict: str) -> str:
    ran.append("publish")
    return f"{draft.text} ({verdict})"


@workflow(name="newsroom")
async def newsroom(topic: str, ctx: RunContext) -> str:
    draft = await write_draft(topic)
    verdict = await ctx.request_info({"draft": draft.text}, str, request_id="editor")
    return await publish(draft, verdict)


async def main(command: str, folder: str, *rest: str) -> None:
    storage = FileCheckpointStorage(folder)
    pipeline = newsroom.build(checkpoint_storage=storage)
    if command == "start":
        result = await pipeline.run(rest[0])
    else:
        result = await pipeline.run(checkpoint_id=rest[0], responses={"editor": rest[1]})
    latest = await storage.get_latest(workflow_name="newsroom")
    report = {
        "state": result.get_final_state().name,
        "outputs": result.get_outputs(),
        "ran": ran,
        "latest": latest.checkpoint_id if latest else None,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
