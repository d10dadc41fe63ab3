"""Is this Python running in a web browser? The one place wfkit asks.

JupyterLite runs the course with nothing installed: its kernel is Pyodide, Python compiled to
WebAssembly, running inside the page. Three things differ there, each handled where it matters:
no thread can start (`wfkit.core.blocking`), a click reaches the kernel only once the running
cell ends (`wfkit.notebook.kernel`), and no program such as Graphviz's `dot` can be started
(`wfkit.viz.browser_graphviz`).
"""

from __future__ import annotations

import sys

__all__ = ["in_the_browser"]


def in_the_browser() -> bool:
    """True in Pyodide (JupyterLite), where ``sys.platform`` is ``"emscripten"``."""
    return sys.platform == "emscripten"
