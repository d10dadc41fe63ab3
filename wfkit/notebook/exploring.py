"""`explore`: open a run in the run explorer, from whatever the learner has at hand.

    result = await wfkit.notebook.run(workflow, "hello")
    explorer = await wfkit.notebook.explore(result)                 # the run just shown
    explorer = await wfkit.notebook.explore(events, workflow=workflow)
    explorer = await wfkit.notebook.explore(storage, factory=build)  # another session's checkpoints

`explore(...)` shows the explorer at once and reads the checkpoints in the background;
``await`` it to wait until they are read (the lessons do, so the page they leave behind shows
every step's states).

A fork, from the card under a step that asks or from ``await explorer.fork(...)``, becomes a new
branch that leaves from the branch that recorded its step, and the explorer shows that newest
branch (see `wfkit.widgets.RunExplorer`).

``explore(result, workflow=workflow, predict=True)`` shows the first step only, and hides each
next one until the learner has predicted what it does (the panel under the step, or
``explorer.predict(["a", "b"])``): the explorer says right or not quite, and why, then shows it.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Callable, Iterable, Union

from ..core.events import WorkflowEvent
from ..core.workflow import Workflow
from ..history.run_history import RunHistory

if TYPE_CHECKING:
    from ..widgets.run_explorer import RunExplorer


def explore(
    source: Any,
    factory: Callable[[], Workflow] | None = None,
    *,
    workflow: Workflow | None = None,
    storage: Any = None,
    show: bool = True,
    predict: bool = False,
) -> RunExplorer:
    """A `RunExplorer` over `source`, shown under the cell (unless ``show=False``).

    `source` is one of:

    - the `NotebookRun` that `wfkit.notebook.run` returned (a run still going is followed; one
      resumed from a checkpoint shows the steps that led to the checkpoint first);
    - a `WorkflowRunResult`, or a list of events, with ``workflow=`` the workflow that ran it
      (or the pair ``(result, workflow)``);
    - a checkpoint storage: every run of the workflow `factory` builds that it holds, forks
      included, as branches.

    `factory` builds a fresh workflow for each fork, as a new session would; `storage` is where
    the checkpoints are (default: the workflow's own, from ``with_checkpointing``).

    With ``predict=True`` each step after the first stays hidden until the learner predicts it:
    which executors will run in it, and (if they like) where messages will wait after it.
    """
    from ..widgets.run_explorer import RunExplorer  # ipywidgets loads only for those who use widgets
    from .notebook_run import NotebookRun
    from .running import _display

    live = None
    if isinstance(source, tuple) and len(source) == 2 and isinstance(source[1], Workflow):
        source, workflow = source
    if isinstance(source, NotebookRun):
        history = RunHistory.from_events(source.workflow, source.events, storage, factory, source.earlier_steps)
        live = source
    elif callable(getattr(source, "list_checkpoints", None)):
        if factory is None:
            raise TypeError(
                "To explore a checkpoint storage, pass factory=...: a function that builds the workflow "
                "(for its graph, and for forks), e.g. explore(storage, factory=build_workflow)."
            )
        history = RunHistory.of_storage(source, factory)
    elif _is_events(source):
        if workflow is None:
            raise TypeError(
                "A run's events do not say which workflow ran them: pass it too, "
                "explore(result, workflow=workflow)."
            )
        history = RunHistory.from_events(workflow, source, storage, factory)
    else:
        raise TypeError(
            f"explore() cannot read {type(source).__name__}: give it what wfkit.notebook.run returned, "
            "a WorkflowRunResult (or its events) with workflow=..., or a checkpoint storage with factory=..."
        )
    explorer = RunExplorer(history, live=live, predict=predict)
    handle = _display(explorer) if show else None
    explorer.load_in_background()
    if handle is not None:
        # The page keeps a static copy for nbconvert and GitHub: refresh it once the states are in.
        explorer.on_settled(lambda: handle.update(explorer))
    return explorer


async def browse_checkpoints(
    storage: Any, workflow: Union[Workflow, Callable[[], Workflow]], *, show: bool = True
) -> RunExplorer:
    """The checkpoint browser of earlier versions, now the run explorer over `storage`:
    ``await explore(storage, factory=...)``. `workflow` is a function that builds a fresh
    workflow (or a workflow, whose copies then run the forks)."""
    warnings.warn(
        "browse_checkpoints(storage, workflow) is now the run explorer: use "
        "await wfkit.notebook.explore(storage, factory=build_workflow).",
        DeprecationWarning,
        stacklevel=2,
    )
    factory = (lambda: workflow) if isinstance(workflow, Workflow) else workflow
    return await explore(storage, factory=factory, show=show)


def _is_events(source: Any) -> bool:
    if not isinstance(source, Iterable) or isinstance(source, (str, bytes, dict)):
        return False
    return all(isinstance(event, WorkflowEvent) for event in list(source)[:20])
