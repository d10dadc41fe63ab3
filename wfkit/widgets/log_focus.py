"""`FocusBar`: the line above a log that says it shows one executor's lines only, and undoes it.

A click on an executor's box in the graph narrows the log to that executor (see `EventLog`
and the run explorer's `StepLog`). A log narrowed without saying so would look as if the rest
had vanished, so the log shows this bar while it is narrowed: "Showing only review's lines
(3 of 40)", and a **Show all** button.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import traitlets


class FocusBar(widgets.HBox):
    """"Showing only X's lines · Show all", shown while `executor` is set ("" hides it).

    The log that owns it observes `executor`; **Show all** sets it to "".
    """

    executor = traitlets.Unicode("", help="the executor whose lines alone the log shows; '' for every line")

    def __init__(self, **kwargs: Any) -> None:
        self.text = widgets.HTML()
        self.show_all = widgets.Button(description="Show all", layout=widgets.Layout(width="auto"))
        self.show_all.add_class("wfkit-show-all")
        self.show_all.on_click(lambda _: setattr(self, "executor", ""))
        super().__init__(children=[self.text, self.show_all], layout=widgets.Layout(align_items="center"), **kwargs)
        self.add_class("wfkit-log-focus")
        self.layout.display = "none"

    def say(self, shown: int, kept: int) -> None:
        """Say how many of the kept lines the narrowed log shows."""
        self.text.value = (
            f"<div style='font-size:12px;background:#fef3c7;padding:2px 6px;margin-right:6px'>Showing only "
            f"<b>{html.escape(self.executor)}</b>'s lines ({shown:,} of {kept:,})</div>"
        )

    @traitlets.observe("executor")
    def _executor_changed(self, change: dict[str, Any]) -> None:
        self.layout.display = "" if change["new"] else "none"
