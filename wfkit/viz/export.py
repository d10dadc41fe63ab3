"""`WorkflowViz`: draw a workflow and save the picture to a file.

Agent Framework's samples draw a workflow through a small object rather than through the workflow
itself; wfkit offers the same object, built on its own drawings (`dot.py`, `mermaid.py`), so
the pictures are the ones a notebook shows::

    viz = WorkflowViz(workflow)
    print(viz.to_mermaid())
    viz.save_svg("workflow.svg")        # -> "workflow.svg"
    viz.export(format="png")            # no file name: a new temporary file; its path is returned

Only SVG, PNG and PDF need Graphviz's `dot` program; DOT and Mermaid text never do.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .dot import workflow_to_dot
from .mermaid import workflow_to_mermaid
from .svg import render_dot

if TYPE_CHECKING:
    from ..core.workflow import Workflow

# What `export` can write. "dot" is the DOT text itself; the others are drawn by Graphviz.
EXPORT_FORMATS = ("svg", "png", "pdf", "dot")

ExportFormat = Literal["svg", "png", "pdf", "dot"]


class WorkflowViz:
    """Drawings of one workflow: as text (`to_digraph`, `to_mermaid`) or saved as a file (`export`).

    >>> WorkflowViz(workflow).save_png("team.png")     # doctest: +SKIP
    'team.png'
    """

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow

    def to_digraph(self, include_internal_executors: bool = False) -> str:
        """The workflow as Graphviz DOT text (the same text as ``workflow.to_dot()``).

        `include_internal_executors` also draws where answers to requests come from (an
        "outside the run" box with an arrow to each executor that takes them)."""
        return workflow_to_dot(self.workflow, include_internal_executors=include_internal_executors)

    def to_mermaid(self, include_internal_executors: bool = False) -> str:
        """The workflow as a Mermaid flowchart (the same text as ``workflow.to_mermaid()``)."""
        return workflow_to_mermaid(self.workflow, include_internal_executors)

    def export(
        self,
        format: ExportFormat = "svg",
        filename: str | Path | None = None,
        include_internal_executors: bool = False,
    ) -> str:
        """Save the drawing in `format` ("svg", "png", "pdf" or "dot") and return the file's path.

        `filename` may leave out the extension (``"team"`` writes ``team.svg``); an extension
        that names another format is refused, so a file's name never lies about what it holds.
        Without `filename` the drawing goes to a new temporary file.
        """
        if format not in EXPORT_FORMATS:
            raise ValueError(f"Cannot export a workflow as {format!r}; choose one of {', '.join(EXPORT_FORMATS)}.")
        path = _path_for(format, filename)
        dot_text = self.to_digraph(include_internal_executors)
        # Drawn before the file is opened, so a missing Graphviz leaves no empty file behind.
        content = dot_text.encode("utf-8") if format == "dot" else render_dot(dot_text, format)
        path.write_bytes(content)
        return str(path)

    def save_svg(self, filename: str | Path, include_internal_executors: bool = False) -> str:
        """Save the drawing as SVG; returns the path written."""
        return self.export("svg", filename, include_internal_executors)

    def save_png(self, filename: str | Path, include_internal_executors: bool = False) -> str:
        """Save the drawing as PNG; returns the path written."""
        return self.export("png", filename, include_internal_executors)

    def save_pdf(self, filename: str | Path, include_internal_executors: bool = False) -> str:
        """Save the drawing as PDF; returns the path written."""
        return self.export("pdf", filename, include_internal_executors)


def _path_for(format: str, filename: str | Path | None) -> Path:
    """Where `export` writes: `filename` with the format's extension, or a new temporary file."""
    if filename is None:
        with tempfile.NamedTemporaryFile(prefix="workflow-", suffix=f".{format}", delete=False) as file:
            return Path(file.name)
    path = Path(filename)
    if not path.suffix:
        return path.with_name(f"{path.name}.{format}")
    named = path.suffix[1:].lower()
    if named != format:
        other = f", or choose the format {named!r}" if named in EXPORT_FORMATS else ""
        raise ValueError(
            f"The file name {str(path)!r} ends in {path.suffix!r}, but the format is {format!r}. "
            f"Name the file '{path.stem}.{format}'{other}."
        )
    return path
