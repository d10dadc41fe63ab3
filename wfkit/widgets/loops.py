"""Which event loop runs a workflow, and how a click reaches it from another thread.

A click does not always arrive on the thread that runs the cell: JupyterLab 4 sends widget
messages to a kernel *subshell* when the kernel has them (ipykernel 7 does), and a subshell
is a thread with its own asyncio loop. A workflow must only ever be touched from one loop,
so whoever runs it (a `NotebookRun`, the run explorer) remembers its *home* loop (the one its
runs stream in) and hands every click over to it with `call_in_loop`.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Coroutine, TypeGuard


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running on this thread, or None (plain Python code)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _is_live(loop: asyncio.AbstractEventLoop | None) -> TypeGuard[asyncio.AbstractEventLoop]:
    """True if `loop` can still be handed work: it exists, is not closed and is running."""
    return loop is not None and not loop.is_closed() and loop.is_running()


def call_in_loop(loop: asyncio.AbstractEventLoop | None, function: Callable[..., Any], *args: Any) -> None:
    """Call ``function(*args)`` on `loop`'s thread: right now if we are on it (or there is no
    live loop to go to), otherwise as soon as that loop gets to it."""
    if not _is_live(loop) or loop is running_loop():
        function(*args)
    else:
        loop.call_soon_threadsafe(function, *args)


def start_task(
    loop: asyncio.AbstractEventLoop | None,
    make_coroutine: Callable[[], Coroutine[Any, Any, Any]],
    tasks: set[asyncio.Task[Any]],
) -> bool:
    """Run ``make_coroutine()`` as a task on `loop` (from any thread), keeping a reference to it
    in `tasks` until it ends (the loop itself keeps only a weak one). Without any running loop
    nothing starts and this returns False: plain Python code awaits the work itself."""
    if running_loop() is None and not _is_live(loop):
        return False

    def start() -> None:
        task = asyncio.get_running_loop().create_task(make_coroutine())
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    call_in_loop(loop, start)
    return True
