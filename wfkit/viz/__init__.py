"""Drawing a workflow's graph: DOT text, Mermaid text, and SVG rendered by Graphviz."""

from .dot import workflow_to_dot
from .mermaid import workflow_to_mermaid
from .svg import GraphvizNotFoundError, dot_to_svg, mimebundle

__all__ = ["GraphvizNotFoundError", "dot_to_svg", "mimebundle", "workflow_to_dot", "workflow_to_mermaid"]
