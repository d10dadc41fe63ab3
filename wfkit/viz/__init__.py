"""Drawing a workflow's graph: DOT text, Mermaid text, SVG rendered by Graphviz, and files (`WorkflowViz`)."""

from .dot import workflow_to_dot
from .export import WorkflowViz
from .mermaid import workflow_to_mermaid
from .svg import GraphvizNotFoundError, dot_to_svg, mimebundle, render_dot

__all__ = [
    "GraphvizNotFoundError",
    "WorkflowViz",
    "dot_to_svg",
    "mimebundle",
    "render_dot",
    "workflow_to_dot",
    "workflow_to_mermaid",
]
