"""The run explorer's log, keys and tools: what sits around the step it shows.

`RunExplorer` moves through a history and forks; this part of it (`ExplorerTools`, which the
explorer is made of) builds and links what sits around the step:

- the log of what each step did (`StepLog`), linked with the graph both ways: a click on an
  executor's box narrows the log to that executor and highlights the arrows its messages take;
  a click on a line moves to its step and highlights its executor and arrow;
- the keys, once the picture or the log has the focus: ← and → step, Enter forks;
- three tools under the step, each opened by its button: **✎ Edit and fork** (`ForkForm`),
  **⇄ Compare two steps** (`StepCompare`) and **✓ Save as a test** (`SaveTestBox`).

Every method here works on the explorer's own parts (``self.view``, ``self.history``...); the
moving and the forking it asks for are the explorer's (`_show_at`, `fork`).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Mapping

import ipywidgets as widgets

from ..errors import ForkEditError, WorkflowError
from ..history.records import Superstep
from .fork_form import ForkForm
from .graph_marks import executor_marks, executor_of, node_key, route_marks
from .loops import start_task
from .save_test_box import SaveTestBox
from .step_compare import StepCompare
from .step_log import StepLine, StepLog

if TYPE_CHECKING:
    from ..history.run_history import RunHistory
    from .clickable import ClickableHTML
    from .explorer_page import ExplorerPage

# The keys the picture and the log listen to, once one of them has the focus (a click gives it).
STEP_KEYS = ["ArrowLeft", "ArrowRight", "Enter"]


class ExplorerTools:
    """The log, the keys and the tools of a `RunExplorer` (see the module docstring)."""

    # The explorer's own parts, which these methods use.
    history: RunHistory
    page: ExplorerPage
    view: ClickableHTML
    slider: widgets.SelectionSlider
    position: int
    _shown: Superstep | None
    _shown_as: tuple[int, int]
    _home_loop: asyncio.AbstractEventLoop | None
    _tasks: set[asyncio.Task[Any]]

    # --- the log, the keys and the tools under the step ------------------------------------------

    def _make_tools(self) -> None:
        """The step log, the hint above the picture, and the three tools with their buttons."""
        forks = " and Enter forks from the step shown" if self.history.storage is not None else ""
        self.hint = widgets.HTML(
            "<div class='wfkit-explorer-hint' style='font-size:12px;color:#64748b'>Click a box of the graph to see only "
            f"its lines in the log below, a line to go to its step; once either has the focus, ← → step{forks}.</div>"
        )
        self.step_log = StepLog()
        self.form = ForkForm(self._fork_with_edits)
        self.compare = StepCompare(self.history)
        self.save_box = SaveTestBox(self.history)
        self.edit_toggle = widgets.ToggleButton(description="✎ Edit and fork", layout=widgets.Layout(width="auto"))
        self.compare_toggle = widgets.ToggleButton(description="⇄ Compare two steps", layout=widgets.Layout(width="auto"))
        self.save_toggle = widgets.ToggleButton(description="✓ Save as a test", layout=widgets.Layout(width="auto"))
        self.toolbar = widgets.HBox([self.edit_toggle, self.compare_toggle, self.save_toggle])
        self.toolbar.add_class("wfkit-explorer-tools")
        for toggle, section in ((self.edit_toggle, self.form), (self.compare_toggle, self.compare), (self.save_toggle, self.save_box)):
            section.layout.display = "none"
            toggle.observe(lambda change, section=section: self._toggle(section, change["new"]), "value")
        # Without checkpoints there are no states to edit and nothing to fork from.
        self.edit_toggle.layout.display = "" if self.history.storage is not None else "none"

    def _toggle(self, section: widgets.Widget, shown: bool) -> None:
        section.layout.display = "" if shown else "none"
        if shown:
            self._fit_tools()

    def _tools_wait(self, waiting: bool) -> None:
        """Hide the log and the tools while steps wait to be predicted (``predict=True``): the log
        lists what every step did, and the tools reach every step, hidden ones included."""
        for part in (self.step_log, self.toolbar, self.hint):
            part.layout.display = "none" if waiting else ""
        if waiting:
            for toggle in (self.edit_toggle, self.compare_toggle, self.save_toggle):
                toggle.value = False

    def _follow_step(self, step: Superstep | None) -> None:
        """The log and the open tools follow the step shown."""
        self.step_log.read(self.history.steps)
        self.step_log.mark_step(self.position)
        if self.edit_toggle.value and step is not None:
            self._fill_form(step)

    def _fit_tools(self) -> None:
        """Fit the open tools to the history (a new branch, a branch shown)."""
        if self.edit_toggle.value and self._shown is not None:
            self._fill_form(self._shown)
        if self.compare_toggle.value:
            self.compare.fit(self._shown)
        if self.save_toggle.value:
            self.save_box.fit()

    def _fill_form(self, step: Superstep) -> None:
        label = self.slider.label or str(step.number)
        self.form.show_step(step, label, self._why_no_fork(step), self._why_an_answer_is_needed(step))

    def _why_an_answer_is_needed(self, step: Superstep) -> str:
        """"" when a fork without answers runs something from `step`; else what to do instead."""
        if step.pending_requests:
            return (f"Step {step.number} waits for an answer, so a fork from it needs one: answer a card above, "
                    "and the fork takes these edits along.")
        if not step.messages:
            return f"Nothing runs after step {step.number} (no message waits to be delivered): a fork from it would end at once."
        return ""

    def _why_no_fork(self, step: Superstep) -> str:
        """"" when a fork can leave from `step`; else why not, in words."""
        if self.history.storage is None:
            return "This run kept no checkpoints, so no fork can leave from its steps."
        if step.checkpoint_id is None:
            return f"No checkpoint was taken after step {step.number}, so no fork can leave from it."
        if step.shared_state is None and step.executor_states is None:
            return "The states of this step are still being read from the checkpoints…" if self.page.reading else ""
        return ""

    def _link_graph_and_log(self) -> None:
        self.view.on_pick(self._graph_picked)
        self.step_log.on_line_clicked(self._line_clicked)
        self.step_log.observe(self._log_narrowed, "only_executor")
        for widget in (self.view, self.step_log.view):
            widget.hotkeys = STEP_KEYS
            widget.on_key(self._key_pressed)

    def _graph_picked(self, key: str) -> None:
        """A box clicked: the log shows that executor's lines only (a second click, every line)."""
        executor_id = executor_of(key, self.history.workflow)
        if executor_id is not None:
            self.step_log.only_executor = "" if self.step_log.only_executor == executor_id else executor_id

    def _log_narrowed(self, change: Mapping[str, Any]) -> None:
        executor_id = change["new"]
        self.view.marked = executor_marks(self.history.workflow, executor_id) if executor_id else []

    def _line_clicked(self, line: StepLine) -> None:
        """A log line clicked: go to its step, and highlight its executor and arrow there."""
        self._show_at(line.position)
        marks = [node_key(line.executor_id)] if line.executor_id else []
        for source in line.sources:
            marks += route_marks(self.history.workflow, source, line.executor_id) if line.executor_id else []
        self.view.marked = list(dict.fromkeys(marks))

    def _key_pressed(self, key: str) -> None:
        if key in ("ArrowLeft", "ArrowRight"):
            self._show_at(self._neighbour(-1 if key == "ArrowLeft" else +1))
        elif key == "Enter":
            self.fork_from_form()

    # --- forking with the form ------------------------------------------------------------------

    def _form_edits(self) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """The form's edits, when the form is open (none when it is closed)."""
        return self.form.edits() if self.edit_toggle.value else ({}, {})

    def fork_from_form(self) -> None:
        """Fork from the step shown with the form's edits (none when the form is closed), as
        **Fork with these edits** and the Enter key do."""
        if self.edit_toggle.value:
            self.form.submit()
        else:
            self._fork_with_edits({}, {})

    def _fork_with_edits(self, state: dict[str, Any], executor_states: dict[str, dict[str, Any]]) -> None:
        step = self._shown
        why_not = "There is no step to fork from yet." if step is None else self._why_no_fork(step) or self._why_an_answer_is_needed(step)
        if why_not:
            self._say(why_not)
            return
        number, nth = self._shown_as

        async def go() -> None:
            try:
                await self.fork(number, None, nth, state=state, executor_states=executor_states)
            except ForkEditError as error:  # beside the field it names; what was typed stays
                self.form.refused(error)
            except WorkflowError as error:  # the message line says it too
                self.form.say(f"The fork did not go through: {error}")

        if not start_task(self._home_loop, go, self._tasks):
            self._say("Forking needs a running event loop (a notebook): use await explorer.fork(...).")

    # what the explorer itself does, used above

    def _show_at(self, position: int) -> None:
        raise NotImplementedError

    def _neighbour(self, direction: int) -> int:
        raise NotImplementedError

    def _say(self, text: str) -> None:
        raise NotImplementedError

    async def fork(self, number: int, responses: Mapping[str, Any] | None = None, nth: int = 1, *,
                   state: Mapping[str, Any] | None = None,
                   executor_states: Mapping[str, Mapping[str, Any]] | None = None) -> Any:
        raise NotImplementedError
