"""Is this Python running in a web browser? The one place wfkit asks.

JupyterLite runs the course with nothing installed: its kernel is Pyodide, Python compiled to
WebAssembly, running inside the page. Three things differ there, each handled where it matters:
no thread can start (`wfkit.core.blocking`), a click reaches the kernel only once the running
cell ends (`wfkit.notebook.kernel`), and no program such as Graphviz's `dot` can be started
(`wfkit.viz.browser_graphviz`).

Files are different too. JupyterLite keeps its files (the lessons, and whatever a lesson writes
next to them) in the browser's own storage, IndexedDB, and shows them to the kernel as the folder
`BROWSER_DRIVE`, where a lesson starts. A file written there survives a page reload and a new
kernel, which is how lesson 3's checkpoints wait for "tomorrow". The drive takes whole files,
written and read in one go; a file changed in place, page by page, as SQLite does, comes back
damaged (`SQLiteCheckpointStorage` refuses to open one there and says why). Elsewhere, under
``/tmp`` say, files live in the kernel's memory, and are gone with the kernel.
"""

from __future__ import annotations

import sys

__all__ = ["BROWSER_DRIVE", "in_the_browser"]

# Where JupyterLite's Pyodide kernel shows the site's files, kept in the browser's storage.
BROWSER_DRIVE = "/drive"


def in_the_browser() -> bool:
    """True in Pyodide (JupyterLite), where ``sys.platform`` is ``"emscripten"``."""
    return sys.platform == "emscripten"
