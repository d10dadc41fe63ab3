"""Workflows in a notebook: run one and watch it live, with a person in the loop.

    import wfkit.notebook
    result = await wfkit.notebook.run(workflow, "Launch the grinder at $249")

- `running`: `run` (the graph, the event log and a card per request, in one view, in the cell).
- `notebook_run`: the `NotebookRun` that `run` returns: it drives the run (answers from code,
  clicks on the cards) and keeps its record; its view only draws. `answers`: answers given in code.
- `exploring`: `explore`, the run explorer: a recorded run step by step, and forks from it
  (`browse_checkpoints` is its old name).
- `kernel`: what the Jupyter kernel tells a run (can anyone click? has the learner moved on?).
- `live_runs`: one live run per cell and per workflow, so running a cell again never deadlocks
  (`current_runs` lists them).
- `spans`: `span_timeline`, the spans of the latest run as a timeline (with `wfkit.observability`).

Importing this package does not load ipywidgets; `run` does, when it first shows something.
"""

from .exploring import browse_checkpoints, explore
from .kernel import kernel_handles_clicks_while_awaiting, someone_can_click
from .live_runs import current_runs
from .notebook_run import NotebookRun
from .running import run
from .spans import span_timeline

__all__ = [
    "NotebookRun",
    "browse_checkpoints",
    "current_runs",
    "explore",
    "kernel_handles_clicks_while_awaiting",
    "run",
    "someone_can_click",
    "span_timeline",
]
