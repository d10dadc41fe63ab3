"""`RunView`: a run's graph, event log, request cards and outputs, drawn together; for a team
of agents (a group chat, a handoff, a Magentic team), its conversation too (`TeamView`).

This is what a lesson shows. The view only draws: whoever runs the workflow (in a notebook,
`wfkit.notebook.NotebookRun`) hands it every event (`handle`) and tells it three facts that
are not in the events, through its traits: the ``state`` the run is in, a ``note`` for the
learner (why it paused, what failed) and whether it is ``busy``. A click on a card is passed
on to the `on_answer` callbacks; the view never answers a request itself. Nor does it keep the
run's record (every event, every output): that is its runner's. It keeps what it draws.

The graph and the log are linked both ways: a click on an executor's box narrows the log to
that executor's lines and highlights the box and its arrows; a click on a log line highlights
the executor it is about and the arrow its message came along.

A view can draw a run you stream yourself::

    view = RunView(workflow)
    display(view)
    async for event in workflow.run_stream("hello"):
        view.handle(event)
    view.flush()
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import ipywidgets as widgets
import traitlets

from ..agents.pieces import JoinedOutputs
from ..core.events import WorkflowEvent
from ..orchestrations.team_story import team_kind
from .approval import ApprovalPrompt
from .event_log import EventLog
from .fallback import with_static_html
from .graph_view import GraphView
from .inline_code import text_html
from .request_card import AnswerCallback
from .request_html import readable, value_html
from .request_numbers import RequestNumbers
from .team_view import TeamView
from .throttle import Throttle

if TYPE_CHECKING:
    from ..core.workflow import Workflow

# What each run state means, in words, for the status line.
STATE_WORDS = {
    "": "not started",
    "STARTED": "starting",
    "IN_PROGRESS": "running",
    "IN_PROGRESS_PENDING_REQUESTS": "running, with questions waiting",
    "IDLE": "finished",
    "IDLE_WITH_PENDING_REQUESTS": "paused: waiting for answers",
    "FAILED": "failed",
    "CANCELLED": "cancelled",
}

# Ended states get the colours the graph uses for failed, waiting and done executors.
STATE_COLOURS = {"FAILED": "#dc2626", "IDLE_WITH_PENDING_REQUESTS": "#7c3aed", "IDLE": "#16a34a"}

# The outputs box shows the latest ones; a run that yields thousands says how many there were.
SHOWN_OUTPUTS = 20


class RunView(widgets.VBox):
    """A workflow run's live graph, event log, request cards and outputs.

    >>> view = RunView(workflow)                                  # doctest: +SKIP
    >>> view.on_answer(lambda request_id, answer: print(request_id, answer))
    >>> for event in events: view.handle(event)                   # doctest: +SKIP
    >>> view.state, view.note = "IDLE", ""                        # doctest: +SKIP
    """

    state = traitlets.Unicode("", help="name of the WorkflowRunState the run is in, set by whoever runs it")
    note = traitlets.Unicode("", help="a sentence for the learner: why the run paused, what failed")
    busy = traitlets.Bool(False, help="True while the run is streaming events")
    output_count = traitlets.Int(0, help="outputs the run has yielded so far (the box shows the latest)")

    def __init__(
        self,
        workflow: Workflow,
        *,
        title: str | None = None,
        max_log_lines: int = 500,
        min_redraw_interval: float = 0.1,
        approve_answer: str = "approve",
        **kwargs: Any,
    ) -> None:
        # A misspelt option (``anwsers=``) would otherwise pass silently to the widget underneath.
        unknown = sorted(set(kwargs) - set(self.class_trait_names()))
        if unknown:
            raise TypeError(
                f"The run view has no option {', '.join(map(repr, unknown))}: it takes title=, max_log_lines=, "
                "min_redraw_interval= and approve_answer=. Answers go to the run: "
                "wfkit.notebook.run(workflow, message, answers=[...]) or NotebookRun(workflow).start(message, answers=[...])."
            )
        self.workflow = workflow
        self.title = title or workflow.name or "Workflow run"
        # The latest outputs, the ones drawn (`output_count` counts all); an agent's streamed
        # pieces are drawn as the one answer they make.
        self._outputs = JoinedOutputs(keep_last=SHOWN_OUTPUTS)
        self.graph = GraphView(workflow, min_redraw_interval=min_redraw_interval)
        # The log and the cards name requests alike: "request 2" on both, when two are open at once.
        self.request_numbers = RequestNumbers()
        self.event_log = EventLog(
            max_lines=max_log_lines,
            min_redraw_interval=max(min_redraw_interval, 0.2),
            request_numbers=self.request_numbers,
        )
        self.prompts = ApprovalPrompt(approve_answer=approve_answer)
        # Every run's events go to it; it shows once the workflow or its events show a team.
        self.team = TeamView(team_kind(workflow), min_redraw_interval=min_redraw_interval)
        self.status = widgets.HTML()
        self.output_box = widgets.HTML()
        self._output_throttle = Throttle(self._draw_outputs, min_redraw_interval)
        # The graph and the cards side by side, one above the other on a narrow page. The graph
        # keeps the width its picture needs and the cards take the rest, so a draft gets the room
        # to be read; a graph too wide to leave them 420 px puts the cards below it, full width.
        self.graph.layout = widgets.Layout(flex="0 1 auto", min_width="300px")
        side = widgets.VBox([self.prompts, self.output_box], layout=widgets.Layout(flex="1 1 420px", min_width="300px"))
        middle = widgets.HBox([self.graph, side], layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__(children=[self.status, middle, self.team, self.event_log], **kwargs)
        self.add_class("wfkit-run-view")
        self._draw_status()
        self._draw_outputs()
        self._show_team_if_any()
        self._link_graph_and_log()

    def on_answer(self, callback: AnswerCallback, remove: bool = False) -> None:
        """Call ``callback(request_id, answer)`` when a card is answered (on the thread the
        click came in on). The card locks itself; whoever receives the answer decides what
        happens next, and calls `reopen` if it was refused."""
        self.prompts.on_answer(callback, remove=remove)

    # --- what the view is handed -------------------------------------------------------------

    def handle(self, event: WorkflowEvent) -> None:
        """Draw one event: on the graph, in the log, as a card (a request) or as an output."""
        self.graph.handle(event)
        self.event_log.handle(event)
        self.team.handle(event)
        if not self.shows_team and self.team.story.kind:
            self._show_team_if_any()  # a team found by its events (inside a composed workflow, say)
        match event.type:
            case "request_info":
                self.prompts.add(event)
                self._label_cards()
            case "output":
                self._outputs.add(event.data)
                self.output_count = self._outputs.count
                self._output_throttle.request()  # a piece that joins the last answer changes no count

    def note_answer(self, request_id: str, answer: Any, by: str = "") -> None:
        """Say in the log that `request_id` was answered with `answer` (answers are not events:
        they start the next run call). The line leads with the answer itself: did you approve?
        `by` says who answered, when not a click ("in code: run(..., answers=...)"): the static
        picture shows each card with its answer and who gave it."""
        asked = self.prompts.requests.get(request_id)
        self.event_log.note_answer(request_id, answer, asked.executor_id if asked is not None else None)
        self.prompts.note_answered(request_id, answer, by)

    def show_requests(self, requests: Iterable[Any]) -> None:
        """Keep cards for exactly these requests: answered ones go, refused ones stay (reopened),
        and a card already shown keeps what was typed into it."""
        self.prompts.show_only(requests)
        self.request_numbers.keep_open(list(self.prompts.requests))
        self._label_cards()

    def reopen(self, request_ids: Iterable[str], reason: str) -> None:
        """Open again the cards of answers that were refused or not used, saying why."""
        request_ids = list(request_ids)
        for request_id in request_ids:
            if request_id in self.request_numbers.numbers:
                self.request_numbers.asked(request_id)  # open again: it may share the stage anew
        self.prompts.reopen(request_ids, reason)
        self._label_cards()

    def _label_cards(self) -> None:
        """Give each card its request's number when it needs one, as the log does."""
        for request_id, card in self.prompts.cards.items():
            card.label = self.request_numbers.label(request_id)
        self.event_log.relabel_requests()

    def retire(self, reason: str) -> None:
        """Close every card and leave `reason` in their place: the run was replaced."""
        self.prompts.retire(reason)

    def flush(self) -> None:
        """Draw now whatever is still waiting for its redraw (a run call just ended)."""
        self.graph.flush()
        self.event_log.flush()
        self.team.flush()
        self._output_throttle.flush()

    def reset(self, workflow: Workflow | None = None, statuses: Mapping[str, str] | None = None) -> None:
        """Clear the graph, the log, the cards and the outputs for a new run (of `workflow`, if
        another one is given). A run resumed from a checkpoint gives the `statuses` after its
        step, and the graph starts from them. The status line stays with its owner: set
        ``state`` and ``note``."""
        if workflow is not None:
            self.workflow = workflow
        self._outputs.clear()
        self.graph.reset(workflow, statuses)
        self.event_log.clear()
        self.event_log.only_executor = ""
        self.team.reset(team_kind(self.workflow))
        self._show_team_if_any()
        self.prompts.clear()  # a new run: its rounds count from 1 again
        self.output_count = 0

    # --- the graph and the log, linked ------------------------------------------------------

    def _link_graph_and_log(self) -> None:
        self.graph.on_executor_clicked(self._executor_clicked)
        self.event_log.on_line_clicked(lambda line: self.graph.mark_route(line.executor_id, line.sources))
        self.event_log.observe(self._log_narrowed, "only_executor")

    def _executor_clicked(self, executor_id: str) -> None:
        """A box was clicked: the log shows that executor's lines only (a second click on the
        same box shows every line again)."""
        same = self.event_log.only_executor == executor_id
        self.event_log.only_executor = "" if same else executor_id

    def _log_narrowed(self, change: Mapping[str, Any]) -> None:
        if change["new"]:
            self.graph.mark_executor(change["new"])
        else:  # "Show all": nothing is singled out any more
            self.graph.clear_marks()

    # --- drawing -----------------------------------------------------------------------------

    @property
    def shows_team(self) -> bool:
        """True when the view shows a team's conversation (`team`)."""
        return self.team.layout.display != "none"

    def _show_team_if_any(self) -> None:
        self.team.layout.display = "" if self.team.story.kind else "none"

    @traitlets.observe("state", "note", "busy")
    def _status_changed(self, change: dict[str, Any]) -> None:
        self._draw_status()

    @traitlets.observe("output_count")
    def _outputs_changed(self, change: dict[str, Any]) -> None:
        self._output_throttle.request()

    @property
    def recent_outputs(self) -> list[Any]:
        """The latest outputs (up to `SHOWN_OUTPUTS`), streamed pieces of one answer joined."""
        return list(self._outputs.items)

    def _draw_status(self) -> None:
        words = STATE_WORDS.get(self.state, self.state.lower())
        state = f' <code style="font-size:11px">{self.state}</code>' if self.state else ""
        note = f'<div style="margin-top:2px">{text_html(self.note)}</div>' if self.note else ""
        colour = STATE_COLOURS.get(self.state, "#334155")
        self.status.value = (
            f'<div class="wfkit-status" style="line-height:1.45"><b>{html.escape(self.title)}</b>: '
            f'<span style="color:{colour};font-weight:600">{words}</span>{state}{note}</div>'
        )

    def _draw_outputs(self) -> None:
        self.output_box.value = self.outputs_html()

    def outputs_html(self) -> str:
        """The run's latest outputs (up to `SHOWN_OUTPUTS`) as readable HTML."""
        if not self.recent_outputs:
            return ""
        shown = self.recent_outputs
        items = "".join(f'<div class="wfkit-output">{value_html(output)}</div>' for output in shown)
        more = f" (the last {len(shown)} of {self.output_count})" if self.output_count > len(shown) else ""
        return readable(f"<div><b>Output</b>{more}:</div>{items}")

    def static_html(self) -> str:
        """Everything the view shows, as plain HTML, for pages that cannot run widgets: laid out
        as the live view is (the graph, and beside it the cards, each answered one with its
        answer, and the outputs), then the team's conversation and the log."""
        team = self.team.static_html() if self.shows_team else ""
        graph = f'<div style="flex:0 1 auto;min-width:300px">{self.graph.static_html()}</div>'
        side = f'<div style="flex:1 1 420px;min-width:300px">{self.prompts.static_html()}{self.outputs_html()}</div>'
        middle = f'<div style="display:flex;flex-flow:row wrap;gap:8px;align-items:flex-start">{graph}{side}</div>'
        return f'<div class="wfkit-run-static">{self.status.value}{middle}{team}{self.event_log.static_html()}</div>'

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return with_static_html(super()._repr_mimebundle_(**kwargs), self.static_html())
