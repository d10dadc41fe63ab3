"""Notebook widgets for watching and steering workflow runs (built on ipywidgets).

- `GraphView`: the graph, coloured live by executor state, with message counts on edges.
- `EventLog`: the events as readable lines, filterable, bounded.
- `ApprovalPrompt`: a card per pending request, answered by a click.
- `RunExplorer`: a recorded run superstep by superstep, and forks from any step.
- `TeamView`: a team of agents at work: who speaks and why, the conversation, Magentic's plan.
- `SpanTimeline`: a run's OpenTelemetry spans as a timeline (see `wfkit.observability`).
- `RunView`: all of these together, drawing one run; `wfkit.notebook.run` shows one, and its
  `NotebookRun` drives the run.

``import wfkit`` does not load this package (nor ipywidgets); lessons import it, or
`wfkit.notebook`, when they want widgets.
"""

from .approval import ApprovalPrompt, RequestCard
from .event_log import EventLog
from .forms import AnswerForm
from .graph_view import GraphView
from .run_explorer import RunExplorer
from .run_view import RunView
from .span_timeline import SpanTimeline
from .team_view import TeamView

__all__ = ["AnswerForm", "ApprovalPrompt", "EventLog", "GraphView", "RequestCard", "RunExplorer", "RunView", "SpanTimeline", "TeamView"]
