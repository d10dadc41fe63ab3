"""Start or resume the draft / approval parent workflow in a fresh process; print a JSON report.

    python -m tests.composition.resume_cli start DIR TOPIC
    python -m tests.composition.resume_cli resume DIR CHECKPOINT_ID '{"request-id": "approve"}'
"""

from __future__ import annotations

import asyncio
import json
import sys

from tests.composition.workflows import DraftTask, draft_parent_workflow
from wfkit import FileCheckpointStorage, RequestInfoEvent


async def main(command: str, folder: str, *rest: str) -> None:
    storage = FileCheckpointStorage(folder)
    if command == "start":
        result = await draft_parent_workflow(storage).run(DraftTask(rest[0]))
    else:
        result = await draft_parent_workflow(storage).run_from_checkpoint(rest[0], responses=json.loads(rest[1]))
    print(
        json.dumps(
            {
                "state": result.get_final_state().name,
                "outputs": [repr(o) for o in result.get_outputs()],
                "requests": [{"id": e.request_id, "draft": e.data.draft_text, "iteration": e.data.iteration}
                             for e in result if isinstance(e, RequestInfoEvent)],
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
