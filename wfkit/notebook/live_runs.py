"""One live run per cell, and one per workflow.

Learners run cells again all the time. When the cell that runs a workflow is run again while
its card waits, Jupyter clears the cell's output, so the old card is gone from the page; yet
the old run still holds the workflow, and a click that still reached it would answer a
request of the *new* run. So a new run first retires every older run that is still live in
the same cell or on the same workflow: it stops waiting, a continuation still running is
cancelled, and its cards give way to a one-line note. Runs in other cells, on other
workflows, are left alone.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .notebook_run import NotebookRun

SAME_CELL = "Replaced: this cell was run again, and the new run took over."
SAME_WORKFLOW = "Replaced: this workflow was started again in another cell, and that run took over."

# Runs still live somewhere, with the id of the cell that made each. Weak references: a run
# nobody holds any more (its result and its view gone) must not be kept alive by this list.
_live: list[tuple[weakref.ref[NotebookRun], str]] = []


async def take_over(notebook_run: NotebookRun, cell: str) -> None:
    """Make `notebook_run` (made by notebook cell `cell`, "" if unknown) the live run of its
    cell and of its workflow, retiring the runs it replaces."""
    still_live = []
    for ref, old_cell in _live:
        old = ref()
        if old is None or old is notebook_run or old.retired:
            continue
        if cell and old_cell == cell:
            await old.retire(SAME_CELL)
        elif old.workflow is notebook_run.workflow:
            await old.retire(SAME_WORKFLOW)
        else:
            still_live.append((ref, old_cell))
    still_live.append((weakref.ref(notebook_run), cell))
    _live[:] = still_live


def current_runs() -> list[NotebookRun]:
    """The runs not retired yet, oldest first (for tests and for curious learners)."""
    return [notebook_run for ref, _ in _live if (notebook_run := ref()) is not None and not notebook_run.retired]
