"""The notebook entry point: run a workflow and watch it, with a human in the loop.

    from wfkit.notebook import run
    result = await run(workflow, "Launch the grinder at $249")
    result.outputs

`run` makes a `NotebookRun` (`notebook_run`: it drives the workflow and keeps what happened),
shows its view (the live graph, the event log and a card for every request the workflow asks,
all in one `RunView`), and runs the workflow in the same cell.

**Who answers the requests?**

1. ``answers=`` given (a list in order, a dict by request id, or a function
   ``request -> answer``): answers come from it, and a request it has no answer for ends
   the run *paused*, with a message saying which request is unanswered. Nothing waits.
   This is how papermill and CI run lessons: they pass the answers as parameters.
2. ``wait_for_clicks=True`` / ``False``: say it yourself.
3. ``WFKIT_HEADLESS=1`` in the environment: never wait (for a harness wfkit cannot recognise).
4. Otherwise ``run`` waits for clicks only when a person has the notebook open. The kernel
   itself tells: the cell must come from a notebook frontend, which lets the kernel ask for
   typed input (JupyterLab, Notebook 7: ``allow_stdin`` in the cell's execute request), in a
   kernel a Jupyter server started for a notebook (it sets ``JPY_SESSION_NAME``). Papermill,
   ``nbconvert --execute`` and ``jupyter execute`` (all nbclient) send cells with
   ``allow_stdin`` off, so they never wait, even when started from a notebook and so
   inheriting ``JPY_SESSION_NAME``. Plain Python has no kernel, so it never waits either.

Even when ``run`` does not wait, the cards stay live: a click later continues the run in the
background, and the result object follows it.

**A cell below that needs the answers** says so with ``await result.wait_for_answers()``
(`wait_for_answers`): where a cell can wait, it waits for the click; where it cannot (the
browser, ipykernel 6) it stops with `NotAnsweredYetError`, "answer the card above first, then
run this cell again"; with nobody to click (papermill, CI) it returns at once.

**Why awaiting works.** A cell that waits for a click must not block the kernel, or the click
is never received. With ``ipykernel>=7`` a cell can ``await`` while the kernel handles widget
messages. On an older kernel, and in the browser (JupyterLite), a click is handled only after
the running cell ends: there ``run`` returns at the first pause instead (the run continues in
the background on a click) and says so.

**A learner's habits never freeze the notebook.** While a cell waits for a click:

- *running it again* (or running any other cell) ends the wait at once, the run stays paused,
  and the new cell runs; a new run of the same cell (or of the same workflow) then retires the
  old one, whose card gives way to a one-line note (see `live_runs`);
- *interrupting the kernel* ends the wait with one line on the view, no traceback: the run
  stays paused, and `result` is assigned, ready for ``await result.send_responses(...)``.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Any

from ..core.events import WorkflowRunState
from ..errors import NotAnsweredYetError
from ..viz import browser_graphviz
from .kernel import (
    CellQueueWatch,
    cell_id,
    in_a_kernel_cell,
    in_the_browser,
    ipykernel_version,
    kernel_handles_clicks_while_awaiting,
    someone_can_click,
)
from .live_runs import take_over
from .notebook_run import NotebookRun

if TYPE_CHECKING:
    from ..core.workflow import Workflow
    from .answers import AnswerSpec

__all__ = ["run", "wait_for_answers"]

# How often a waiting cell looks whether the learner has sent another cell to run.
QUEUE_CHECK_SECONDS = 0.2

ANOTHER_CELL = (
    "Stopped waiting: you ran a cell, so this one let it go first. The run is paused; its card "
    "still works (a click continues the run in the background)."
)
INTERRUPTED_WHILE_WAITING = (
    "Stopped waiting: the kernel was interrupted. The run is paused; click its card to go on, or "
    "answer in code with `await result.send_responses({request_id: answer})` (the ids are in "
    "`result.pending_requests`)."
)
CANNOT_WAIT_IN_THE_BROWSER = (
    "In the browser a cell cannot wait for a click (the kernel takes a click only once the cell has "
    "ended), so this cell returns now: click the card and the run goes on. Run the cells below once you "
    "have answered; one that needs the answer says so if it comes first."
)
INTERRUPTED_WHILE_RUNNING = (
    "Interrupted in the middle of a step: this run is cancelled. Run the cell again to start over."
)
ANSWER_FIRST = "Answer the card above first, then run this cell again: this cell needs the run's answers"


async def run(
    workflow: Workflow,
    message: Any,
    answers: AnswerSpec = None,
    *,
    wait_for_clicks: bool | None = None,
    show: bool = True,
    **view_options: Any,
) -> NotebookRun:
    """Run `workflow` with `message`, showing its graph, log and request cards; await it.

    `answers` answers requests without a person (see the module docstring for who answers
    when). `show=False` runs without displaying anything. Other keywords go to the `RunView`:
    ``title``, ``max_log_lines``, ``min_redraw_interval``, ``approve_answer``.

    >>> result = await run(workflow, "Launch the grinder", answers=["Shorter", "approve"])   # doctest: +SKIP
    >>> result.final_state, result.outputs                                                   # doctest: +SKIP
    (<WorkflowRunState.IDLE: 'IDLE'>, ['New: Launch the grinder. ...'])
    """
    await browser_graphviz.ready()  # in the browser, the graph's layout engine is loaded first
    notebook_run = NotebookRun(workflow, **view_options)
    if wait_for_clicks is None:
        wait_for_clicks = answers is None and someone_can_click()
    fallback_note = ""
    if wait_for_clicks and not kernel_handles_clicks_while_awaiting():
        wait_for_clicks = False
        fallback_note = CANNOT_WAIT_IN_THE_BROWSER if in_the_browser() else (
            f"This kernel (ipykernel {ipykernel_version()}) cannot take a click while a cell waits, so the "
            "cell returns now; click the cards and the run continues in the background. For a cell that "
            "waits for you, install ipykernel>=7."
        )
    # In a notebook cell a cancellation is the learner pressing Interrupt (ipykernel 7 cancels
    # the cell's task); elsewhere it belongs to whoever cancelled, and goes on up.
    in_cell = in_a_kernel_cell()
    await take_over(notebook_run, cell_id() if in_cell else "")
    handle = _display(notebook_run.view) if show else None
    watcher = _stop_waiting_when_a_cell_is_sent(notebook_run) if wait_for_clicks and in_cell else None
    try:
        await notebook_run.start(message, answers=answers, wait_for_clicks=wait_for_clicks)
    except asyncio.CancelledError:
        if not in_cell:
            raise
        _take_the_interrupt(notebook_run)
    finally:
        if watcher is not None:
            watcher.cancel()
        if fallback_note and notebook_run.final_state is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS:
            # Said only of a run that stopped at a card: one that finished waited for nobody.
            notebook_run.message = f"{fallback_note} {notebook_run.message}".strip()
        if handle is not None:
            handle.update(notebook_run.view)  # the static picture (text/html) becomes the final one
            _redraw_the_picture_when_clicks_go_on(notebook_run, handle)
    return notebook_run


async def wait_for_answers(notebook_run: NotebookRun) -> None:
    """Return once `notebook_run` no longer waits for a person: the cell that calls this needs
    the run's answers (``await result.wait_for_answers()``, see `NotebookRun.wait_for_answers`).

    - A click's continuation still going (the run carries on in the background) ends first.
    - Nobody can click (papermill, CI, plain Python) or nothing is asked: return at once; the
      cell goes on with the run as it stands.
    - This cell can wait for a click (JupyterLab, Notebook 7 on ipykernel 7): wait for the
      cards' clicks. If the learner runs another cell meanwhile, or interrupts, stop waiting.
    - It cannot (the browser, ipykernel 6: the click would come only after this cell ends):
      stop the cell with `NotAnsweredYetError`, saying to answer the card and run it again.
    """
    await notebook_run.wait_until_quiet()
    if not _waits_for_a_person(notebook_run):
        return
    if not kernel_handles_clicks_while_awaiting():
        why = "in the browser a cell cannot wait for a click" if in_the_browser() else (
            f"this kernel (ipykernel {ipykernel_version()}) cannot take a click while a cell waits"
        )
        raise NotAnsweredYetError(f"{ANSWER_FIRST}, and {why}.")
    in_cell = in_a_kernel_cell()
    watcher = _stop_waiting_when_a_cell_is_sent(notebook_run) if in_cell else None
    try:
        await notebook_run.wait_for_clicks()
    except asyncio.CancelledError:
        if not in_cell:
            raise
        _take_the_interrupt(notebook_run)
        raise NotAnsweredYetError(f"{ANSWER_FIRST}; the kernel was interrupted while this cell waited.") from None
    finally:
        if watcher is not None:
            watcher.cancel()
    if _waits_for_a_person(notebook_run):
        raise NotAnsweredYetError(f"{ANSWER_FIRST}; you ran another cell while this one waited.")


def _waits_for_a_person(notebook_run: NotebookRun) -> bool:
    """Paused at a card someone can still answer (not replaced by a newer run)."""
    paused = notebook_run.final_state is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    return paused and not notebook_run.retired and someone_can_click()


def _redraw_the_picture_when_clicks_go_on(notebook_run: NotebookRun, handle: Any) -> None:
    """After the cell, a click can still continue the run, in the background. Each time such a
    continuation ends, the display is updated, so its static picture (``text/html``: what a
    notebook saved without widget state keeps, see `wfkit.widgets.fallback`) shows how the run
    went on, not how it stood when the cell ended. JupyterLab and Notebook 7 take a display's
    update whenever it comes, even from a click after its cell has finished."""

    def redraw(change: dict[str, Any]) -> None:
        if not notebook_run.retired:  # a newer run has the learner's attention, and its own display
            handle.update(notebook_run.view)

    notebook_run.observe(redraw, names="calls_ended")


def _stop_waiting_when_a_cell_is_sent(notebook_run: NotebookRun) -> asyncio.Task[None]:
    """Watch the kernel's queue while the run waits; when the learner sends a cell (this one
    again, or any other), the run stops waiting for clicks so that cell can run."""
    watch = CellQueueWatch()

    async def watch_queue() -> None:
        while not watch.another_cell_sent():
            await asyncio.sleep(QUEUE_CHECK_SECONDS)
        notebook_run.stop_waiting(ANOTHER_CELL)

    return asyncio.ensure_future(watch_queue())


def _take_the_interrupt(notebook_run: NotebookRun) -> None:
    """The learner interrupted the cell: end it with one line on the view, not a traceback."""
    task = asyncio.current_task()
    if task is not None and hasattr(task, "uncancel"):
        task.uncancel()  # Python 3.11+: the cancellation is handled, so later awaits run normally
    paused = notebook_run.final_state is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS and not notebook_run.busy
    notebook_run.message = INTERRUPTED_WHILE_WAITING if paused else INTERRUPTED_WHILE_RUNNING


# --- showing -------------------------------------------------------------------------------


def _display(widget: Any) -> Any:
    """Display `widget` and return a handle to update it, or None outside IPython."""
    if "IPython" not in sys.modules:
        return None
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display

    if not InteractiveShell.initialized():
        return None  # plain Python: there is nowhere to show it
    return display(widget, display_id=True)
