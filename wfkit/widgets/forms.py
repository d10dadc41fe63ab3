"""`AnswerForm`: the inputs for a typed answer, built from the answer's type.

When an executor asks ``ctx.request_info(ticket, Triage)``, the answer must be a ``Triage``
(say ``Triage(ticket_id, priority, effort, note)``). The form shows one input per dataclass
field, chosen by the field's type:

========================  ==================================
field type                input
========================  ==================================
``bool``                  Checkbox
``int`` / ``float``       IntText / FloatText
``str``                   Text (Textarea for feedback-like names)
an ``Enum`` / ``Literal``  Dropdown
anything else             Text, read as a Python literal
========================  ==================================

Labels are the field names as words ("request_id" reads "Request id"), and a hint line above
the inputs says what to do. Fields the request already knows are filled in from the request;
the ids among them (``request_id``) are not shown at all: nobody should retype an id.
`answer_from_mapping` applies the same filling to answers given as plain dicts, e.g. by
papermill parameters, which cannot hold dataclasses.

An answer type that is a verdict (``approved: bool`` and some feedback) gets buttons instead
of this form: see `wfkit.widgets.verdict`.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import html
import re
import typing
from typing import Any, Literal, Mapping, get_args, get_origin

import ipywidgets as widgets

from ..core.typecheck import flatten, is_instance, type_name

# String fields with these words in their name get a multi-line box.
LONG_TEXT_WORDS = ("feedback", "comment", "note", "text", "reason", "guidance", "draft", "message", "answer")


def is_dataclass_type(tp: Any) -> bool:
    """True for a dataclass class (not an instance)."""
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def without_none(tp: Any) -> Any:
    """``X | None`` -> ``X``: an optional field gets the input of its type."""
    members = [m for m in flatten(tp) if m is not type(None)]
    return members[0] if len(members) == 1 else tp


def field_types(cls: type) -> dict[str, Any]:
    """The init fields of dataclass `cls` with their resolved types (string annotations too)."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an annotation that cannot be resolved: fall back to what is written
        hints = {}
    return {f.name: hints.get(f.name, f.type) for f in dataclasses.fields(cls) if f.init}


def field_defaults(cls: type) -> dict[str, Any]:
    """The init fields of dataclass `cls` that have a default (a value or a factory), with the
    plain default values (a factory's field maps to `dataclasses.MISSING`)."""
    return {
        f.name: f.default
        for f in dataclasses.fields(cls)
        if f.init and (f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING)
    }


def is_id_field(name: str) -> bool:
    """True for names of bookkeeping ids (``id``, ``request_id``, ``source_executor_id``): the
    request determines them, so a person never types them."""
    lowered = name.lower()
    return lowered == "id" or lowered.endswith("_id")


def humanise(name: str) -> str:
    """A field name as a label: ``request_id`` -> ``Request id``, ``maxTokens`` -> ``Max tokens``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").split()
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


def find_in_request(request_data: Any, name: str, tp: Any, depth: int = 2) -> tuple[bool, Any]:
    """Look for a value called `name` of type `tp` in the request, and one level of nested
    dataclasses below it. Returns (found, value)."""
    if isinstance(request_data, Mapping):
        candidates = dict(request_data)
    elif dataclasses.is_dataclass(request_data) and not isinstance(request_data, type):
        candidates = {f.name: getattr(request_data, f.name) for f in dataclasses.fields(request_data)}
    else:
        return False, None
    if name in candidates and is_instance(candidates[name], tp):
        return True, candidates[name]
    if depth > 0:
        for nested in candidates.values():
            found, value = find_in_request(nested, name, tp, depth - 1)
            if found:
                return True, value
    return False, None


def prefilled_fields(response_type: type, request_data: Any, request_id: str) -> dict[str, Any]:
    """Field values of a typed answer that the request already determines.

    A field is filled when the request (or a dataclass inside it) has a field of the same
    name and type; a ``request_id`` field the request does not mention gets the pending
    request's id.
    """
    values = {}
    for name, tp in field_types(response_type).items():
        found, value = find_in_request(request_data, name, tp)
        if found:
            values[name] = value
        elif name == "request_id" and is_instance(request_id, tp):
            values[name] = request_id
    return values


def answer_from_mapping(response_type: Any, values: Mapping[str, Any], request_data: Any, request_id: str) -> Any:
    """Build a dataclass answer from a plain dict, filling what the request determines.

    ``answer_from_mapping(ReviewResponse, {"feedback": "ok", "approved": True}, request, rid)``
    gives ``ReviewResponse(request_id=<from the request>, feedback="ok", approved=True)``.
    """
    return response_type(**{**prefilled_fields(response_type, request_data, request_id), **values})


# --- inputs ---------------------------------------------------------------------------------


class FieldInput:
    """One input widget and how to read a typed value back from it."""

    def __init__(self, name: str, tp: Any, widget: widgets.Widget, read: typing.Callable[[], Any]) -> None:
        self.name, self.tp, self.widget, self.read = name, tp, widget, read


def field_input(name: str, tp: Any, value: Any = dataclasses.MISSING) -> FieldInput:
    """An input for a value of type `tp`, labelled with `name` as words, showing `value` if given."""
    tp = without_none(tp)
    label = humanise(name)
    has_value = value is not dataclasses.MISSING
    style = {"description_width": "initial"}
    if tp is bool:
        box = widgets.Checkbox(value=bool(value) if has_value else False, description=label, indent=False)
        return FieldInput(name, tp, box, lambda: box.value)
    if tp is int:
        box = widgets.IntText(value=value if has_value else 0, description=label, style=style)
        return FieldInput(name, tp, box, lambda: box.value)
    if tp is float:
        box = widgets.FloatText(value=value if has_value else 0.0, description=label, style=style)
        return FieldInput(name, tp, box, lambda: box.value)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        box = widgets.Dropdown(options=[(m.name, m) for m in tp], description=label, style=style)
        if has_value:
            box.value = value
        return FieldInput(name, tp, box, lambda: box.value)
    if get_origin(tp) is Literal:
        box = widgets.Dropdown(options=list(get_args(tp)), description=label, style=style)
        if has_value:
            box.value = value
        return FieldInput(name, tp, box, lambda: box.value)
    if tp is str:
        long_text = any(word in name.lower() for word in LONG_TEXT_WORDS)
        make = widgets.Textarea if long_text else widgets.Text
        box = make(
            value=value if has_value else "",
            description=label,
            placeholder=f"Type the {label.lower()} here",
            style=style,
            layout=widgets.Layout(width="95%"),
        )
        return FieldInput(name, tp, box, lambda: box.value)
    # Anything else is typed as a Python literal (a list, a dict, a number...), read safely.
    box = widgets.Text(
        value=repr(value) if has_value else "",
        description=label,
        placeholder=literal_hint(tp),
        style=style,
        layout=widgets.Layout(width="95%"),
    )
    return FieldInput(name, tp, box, lambda: _literal(box.value))


# What a value of each container type looks like when typed in, for the placeholder.
_LITERAL_EXAMPLES = {list: "['a', 'b']", dict: "{'key': 'value'}", tuple: "(1, 2)", set: "{'a', 'b'}"}


def literal_hint(tp: Any) -> str:
    """The placeholder of a box that takes a Python literal: ``a list[str], e.g. ['a', 'b']``."""
    example = _LITERAL_EXAMPLES.get(get_origin(tp) or tp)
    return f"a {type_name(tp)}, e.g. {example}" if example else f"a {type_name(tp)}, written as in Python"


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text  # not a literal: take the words as they are


class AnswerForm(widgets.VBox):
    """Inputs for an answer of `response_type`: one per field of a dataclass, else one input,
    under a hint line that says what to fill in.

    Ids and internal fields (a name starting with ``_``) are not shown: the values the request
    determines are kept in `fixed`, the others take their defaults. Only an id that neither the
    request nor a default provides gets an input.

    The hint names the button that sends the answer: `action` ("Send" unless the form is used
    for something else, such as forking a run), and `action_note` says what clicking it does.

    >>> form = AnswerForm(Triage, request_data, request_id)          # doctest: +SKIP
    >>> form.inputs["effort"].widget.value = 3                       # doctest: +SKIP
    >>> form.answer()                                                # doctest: +SKIP
    Triage(request_id='r1', effort=3, note='none')
    """

    def __init__(
        self,
        response_type: Any,
        request_data: Any,
        request_id: str,
        *,
        action: str = "Send",
        action_note: str = "",
        **kwargs: Any,
    ) -> None:
        self.response_type = response_type
        self.action, self.action_note = action, action_note
        self.inputs: dict[str, FieldInput] = {}
        self.fixed: dict[str, Any] = {}
        if is_dataclass_type(response_type):
            known = prefilled_fields(response_type, request_data, request_id)
            defaults = field_defaults(response_type)
            for name, tp in field_types(response_type).items():
                bookkeeping = is_id_field(name) or name.startswith("_")
                if bookkeeping and name in known:
                    self.fixed[name] = known[name]
                elif bookkeeping and name in defaults:
                    continue  # an id or internal field the request does not know: its default holds
                else:
                    self.inputs[name] = field_input(name, tp, known.get(name, defaults.get(name, dataclasses.MISSING)))
        else:
            self.inputs["answer"] = field_input("answer", response_type)
        self.hint = widgets.HTML(self.hint_html())
        super().__init__(children=[self.hint, *(field.widget for field in self.inputs.values())], **kwargs)

    def hint_html(self) -> str:
        """The line above the inputs: what to fill in, and what is filled in already."""
        what = "the answer" if len(self.inputs) <= 1 else "the fields"
        note = f": {html.escape(self.action_note)}" if self.action_note else ""
        text = f"Fill in {what}, then click <b>{html.escape(self.action)}</b>{note}."
        if self.fixed:
            names = ", ".join(humanise(name) for name in self.fixed)
            text += f" {html.escape(names)}: filled in from the request."
        return f'<div style="color:#475569;font-size:12px;line-height:1.4">{text}</div>'

    def answer(self) -> Any:
        """The answer the inputs describe; ValueError with a readable reason if it is not valid."""
        values = {name: field.read() for name, field in self.inputs.items()}
        if not is_dataclass_type(self.response_type):
            value = values["answer"]
        else:
            try:
                value = self.response_type(**self.fixed, **values)
            except Exception as error:  # the dataclass's own checks (__post_init__) said no
                raise ValueError(f"This is not a valid {type_name(self.response_type)}: {error}") from error
        if not is_instance(value, self.response_type):
            raise ValueError(f"The answer must be a {type_name(self.response_type)}, got {value!r}.")
        return value

    def set_disabled(self, disabled: bool) -> None:
        """Lock the inputs (while an answer is being sent) or unlock them."""
        for field in self.inputs.values():
            field.widget.disabled = disabled
