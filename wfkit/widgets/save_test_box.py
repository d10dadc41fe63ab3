"""`SaveTestBox`: keep the branch shown as a pytest file (`RunHistory.save_test`), from the explorer.

The run explorer shows it when the learner opens **✓ Save as a test**. A saved test rebuilds
the workflow from the function that builds it, so that function must be importable: it lives in
a module (``my_course/flows.py``), not in a notebook cell. The box fills in what it can:

- the file: ``test_<workflow name>_run.py``, next to the notebook;
- the factory: ``module:function`` of the function the explorer was given as ``factory=``, when
  that function lives in a module.

When the explorer cannot know the factory (none was given), or the one it has cannot be imported
(it was defined in the notebook, or is a lambda), the box says so plainly, and what to do; a
factory typed in the box is used all the same. A history that starts from a checkpoint holds
no first message, so it cannot be replayed: the box says that instead, and offers no button.
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as widgets

from ..errors import SavedTestError
from ..history.run_history import RunHistory


def factory_name(factory: Any) -> tuple[str, str]:
    """``("package.module:function", "")`` for an importable factory, else ``("", why not)``."""
    if factory is None:
        return "", (
            "The explorer was not told which function builds this workflow. Type it below as "
            "package.module:function, or explore the run with factory=... (a function in a module)."
        )
    module = getattr(factory, "__module__", "") or ""
    name = getattr(factory, "__qualname__", "") or ""
    if module == "__main__" or not module:
        return "", (
            f"{name or 'The factory'} is defined in this notebook, and a saved test cannot import a notebook's "
            "cell. Move the function into a .py file next to the notebook (flows.py, say), import it from there, "
            "and explore a run of it with factory=flows.build_workflow; or type such a module:function below."
        )
    if "<" in name or "." in name:  # a lambda, a function inside another function, a method
        return "", (
            f"{module}.{name} cannot be imported by its name (a lambda or a function inside another): a saved test "
            "needs a function defined at the top of a module. Type one below as package.module:function."
        )
    return f"{module}:{name}", ""


def default_file(history: RunHistory) -> str:
    """``test_<workflow name>_run.py``: a name pytest collects, next to the notebook."""
    words = re.sub(r"[^0-9a-zA-Z]+", "_", history.workflow.name or "workflow").strip("_").lower()
    return f"test_{words or 'workflow'}_run.py"


class SaveTestBox(widgets.VBox):
    """The file and factory to save the branch shown as a test, with **Save the test**."""

    def __init__(self, history: RunHistory) -> None:
        self.history = history
        factory, self.why_not = factory_name(history.factory)
        self.intro = widgets.HTML()
        self.file = widgets.Text(value=default_file(history), description="File", layout=widgets.Layout(width="460px"))
        self.factory = widgets.Text(value=factory, description="Factory", placeholder="package.module:function",
                                    layout=widgets.Layout(width="460px"))
        self.save = widgets.Button(description="Save the test", button_style="primary", layout=widgets.Layout(width="auto"))
        self.save.add_class("wfkit-save-test")
        self.save.on_click(lambda _: self.save_test())
        self.note = widgets.HTML()
        super().__init__(children=[self.intro, self.file, self.factory, self.save, self.note])
        self.add_class("wfkit-save-test-box")
        self.fit()

    def fit(self) -> None:
        """Say what saving does for the branch shown, or why it cannot be saved."""
        replayable = not (self.history.from_checkpoints_only or self.history.earlier)
        for part in (self.file, self.factory, self.save):
            part.layout.display = "" if replayable else "none"
        if not replayable:
            self.intro.value = _said(
                "This history starts from a checkpoint, so it does not hold the run's first message, and a test "
                "cannot replay it. Explore the run that started afresh (wfkit.notebook.explore(run)) to save it.",
                "#b45309",
            )
            return
        branch = html.escape(self.history.branch.name)
        intro = (
            f"Save branch <b>{branch}</b> as a pytest file: it rebuilds the workflow with the factory, gives it the "
            "same input and answers, and checks that it takes the same supersteps and yields the same outputs."
        )
        why = f"<div style='color:#b45309;margin-top:2px'>{html.escape(self.why_not)}</div>" if self.why_not else ""
        self.intro.value = f"<div style='font-size:13px'>{intro}{why}</div>"

    def save_test(self) -> None:
        """What the button does: write the file, and say where and how to run it (or what is wrong)."""
        try:
            path = self.history.save_test(self.file.value.strip(), factory=self.factory.value.strip())
        except SavedTestError as error:
            self.note.value = _said(f"Not saved: {error}", "#b91c1c")
            return
        self.note.value = _said(
            f"Saved {path}. Run it with pytest {path}: it passes today, and names the first superstep that "
            "differs once the workflow behaves otherwise.",
            "#15803d",
        )


def _said(text: str, colour: str) -> str:
    return f"<div style='font-size:13px;color:{colour}'>{html.escape(text)}</div>"
