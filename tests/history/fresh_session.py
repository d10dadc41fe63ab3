"""Read a run's history back from a checkpoint folder in a *fresh process*, as a learner does in
a new session, and print it as one JSON line.

    python -m tests.history.fresh_session FOLDER [WORKFLOW] [--fork STEP ANSWER]

WORKFLOW is one of `WORKFLOWS` (default: approval). With ``--fork``, the history then forks
from STEP, answering each open request of that step with ANSWER (a JSON value), and the JSON
describes the history after the fork.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from tests.history.workflows import approval_workflow, failing_workflow, fan_workflow, loop_workflow
from wfkit import FileCheckpointStorage
from wfkit.history import RunHistory, Superstep
from wfkit.notebook import explore

WORKFLOWS = {
    "approval": approval_workflow,
    "fan": fan_workflow,
    "loop": loop_workflow,
    "failing": failing_workflow,
}


def describe(step: Superstep) -> dict[str, Any]:
    return {
        "number": step.number,
        "ran": step.ran,
        "statuses": step.statuses,
        "messages": [[m.source, m.target, m.preview] for m in step.messages],
        "shared_state": step.shared_state,
        "executor_states": step.executor_states,
        "pending": {rid: [r.executor_id, r.preview] for rid, r in step.pending_requests.items()},
        "added": step.changes.added,
        "changed": step.changes.changed,
        "asked": step.changes.requests_asked,
        "answered": step.changes.requests_answered,
        "checkpoint_id": step.checkpoint_id,
        "failed": step.failed,
    }


async def main(folder: str, name: str = "approval", *fork: str) -> dict[str, Any]:
    storage = FileCheckpointStorage(folder)
    build = WORKFLOWS[name]
    history = await RunHistory.from_storage(storage, lambda: build(storage))
    report: dict[str, Any] = {}
    if fork:
        if fork[0] != "--fork" or len(fork) != 3:
            raise SystemExit(__doc__)
        number, answer = int(fork[1]), json.loads(fork[2])
        answers = {rid: answer for rid in history.step(number).pending_requests}
        result = await history.fork(number, answers)
        report["fork_outputs"] = [str(output) for output in result.get_outputs()]
    report["tree"] = history.tree()
    report["branches"] = [
        {
            "name": branch.name,
            "parent": branch.parent,
            "from_step": branch.from_step,
            "from_checkpoint": branch.from_checkpoint,
            "ending": branch.ending,
            "steps": [describe(step) for step in branch.steps],
        }
        for branch in history.branches
    ]
    explorer = await explore(storage, factory=lambda: build(storage), show=False)
    report["explorer"] = {
        "slider": {"stops": [label for label, _ in explorer.slider.options], "at": explorer.slider.value},
        "branches": list(explorer.branch_picker.options),
        "static_steps": explorer.static_html().count("<h4"),
    }
    return report


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(*sys.argv[1:])), default=repr))
