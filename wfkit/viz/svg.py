"""Turn DOT text into an SVG picture, and choose what a notebook shows for a workflow.

Graphviz's `dot` program does the layout. It is a separate program (not a Python package),
so a notebook without it falls back to a Mermaid drawing instead of failing. In the browser
(JupyterLite), where no program can start, Graphviz compiled to WebAssembly does the same
layout instead (`browser_graphviz`).
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from ..core.browser import in_the_browser
from ..errors import GraphvizNotFoundError
from . import browser_graphviz
from .dot import workflow_to_dot
from .mermaid import workflow_to_mermaid

if TYPE_CHECKING:
    from ..core.workflow import Workflow


INSTALL_HINT = (
    "Drawing a workflow as SVG needs Graphviz's `dot` program, which was not found on your PATH. "
    "Install it with `apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) or "
    "`conda install graphviz`; `make lab` installs it for you. Until then `workflow.to_mermaid()` "
    "still draws the graph, and notebooks show that drawing instead."
)


def dot_to_svg(dot_text: str) -> str:
    """Lay out DOT text with Graphviz and return the SVG markup.

    >>> svg = dot_to_svg(workflow.to_dot())       # doctest: +SKIP
    >>> svg.startswith("<?xml")                    # doctest: +SKIP
    True
    """
    return render_dot(dot_text, "svg").decode("utf-8")


def render_dot(dot_text: str, format: str) -> bytes:
    """Lay out DOT text with Graphviz and return the picture's bytes in `format` ("svg", "png", "pdf", ...).

    >>> render_dot(workflow.to_dot(), "png")[:4]   # doctest: +SKIP
    b'\\x89PNG'
    """
    if in_the_browser():
        return browser_graphviz.render(dot_text, format)
    # Imported here, not at the top, so `import wfkit` stays quick for learners.
    try:
        import graphviz
    except ImportError as error:
        raise GraphvizNotFoundError(INSTALL_HINT + " (Also `pip install graphviz`.)") from error
    try:
        return graphviz.Source(dot_text).pipe(format=format, quiet=True)
    except graphviz.ExecutableNotFound as error:
        raise GraphvizNotFoundError(INSTALL_HINT) from error


def mimebundle(workflow: Workflow) -> dict[str, str]:
    """What Jupyter shows for a workflow: an SVG drawing, or a Mermaid one without Graphviz.

    Jupyter calls this through `Workflow._repr_mimebundle_` when a workflow is the last
    expression of a cell. It never raises, because a failing display hides the cell's result.
    """
    text = repr(workflow)
    try:
        return {"image/svg+xml": dot_to_svg(workflow_to_dot(workflow)), "text/plain": text}
    except (GraphvizNotFoundError, subprocess.CalledProcessError):
        # JupyterLab 4 draws mermaid code blocks in Markdown output.
        return {"text/markdown": f"```mermaid\n{workflow_to_mermaid(workflow)}```", "text/plain": text}


# In the browser, Graphviz takes a moment to load: start now, so the first picture finds it ready.
browser_graphviz.start_loading()
