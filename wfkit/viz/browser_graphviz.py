"""Graphviz in the browser: the same `dot` layout, compiled to WebAssembly.

On a desktop wfkit draws a workflow by handing its DOT text to Graphviz's `dot` program
(`wfkit.viz.svg`). In JupyterLite the kernel is Pyodide, Python running inside the web page,
and a page cannot start a program. But Graphviz itself is C, and `@viz-js/viz` is that C
compiled to WebAssembly: `make lite` puts its module in the site (``static/wfkit/viz.js``), and
this module loads it into the kernel's own JavaScript worker, next to Python. So the SVG is made
where Python runs, by the same layout engine as on a desktop, and every picture (the live graph,
a workflow shown in a cell, the static copy kept in the notebook, an exported page) keeps it.

Loading takes a moment (about 1 MB to compile), and it starts by itself when `wfkit.viz` is
imported in the browser (`start_loading`). A picture asked for in that moment (Run All reaches a
cell that shows a workflow a second after the import) waits for it, where the browser lets
Python wait for JavaScript in the middle of a call (`pyodide.ffi.can_run_sync`: WebAssembly's
JavaScript Promise Integration, in Chromium 137 and later). Elsewhere `render` says Graphviz is
not there yet, and the picture falls back as it does without `dot`; `await ready()` waits for
it, and `when_ready` calls back once it is.

    svg = render(workflow.to_dot(), "svg")   # in the browser, once `await ready()` is True
"""

from __future__ import annotations

import asyncio
import subprocess
from typing import Any, Callable

from ..core.browser import in_the_browser
from ..errors import GraphvizNotFoundError

__all__ = ["SITE_MODULE", "ready", "render", "site_module_url", "start_loading", "when_ready"]

# Where `make lite` puts @viz-js/viz, relative to the site's root.
SITE_MODULE = "static/wfkit/viz.js"

# JupyterLite serves its extensions under <site root>/extensions/...; the kernel's worker is one of
# them, so the root is everything in front of that.
_EXTENSIONS = "/extensions/"

_loading: asyncio.Future[Any] | None = None  # resolves to the Graphviz instance
_waiting: list[Callable[[], None]] = []


def site_module_url(worker_url: str) -> str:
    """The URL of Graphviz's module in the site, from the URL of the kernel's worker script.

    >>> site_module_url("https://example.org/course/extensions/@jupyterlite/pyodide-kernel-extension/static/w.js")
    'https://example.org/course/static/wfkit/viz.js'
    """
    root, found, _ = worker_url.partition(_EXTENSIONS)
    if not found:
        raise GraphvizNotFoundError(
            f"Cannot tell where this JupyterLite site starts from the kernel's address {worker_url!r} "
            f"(expected it under .../extensions/), so Graphviz cannot be loaded; the graph is shown as a list."
        )
    return f"{root}/{SITE_MODULE}"


def start_loading() -> None:
    """Begin loading Graphviz into the kernel's worker (once; nothing outside the browser)."""
    global _loading
    if _loading is not None or not in_the_browser():
        return
    _loading = asyncio.ensure_future(_load())
    _loading.add_done_callback(_call_back)


async def _load() -> Any:
    import js  # Pyodide's door to the JavaScript world the kernel runs in
    from pyodide.code import run_js

    url = site_module_url(str(js.location.href))
    # `import()` of an ES module, written in JavaScript: Python has no syntax for it.
    module = await run_js(f"import({url!r})")
    return await module.instance()


def _call_back(loading: asyncio.Future[Any]) -> None:
    callbacks, _waiting[:] = list(_waiting), []
    if loading.cancelled() or loading.exception() is not None:
        return
    for callback in callbacks:
        callback()


async def ready() -> bool:
    """Wait until Graphviz has loaded; True when it can draw (always False outside the browser)."""
    start_loading()
    if _loading is None:
        return False
    try:
        await asyncio.shield(_loading)
    except Exception:
        return False
    return True


def when_ready(callback: Callable[[], None]) -> None:
    """Call `callback` once Graphviz has loaded (at once if it already has); never if it fails."""
    start_loading()
    if _loading is None:
        return
    if _loading.done():
        if not _loading.cancelled() and _loading.exception() is None:
            callback()
        return
    _waiting.append(callback)


def render(dot_text: str, format: str) -> bytes:
    """Lay out DOT text with Graphviz in WebAssembly and return the picture's bytes.

    Raises `GraphvizNotFoundError` while Graphviz is still loading (or could not load) and for a
    format it does not write here (only text formats such as "svg" and "dot"; no PNG or PDF), and
    `subprocess.CalledProcessError` when Graphviz refuses the DOT text, as the `dot` program does,
    so every caller handles both in the same way.
    """
    start_loading()
    _wait_while_loading()
    if _loading is None or not _loading.done() or _loading.cancelled() or _loading.exception() is not None:
        reason = "is still loading" if _loading is not None and not _loading.done() else "could not be loaded"
        raise GraphvizNotFoundError(
            f"Graphviz (in WebAssembly, for the browser) {reason}; the picture follows once it has loaded."
        )
    if format not in ("svg", "dot", "xdot", "plain", "json"):
        raise GraphvizNotFoundError(
            f"In the browser Graphviz writes text formats such as 'svg', not {format!r}: save the SVG, or "
            "run the course with `make lab` for PNG and PDF."
        )
    from pyodide.ffi import JsException

    result = _loading.result().render(dot_text, _js_options(format))
    if str(result.status) != "success":
        messages = "; ".join(str(error.message) for error in result.errors)
        raise subprocess.CalledProcessError(1, "graphviz (WebAssembly)", stderr=messages.encode())
    try:
        return str(result.output).encode("utf-8")
    except JsException as error:  # pragma: no cover - a broken result object
        raise subprocess.CalledProcessError(1, "graphviz (WebAssembly)", stderr=str(error).encode()) from error


def _wait_while_loading() -> None:
    """If Graphviz is still loading and this call may wait for it (see the module docstring),
    wait; a loading that fails is reported by `render` as one that could not be loaded."""
    if _loading is None or _loading.done():
        return
    from pyodide.ffi import can_run_sync, run_sync

    if can_run_sync():  # False in a widget's callback, say: there the picture falls back
        try:
            run_sync(asyncio.shield(_loading))
        except Exception:
            return


def _js_options(format: str) -> Any:
    import js
    from pyodide.ffi import to_js

    return to_js({"format": format}, dict_converter=js.Object.fromEntries)
