"""What the run explorer shows of one step, as HTML: the header, the graph, the panels.

- The header names the branch shown and the step ("fork 1 (finished) · step 7 of 7"); with
  forks, the tree of branches follows, the branch shown marked "◀ shown"; a fork made with
  edits says which ("✎ fork 1 went on from step 3 of main with the edits shared:n = 5").
- The graph is drawn as it stood after the step: executors coloured by status, and on each
  arrow the messages queued on it for the next step ("1 queued", `wfkit.viz.marks.QUEUED`),
  with the legend of both.
- The panels say what the step did, what waits to be delivered next, the states after it and
  the open requests. A panel that cannot have anything to show is left out, and said once: a
  run without checkpoints has no states to show, a workflow that never asks a person has no
  requests.

`ExplorerPage` draws the steps of one `RunHistory` and keeps every picture it drew, so going
back to a step costs no second call to Graphviz.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Any, Mapping

from ..core.events import WorkflowEvent
from ..history.records import Superstep, describe_request, preview
from ..history.run_history import Branch, RunHistory
from ..history.statuses import every_executor_id
from ..orchestrations.team_story import events_through_step, read_team_story, team_kind
from ..viz.dot import answer_takers, workflow_to_dot
from ..viz.marks import QUEUED
from ..viz.svg import GraphvizNotFoundError, dot_to_svg
from .graph_view import inline_svg, marks_legend, states_caption
from .team_html import story_html

# A static copy (nbconvert, GitHub) draws this many steps at most; a longer run says how many more.
STATIC_STEPS = 30

# Said once, in the header, when the run kept no checkpoints (the lessons before checkpoints).
NO_CHECKPOINTS = (
    "This run kept no checkpoints, so the explorer shows what ran and what was sent, not the states. "
    "A workflow built with checkpoint storage (WorkflowBuilder(checkpoint_storage=...)) also shows the "
    "shared state and each executor's state after every step, and can fork a new ending from a step."
)


class ExplorerPage:
    """The HTML of a `RunHistory`'s steps: `header_html`, `step_html`, `static_html`.

    `reading` is True while the checkpoints are still being read: the state panels then say so
    instead of "not saved".
    """

    def __init__(self, history: RunHistory) -> None:
        self.history = history
        self.reading = False
        self._pictures: dict[str, str] = {}  # DOT text -> its inline SVG

    # --- what the page can show at all ----------------------------------------------------------

    @property
    def keeps_states(self) -> bool:
        """True when the run has checkpoints to read states from (its storage is known)."""
        return self.history.storage is not None

    @property
    def can_ask(self) -> bool:
        """True when some executor of the workflow can ask a person (it takes answers)."""
        return bool(answer_takers(self.history.workflow))

    # --- the header -----------------------------------------------------------------------------

    def header_html(self, number: int) -> str:
        """The title line (workflow, branch shown, step `number` of the last), the tree of
        branches when there are forks, and the note of a run without checkpoints."""
        history, steps = self.history, self.history.steps
        where = f"step {number} of {steps[-1].number}" if steps else "no steps yet"
        name = f" · {html.escape(history.workflow.name)}" if history.workflow.name else ""
        title = (
            f"<b>Run explorer</b>{name} · {html.escape(history.branch.name)} "
            f"({html.escape(history.branch.ending)}) · {where}"
        )
        parts = [f"<div class='wfkit-explorer-header'>{title}</div>"]
        if len(history.branches) > 1:
            tree = html.escape(history.tree(mark_shown=True))
            parts.append(f"<pre class='wfkit-explorer-tree' style='font-size:12px;margin:2px 0'>{tree}</pre>")
        if history.branch.edits:
            parts.append(edits_html(history.branch))
        if not self.keeps_states:
            parts.append(_note(NO_CHECKPOINTS))
        return "".join(parts)

    # --- one step -------------------------------------------------------------------------------

    def step_html(self, step: Superstep) -> str:
        """Everything one step shows: the graph as of the step, then the panels."""
        shared = self.history.shared_number_note(step)
        return (
            (f"<div style='color:#b45309;font-size:13px;margin:2px 0'>{html.escape(shared)}</div>" if shared else "")
            + "<div style='display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start'>"
            f"<div style='flex:1 1 360px;min-width:0'>{self.graph_html(step)}</div>"
            f"<div style='flex:1 1 300px;font-size:13px'>{self.panels_html(step)}</div></div>"
        ) + self.team_html(step)

    def panels_html(self, step: Superstep) -> str:
        """What the step did, what waits, the states (for a run with checkpoints) and the open
        requests (for a workflow that can ask)."""
        panels = [
            _panel(f"What step {step.number} did", self._did_html(step)),
            _panel("Queued for the next step", _list([str(m) for m in step.messages], "nothing: no executor runs next")),
        ]
        if self.keeps_states:
            unsaved = self._unsaved(step)
            panels.append(_panel("Shared state", _values_html(step.shared_state, unsaved, " = ")))
            panels.append(_panel("Executor states", _values_html(step.executor_states, unsaved, ": ")))
        if self.can_ask:
            panels.append(_panel("Open requests", _requests_html(step)))
        return "".join(panels)

    def _did_html(self, step: Superstep) -> str:
        lines = [line for line in step.changes.lines() if not line.startswith("sent: ")]  # the next panel says those
        if not step.outputs_recorded:
            yielding = [e for e in step.ran if _may_yield(self.history.workflow, e)]
            if yielding and not step.outputs:
                lines.append(f"output: not known, as checkpoints keep no outputs ({' and '.join(yielding)} can yield one)")
        states_known = step.shared_state is not None or step.executor_states is not None
        known = ["state"] * states_known + ["output"] * step.outputs_recorded + ["request"]
        return _list(lines, f"no {_or_list(known)} changed")

    def _unsaved(self, step: Superstep) -> str:
        """Why a step of a run with checkpoints shows no states."""
        if self.reading:
            return "being read from the checkpoints…"
        if step.failed:
            return "not saved: the run failed in this step, and a failed step's changes are dropped"
        return "not saved: no checkpoint was taken after this step"

    def graph_html(self, step: Superstep) -> str:
        """The graph after `step`: statuses as colours, queued messages as counts on arrows,
        and the legend of both."""
        counts = Counter((m.source, m.target) for m in step.messages)
        tips: dict[tuple[str, str], list[str]] = {}
        for message in step.messages:
            tips.setdefault((message.source, message.target), []).append(message.what)
        dot = workflow_to_dot(
            self.history.workflow,
            states=step.statuses,
            edge_counts=counts,
            edge_tooltips={route: "\n".join(lines) for route, lines in tips.items()},
            edge_mark=QUEUED,
        )
        picture = self._pictures.get(dot)
        if picture is None:
            try:
                picture = self._pictures[dot] = inline_svg(dot_to_svg(dot))
            except (GraphvizNotFoundError, OSError):
                picture = "<p><i>Install Graphviz to see the graph drawn.</i></p>"
        ran = ", ".join(step.ran) or "nothing"
        ran_line = (
            f"<div style='font-size:12px;color:#475569'>Step {step.number} ran: <b>{html.escape(ran)}</b>"
            + (" · <b style='color:#b91c1c'>the run failed in this step</b>" if step.failed else "")
            + (f" · <b style='color:#b45309'>damaged checkpoint</b>: {html.escape(step.problem)}" if step.problem else "")
            + "</div>"
        )
        caption = states_caption(step.statuses, every_executor_id(self.history.workflow))
        return picture + caption + ran_line + marks_legend([QUEUED])

    def team_html(self, step: Superstep) -> str:
        """A team's conversation, who had the floor and its plan, as they stood after `step`
        ("" when the run is not a team's, or its events are not known)."""
        events = self._events_through(self.history.branch, step.number)
        story = read_team_story(events, team_kind(self.history.workflow))
        if not story.kind or not story.entries:
            return ""
        return f"<div style='margin-top:10px'>{story_html(story)}</div>"

    def _events_through(self, branch: Branch, number: int) -> list[WorkflowEvent]:
        """The events up to step `number` of `branch`: a fork's own come after its parent's up
        to the step it left from."""
        parent = next((b for b in self.history.branches if b.name == branch.parent), None)
        if parent is None or branch.from_step is None:
            return events_through_step(branch.events, number)
        earlier = self._events_through(parent, min(number, branch.from_step))
        return earlier + (events_through_step(branch.events, number) if number > branch.from_step else [])

    # --- where widgets cannot run ---------------------------------------------------------------

    def static_html(self, number: int) -> str:
        """Every step of the branch shown (up to `STATIC_STEPS`) as plain HTML."""
        steps = self.history.steps
        parts = [self.header_html(number)]
        for step in steps[:STATIC_STEPS]:
            parts.append(f"<h4 style='margin:10px 0 2px'>Step {step.number}</h4>{self.step_html(step)}")
        if len(steps) > STATIC_STEPS:
            parts.append(_note(f"… and {len(steps) - STATIC_STEPS} more steps (run the notebook to explore them)."))
        if not steps:
            parts.append(_note("No superstep has run yet."))
        return "<div class='wfkit-explorer-static'>" + "".join(parts) + "</div>"


# --- the pieces -------------------------------------------------------------------------------


def edits_html(branch: Branch) -> str:
    """The line that says a fork was edited: "fork 1 went on from step 3 of main with the edits
    shared:draft = 'Shorter.'" (values as `Branch.edits` holds them, each cut to one short line)."""
    edits = ", ".join(f"{name} = {preview(value, 60)}" for name, value in branch.edits.items())
    return (
        "<div class='wfkit-explorer-edits' style='font-size:13px;color:#b45309;margin:2px 0'>"
        f"✎ {html.escape(branch.name)} went on from step {branch.from_step} of {html.escape(branch.parent or '')} "
        f"with the edits {html.escape(edits)}</div>"
    )


def _may_yield(workflow: Any, executor_id: str) -> bool:
    """True if the executor declares outputs of the workflow (``WorkflowContext[..., T]``)."""
    executor = workflow.executors.get(executor_id)
    return bool(getattr(executor, "workflow_output_types", ()))


def _or_list(words: list[str]) -> str:
    """``"state, output or request"``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _note(text: str) -> str:
    return f"<div class='wfkit-explorer-note' style='color:#475569;font-size:13px'>{html.escape(text)}</div>"


def _panel(title: str, body: str) -> str:
    return f"<div style='margin-bottom:8px'><div style='font-weight:600'>{html.escape(title)}</div>{body}</div>"


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f"<div style='color:#64748b'>{html.escape(empty)}</div>"
    return "<ul style='margin:2px 0;padding-left:18px'>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def _values_html(values: Mapping[str, Any] | None, unsaved: str, separator: str) -> str:
    """A state as ``key = value`` lines (`separator` " = "), or ``executor: its state`` (": ");
    `unsaved` says why there is none."""
    if values is None:
        return _list([], unsaved)
    return _list([f"{key}{separator}{preview(value, 120)}" for key, value in values.items()], "empty")


def _requests_html(step: Superstep) -> str:
    return _list(
        [describe_request(r.executor_id, r.preview) for r in step.pending_requests.values()],
        "none",
    )
