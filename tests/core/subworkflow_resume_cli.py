"""Start or resume the draft / approval parent workflow in a fresh process; print a JSON report.

    python -m tests.core.subworkflow_resume_cli start DIR TOPIC [SHAPE]
    python -m tests.core.subworkflow_resume_cli resume DIR CHECKPOINT_ID '{"request-id": "approve"}' [SHAPE]

SHAPE is `draft` (the default: the draft / approval parent) or `two_levels`.
"""

from __future__ import annotations

import asyncio
import json
import sys

from tests.core.composed_workflows import DraftTask, draft_parent_workflow, two_level_workflow
from wfkit import FileCheckpointStorage, RequestInfoEvent

SHAPES = {
    "draft": (draft_parent_workflow, DraftTask),
    "two_levels": (two_level_workflow, str),
}


async def main(command: str, folder: str, *rest: str) -> None:
    storage = FileCheckpointStorage(folder)
    if command == "start":
        build, make_input = SHAPES[rest[1] if len(rest) > 1 else "draft"]
        result = await build(storage).run(make_input(rest[0]))
    else:
        build, _ = SHAPES[rest[2] if len(rest) > 2 else "draft"]
        result = await build(storage).run_from_checkpoint(rest[0], responses=json.loads(rest[1]))
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
