"""`PredictPanel`: the question under the run explorer when it hides the next step.

``wfkit.notebook.explore(run, predict=True)`` shows a run one step at a time and asks, before
each step, what it will do:

- which executors will run in it: a toggle button per executor, and "nothing runs";
- where messages will wait after it (optional): a toggle button per arrow, and "no message waits";
- **Check my prediction**: the explorer checks the guess (`wfkit.history.check_prediction`), the
  panel says right or not quite, and why, and the explorer shows the step.

The panel only asks and shows verdicts; the explorer decides what is asked and what is shown.

Where widgets cannot run (an exported page, GitHub), `prediction_static_html` draws the same
questions as a form to tick by hand, each followed by a "Show step n and why" box that opens,
so a reader can still predict before looking.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Callable, Sequence

import ipywidgets as widgets
import traitlets

from ..history.prediction import ARROW, Prediction, executor_choices, why_they_ran
from ..history.records import Superstep

if TYPE_CHECKING:
    from ..core.workflow import Workflow

# Called with (executor ids, routes or None) when the learner clicks "Check my prediction".
CheckCallback = Callable[[tuple[str, ...], "tuple[str, ...] | None"], None]

NOTHING_RUNS = "nothing runs"
NO_MESSAGE_WAITS = "no message waits"
RIGHT_STYLE = "background:#dcfce7;border:1px solid #16a34a"  # green, as a step that is done
WRONG_STYLE = "background:#fef3c7;border:1px solid #d97706"  # amber: worth a second look, not an error


class PredictPanel(widgets.VBox):
    """Toggle buttons to say what the next step will do, a Check button, and the verdicts.

    `asked` is the number of the step asked about (0 when nothing is asked: every step is shown,
    or the next has not run yet). `predictions` are the verdicts so far, oldest first.
    """

    asked = traitlets.Int(0, help="the number of the step asked about; 0 when nothing is asked")

    def __init__(self, executor_ids: Sequence[str], routes: Sequence[str], on_check: CheckCallback) -> None:
        self.predictions: list[Prediction] = []
        self._on_check = on_check
        self.question = widgets.HTML()
        self.question.add_class("wfkit-predict-question")
        self.executor_buttons = {eid: _toggle(eid, f"{eid} will run") for eid in executor_ids}
        self.nothing_runs = _toggle(NOTHING_RUNS, "no executor runs: the run is over")
        self.route_buttons = {route: _toggle(route.replace(ARROW, " → "), f"a message waits on {route}") for route in routes}
        self.no_message_waits = _toggle(NO_MESSAGE_WAITS, "nothing is sent in the step")
        self.check = widgets.Button(
            description="Check my prediction", button_style="primary",
            layout=widgets.Layout(width="auto", align_self="flex-start", margin="6px 0 2px 0"),
        )
        self.check.add_class("wfkit-predict-check")
        self.verdict = widgets.HTML()
        self.verdict.add_class("wfkit-predict-verdict")
        self.choices = widgets.VBox(
            [
                _row([*self.executor_buttons.values(), self.nothing_runs]),
                widgets.HTML("<div style='font-size:13px;margin-top:4px'>And where will messages wait after it? "
                             "<span style='color:#64748b'>(optional)</span></div>"),
                _row([*self.route_buttons.values(), self.no_message_waits]),
                self.check,
            ]
        )
        _one_or_the_others(self.nothing_runs, list(self.executor_buttons.values()))
        _one_or_the_others(self.no_message_waits, list(self.route_buttons.values()))
        self.check.on_click(lambda _: self._checked())
        super().__init__(
            # The verdict is about the step just shown above it; the next question comes after.
            children=[self.verdict, self.question, self.choices],
            layout=widgets.Layout(border="1px solid #93c5fd", padding="6px 10px", margin="8px 0"),
        )
        self.add_class("wfkit-predict")

    # --- asking ---------------------------------------------------------------------------------

    def ask(self, number: int) -> None:
        """Ask what step `number` will do, every button up again."""
        self.asked = number
        for button in self._buttons():
            button.value = False
        self.question.value = (
            f"<div style='font-size:14px'><b>Predict step {number}.</b> Which executors will run in it? "
            "Pick them, then check: the explorer shows the step once you have.</div>"
        )
        self.choices.layout.display = ""

    def wait_for(self, number: int) -> None:
        """Say that step `number` has not run yet (a run still going): nothing to check now."""
        self.asked = 0
        self.question.value = _note(f"Step {number} is not here yet: its question comes once it has run.")
        self.choices.layout.display = "none"

    def finish(self) -> None:
        """Every step is shown: put the score where the question was."""
        self.asked = 0
        right = sum(p.right for p in self.predictions)
        score = f"You predicted {right} of {len(self.predictions)} steps right. " if self.predictions else ""
        self.question.value = _note(f"{score}Every step of this run is shown now: move the slider to look back.")
        self.choices.layout.display = "none"

    # --- the verdict ------------------------------------------------------------------------------

    def chosen(self) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
        """What the buttons say: the executors picked, and the routes (None if none was picked)."""
        executors = tuple(eid for eid, button in self.executor_buttons.items() if button.value)
        routes = tuple(route for route, button in self.route_buttons.items() if button.value)
        return executors, (routes if routes or self.no_message_waits.value else None)

    def show(self, prediction: Prediction) -> None:
        """Show `prediction`'s verdict, and keep it for the score."""
        self.predictions.append(prediction)
        self.verdict.value = verdict_html(prediction) + _note(f"Step {prediction.step} is shown above.")

    def say(self, text: str) -> None:
        """Put `text` where the verdict goes (a prediction that could not be checked)."""
        self.verdict.value = _note(text)

    def _checked(self) -> None:
        executors, routes = self.chosen()
        if not executors and not self.nothing_runs.value:
            self.say(f"Pick the executors you expect to run in step {self.asked} (or “{NOTHING_RUNS}”) first.")
            return
        self._on_check(executors, routes)

    def _buttons(self) -> list[widgets.ToggleButton]:
        return [*self.executor_buttons.values(), self.nothing_runs, *self.route_buttons.values(), self.no_message_waits]


# --- HTML, for the widget and for pages without widgets ------------------------------------------


def verdict_html(prediction: Prediction) -> str:
    """A verdict as a coloured box: the headline, then each reason as a line."""
    style = RIGHT_STYLE if prediction.right else WRONG_STYLE
    mark = "✔" if prediction.right else "✘"
    reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in prediction.reasons)
    return (
        f"<div class='wfkit-predict-result' data-right='{str(prediction.right).lower()}' "
        f"style='{style};border-radius:6px;padding:6px 10px;margin:6px 0;font-size:13px'>"
        f"<b>{mark} {html.escape(prediction.headline)}</b>"
        f"<ul style='margin:4px 0;padding-left:18px'>{reasons}</ul></div>"
    )


def prediction_static_html(
    workflow: Workflow,
    steps: Sequence[Superstep],
    revealed: int,
    predictions: Sequence[Prediction],
    step_html: Callable[[Superstep], str],
) -> str:
    """The steps a prediction has revealed (``steps[: revealed + 1]``) with their verdicts, then
    a question for each step still hidden, whose answer (the step, and why it ran what it ran)
    opens on a click: a form to predict with, where widgets cannot run."""
    verdicts = {p.step: p for p in predictions}
    parts = []
    for position, step in enumerate(steps):
        title = f"<h4 style='margin:10px 0 2px'>Step {step.number}</h4>"
        if position <= revealed:
            verdict = verdicts.get(step.number)
            parts.append(title + (verdict_html(verdict) if verdict else "") + step_html(step))
            continue
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in why_they_ran(workflow, steps, position))
        boxes = " ".join(
            f"<label style='margin-right:10px'><input type='checkbox'> {html.escape(eid)}</label>"
            for eid in executor_choices(workflow)
        )
        parts.append(
            "<div class='wfkit-predict-static' style='border:1px solid #93c5fd;border-radius:6px;padding:6px 10px;"
            f"margin:8px 0'><b>Predict step {step.number}.</b> Which executors will run in it?"
            f"<div style='margin:4px 0'>{boxes}</div>"
            f"<details><summary>Show step {step.number} and why</summary>"
            f"<ul style='font-size:13px;margin:4px 0;padding-left:18px'>{reasons}</ul>{step_html(step)}"
            "</details></div>"
        )
    return "".join(parts)


def _toggle(description: str, tooltip: str) -> widgets.ToggleButton:
    button = widgets.ToggleButton(description=description, tooltip=tooltip, layout=widgets.Layout(width="auto", margin="2px 4px 2px 0"))
    button.add_class("wfkit-predict-choice")
    return button


def _row(buttons: list[widgets.ToggleButton]) -> widgets.Box:
    return widgets.Box(buttons, layout=widgets.Layout(flex_flow="row wrap"))


def _one_or_the_others(alone: widgets.ToggleButton, others: list[widgets.ToggleButton]) -> None:
    """`alone` ("nothing runs") and the `others` exclude each other: pressing one side lifts the other."""

    def alone_pressed(change: dict) -> None:
        if change["new"]:
            for other in others:
                other.value = False

    def other_pressed(change: dict) -> None:
        if change["new"]:
            alone.value = False

    alone.observe(alone_pressed, "value")
    for other in others:
        other.observe(other_pressed, "value")


def _note(text: str) -> str:
    return f"<div style='color:#475569;font-size:13px'>{html.escape(text)}</div>"

