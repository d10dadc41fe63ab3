"""Notebook widgets for watching and steering workflow runs (built on ipywidgets).

- `GraphView`: the graph, coloured live by executor state, with message counts on edges.
- `EventLog`: the events as readable lines, filterable, bounded.
- `ApprovalPrompt`: a card per pending request, answered by a click.
- `CheckpointBrowser`: the checkpoints of a workflow, and "resume from here".
- `RunView`: all of these together, driving a run; `wfkit.notebook.run` shows one.

``import wfkit`` does not load this package (nor ipywidgets); lessons import it, or
`wfkit.notebook`, when they want widgets.
"""

from .approval import ApprovalPrompt, RequestCard
from .checkpoint_browser import CheckpointBrowser
from .event_log import EventLog
from .forms import AnswerForm
from .graph_view import GraphView
from .run_view import RunView

__all__ = ["AnswerForm", "ApprovalPrompt", "CheckpointBrowser", "EventLog", "GraphView", "RequestCard", "RunView"]
