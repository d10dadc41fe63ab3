"""`AnswerForm`: the inputs for a typed answer, built from the answer's type.

When an executor asks ``ctx.request_info(request, ReviewResponse)``, the answer must be a
``ReviewResponse``. The form shows one input per dataclass field, chosen by the field's type:

========================  ==================================
field type                input
========================  ==================================
``bool``                  Checkbox
``int`` / ``float``       IntText / FloatText
``str``                   Text (Textarea for feedback-like names)
an ``Enum`` / ``Literal``  Dropdown
anything else             Text, read as a Python literal
========================  ==================================

Fields the request already knows (most often its id) are filled in from the request.
`answer_from_mapping` applies the same filling to answers given as plain dicts, e.g. by
papermill parameters, which cannot hold dataclasses.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
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
    """An input for a value of type `tp`, showing `value` if given."""
    tp = without_none(tp)
    label = f"{name}"
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
            placeholder=f"{name} (text)",
            style=style,
            layout=widgets.Layout(width="95%"),
        )
        return FieldInput(name, tp, box, lambda: box.value)
    # Anything else is typed as a Python literal (a list, a dict, a number...), read safely.
    box = widgets.Text(
        value=repr(value) if has_value else "",
        description=label,
        placeholder=f"a {type_name(tp)} as a Python literal",
        style=style,
        layout=widgets.Layout(width="95%"),
    )
    return FieldInput(name, tp, box, lambda: _literal(box.value))


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text  # not a literal: take the words as they are


class AnswerForm(widgets.VBox):
    """Inputs for an answer of `response_type`: one per field of a dataclass, else one input.

    >>> form = AnswerForm(ReviewResponse, request_data, request_id)   # doctest: +SKIP
    >>> form.inputs["feedback"].widget.value = "Shorter, please"      # doctest: +SKIP
    >>> form.answer()                                                 # doctest: +SKIP
    ReviewResponse(request_id='r1', feedback='Shorter, please', approved=False)
    """

    def __init__(self, response_type: Any, request_data: Any, request_id: str, **kwargs: Any) -> None:
        self.response_type = response_type
        self.inputs: dict[str, FieldInput] = {}
        if is_dataclass_type(response_type):
            known = prefilled_fields(response_type, request_data, request_id)
            defaults = {f.name: f.default for f in dataclasses.fields(response_type) if f.init}
            for name, tp in field_types(response_type).items():
                self.inputs[name] = field_input(name, tp, known.get(name, defaults.get(name, dataclasses.MISSING)))
        else:
            self.inputs["answer"] = field_input("answer", response_type)
        super().__init__(children=[field.widget for field in self.inputs.values()], **kwargs)

    def answer(self) -> Any:
        """The answer the inputs describe; ValueError with a readable reason if it is not valid."""
        values = {name: field.read() for name, field in self.inputs.items()}
        if not is_dataclass_type(self.response_type):
            value = values["answer"]
        else:
            try:
                value = self.response_type(**values)
            except Exception as error:  # the dataclass's own checks (__post_init__) said no
                raise ValueError(f"This is not a valid {type_name(self.response_type)}: {error}") from error
        if not is_instance(value, self.response_type):
            raise ValueError(f"The answer must be a {type_name(self.response_type)}, got {value!r}.")
        return value

    def set_disabled(self, disabled: bool) -> None:
        """Lock the inputs (while an answer is being sent) or unlock them."""
        for field in self.inputs.values():
            field.widget.disabled = disabled
