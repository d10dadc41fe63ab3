"""`StepCompare`: pick two steps, of one branch or of two, and see what differs, side by side.

The run explorer shows it when the learner opens **⇄ Compare two steps**. Two menus list every
step of every branch ("main · step 4", "fork 1 · step 5"; a fork lists its own steps, the ones
before it left being its parent's); the table under them is `RunHistory.diff` of the two, as
`StepDiff.to_html` draws it: shared state, executor states, waiting messages, open requests and
outputs, each step in its column. The first time it opens, it compares the step shown with the
last step of its branch (or with the step before, when the last is shown).

The table is plain HTML, so an exported page keeps the comparison last shown (`static_html`).
"""

from __future__ import annotations

import html
from typing import Any, Mapping

import ipywidgets as widgets

from ..history.run_history import RunHistory
from ..history.step_diff import StepDiff

StepChoice = tuple[str, int]  # (branch name, step number), as `RunHistory.diff` takes a step


class StepCompare(widgets.VBox):
    """Two step menus and the `StepDiff` of the steps picked (see the module docstring)."""

    def __init__(self, history: RunHistory) -> None:
        self.history = history
        self.first = widgets.Dropdown(description="Compare", layout=widgets.Layout(width="auto"))
        self.second = widgets.Dropdown(description="with", layout=widgets.Layout(width="auto"))
        self.table = widgets.HTML()
        self.table.add_class("wfkit-compare-table")
        self.difference: StepDiff | None = None
        self._fitting = False
        for menu in (self.first, self.second):
            menu.observe(self._picked, "value")
        super().__init__(children=[widgets.HBox([self.first, self.second]), self.table])
        self.add_class("wfkit-compare")

    def fit(self, shown: Any) -> None:
        """List the steps of every branch in both menus; the first time, pick the step `shown`
        (a `Superstep` of the branch shown) and another, and compare them."""
        choices = self.choices()
        self._fitting = True
        try:
            fresh = not self.first.options
            if tuple(self.first.options) != choices:
                kept = (self.first.value, self.second.value)
                self.first.options = self.second.options = choices
                values = [value for _, value in choices]
                self.first.value, self.second.value = (kept[0] if kept[0] in values else None,
                                                       kept[1] if kept[1] in values else None)
            if fresh and shown is not None:
                self.first.value, self.second.value = self._defaults(shown)
        finally:
            self._fitting = False
        self.compare()

    def choices(self) -> tuple[tuple[str, StepChoice], ...]:
        """Every step of every branch, as menu choices: ("fork 1 · step 5", ("fork 1", 5))."""
        found: dict[StepChoice, str] = {}
        for branch in self.history.branches:
            steps = branch.steps if branch.parent is None else branch.own_steps()
            for step in steps:
                found.setdefault((branch.name, step.number), f"{branch.name} · step {step.number}")
        return tuple((label, choice) for choice, label in found.items())

    def _defaults(self, shown: Any) -> tuple[StepChoice | None, StepChoice | None]:
        branch, steps = self.history.branch, self.history.steps
        last = steps[-1].number if steps else None
        if shown.number == last and len(steps) > 1:
            return (branch.name, steps[-2].number), (branch.name, shown.number)
        return (branch.name, shown.number), (branch.name, last) if last is not None else None

    def _picked(self, change: Mapping[str, Any]) -> None:
        if not self._fitting:
            self.compare()

    def compare(self) -> None:
        """Draw the difference between the two steps picked."""
        first, second = self.first.value, self.second.value
        if first is None or second is None:
            self.difference = None
            self.table.value = "<div style='font-size:12px;color:#64748b'>Pick two steps to compare.</div>"
            return
        self.difference = self.history.diff(first, second)
        self.table.value = self.difference.to_html()

    def static_html(self) -> str:
        """The comparison shown, as plain HTML ("" when none is)."""
        if self.difference is None:
            return ""
        title = f"Compared: {self.difference.first} with {self.difference.second}"
        return f"<h4 style='margin:10px 0 2px'>{html.escape(title)}</h4>{self.table.value}"
