"""What the Jupyter kernel tells a run about the notebook it runs in.

A run shown in a notebook has to know three things about its surroundings, and only the
kernel can tell:

- **Can anyone click?** Only when a person has the notebook open (`someone_can_click`).
  Papermill and CI run the same cells with nobody there, so a run must never wait for them.
- **Can this cell wait for a click?** ipykernel 7 handles widget messages while a cell
  awaits; ipykernel 6 handles them only after the cell ends (`kernel_handles_clicks_while_awaiting`),
  and so does JupyterLite's Pyodide kernel, in the browser (`in_the_browser`): its kernel
  takes one message at a time, so a click waits for the running cell to end.
- **Has the learner moved on?** A cell waiting for a click holds the kernel: every cell run
  after it queues behind it. When a learner runs the cell again, or runs another one, the
  waiting cell must end, or the notebook seems frozen (`CellQueueWatch`).

Everything here reads the kernel and never changes it.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, Mapping

from ..core.browser import in_the_browser

__all__ = [
    "CellQueueWatch",
    "cell_id",
    "in_a_kernel_cell",
    "in_the_browser",
    "ipykernel_version",
    "kernel_handles_clicks_while_awaiting",
    "someone_can_click",
]


def _kernel() -> Any:
    """The running IPython kernel, or None (plain Python, pytest, a terminal IPython)."""
    if "IPython" not in sys.modules:
        return None
    from IPython import get_ipython

    shell = get_ipython()
    return getattr(shell, "kernel", None)


def _cell_request() -> Mapping[str, Any] | None:
    """The execute request (the cell) this code runs for, or None outside a cell (and
    outside a kernel)."""
    kernel = _kernel()
    if kernel is None:
        return None
    try:
        parent = kernel.get_parent("shell")  # ipykernel>=6: the request this code runs for
    except Exception:  # another kind of kernel: no way to tell
        return None
    if not isinstance(parent, Mapping) or parent.get("header", {}).get("msg_type") != "execute_request":
        return None  # not a cell: a widget callback, a background task
    return parent


def someone_can_click() -> bool:
    """True when a person has this notebook open in JupyterLab or Notebook, so a click on a
    card can come: the running cell was sent by a frontend that can answer the kernel
    (``allow_stdin``), in a kernel a Jupyter server started for a notebook session
    (``JPY_SESSION_NAME``). False under papermill, nbconvert, ``jupyter execute`` and plain
    Python, and whenever ``WFKIT_HEADLESS=1``. True in the browser (JupyterLite): a page is open."""
    if os.environ.get("WFKIT_HEADLESS", "").strip().lower() in ("1", "true", "yes"):
        return False
    if in_the_browser():
        return True
    if not os.environ.get("JPY_SESSION_NAME"):
        return False
    # JPY_SESSION_NAME alone is not enough: child processes inherit it, so a papermill run
    # started from a lesson (`!papermill ...`) has it too. What differs is who sent the cell.
    # A notebook frontend allows typed input (`input()`); nbclient, which papermill and
    # nbconvert drive kernels with, cannot answer and says so in every execute request.
    # (The widget frontend's own sign, the "jupyter.widget.control" comm it opens, comes when
    # it connects, before ipywidgets is imported, so the kernel turns it away unrecorded.)
    request = _cell_request()
    return request is not None and bool(request.get("content", {}).get("allow_stdin", False))


def in_a_kernel_cell() -> bool:
    """True while code runs for a notebook cell in a Jupyter kernel (not in plain Python, a
    test, or a widget callback). There, a cancelled cell means the learner interrupted it."""
    return _cell_request() is not None


def cell_id() -> str:
    """The id of the notebook cell being run ("" if unknown). JupyterLab and Notebook 7 send
    it with every cell they run, so a run can tell the same cell run again from another one."""
    request = _cell_request()
    if request is None:
        return ""
    return str(request.get("metadata", {}).get("cellId", "") or "")


def kernel_handles_clicks_while_awaiting() -> bool:
    """True unless this is an ipykernel older than 7, whose cells block widget messages while
    they await (measured: the click is handled only after the cell ends), or the browser's
    Pyodide kernel, which does the same."""
    if in_the_browser():
        return False
    if _kernel() is None:
        return True  # no kernel in between: clicks (button.click()) arrive directly
    try:
        return int(ipykernel_version().split(".")[0]) >= 7
    except ValueError:
        return False


def ipykernel_version() -> str:
    """The installed ipykernel's version, or "unknown"."""
    try:
        import ipykernel
    except ImportError:
        return "unknown"
    return str(getattr(ipykernel, "__version__", "unknown"))


def _cells_queued() -> int | None:
    """How many shell requests wait for the running cell to end, or None if this kernel does
    not let us see.

    ipykernel 7 runs one shell request at a time behind an asyncio lock (widget messages
    excepted: they go round it, which is why a click reaches an awaiting cell). Every request
    sent while a cell runs (a cell run again, the next cell, a completion) waits on that lock,
    so its waiters are the queue. Neither the lock nor its waiters are public API: when they
    are not there, a run simply cannot tell, and waits as before.
    """
    kernel = _kernel()
    lock = getattr(kernel, "_main_asyncio_lock", None)
    if lock is None:
        return None
    waiters = getattr(lock, "_waiters", ())
    if waiters is None:  # asyncio creates the queue on the first waiter
        return 0
    try:
        return sum(not waiter.done() for waiter in waiters)
    except (TypeError, AttributeError):
        return None


class CellQueueWatch:
    """Tells whether a cell was sent to run since the watch started.

    A cell that waits for a click starts a watch. Cells sent together with it (the rest of a
    "Run All") do not count: they reach the kernel within a few milliseconds, so whatever is
    queued in the first `grace` seconds is taken as already there. Only cells sent later
    count: the learner ran this cell again, or another one, and expects it to run.

    >>> watch = CellQueueWatch()      # doctest: +SKIP
    >>> watch.another_cell_sent()     # doctest: +SKIP
    False
    """

    def __init__(self, grace: float = 0.5) -> None:
        self.queued_before = _cells_queued()
        self.grace_ends = time.monotonic() + grace

    def another_cell_sent(self) -> bool:
        """True if a shell request arrived after the watch started (and its grace ended)."""
        now = _cells_queued()
        if now is None or self.queued_before is None:
            return False
        if time.monotonic() < self.grace_ends:
            self.queued_before = max(self.queued_before, now)
            return False
        return now > self.queued_before
