"""`ForkForm`: a step's states as a form, to change before forking ("what if the draft had been ...?").

The run explorer shows it under the step when the learner opens **✎ Edit and fork**. Each key
of the shared state, and each key of every executor's own state, gets a field holding its value
after the step:

- text is shown as it is, in a box to type in (a long or many-line text gets a bigger one);
- any other value (a number, True, a list, a dict) is written as Python writes it, and read back
  the same way (``3``, ``['a', 'b']``, ``{'tone': 'formal'}``);
- a value Python cannot write back from text (an object of a class of yours) is shown, greyed,
  and left as it is: change it in code, ``await explorer.fork(n, state={...})``.

**Fork with these edits** forks from the step with the fields that were changed (`RunHistory.fork`'s
``state=`` and ``executor_states=``); an answer given on a card under the step takes the edits
along too. A field that cannot be read, or an edit the fork refuses (`ForkEditError`), is said
right under that field, in red; nothing is forked and nothing typed is lost.
"""

from __future__ import annotations

import ast
import html
from typing import Any, Callable, Mapping

import ipywidgets as widgets

from ..errors import ForkEditError
from ..history.records import Superstep, preview

# (state, executor_states): the edits, as `RunHistory.fork` takes them.
Edits = tuple[dict[str, Any], dict[str, dict[str, Any]]]
ForkCallback = Callable[[dict[str, Any], dict[str, dict[str, Any]]], None]

SHARED = "shared"  # the prefix of a shared-state key's name: "shared:draft", as `Branch.edits` writes it
LONG_TEXT = 80  # a text longer than this (or on several lines) gets a box of several lines


class StateField(widgets.VBox):
    """One key of a step's state: its name, its value in a box, and a line for what is wrong."""

    def __init__(self, owner: str, key: str, value: Any) -> None:
        self.owner, self.key = owner, key  # "shared" or an executor id, and the key of its state
        self.name = f"{owner}:{key}"  # "shared:draft", "writer:tone": as `Branch.edits` names an edit
        self.kind = _kind_of(value)  # "text", "python" or "fixed"
        self.label = widgets.HTML(f"<code style='font-size:12px'>{html.escape(self.key)}</code>",
                                  layout=widgets.Layout(width="160px", flex="0 0 auto"))
        self.input = self._input_for(value)
        self.input.add_class("wfkit-fork-field")
        self.error = widgets.HTML()
        self.error.add_class("wfkit-fork-field-error")
        self.original = self.input.value
        row = widgets.HBox([self.label, self.input], layout=widgets.Layout(align_items="flex-start"))
        super().__init__(children=[row, self.error])

    def _input_for(self, value: Any) -> widgets.Widget:
        layout = widgets.Layout(flex="1 1 auto", width="auto")
        if self.kind == "fixed":
            return widgets.Text(value=preview(value, 120), disabled=True, layout=layout,
                                tooltip="not editable here: change it in code, explorer.fork(n, state={...})")
        text = value if self.kind == "text" else repr(value)
        if "\n" in text or len(text) > LONG_TEXT:
            return widgets.Textarea(value=text, rows=min(8, 2 + len(text) // LONG_TEXT + text.count("\n")), layout=layout)
        return widgets.Text(value=text, layout=layout)

    @property
    def changed(self) -> bool:
        """True when the learner typed something other than the value after the step."""
        return self.kind != "fixed" and self.input.value != self.original

    def value(self) -> Any:
        """The value typed; `ValueError` (in words for the learner) if it cannot be read."""
        if self.kind == "text":
            return self.input.value
        try:
            return ast.literal_eval(self.input.value.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            raise ValueError(
                "this is not a value Python can read: write it as Python does, e.g. 3, 2.5, True, None, "
                "[1, 2], {'a': 1}, or 'text in quotes'"
            ) from None

    def refill(self, value: Any) -> None:
        """Show another step's value of the same key (the learner moved on)."""
        text = preview(value, 120) if self.kind == "fixed" else value if self.kind == "text" else repr(value)
        self.input.value = self.original = text
        self.say("")

    def say(self, problem: str) -> None:
        """Say what is wrong with this field, in red under it ("" to say nothing)."""
        self.error.value = (
            f"<div style='color:#b91c1c;font-size:12px;margin:0 0 4px 160px'>{html.escape(problem)}</div>" if problem else ""
        )


class ForkForm(widgets.VBox):
    """The states after one step, as fields to edit before forking from it (see the module docstring).

    `show_step` fills it from a step; `edits` reads what was changed; `refused` puts a refusal
    under the field it names. The **Fork with these edits** button calls `on_fork(state, executor_states)`.
    """

    def __init__(self, on_fork: ForkCallback) -> None:
        self.on_fork = on_fork
        self.title = widgets.HTML()
        self.fields: dict[str, StateField] = {}
        self.fields_box = widgets.VBox()
        self.fork_button = widgets.Button(description="Fork with these edits", button_style="primary",
                                          layout=widgets.Layout(width="auto"))
        self.fork_button.add_class("wfkit-fork-with-edits")
        self.fork_button.on_click(lambda _: self.submit())
        self.note = widgets.HTML()
        self._shown: tuple[int, tuple[str, ...]] | None = None  # (id of the step, its keys)
        super().__init__(children=[self.title, self.fields_box, self.fork_button, self.note])
        self.add_class("wfkit-fork-form")
        self.layout.border = "1px solid #cbd5e1"
        self.layout.padding = "4px 8px"

    def show_step(self, step: Superstep, stop_label: str, why_not: str = "", answer_first: str = "") -> None:
        """Fill the form with the states after `step` (`stop_label` names it as the slider does).
        `why_not` says why this step cannot be forked, and then the form shows only that;
        `answer_first` says why the button alone cannot fork from it (the step waits for an
        answer, or nothing runs after it): the fields stay, the button goes, the note says it."""
        self.title.value = (
            f"<div style='font-weight:600;margin:2px 0'>Fork from step {html.escape(stop_label)} with edits</div>"
            "<div style='font-size:12px;color:#475569;margin-bottom:4px'>The states after the step, filled in. "
            "Change any, then <b>Fork with these edits</b> (or answer a card above: the edits go with the answer). "
            "Text is taken as typed; other values are read as Python writes them.</div>"
        )
        values = {f"{owner}:{key}": (owner, key, value) for owner, key, value in _state_values(step)}
        if why_not or not values:
            self._shown, self.fields = None, {}
            self.fields_box.children = ()
            self.fork_button.layout.display = "none"
            self.say(why_not or "This step's states are empty: there is nothing to edit.")
            return
        self.fork_button.layout.display = "none" if answer_first else ""
        self.say(answer_first)
        keys = tuple(values)
        if self._shown == (id(step), keys):
            return  # the same step: keep whatever the learner typed
        if self._shown is not None and self._shown[1] == keys and all(
            self.fields[name].kind == _kind_of(value) for name, (_, _, value) in values.items()
        ):
            for name, (_, _, value) in values.items():  # another step with the same keys: new values, same fields
                self.fields[name].refill(value)
        else:
            self.fields = {name: StateField(*parts) for name, parts in values.items()}
            self.fields_box.children = tuple(_grouped(list(self.fields.values())))
        self._shown = (id(step), keys)

    def edits(self) -> Edits:
        """The changed fields as ``(state, executor_states)``; a field that cannot be read says
        so under it, and `ValueError` is raised (nothing should be forked then)."""
        state: dict[str, Any] = {}
        executor_states: dict[str, dict[str, Any]] = {}
        unreadable = []
        for field in self.fields.values():
            field.say("")
            if not field.changed:
                continue
            try:
                value = field.value()
            except ValueError as problem:
                field.say(str(problem))
                unreadable.append(field.name)
                continue
            if field.owner == SHARED:
                state[field.key] = value
            else:
                executor_states.setdefault(field.owner, {})[field.key] = value
        if unreadable:
            raise ValueError(f"The form's {' and '.join(unreadable)} cannot be read (see under the field).")
        return state, executor_states

    def submit(self) -> None:
        """What the button does: fork with the edits, if every changed field can be read."""
        try:
            state, executor_states = self.edits()
        except ValueError as problem:
            self.say(str(problem))
            return
        self.say("")
        self.on_fork(state, executor_states)

    def refused(self, error: ForkEditError) -> None:
        """Put the fork's refusal under the field it names (or under the form)."""
        field = self.fields.get(error.edit)
        if field is not None:
            field.say(str(error))
            self.say(f"The fork was refused: see {error.edit} above. Nothing was forked.")
        else:
            self.say(f"The fork was refused: {error}")

    def say(self, text: str) -> None:
        """A line under the button."""
        self.note.value = f"<div style='font-size:12px;color:#475569'>{html.escape(text)}</div>" if text else ""


def _kind_of(value: Any) -> str:
    """How a value is edited: "text" as typed, "python" as Python writes it, or "fixed"."""
    if isinstance(value, str):
        return "text"
    try:
        return "python" if ast.literal_eval(repr(value)) == value else "fixed"
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return "fixed"


def _state_values(step: Superstep) -> list[tuple[str, str, Any]]:
    """Every key of the step's states as (owner, key, value): the shared state's first."""
    found = [(SHARED, key, value) for key, value in (step.shared_state or {}).items()]
    for executor_id, values in (step.executor_states or {}).items():
        if isinstance(values, Mapping):
            found += [(executor_id, key, value) for key, value in values.items()]
    return found


def _grouped(fields: list[StateField]) -> list[widgets.Widget]:
    """The fields under a heading per owner: "Shared state", then each executor's."""
    shown: list[widgets.Widget] = []
    owner_shown = None
    for field in fields:
        if field.owner != owner_shown:
            heading = "Shared state" if field.owner == SHARED else f"{field.owner}'s state"
            shown.append(widgets.HTML(f"<div style='font-size:13px;font-weight:600;margin-top:4px'>{html.escape(heading)}</div>"))
            owner_shown = field.owner
        shown.append(field)
    return shown
