"""Where a call that may block runs: in a worker thread, or inline where no thread can start.

A plain ``def`` executor, a checkpoint file written or a SQLite query may block for a while
(``time.sleep``, a slow disk, a slow library). Run on the event loop, such a call would freeze
every other executor and every notebook widget, so wfkit hands it to a worker thread with
`asyncio.to_thread`, as Agent Framework does.

In the browser there is no thread to hand it to: JupyterLite's kernel is Pyodide, Python
compiled to WebAssembly, where ``sys.platform == "emscripten"`` and starting a thread fails.
There the same call runs inline, on the event loop. It still does its work and returns the same
value; while it runs, the page waits for it, as it waits for any code a browser cell runs.

    result = await run_blocking(read_the_file, path)   # a thread here, inline in the browser
"""

from __future__ import annotations

import asyncio
from typing import Callable, ParamSpec, TypeVar

from .browser import in_the_browser

__all__ = ["run_blocking", "threads_available"]

P = ParamSpec("P")
T = TypeVar("T")


def threads_available() -> bool:
    """True where Python can start a thread: everywhere but in the browser (Pyodide, JupyterLite)."""
    return not in_the_browser()


async def run_blocking(func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Call `func` off the event loop in a worker thread, or inline where no thread can start,
    and return what it returns. Either way it sees the caller's context variables."""
    if threads_available():
        return await asyncio.to_thread(func, *args, **kwargs)
    return func(*args, **kwargs)
