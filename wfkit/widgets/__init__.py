"""Notebook widgets for watching and steering workflow runs (built on ipywidgets).

- `GraphView`: the graph, coloured live by executor state, with message counts on edges.
- `EventLog`: the events as readable lines, filterable, bounded.
- `ApprovalPrompt`: a card per pending request, answered by a click.
- `RunExplorer`: a recorded run superstep by superstep, and forks from any step; around the step
  its log (`StepLog`), the fork form (`ForkForm`), the comparison of two steps (`StepCompare`)
  and the box that saves a run as a test (`SaveTestBox`).
- `ClickableHTML`: HTML whose clicks and keys reach the kernel (the graph and the logs use it).
- `TeamView`: a team of agents at work: who speaks and why, the conversation, Magentic's plan.
- `SpanTimeline`: a run's OpenTelemetry spans as a timeline (see `wfkit.observability`).
- `RunView`: all of these together, drawing one run; `wfkit.notebook.run` shows one, and its
  `NotebookRun` drives the run.

``import wfkit`` does not load this package (nor ipywidgets); lessons import it, or
`wfkit.notebook`, when they want widgets.
"""

from .approval import ApprovalPrompt, RequestCard
from .clickable import ClickableHTML
from .event_log import EventLog
from .fork_form import ForkForm
from .forms import AnswerForm
from .graph_view import GraphView
from .run_explorer import RunExplorer
from .run_view import RunView
from .save_test_box import SaveTestBox
from .span_timeline import SpanTimeline
from .step_compare import StepCompare
from .step_log import StepLog
from .team_view import TeamView

__all__ = [
    "AnswerForm", "ApprovalPrompt", "ClickableHTML", "EventLog", "ForkForm", "GraphView", "RequestCard", "RunExplorer",
    "RunView", "SaveTestBox", "SpanTimeline", "StepCompare", "StepLog", "TeamView",
]
