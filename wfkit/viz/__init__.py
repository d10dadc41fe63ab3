"""Drawing a workflow's graph: DOT text, Mermaid text, SVG rendered by Graphviz, and files (`WorkflowViz`);
the counts on its arrows and what they mean (`marks`)."""

from .dot import workflow_to_dot
from .export import WorkflowViz
from .marks import DELIVERED, QUEUED, EdgeMark
from .mermaid import workflow_to_mermaid
from .svg import GraphvizNotFoundError, dot_to_svg, mimebundle, render_dot

__all__ = [
    "DELIVERED",
    "QUEUED",
    "EdgeMark",
    "GraphvizNotFoundError",
    "WorkflowViz",
    "dot_to_svg",
    "mimebundle",
    "render_dot",
    "workflow_to_dot",
    "workflow_to_mermaid",
]
