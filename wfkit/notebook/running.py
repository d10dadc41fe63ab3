"""The notebook entry point: run a workflow and watch it, with a human in the loop.

    from wfkit.notebook import run
    result = await run(workflow, "Launch the grinder at $249")
    result.outputs

`run` shows the live graph, the event log and a card for every request the workflow asks,
all in one view, and runs the workflow in the same cell.

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

**Why awaiting works.** A cell that waits for a click must not block the kernel, or the click
is never received. With ``ipykernel>=7`` a cell can ``await`` while the kernel handles widget
messages. On an older kernel ``run`` returns at the first pause instead (the run continues in
the background on a click) and says so.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Mapping

from .core.events import WorkflowEvent, WorkflowRunState

if TYPE_CHECKING:
    from .checkpoint.storage.base import CheckpointStorage
    from .core.workflow import Workflow
    from .widgets.answers import AnswerSpec
    from .widgets.checkpoint_browser import CheckpointBrowser, WorkflowSource
    from .widgets.run_view import RunView

__all__ = ["NotebookRun", "browse_checkpoints", "run"]


class NotebookRun:
    """What `run` returns: the run's outputs, final state and events, and the workflow.

    It reads from the live view, so if the run continues later (a click on a card after the
    cell finished), ``result.outputs`` and ``result.final_state`` follow.
    """

    def __init__(self, workflow: Workflow, view: RunView) -> None:
        self.workflow = workflow
        self.view = view

    @property
    def outputs(self) -> list[Any]:
        """Every value the run yielded with ``ctx.yield_output``, in order."""
        return list(self.view.outputs)

    @property
    def final_state(self) -> WorkflowRunState | None:
        """IDLE (finished), IDLE_WITH_PENDING_REQUESTS (paused), FAILED..."""
        return self.view.final_state

    @property
    def events(self) -> list[WorkflowEvent]:
        """Every event of the run, continuations included."""
        return list(self.view.events)

    @property
    def pending_requests(self) -> dict[str, Any]:
        """The requests still waiting for an answer, by request id."""
        return self.workflow.pending_requests

    @property
    def message(self) -> str:
        """Why the run paused or failed, in a sentence ("" when it simply finished)."""
        return self.view.note

    async def send_responses(self, responses: Mapping[str, Any]) -> NotebookRun:
        """Answer pending requests in code (``{request_id: answer}``) and continue in the same view."""
        await self.view.send_responses(responses)
        return self

    def __repr__(self) -> str:
        state = self.final_state.name if self.final_state else "not started"
        text = (
            f"NotebookRun(state={state}, outputs={self.outputs!r}, pending_requests={len(self.pending_requests)}, "
            f"events={len(self.view.events)})"
        )
        return f"{text}\n{self.message}" if self.message else text


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
    when). `show=False` runs without displaying anything. Other keywords go to `RunView`:
    ``title``, ``max_log_lines``, ``min_redraw_interval``, ``approve_answer``.

    >>> result = await run(workflow, "Launch the grinder", answers=["Shorter", "approve"])   # doctest: +SKIP
    >>> result.final_state, result.outputs                                                   # doctest: +SKIP
    (<WorkflowRunState.IDLE: 'IDLE'>, ['New: Launch the grinder. ...'])
    """
    from .widgets.run_view import RunView  # ipywidgets is loaded only by those who use widgets

    view = RunView(workflow, **view_options)
    if wait_for_clicks is None:
        wait_for_clicks = answers is None and someone_can_click()
    fallback_note = ""
    if wait_for_clicks and not kernel_handles_clicks_while_awaiting():
        wait_for_clicks = False
        fallback_note = (
            f"This kernel (ipykernel {_ipykernel_version()}) cannot take a click while a cell waits, so the "
            "cell returns now; click the cards and the run continues in the background. For a cell that "
            "waits for you, install ipykernel>=7."
        )
    handle = _display(view) if show else None
    try:
        await view.run(message, answers=answers, wait_for_clicks=wait_for_clicks)
    finally:
        if fallback_note:
            view.note = f"{fallback_note} {view.note}".strip()
        if handle is not None:
            handle.update(view)  # the static picture (text/html) becomes the final one
    return NotebookRun(workflow, view)


async def browse_checkpoints(
    storage: CheckpointStorage, workflow: WorkflowSource, *, show: bool = True, **view_options: Any
) -> CheckpointBrowser:
    """Show the checkpoints of `workflow` in `storage`, ready to resume from any of them.

    `workflow` is the workflow to resume in, or a function that builds a fresh one.
    """
    from .widgets.checkpoint_browser import CheckpointBrowser

    browser = CheckpointBrowser(storage, workflow, **view_options)
    await browser.refresh()
    if show:
        _display(browser)
    return browser


# --- where are we running? -------------------------------------------------------------------


def _kernel() -> Any:
    """The running IPython kernel, or None (plain Python, pytest, a terminal IPython)."""
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell = get_ipython()
    return getattr(shell, "kernel", None)


def someone_can_click() -> bool:
    """True when a person has this notebook open in JupyterLab or Notebook, so a click on a
    card can come: the running cell was sent by a frontend that can answer the kernel
    (``allow_stdin``), in a kernel a Jupyter server started for a notebook session
    (``JPY_SESSION_NAME``). False under papermill, nbconvert, ``jupyter execute`` and plain
    Python, and whenever ``WFKIT_HEADLESS=1``."""
    if os.environ.get("WFKIT_HEADLESS", "").strip().lower() in ("1", "true", "yes"):
        return False
    kernel = _kernel()
    if kernel is None or not os.environ.get("JPY_SESSION_NAME"):
        return False
    # JPY_SESSION_NAME alone is not enough: child processes inherit it, so a papermill run
    # started from a lesson (`!papermill ...`) has it too. What differs is who sent the cell.
    # A notebook frontend allows typed input (`input()`); nbclient, which papermill and
    # nbconvert drive kernels with, cannot answer and says so in every execute request.
    # (The widget frontend's own sign, the "jupyter.widget.control" comm it opens, comes when
    # it connects, before ipywidgets is imported, so the kernel turns it away unrecorded.)
    return _cell_allows_input(kernel)


def _cell_allows_input(kernel: Any) -> bool:
    """The ``allow_stdin`` flag of the execute request being run (False if there is none)."""
    try:
        parent = kernel.get_parent("shell")  # ipykernel>=6: the request this code runs for
    except Exception:  # another kind of kernel: no way to tell, so do not wait
        return False
    if not isinstance(parent, Mapping) or parent.get("header", {}).get("msg_type") != "execute_request":
        return False  # not a cell: a widget callback, a background task
    return bool(parent.get("content", {}).get("allow_stdin", False))


def kernel_handles_clicks_while_awaiting() -> bool:
    """True unless this is an ipykernel older than 7, whose cells block widget messages while
    they await (measured: the click is handled only after the cell ends)."""
    if _kernel() is None:
        return True  # no kernel in between: clicks (button.click()) arrive directly
    version = _ipykernel_version()
    try:
        return int(version.split(".")[0]) >= 7
    except ValueError:
        return False


def _ipykernel_version() -> str:
    try:
        import ipykernel
    except ImportError:
        return "unknown"
    return str(getattr(ipykernel, "__version__", "unknown"))


def _display(widget: Any) -> Any:
    """Display `widget` and return a handle to update it, or None outside IPython."""
    if "IPython" not in sys.modules:
        return None
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display

    if not InteractiveShell.initialized():
        return None  # plain Python: there is nowhere to show it
    return display(widget, display_id=True)
