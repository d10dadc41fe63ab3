"""`RunExplorer`: step through a recorded run superstep by superstep, and fork a new ending.

A slider (with Previous / Next) picks a superstep. The graph is drawn as it was after that
step: executors coloured by status as in the live view, and on each edge the number of
messages waiting on it (rest the pointer on the edge to read them). Beside it: what the step
changed, the messages in flight, the executor and shared state, and the open requests. An
open request can be answered right there, which forks: the run resumes from that step's
checkpoint, in a fresh workflow, with your answer, and becomes a new branch of the explorer.

For a team of agents (a group chat, a handoff, a Magentic team), the step also shows the
team's conversation, who had the floor and the plan as they stood after it (`team_html`, read
from the run's events up to that step).

The data comes from a `wfkit.history.RunHistory`; this module only draws it. Everything a step
shows is one HTML value, so moving the slider sends the page one update. Graphviz draws each
step once: pictures are kept, so going back to a step costs nothing.

An explorer can follow a run still going (a `LiveRun`, such as the `NotebookRun` that
`wfkit.notebook.run` returns): it reads the run's record again whenever the run's state changes.
"""

from __future__ import annotations

import asyncio
import html
from collections import Counter
from typing import Any, Callable, Mapping, Protocol

import ipywidgets as widgets
import traitlets

from ..core.events import WorkflowEvent
from ..errors import WorkflowError
from ..history.records import Superstep, describe_request, preview
from ..history.run_history import Branch, RunHistory
from ..history.statuses import every_executor_id
from ..orchestrations.team_story import events_through_step, read_team_story, team_kind
from ..viz.dot import workflow_to_dot
from ..viz.svg import GraphvizNotFoundError, dot_to_svg
from .fallback import with_static_html
from .forms import AnswerForm
from .graph_view import inline_svg, states_caption
from .loops import running_loop, start_task
from .team_html import story_html

# A static copy (nbconvert, GitHub) draws this many steps at most; a longer run says how many more.
STATIC_STEPS = 30


class LiveRun(Protocol):
    """A run an explorer can follow while it goes on: `wfkit.notebook.NotebookRun` is one.

    It has its events so far, the steps before them (`earlier_steps`: those that led to the
    checkpoint it was resumed from, or none), and a traitlet ``state`` to `observe`.
    """

    earlier_steps: list[Superstep]

    @property
    def events(self) -> list[WorkflowEvent]: ...

    def observe(self, handler: Callable[[Any], None], names: Any) -> None: ...


class RunExplorer(widgets.VBox):
    """A recorded run (a `RunHistory`), one superstep at a time, with forks.

    Make one with `wfkit.notebook.explore(...)`; move it from code with `show(n)`, fork with
    ``await explorer.fork(n, {request_id: answer})``.
    """

    number = traitlets.Int(0, help="the number of the superstep shown (0 before there is any)")
    forking = traitlets.Bool(False, help="True while a fork's run goes on")

    def __init__(self, history: RunHistory, live: LiveRun | None = None, **kwargs: Any) -> None:
        self.history = history
        self.live = live
        self.branch_picker = widgets.Dropdown(description="Branch", layout=widgets.Layout(width="auto"))
        self.previous = widgets.Button(description="◀ Previous", layout=widgets.Layout(width="auto"))
        self.next = widgets.Button(description="Next ▶", layout=widgets.Layout(width="auto"))
        self.slider = widgets.IntSlider(description="Step", min=0, max=0, continuous_update=True)
        self.view = widgets.HTML()
        self.view.add_class("wfkit-explorer-step")
        self.forms = widgets.VBox()
        self.message = widgets.HTML()
        self._pictures: dict[str, str] = {}  # DOT text -> its inline SVG
        self._forms_for: tuple[str, int, tuple[str, ...]] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loading: asyncio.Future[None] | None = None
        self._drawing_range = False
        self._settled_callbacks: list[Callable[[], None]] = []
        controls = widgets.HBox([self.previous, self.slider, self.next, self.branch_picker])
        super().__init__(children=[controls, self.view, self.forms, self.message], **kwargs)
        self.add_class("wfkit-explorer")
        self.previous.on_click(lambda _: self.show(self._neighbour(-1)))
        self.next.on_click(lambda _: self.show(self._neighbour(+1)))
        self.slider.observe(self._slider_moved, "value")
        self.branch_picker.observe(self._branch_picked, "value")
        if live is not None:  # read its record again whenever a run call starts, pauses or ends
            live.observe(lambda _: self.reread(), "state")
        self.reread(show_last=True)

    # --- loading ------------------------------------------------------------------------------

    def load_in_background(self) -> None:
        """Read the checkpoints (the states after each step) without blocking the cell."""
        loop = running_loop()
        if loop is not None:
            self._loading = loop.create_future()
        if not start_task(loop, self._load, self._tasks) and self._loading is not None:
            self._loading.set_result(None)

    async def _load(self) -> None:
        try:
            await self.history.load_checkpoints()
            self.refresh()
        except Exception as error:  # a storage that refused: say so, keep what the events show
            self.message.value = _note(f"The checkpoints could not be read: {error}")
        finally:
            if self._loading is not None and not self._loading.done():
                self._loading.set_result(None)
            self._settled()

    def on_settled(self, callback: Callable[[], None]) -> None:
        """Call `callback` each time the explorer has new steps to show: its checkpoints were
        read, or a fork ended (`explore` refreshes the page's static copy this way)."""
        self._settled_callbacks.append(callback)

    def _settled(self) -> None:
        for callback in self._settled_callbacks:
            callback()

    def __await__(self) -> Any:
        """``await explorer`` waits until its checkpoints are read, and gives the explorer back."""
        return self._ready().__await__()

    async def _ready(self) -> RunExplorer:
        if self._loading is not None:
            await self._loading
        else:
            await self.history.load_checkpoints()
            self.refresh()
        return self

    def reread(self, show_last: bool = False) -> None:
        """Read a live run's events again (they grow while it runs), then redraw."""
        if self.live is not None:
            self.history.read_events(self.live.events, self.live.earlier_steps)
        self.refresh(show_last=show_last)

    # --- reading ------------------------------------------------------------------------------

    @property
    def steps(self) -> list[Superstep]:
        """The supersteps of the branch shown (see `wfkit.history.Superstep`)."""
        return self.history.steps

    def tree(self) -> str:
        """The branches: the recorded run and the forks, with the step each left from."""
        return self.history.tree()

    # --- moving -------------------------------------------------------------------------------

    def show(self, number: int) -> Superstep:
        """Show superstep `number` of the current branch (as the slider would)."""
        step = self.history.step(number)
        self.slider.value = number  # the observer draws it
        if self.number != number:
            self._draw(step)
        return step

    def refresh(self, show_last: bool = False) -> None:
        """Fit the slider and branch list to the history, and draw the chosen step again."""
        steps = self.history.steps
        numbers = [step.number for step in steps]
        branches = [branch.name for branch in self.history.branches]
        if list(self.branch_picker.options) != branches:
            self.branch_picker.options = branches
        self.branch_picker.value = self.history.branch.name
        self.branch_picker.layout.display = "" if len(branches) > 1 else "none"
        low, high = (numbers[0], numbers[-1]) if numbers else (0, 0)
        wanted = high if show_last or self.number not in numbers else self.number
        self._drawing_range = True  # the slider's value may move while its range changes
        try:
            if low > self.slider.max:  # never a moment with min above max
                self.slider.max, self.slider.min = high, low
            else:
                self.slider.min, self.slider.max = low, high
            self.slider.value = wanted
        finally:
            self._drawing_range = False
        self._draw(self.history.step(wanted) if numbers else None)

    def _neighbour(self, direction: int) -> int:
        numbers = [step.number for step in self.history.steps]
        if not numbers:
            return 0
        at = numbers.index(self.number) if self.number in numbers else 0
        return numbers[max(0, min(len(numbers) - 1, at + direction))]

    def _slider_moved(self, change: Mapping[str, Any]) -> None:
        if self._drawing_range:
            return  # refresh() draws once the range is set
        numbers = {step.number for step in self.history.steps}
        if change["new"] in numbers and change["new"] != self.number:
            self._draw(self.history.step(change["new"]))

    def _branch_picked(self, change: Mapping[str, Any]) -> None:
        if change["new"] and change["new"] != self.history.branch.name:
            self.history.switch_to(change["new"])
            self.refresh()

    # --- forking ------------------------------------------------------------------------------

    async def fork(self, number: int, responses: Mapping[str, Any] | None = None) -> Any:
        """Resume from step `number`'s checkpoint with `responses`, as a new branch (shown at
        its last step); returns the new run's `WorkflowRunResult` (see `RunHistory.fork`)."""
        self.forking = True
        try:
            result = await self.history.fork(number, responses)
            self.message.value = _note(f"Forked from step {number}: {self.history.branch.name} is shown.")
            return result
        except WorkflowError as error:
            self.message.value = _note(f"The fork from step {number} did not go through: {error}")
            raise
        finally:
            self.forking = False
            self.refresh(show_last=True)
            self._settled()

    def _fork_clicked(self, request_id: str, form: AnswerForm, button: widgets.Button) -> None:
        if self.forking:
            return  # a second click while the first fork runs
        try:
            answer = form.answer()
        except ValueError as error:
            self.message.value = _note(str(error))
            return
        number = self.number
        button.disabled = True
        self.forking = True  # at once: a second click before the fork's task starts is ignored too

        async def go() -> None:
            try:
                await self.fork(number, {request_id: answer})
            except WorkflowError:
                pass  # said in the message line; the branch (if the run failed) is kept
            finally:
                self.forking = False  # also when the fork never started (it raised before)
                button.disabled = False

        if not start_task(running_loop(), go, self._tasks):
            self.forking = False
            button.disabled = False
            self.message.value = _note("Forking needs a running event loop (a notebook): use await explorer.fork(...).")

    # --- drawing ------------------------------------------------------------------------------

    def _draw(self, step: Superstep | None) -> None:
        self.number = step.number if step is not None else 0
        # One value for the whole step (title, graph, panels): one message to the page per change.
        body = self.step_html(step) if step is not None else _note("No superstep has run yet.")
        self.view.value = self._header_html() + body
        self._update_forms(step)

    def _header_html(self) -> str:
        history, steps = self.history, self.history.steps
        where = f"step {self.number} of {steps[-1].number}" if steps else "no steps yet"
        tree = history.tree() if len(history.branches) > 1 else ""
        name = f" · {html.escape(history.workflow.name)}" if history.workflow.name else ""
        title = (
            f"<b>Run explorer</b>{name} · {html.escape(history.branch.name)} "
            f"({html.escape(history.branch.ending)}) · {where}"
        )
        return f"<div>{title}</div>" + (f"<pre style='font-size:12px;margin:2px 0'>{html.escape(tree)}</pre>" if tree else "")

    def step_html(self, step: Superstep) -> str:
        """Everything one step shows: the graph as of the step, then the panels."""
        panels = "".join([
            _panel(f"What step {step.number} changed", _changes_html(step)),
            _panel("Waiting to be delivered next", _messages_html(step)),
            _panel("Shared state", _state_html(step.shared_state)),
            _panel("Executor states", _executor_states_html(step.executor_states)),
            _panel("Open requests", _requests_html(step)),
        ])
        return (
            f"<div style='display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start'>"
            f"<div style='flex:1 1 360px;min-width:0'>{self.graph_html(step)}</div>"
            f"<div style='flex:1 1 300px;font-size:13px'>{panels}</div></div>"
        ) + self.team_html(step)

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

    def graph_html(self, step: Superstep) -> str:
        """The graph after `step`: statuses as colours, waiting messages as counts on edges."""
        counts = Counter((m.source, m.target) for m in step.messages)
        tips: dict[tuple[str, str], list[str]] = {}
        for message in step.messages:
            tips.setdefault((message.source, message.target), []).append(f"{message.type_name} {message.preview}")
        dot = workflow_to_dot(
            self.history.workflow,
            states=step.statuses,
            edge_counts=counts,
            edge_tooltips={route: "\n".join(lines) for route, lines in tips.items()},
        )
        picture = self._pictures.get(dot)
        if picture is None:
            try:
                picture = self._pictures[dot] = inline_svg(dot_to_svg(dot))
            except (GraphvizNotFoundError, OSError):
                picture = "<p><i>Install Graphviz to see the graph drawn.</i></p>"
        ran = ", ".join(step.ran) or "nothing"
        legend = (
            f"<div style='font-size:12px;color:#475569'>Step {step.number} ran: <b>{html.escape(ran)}</b>"
            + (" · <b style='color:#b91c1c'>the run failed in this step</b>" if step.failed else "")
            + (f" · <b style='color:#b45309'>damaged checkpoint</b>: {html.escape(step.problem)}" if step.problem else "")
            + " · ×n on an edge: messages waiting on it (point at the edge to read them)</div>"
        )
        return picture + states_caption(step.statuses, every_executor_id(self.history.workflow)) + legend

    def _update_forms(self, step: Superstep | None) -> None:
        """An answer form per open request of the step, to fork with; rebuilt only when the set
        of requests (or the step they are answered from) changes."""
        requests = step.pending_requests if step is not None else {}
        can_fork = step is not None and step.checkpoint_id is not None and self.history.storage is not None
        key = (self.history.branch.name, self.number, tuple(requests)) if requests and can_fork else None
        if key == self._forms_for:
            return
        self._forms_for = key
        if key is None:
            self.forms.children = ()
            return
        cards = []
        for request_id, request in requests.items():
            try:
                form = AnswerForm(
                    request.response_type, request.data, request_id,
                    action="Fork", action_note="the run goes on from here with it",
                )
            except TypeError:
                # Only forking needs the answer's type; the rest of the explorer works without it.
                cards.append(widgets.HTML(_note(_undecoded_type_note(request.executor_id, request.response_type))))
                continue
            button = widgets.Button(description=f"Fork from step {self.number} with this answer", button_style="info",
                                    layout=widgets.Layout(width="auto"))
            button.on_click(lambda _, r=request_id, f=form, b=button: self._fork_clicked(r, f, b))
            title = widgets.HTML(
                f"<b>{html.escape(request.executor_id)}</b> asks: {html.escape(request.preview)}"
            )
            cards.append(widgets.VBox([title, form, button], layout=widgets.Layout(border="1px solid #cbd5e1", padding="6px")))
        self.forms.children = tuple(cards)

    # --- where widgets cannot run -------------------------------------------------------------

    def static_html(self) -> str:
        """Every step of the current branch (up to `STATIC_STEPS`) as plain HTML."""
        steps = self.history.steps
        parts = [self._header_html()]
        for step in steps[:STATIC_STEPS]:
            parts.append(f"<h4 style='margin:10px 0 2px'>Step {step.number}</h4>{self.step_html(step)}")
        if len(steps) > STATIC_STEPS:
            parts.append(_note(f"… and {len(steps) - STATIC_STEPS} more steps (run the notebook to explore them)."))
        if not steps:
            parts.append(_note("No superstep has run yet."))
        return "<div class='wfkit-explorer-static'>" + "".join(parts) + "</div>"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return with_static_html(super()._repr_mimebundle_(**kwargs), self.static_html())


# --- the panels -----------------------------------------------------------------------------


def _note(text: str) -> str:
    return f"<div style='color:#475569;font-size:13px'>{html.escape(text)}</div>"


def _panel(title: str, body: str) -> str:
    return f"<div style='margin-bottom:8px'><div style='font-weight:600'>{html.escape(title)}</div>{body}</div>"


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f"<div style='color:#64748b'>{html.escape(empty)}</div>"
    return "<ul style='margin:2px 0;padding-left:18px'>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def _changes_html(step: Superstep) -> str:
    lines = [line for line in step.changes.lines() if not line.startswith("sent: ")]
    if step.shared_state is None and step.executor_states is None:
        lines.append("(states not recorded: no checkpoint of this step)")
    return _list(lines, "no state, output or request changed")


def _messages_html(step: Superstep) -> str:
    return _list([str(message) for message in step.messages], "nothing: no executor runs next")


def _state_html(state: Mapping[str, Any] | None) -> str:
    if state is None:
        return _list([], "not recorded (no checkpoint of this step)")
    return _list([f"{key} = {preview(value, 120)}" for key, value in state.items()], "empty")


def _executor_states_html(states: Mapping[str, Any] | None) -> str:
    if states is None:
        return _list([], "not recorded (no checkpoint of this step)")
    return _list([f"{eid}: {preview(value, 120)}" for eid, value in states.items()], "empty")


def _requests_html(step: Superstep) -> str:
    return _list(
        [describe_request(r.executor_id, r.preview, rid) for rid, r in step.pending_requests.items()],
        "none",
    )


def _undecoded_type_note(executor_id: str, response_type: Any) -> str:
    """What the fork form says when the answer's type is not a type in this session (its class
    was defined in a notebook cell not run yet, so the checkpoint could not decode it)."""
    named = response_type.get("type") if isinstance(response_type, dict) else None
    what = f"'{named}'" if named else repr(response_type)[:120]
    return (
        f"{executor_id}'s request wants an answer of type {what}, which cannot be decoded in this "
        "session: run the cell that defines it (or import it), then open the explorer again to fork from here."
    )
