"""`RunExplorer`: step through a recorded run superstep by superstep, and fork a new ending.

A slider (with Previous / Next) picks a superstep: one stop per step, so when two checkpoints
share a step number (a run resumed from an earlier checkpoint without parent links, folders
merged from two runs) each has its own stop, and the page says which is which. The page of a
step (`ExplorerPage`) shows the graph as it was after that step, executors coloured by status as
in the live view and on each arrow the messages queued on it for the next step ("1 queued"), and
beside it what the step did, the messages in flight, the states and the open requests.

An open request is answered right there, on the same card a live run shows (`fork_cards`), and
answering it forks: the run resumes from that step's checkpoint, in a fresh workflow, with your
answer, and becomes a new branch. The rule for forks, from a card or from code alike:

    Every fork becomes a new branch that leaves from the branch that recorded its step, and the
    explorer then shows that newest branch at its last step: the header, the Branch menu, the
    tree's "◀ shown" and the message line all name that branch, the header and slider that step.

For a team of agents (a group chat, a handoff, a Magentic team), the step also shows the
team's conversation, who had the floor and the plan as they stood after it.

The data comes from a `wfkit.history.RunHistory`; this module only moves through it. Everything
a step shows is one HTML value, so moving the slider sends the page one update.

An explorer can follow a run still going (a `LiveRun`, such as the `NotebookRun` that
`wfkit.notebook.run` returns): it reads the run's record again whenever the run's state changes.

Around the step (`explorer_tools`): the explorer's log says what each step did (`StepLog`),
linked with the graph both ways (a click on an executor's box shows only its lines, a click on
a line moves to its step and highlights its executor and arrow); with the picture or the log
focused, ← and → step and Enter forks; and three tools open below: **✎ Edit and fork** (the
step's states as a form, `ForkForm`), **⇄ Compare two steps** (`StepCompare`) and **✓ Save as a
test** (`SaveTestBox`).

With ``predict=True`` the explorer hides each next step until the learner has predicted it: a
`PredictPanel` under the step asks which executors will run (and where messages will wait), says
right or not quite and why, then shows the step; ``explorer.predict([...])`` does the same from code.
While steps are hidden, the log and the tools wait too: they would tell what the hidden steps did.
"""

from __future__ import annotations

import asyncio
import html
from collections import Counter
from typing import Any, Callable, Mapping, Protocol

import ipywidgets as widgets
import traitlets

from ..core.events import WorkflowEvent
from ..errors import ForkEditError, WorkflowError
from ..history.records import Superstep
from ..history.run_history import RunHistory
from .clickable import ClickableHTML
from .explorer_page import ExplorerPage
from .explorer_tools import ExplorerTools
from .fallback import with_static_html
from .fork_cards import cards_in, fork_cards
from .loops import running_loop, start_task
from .explorer_predictions import PredictMode


class LiveRun(Protocol):
    """A run an explorer can follow while it goes on: `wfkit.notebook.NotebookRun` is one.

    It has its events so far, the steps before them (`earlier_steps`: those that led to the
    checkpoint it was resumed from, or none), and a traitlet ``state`` to `observe`.
    """

    earlier_steps: list[Superstep]

    @property
    def events(self) -> list[WorkflowEvent]: ...

    def observe(self, handler: Callable[[Any], None], names: Any) -> None: ...


class RunExplorer(ExplorerTools, PredictMode, widgets.VBox):
    """A recorded run (a `RunHistory`), one superstep at a time, with forks.

    Make one with `wfkit.notebook.explore(...)`; move it from code with `show(n)`, fork with
    ``await explorer.fork(n, {request_id: answer})`` or with the card under a step that asks,
    and predict the step after the one shown with ``explorer.predict(["a", "b"])``.

    The rule for forks: every fork, from a card or from code, becomes a new branch that leaves
    from the branch that recorded its step, and the explorer then shows that newest branch at its
    last step; the header, the Branch menu, the tree's "◀ shown" and the message line always name
    the branch shown.
    """

    number = traitlets.Int(0, help="the number of the superstep shown (0 before there is any)")
    position = traitlets.Int(0, help="where the superstep shown is in `steps` (two steps can share a number)")
    forking = traitlets.Bool(False, help="True while a fork's run goes on")

    def __init__(self, history: RunHistory, live: LiveRun | None = None, *, predict: bool = False, **kwargs: Any) -> None:
        self.history = history
        self.live = live
        self.page = ExplorerPage(history)
        self.branch_picker = widgets.Dropdown(description="Branch", layout=widgets.Layout(width="auto"))
        self.previous = widgets.Button(description="◀ Previous", layout=widgets.Layout(width="auto"))
        self.next = widgets.Button(description="Next ▶", layout=widgets.Layout(width="auto"))
        # One stop per step, labelled with its number: gaps in the numbers get no stop, and steps
        # that share a number get one each ("2 (1 of 2)", "2 (2 of 2)").
        self.slider = widgets.SelectionSlider(description="Step", options=[("0", 0)], continuous_update=True)
        self.view = ClickableHTML()
        self.view.add_class("wfkit-explorer-step")
        self.cards = widgets.VBox()
        self.cards.add_class("wfkit-explorer-cards")
        self.message = widgets.HTML()
        self.message.add_class("wfkit-explorer-message")
        self._cards_for: tuple[str, int, tuple[str, ...]] | None = None
        self._shown: Superstep | None = None
        self._shown_as: tuple[int, int] = (0, 1)  # (number, nth) of the step shown: kept across a reread
        self._said: tuple[str, str] | None = None  # (branch, text): the message line, about that branch
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loading: asyncio.Future[None] | None = None
        self._refreshing = False  # True while the slider and the menu are fitted to the history
        self._settled_callbacks: list[Callable[[], None]] = []
        self._home_loop = running_loop()  # clicks from another thread start their forks on it
        self._fork_locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
        self.prediction = None  # the question of ``predict=True`` (see explorer_predictions.py)
        self._revealed = None
        controls = widgets.HBox([self.previous, self.slider, self.next, self.branch_picker])
        self._make_tools()
        super().__init__(
            children=[controls, self.hint, self.view, self.cards, self.step_log, self.toolbar, self.form, self.compare,
                      self.save_box, self.message],
            **kwargs,
        )
        self.add_class("wfkit-explorer")
        self._link_graph_and_log()
        self.previous.on_click(lambda _: self._show_at(self._neighbour(-1)))
        self.next.on_click(lambda _: self._show_at(self._neighbour(+1)))
        self.slider.observe(self._slider_moved, "index")
        self.branch_picker.observe(self._branch_picked, "value")
        if live is not None:  # read its record again whenever a run call starts, pauses or ends
            live.observe(lambda _: self.reread(), "state")
        if predict:
            self._start_predicting()
        self.reread(show_last=True)

    # --- loading ------------------------------------------------------------------------------

    def load_in_background(self) -> None:
        """Read the checkpoints (the states after each step) without blocking the cell."""
        loop = running_loop()
        if loop is not None:
            self._home_loop = loop
            self._loading = loop.create_future()
        self.page.reading = self.history.storage is not None
        if not start_task(loop, self._load, self._tasks):
            self.page.reading = False
            if self._loading is not None:
                self._loading.set_result(None)

    async def _load(self) -> None:
        try:
            await self.history.load_checkpoints()
        except Exception as error:  # a storage that refused: say so, keep what the events show
            self._say(f"The checkpoints could not be read: {error}")
        finally:
            self.page.reading = False
            self.refresh()
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

    @property
    def shown(self) -> Superstep | None:
        """The superstep shown (None before there is any)."""
        return self._shown

    def tree(self) -> str:
        """The branches: the recorded run and the forks, with the step each left from, and
        "◀ shown" after the branch shown (as the header draws it)."""
        return self.history.tree(mark_shown=True)

    # --- moving -------------------------------------------------------------------------------

    def show(self, number: int, nth: int = 1) -> Superstep:
        """Show superstep `number` of the current branch (as the slider would); `nth` picks
        among steps that share the number, 1 for the first (see `RunHistory.step`)."""
        position = self.history.position_of(number, nth)
        self._refuse_hidden(position)
        self._show_at(position)
        return self.history.steps[position]

    def _show_at(self, position: int) -> None:
        self.slider.index = position  # the observer draws it
        if self.position != position or self._shown is None:
            self._draw(position)

    def refresh(self, show_last: bool = False) -> None:
        """Fit the slider and the Branch menu to the history, and draw the chosen step again."""
        steps = self._steps_to_show()
        wanted = len(steps) - 1
        if not show_last:
            try:
                wanted = min(self.history.position_of(*self._shown_as), wanted)
            except IndexError:
                pass  # the step shown is gone (another branch, say): show the last
        stops = tuple(zip(_stop_labels(steps), (step.number for step in steps))) or (("0", 0),)
        branches = tuple(branch.name for branch in self.history.branches)
        # New options make a menu select its first one, and a slider move: neither is a choice
        # of the learner's, so the observers leave them alone while `_refreshing`.
        self._refreshing = True
        try:
            if tuple(self.branch_picker.options) != branches:
                self.branch_picker.options = branches
            self.branch_picker.value = self.history.branch.name
            self.branch_picker.layout.display = "" if len(branches) > 1 else "none"
            if self.slider.options != stops:
                self.slider.options = stops
            self.slider.index = max(wanted, 0)
        finally:
            self._refreshing = False
        self._draw(wanted if steps else None)
        self._fit_tools()

    def _neighbour(self, direction: int) -> int:
        last = len(self._steps_to_show()) - 1
        return max(0, min(last, self.position + direction))

    def _slider_moved(self, change: Mapping[str, Any]) -> None:
        if self._refreshing:
            return  # refresh() draws once the stops are set
        position = change["new"]
        if position is not None and position < len(self.history.steps) and position != self.position:
            self._draw(position)

    def _branch_picked(self, change: Mapping[str, Any]) -> None:
        if self._refreshing:
            return
        if change["new"] and change["new"] != self.history.branch.name:
            self.history.switch_to(change["new"])
            self.refresh()

    # --- forking ------------------------------------------------------------------------------

    async def fork(
        self,
        number: int,
        responses: Mapping[str, Any] | None = None,
        nth: int = 1,
        *,
        state: Mapping[str, Any] | None = None,
        executor_states: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> Any:
        """Resume from step `number`'s checkpoint with `responses`, as a new branch (shown at
        its last step); returns the new run's `WorkflowRunResult` (see `RunHistory.fork`: its
        `nth` for steps that share a number, and `state` / `executor_states` to edit the step's
        states first).

        Forks run one at a time: a second one waits for the first to end, so the newest is the
        one shown. Each leaves from step `number` of the branch shown when it was asked for,
        even when another fork ended (and was shown) in the meantime."""
        source = self.history.branch.name
        async with self._fork_lock():
            self.forking = True
            refused = False  # an edit refused: nothing ran, so the step shown stays shown
            try:
                self.history.switch_to(source)
                result = await self.history.fork(number, responses, nth, state=state, executor_states=executor_states)
                branch = self.history.branch
                edited = " with your edits" if branch.edits else ""
                self._say(f"Forked from step {number} of {branch.parent}{edited}: {branch.name} is shown.")
                return result
            except ForkEditError as error:
                refused = True
                self._say(f"The fork from step {number} was refused, and nothing was forked: {error}")
                raise
            except WorkflowError as error:
                self._say(f"The fork from step {number} did not go through: {error}")
                raise
            finally:
                self.forking = False
                if not refused:
                    self.refresh(show_last=True)
                    self._settled()

    def _fork_lock(self) -> asyncio.Lock:
        # A lock belongs to one event loop; tests and scripts may use an explorer from several.
        loop = asyncio.get_running_loop()
        return self._fork_locks.setdefault(loop, asyncio.Lock())

    def _card_answered(self, number: int, nth: int, request_id: str, answer: Any) -> None:
        """A card under the step was answered: fork from that step with the answer."""
        card = next((c for c in cards_in(list(self.cards.children)) if c.request.request_id == request_id), None)

        try:
            state, executor_states = self._form_edits()
        except ValueError as problem:  # the form says which field; the answer waits on its card
            if card is not None:
                card.reopen(f"{problem} Fix it, then answer again.")
            return

        async def go() -> None:
            try:
                await self.fork(number, {request_id: answer}, nth, state=state, executor_states=executor_states)
            except ForkEditError as error:  # said in full under the field it names
                self.form.refused(error)
                if card is not None:
                    card.reopen(f"The fork was refused: see {error.edit or 'the edits'} in the form below, then answer again.")
            except WorkflowError as error:  # said in the message line too; the card can be answered again
                if card is not None:
                    card.reopen(f"The fork did not go through: {error}")

        if not start_task(self._home_loop, go, self._tasks) and card is not None:
            card.reopen("Forking needs a running event loop (a notebook): use await explorer.fork(...).")

    @traitlets.observe("forking")
    def _lock_cards(self, change: Mapping[str, Any]) -> None:
        for card in cards_in(list(self.cards.children)):
            card.locked = change["new"]

    # --- drawing ------------------------------------------------------------------------------

    def _draw(self, position: int | None) -> None:
        step = self.history.steps[position] if position is not None else None
        self._shown = step
        self.position = position or 0
        self.number = step.number if step is not None else 0
        if step is not None and position is not None:
            nth = sum(1 for earlier in self.history.steps[: position + 1] if earlier.number == step.number)
            self._shown_as = (step.number, nth)
        # One value for the whole step (title, graph, panels): one message to the page per change.
        body = self.page.step_html(step) if step is not None else _note("No superstep has run yet.")
        self.view.value = self.page.header_html(self.number) + body
        self._update_cards(position)
        self._follow_step(step)
        self._draw_message()

    def step_html(self, step: Superstep) -> str:
        """Everything one step shows: the graph as of the step, then the panels."""
        return self.page.step_html(step)

    def _update_cards(self, position: int | None) -> None:
        """A card per open request of the step shown, to fork with; made again only when the
        requests (or the step they are answered from) change."""
        step = self.history.steps[position] if position is not None else None
        requests = step.pending_requests if step is not None else {}
        can_fork = step is not None and step.checkpoint_id is not None and self.history.storage is not None
        key = (self.history.branch.name, self.position, tuple(requests)) if requests and can_fork else None
        if key == self._cards_for:
            return
        self._cards_for = key
        if key is None or position is None:
            self.cards.children = ()
            return
        number, nth = self._shown_as
        self.cards.children = tuple(
            fork_cards(
                self.history.steps, position, self.slider.label or str(number),
                lambda request_id, answer: self._card_answered(number, nth, request_id, answer),
            )
        )
        for card in cards_in(list(self.cards.children)):
            card.locked = self.forking

    def _say(self, text: str) -> None:
        """Put `text` on the message line, about the branch shown now: it goes when another
        branch is shown, so the line never names a branch other than the header's."""
        self._said = (self.history.branch.name, text)
        self._draw_message()

    def _draw_message(self) -> None:
        said = self._said if self._said is not None and self._said[0] == self.history.branch.name else None
        self.message.value = _note(said[1]) if said else ""

    # --- where widgets cannot run -------------------------------------------------------------

    def static_html(self) -> str:
        """Every step of the current branch (up to `explorer_page.STATIC_STEPS`) as plain HTML,
        and the comparison of two steps, if one is shown (while steps are hidden for predictions:
        the prediction form instead)."""
        if self._revealed is not None:
            return self._prediction_static_html()
        return self.page.static_html(self.number) + self.compare.static_html()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return with_static_html(super()._repr_mimebundle_(**kwargs), self.static_html())


def _stop_labels(steps: list[Superstep]) -> list[str]:
    """The slider's label for each step: its number, and which of them it is where steps share
    a number: ``["1", "2 (1 of 2)", "2 (2 of 2)"]``."""
    counts = Counter(step.number for step in steps)
    seen: Counter[int] = Counter()
    labels = []
    for step in steps:
        seen[step.number] += 1
        shared = counts[step.number] > 1
        labels.append(f"{step.number} ({seen[step.number]} of {counts[step.number]})" if shared else str(step.number))
    return labels


def _note(text: str) -> str:
    return f"<div style='color:#475569;font-size:13px'>{html.escape(text)}</div>"
