"""`GraphView`: the workflow's graph, coloured live as executors run, wait and finish.

The picture is Graphviz SVG from `wfkit.viz`; the bookkeeping (which executor is in which
state, how many messages took each edge) is `GraphState`. An arrow's count reads "2 delivered"
(`wfkit.viz.marks.DELIVERED`), and the caption under the picture says what that means as soon as
a count is drawn; the run explorer's counts read "1 queued" instead, with a legend of their own.

The view only redraws through a `Throttle`, so a run of thousands of events costs a handful of
redraws, and it keeps the last SVG with the DOT text it came from, so an unchanged picture never
runs Graphviz twice.

The picture shrinks to fit the output area, but never below the width at which its smallest
label is 12 px on screen (`wfkit.viz.readability`); a graph wider than that scrolls sideways
in its box. `readable_width` says that width, for a layout that wants to give the graph room.

A click on an executor's box reaches the kernel (the picture is a `ClickableHTML`):
`on_executor_clicked` callbacks hear it, and `mark_executor` / `mark_route` / `clear_marks`
highlight boxes and arrows. The `RunView` links the graph and its event log this way.
"""

from __future__ import annotations

import html
import math
import re
import subprocess
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

import ipywidgets as widgets
import traitlets

from ..core.events import WorkflowEvent
from ..history.statuses import every_executor_id
from ..viz.dot import STATE_COLOURS, workflow_to_dot
from ..viz.marks import DELIVERED, EdgeMark
from ..viz.readability import narrowest_readable_width
from ..viz.browser_graphviz import when_ready
from ..viz.svg import GraphvizNotFoundError, dot_to_svg
from .clickable import ClickableHTML
from .fallback import with_static_html
from .graph_marks import executor_marks, executor_of, node_key, route_marks
from .graph_state import GraphState, summarize_states
from .throttle import Throttle

if TYPE_CHECKING:
    from ..core.workflow import Workflow

ExecutorCallback = Callable[[str], None]


class GraphView(widgets.VBox):
    """The graph of `workflow`, with node states and message counts that follow a run.

    Feed it events (`handle`) as they come; call `flush()` when the run ends so the last
    picture is drawn::

        view = GraphView(workflow)
        display(view)
        async for event in workflow.run_stream("hello"):
            view.handle(event)
        view.flush()
    """

    states = traitlets.Dict(help="executor id -> idle, running, waiting, done or failed")
    edge_counts = traitlets.Dict(help="(source id, target id) -> messages that took that edge")
    retries = traitlets.Dict(help="executor id -> retries so far in this run")
    readable_width = traitlets.Int(0, help="narrowest width (CSS px) at which every label of the picture is 12 px")

    def __init__(self, workflow: Workflow, *, min_redraw_interval: float = 0.1, **kwargs: Any) -> None:
        self.workflow = workflow
        self.tracker = GraphState(workflow)
        # The box scrolls sideways when the column is narrower than the picture may shrink.
        self.picture = ClickableHTML(layout=widgets.Layout(overflow="auto", max_width="100%"))
        self.picture.add_class("wfkit-graph-picture")
        self.picture.on_pick(self._picked)
        self.caption = widgets.HTML()
        self.throttle = Throttle(self.redraw, min_redraw_interval)
        self._last_svg: tuple[str, str] = ("", "")  # (DOT text, its SVG): `dot` takes ~15 ms a call
        self._executor_callbacks: list[ExecutorCallback] = []
        super().__init__(children=[self.picture, self.caption], **kwargs)
        self.add_class("wfkit-graph")
        self.redraw()

    def handle(self, event: WorkflowEvent) -> None:
        """Take one event into account; the picture follows within `min_redraw_interval`."""
        if self.tracker.update(event):
            self.states = dict(self.tracker.states)
            self.edge_counts = dict(self.tracker.edge_counts)
            self.retries = dict(self.tracker.retries)

    def reset(self, workflow: Workflow | None = None, statuses: Mapping[str, str] | None = None) -> None:
        """Back to every executor idle for a new run (of another `workflow`, if one is given), or
        to `statuses`: a run resumed from a checkpoint starts from the statuses after its step."""
        if workflow is not None:
            self.workflow = workflow
            self.tracker = GraphState(workflow)
        self.tracker.reset(statuses)
        self.states, self.edge_counts, self.retries = dict(self.tracker.states), {}, {}
        self.throttle.request()

    def flush(self) -> None:
        """Draw the latest state now if it has not been drawn yet."""
        self.throttle.flush()

    # --- clicks and highlights ---------------------------------------------------------------

    def on_executor_clicked(self, callback: ExecutorCallback) -> None:
        """Call ``callback(executor_id)`` when the learner clicks an executor's box."""
        self._executor_callbacks.append(callback)

    def _picked(self, key: str) -> None:
        executor_id = executor_of(key, self.workflow)
        if executor_id is not None:
            for callback in list(self._executor_callbacks):
                callback(executor_id)

    def mark_executor(self, executor_id: str) -> None:
        """Highlight the executor's box and the arrows its messages take (in and out)."""
        self.picture.marked = executor_marks(self.workflow, executor_id)

    def mark_route(self, executor_id: str | None, sources: Iterable[str] = ()) -> None:
        """Highlight an executor's box and the arrows from `sources` to it (a log line's message)."""
        marks = [node_key(executor_id)] if executor_id else []
        for source in sources:
            marks += route_marks(self.workflow, source, executor_id) if executor_id else []
        self.picture.marked = list(dict.fromkeys(marks))  # two sources of a join share its last arrow

    def clear_marks(self) -> None:
        """Highlight nothing."""
        self.picture.marked = []

    @traitlets.observe("states", "edge_counts", "retries")
    def _state_changed(self, change: dict[str, Any]) -> None:
        self.throttle.request()

    def redraw(self) -> None:
        """Draw the picture and its caption from the current state (the throttle calls this)."""
        self.picture.value = self.svg()
        self.caption.value = self.caption_html()

    def svg(self) -> str:
        """The graph as inline SVG markup (or a plain list when Graphviz is missing)."""
        dot = workflow_to_dot(
            self.workflow, states=self.states, edge_counts=self.edge_counts, retries=self.retries, edge_mark=DELIVERED
        )
        if dot != self._last_svg[0]:
            try:
                self._last_svg = (dot, inline_svg(dot_to_svg(dot)))
            except (GraphvizNotFoundError, subprocess.CalledProcessError):
                self.readable_width = 0
                when_ready(self.redraw)  # in the browser Graphviz may still be loading: draw once it has
                return self._plain_list()
            self.readable_width = math.ceil(narrowest_readable_width(self._last_svg[1]))
        return self._last_svg[1]

    def caption_html(self) -> str:
        """A line such as "■ done 3  ■ waiting 1  ■ idle 1", in the colours of the graph, and
        once an arrow carries a count, the legend of that count ("n delivered on an arrow: ...")."""
        counted = [DELIVERED] if any(self.edge_counts.values()) else []
        return states_caption(self.states, every_executor_id(self.workflow)) + marks_legend(counted)

    def static_html(self) -> str:
        """The current picture as plain HTML, for pages that cannot run widgets."""
        return self.svg() + self.caption_html()

    def _plain_list(self) -> str:
        rows = "".join(
            f"<li>{html.escape(executor_id)}: {self.states.get(executor_id, 'idle')}</li>"
            for executor_id in every_executor_id(self.workflow)
        )
        return f"<ul>{rows}</ul><p><i>Install Graphviz to see the graph drawn.</i></p>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return with_static_html(super()._repr_mimebundle_(**kwargs), self.static_html())


def states_caption(states: dict[str, str], executor_ids: Any) -> str:
    """A line such as "■ done 3  ■ waiting 1  ■ idle 1", in the colours of the graph."""
    grouped = summarize_states(states, executor_ids)
    parts = []
    for state, (fill, border) in STATE_COLOURS.items():
        if state in grouped:
            style = f"color:{border};background:{fill};padding:0 4px;border:1px solid {border}"
            swatch = f'<span style="{style}">&#9632;</span>'
            names = html.escape(", ".join(grouped[state]))
            parts.append(f'<span title="{names}">{swatch} {state} {len(grouped[state])}</span>')
    return '<div class="wfkit-graph-caption" style="font-size:12px">' + " &nbsp; ".join(parts) + "</div>"


def marks_legend(marks: Iterable[EdgeMark]) -> str:
    """One legend line per kind of count drawn on the arrows ("" for none), such as
    "“n delivered” on an arrow: that many messages went along it so far in this run"."""
    lines = [
        f'<div class="wfkit-mark-legend" data-mark="{html.escape(mark.word)}" style="font-size:12px;color:#475569">'
        f"<b>“n {html.escape(mark.word)}”</b> on an arrow: {html.escape(mark.legend)}</div>"
        for mark in dict.fromkeys(marks)
    ]
    return "".join(lines)


_SVG_TAG = re.compile(r"<svg\b")


def inline_svg(svg: str) -> str:
    """Graphviz's SVG document made fit for inlining in HTML: no XML prologue, scaled down to
    the width of the output area, but not below the width its labels need to stay readable."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    min_width = math.ceil(narrowest_readable_width(body))
    return _SVG_TAG.sub(f'<svg style="max-width:100%;min-width:{min_width}px;height:auto"', body, count=1)

