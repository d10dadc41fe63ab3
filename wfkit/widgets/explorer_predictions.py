"""The run explorer's predict mode: each next step hidden until the learner has predicted it.

``wfkit.notebook.explore(run, predict=True)`` shows the first step only. A `PredictPanel` under
it asks what the next step will do; **Check my prediction** (or ``explorer.predict([...])``)
checks the guess with `wfkit.history.check_prediction`, shows the verdict and why, then shows
the step and asks about the next. After the last step, the panel gives the score.

`PredictMode` is the part of `RunExplorer` that does this, kept in a module of its own: the
explorer asks it which steps may be shown (`_steps_to_show`), and the rest lives here.
Predictions go along the branch they started on; a fork, or another branch picked in the menu,
shows all its steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from ..errors import PredictionError
from ..history.prediction import Prediction, check_prediction, executor_choices, route_choices
from ..history.records import Superstep
from .predict_panel import PredictPanel, prediction_static_html

if TYPE_CHECKING:
    from ..history.run_history import RunHistory
    from .explorer_page import ExplorerPage
    from .run_explorer import LiveRun


class PredictMode:
    """What `RunExplorer` does with ``predict=True``, and `predict` itself (see the module
    docstring). `prediction` is the panel (None without predict mode)."""

    # Set by RunExplorer; named here so this part reads on its own.
    history: RunHistory
    live: LiveRun | None
    page: ExplorerPage
    position: int
    number: int
    prediction: PredictPanel | None
    _revealed: tuple[str, int] | None  # (branch, position) of the last step predictions show
    children: Any
    refresh: Callable[..., None]
    on_settled: Callable[[Callable[[], None]], None]
    _show_at: Callable[[int], None]
    _settled: Callable[[], None]
    _tools_wait: Callable[[bool], None]

    def predict(self, executors: Any, waiting: Any = None) -> Prediction:
        """Predict what the next step does, then see it: returns the verdict (a `Prediction`:
        `right`, and an `explanation` that says why each executor ran or did not).

        `executors` are the ids (or executors) that will run in it, ``[]`` for none; `waiting`
        the arrows a message will wait on after it, ``["mood -> summary"]`` (leave it out to
        predict the executors alone). The next step is the first one hidden, with
        ``predict=True``; otherwise the one after the step shown. Raises `PredictionError` for
        an id the workflow lacks, or when there is no next step.
        """
        branch, position = self._next_to_predict()
        if self.history.branch.name != branch:
            self.history.switch_to(branch)  # predictions go along the branch they started on
        verdict = check_prediction(self.history.workflow, self.history.steps, position, executors, waiting)
        if self._revealed is not None:
            last = position == len(self.history.steps) - 1 and self.history.branch.ending != "running"
            self._revealed = None if last else (branch, position)
        if self.prediction is not None:
            self.prediction.show(verdict)
        self.refresh()
        self._show_at(position)
        self._ask_next()
        self._settled()  # the page's static copy shows the step revealed
        return verdict

    def _start_predicting(self) -> None:
        """Hide every step after the first until it is predicted, with the panel that asks."""
        workflow = self.history.workflow
        self.prediction = PredictPanel(executor_choices(workflow), route_choices(workflow), self._checked)
        self._revealed = (self.history.branch.name, 0)
        self.children = (*self.children, self.prediction)
        self.on_settled(self._ask_next)  # checkpoints read, or a fork ended: the steps may have changed
        if self.live is not None:
            self.live.observe(lambda _: self._ask_next(), "state")
        self._ask_next()

    def _steps_to_show(self) -> list[Superstep]:
        """The steps of the branch shown that may be shown: up to the last one predicted, on
        the branch predictions go along; all of them otherwise."""
        steps = self.history.steps
        if self._revealed is None or self._revealed[0] != self.history.branch.name:
            return steps
        return steps[: self._revealed[1] + 1]

    def _next_to_predict(self) -> tuple[str, int]:
        """(branch, position) of the step a prediction is about, or a `PredictionError` saying
        why there is none."""
        if self._revealed is not None:
            branch, position = self._revealed[0], self._revealed[1] + 1
            steps = next(b for b in self.history.branches if b.name == branch).steps
            if position < len(steps):
                return branch, position
            raise PredictionError(
                f"Step {steps[-1].number + 1 if steps else 1} of {branch} has not run yet: predict it once it has."
            )
        branch, position = self.history.branch.name, self.position + 1
        if position < len(self.history.steps):
            return branch, position
        raise PredictionError(
            f"Step {self.number} is the last step of {branch}: there is no next step to predict. "
            "Show an earlier step first, e.g. explorer.show(1), then predict the one after it."
        )

    def _refuse_hidden(self, position: int) -> None:
        if position >= len(self._steps_to_show()):
            number = self.history.steps[position].number
            raise PredictionError(f"Step {number} is hidden until you predict it: explorer.predict([...]) first.")

    def _checked(self, executors: tuple[str, ...], waiting: tuple[str, ...] | None) -> None:
        """The panel's Check button."""
        try:
            self.predict(executors, waiting)
        except PredictionError as error:
            assert self.prediction is not None
            self.prediction.say(str(error))

    def _ask_next(self) -> None:
        """Put the panel's question about the next hidden step (or its score, once none is)."""
        if self.prediction is None:
            return
        self._tools_wait(self._revealed is not None)
        if self._revealed is None:
            self.prediction.finish()
            return
        branch = next(b for b in self.history.branches if b.name == self._revealed[0])
        position = self._revealed[1] + 1
        if position < len(branch.steps):
            if self.prediction.asked != branch.steps[position].number:
                self.prediction.ask(branch.steps[position].number)
        elif branch.ending == "running":
            self.prediction.wait_for(branch.steps[-1].number + 1 if branch.steps else 1)
        else:
            self._revealed = None
            self._tools_wait(False)
            self.refresh()
            self.prediction.finish()

    def _prediction_static_html(self) -> str:
        """The steps shown so far with their verdicts, then each hidden step as a question whose
        answer opens on a click (for a page without widgets)."""
        assert self._revealed is not None and self.prediction is not None
        steps = next(b for b in self.history.branches if b.name == self._revealed[0]).steps
        body = prediction_static_html(
            self.history.workflow, steps, self._revealed[1], self.prediction.predictions, self.page.step_html
        )
        return f"<div class='wfkit-explorer-static'>{self.page.header_html(self.number)}{body}</div>"
