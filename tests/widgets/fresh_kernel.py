"""A run whose request wants an answer of a class defined in a notebook cell, recorded in one
process and explored in another, as after a kernel restart in which that cell was not run yet.

    python -m tests.widgets.fresh_kernel record FOLDER    # runs the cell, then the workflow: it pauses
    python -m tests.widgets.fresh_kernel explore FOLDER   # opens the explorer without running the cell

A notebook runs a cell's code in the ``__main__`` namespace; so does this module with
`VERDICT_CELL` (run as ``python -m``, it is ``__main__``). With ``explore ... --run-the-cell``
the cell is run before the explorer is opened a second time, as the fork form advises. Each
command prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from wfkit import Executor, FileCheckpointStorage, Never, WorkflowBuilder, WorkflowContext, handler, response_handler
from wfkit.notebook import explore
from wfkit.widgets.request_card import RequestCard

VERDICT_CELL = """
from dataclasses import dataclass
from wfkit import register_checkpoint_type

@register_checkpoint_type
@dataclass
class Verdict:
    approved: bool
    note: str = ""
"""


class Drafter(Executor):
    @handler
    async def write(self, brief: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"Draft about {brief}")


class Gate(Executor):
    @handler
    async def ask(self, draft: str, ctx: WorkflowContext) -> None:
        # `Verdict` is looked up when a draft arrives: in the session where VERDICT_CELL ran.
        await ctx.request_info(draft, response_type=Verdict)  # noqa: F821

    @response_handler
    async def on_answer(self, draft: str, verdict: Any, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{'published' if verdict.approved else 'held'}: {draft} {verdict.note}".strip())


def build(storage: FileCheckpointStorage) -> Any:
    drafter, gate = Drafter("draft"), Gate("gate")
    return WorkflowBuilder(name="verdict").add_edge(drafter, gate).set_start_executor(drafter).with_checkpointing(storage).build()


async def record(folder: str) -> dict[str, Any]:
    exec(VERDICT_CELL, globals())
    result = await build(FileCheckpointStorage(folder)).run("cats")
    return {"state": str(result.get_final_state()), "requests": [e.request_id for e in result.get_request_info_events()]}


async def explore_folder(folder: str, *options: str) -> dict[str, Any]:
    storage = FileCheckpointStorage(folder)
    report: dict[str, Any] = {"before": await _what_the_explorer_shows(storage)}
    if "--run-the-cell" in options:
        exec(VERDICT_CELL, globals())
        report["after"] = await _what_the_explorer_shows(storage, fork_with=Verdict(True, "fine"))  # noqa: F821
    return report


async def _what_the_explorer_shows(storage: FileCheckpointStorage, fork_with: Any = None) -> dict[str, Any]:
    explorer = await explore(storage, factory=lambda: build(storage), show=False)
    shown = {}
    for step in list(explorer.steps):
        explorer.show(step.number)
        shown[step.number] = {
            "drawn": f"Step {step.number} ran:" in explorer.view.value,
            "requests": [request.preview for request in step.pending_requests.values()],
            "cards": [_card_text(card) for card in explorer.cards.children if _card_text(card)],
        }
    report: dict[str, Any] = {"steps": shown, "static_steps": explorer.static_html().count("<h4")}
    if fork_with is not None:
        [request_id] = explorer.steps[-1].pending_requests
        result = await explorer.fork(explorer.steps[-1].number, {request_id: fork_with})
        report["fork_outputs"] = result.get_outputs()
    return report


def _card_text(shown: Any) -> str:
    """What stands for a request under the step: a note's text, or a card's kind and buttons
    ("" for the line that says answering forks, and the cards' style sheet)."""
    if isinstance(shown, RequestCard):
        return f"RequestCard {shown.kind}: {', '.join(shown.buttons)}"
    if "wfkit-fork-note" in shown.value or shown.value.startswith("<style>"):
        return ""
    return shown.value


if __name__ == "__main__":
    command, folder, *rest = sys.argv[1:]
    work = record(folder) if command == "record" else explore_folder(folder, *rest)
    print(json.dumps(asyncio.run(work), default=repr))
