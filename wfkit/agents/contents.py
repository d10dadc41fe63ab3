"""What a message can hold: text, a call of a tool, its result, and the approval pair.

Each kind of content is a class of its own, all of them `Content`::

    TextContent("Hello")                                   # Content.from_text("Hello")
    FunctionCallContent("c1", "get_weather", '{"city": "Oslo"}')
    FunctionResultContent("c1", "Sunny")
    FunctionApprovalRequestContent(id, call)               # may this call run? (see `tools`)
    FunctionApprovalResponseContent(id, call, approved)    # the caller's answer

AF 1.x has one `Content` class told apart by its ``type``; wfkit keeps a class per type, so each
shows only its own fields, and bridges the two: ``content.type`` names the type as AF does,
``Content("function_result", call_id=..., result=...)`` makes the class for a type, and any
content answers another type's fields with None.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar, Iterable, Union


def _preview(text: str, limit: int = 50) -> str:
    """`text` quoted and cut to `limit` characters, for one-line reprs."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


class _ContentKind(type):
    """Lets ``Content("function_result", call_id=..., result=...)``, the way AF 1.x writes any
    content (one class, told apart by its type), make the wfkit class for that type."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is Content:
            return Content.of_type(*args, **kwargs)
        return super().__call__(*args, **kwargs)


# What AF 1.x's single Content class lets you read on any content, None when it does not apply
# (`content.name` of a piece of text). wfkit's classes each hold only their own fields.
_FIELDS_OF_ANY_CONTENT = frozenset(
    {"text", "call_id", "name", "arguments", "result", "function_call", "approved", "id", "exception"}
)


class Content(metaclass=_ContentKind):
    """Anything a message can contain: the base of `TextContent`, `FunctionCallContent`,
    `FunctionResultContent` and the approval pair (`FunctionApprovalRequestContent`,
    `FunctionApprovalResponseContent`). Its ``type`` says which one it is (``"text"``,
    ``"function_call"``, ``"function_result"``, ``"function_approval_request"``,
    ``"function_approval_response"``), as in AF 1.x.

    Today's AF makes contents with these constructors; each returns one of the classes above::

        Content.from_text("Hello")                                   # TextContent("Hello")
        Content.from_function_call("c1", "get_weather", arguments={"city": "Oslo"})
        Content.from_function_result("c1", result="Sunny")
        Content("function_result", call_id="c1", result="Sunny")      # the same, by type name

    As in AF, any content answers the fields of the others with None (``content.name`` of a
    piece of text is None), so a loop over mixed contents can ask each for its name.
    """

    type: ClassVar[str]
    user_input_request: ClassVar[bool] = False
    """True for a content the caller must answer before the agent can go on (see `tools`)."""

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes the class does not have.
        if name in _FIELDS_OF_ANY_CONTENT:
            return None
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    @staticmethod
    def of_type(type: str, **fields: Any) -> Content:
        """The content of AF type name `type` made from `fields`: ``Content.of_type("text", text="Hi")``."""
        kinds = {kind.type: kind for kind in _content_classes()}
        if type not in kinds:
            raise ValueError(
                f"wfkit has no content of type {type!r}; it knows {sorted(kinds)}. Use one of those, or "
                "Content.from_text(...) / Content.from_function_result(...)."
            )
        return kinds[type](**fields)

    @staticmethod
    def from_text(text: str) -> TextContent:
        """A piece of text."""
        return TextContent(text)

    @staticmethod
    def from_function_call(
        call_id: str, name: str, *, arguments: str | dict[str, Any] | None = None
    ) -> FunctionCallContent:
        """The model asks for the function `name` to be called with `arguments`."""
        return FunctionCallContent(call_id, name, arguments)

    @staticmethod
    def from_function_result(call_id: str, *, result: Any = None) -> FunctionResultContent:
        """The result of the function call `call_id`."""
        return FunctionResultContent(call_id, result)

    @staticmethod
    def from_function_approval_request(id: str, function_call: FunctionCallContent) -> FunctionApprovalRequestContent:
        """A question for the caller: may `function_call` run? (See `tools`, ``approval_mode``.)"""
        return FunctionApprovalRequestContent(id, function_call)

    @staticmethod
    def from_function_approval_response(
        approved: bool, id: str, function_call: FunctionCallContent
    ) -> FunctionApprovalResponseContent:
        """The caller's answer to the approval request `id`."""
        return FunctionApprovalResponseContent(id, function_call, approved)


@dataclass
class TextContent(Content):
    """A piece of text in a message (``Content.from_text(text)`` makes one too)."""

    type: ClassVar[str] = "text"
    text: str

    def __repr__(self) -> str:
        return f"TextContent({_preview(self.text)})"


@dataclass
class FunctionCallContent(Content):
    """The model asks for the function (tool) `name` to be called with `arguments`.

    `arguments` is JSON text or an already parsed dict. The answer goes back in a
    `FunctionResultContent` with the same `call_id`.
    """

    type: ClassVar[str] = "function_call"
    call_id: str
    name: str
    arguments: str | dict[str, Any] | None = None
    user_input_request: bool = False  # True: a tool wfkit cannot run, so the caller answers it

    def parse_arguments(self) -> dict[str, Any] | None:
        """The arguments as a dict (parsed if they came as JSON text), None if there are none.
        Text that is not a JSON object comes back as ``{"raw": text}``, so it can still be shown."""
        if self.arguments is None or self.arguments == "":
            return None
        if not isinstance(self.arguments, str):
            return dict(self.arguments)
        try:
            parsed = json.loads(self.arguments)
        except json.JSONDecodeError:
            return {"raw": self.arguments}
        return parsed if isinstance(parsed, dict) else {"raw": self.arguments}

    def __repr__(self) -> str:
        return f"FunctionCallContent(call_id={self.call_id!r}, name={self.name!r})"


@dataclass
class FunctionResultContent(Content):
    """The result of the function call `call_id`, sent back to the model in a TOOL message."""

    type: ClassVar[str] = "function_result"
    call_id: str
    result: Any = None

    def __repr__(self) -> str:
        result = repr(self.result)
        result = result if len(result) <= 40 else result[:37] + "..."
        return f"FunctionResultContent(call_id={self.call_id!r}, result={result})"


@dataclass
class FunctionApprovalRequestContent(Content):
    """The agent asks the caller whether `function_call` may run: its tool was made with
    ``approval_mode="always_require"``. Answer with ``request.to_function_approval_response(True)``
    (or False) in a USER message; the agent then runs the tool, or tells the model it was refused.
    `id` names the request (in a workflow it is the request id too)."""

    type: ClassVar[str] = "function_approval_request"
    user_input_request: ClassVar[bool] = True
    id: str
    function_call: FunctionCallContent

    def to_function_approval_response(self, approved: bool) -> FunctionApprovalResponseContent:
        """The answer to this request: `approved` or not."""
        return FunctionApprovalResponseContent(self.id, self.function_call, approved)

    def __repr__(self) -> str:
        return f"FunctionApprovalRequestContent(id={self.id!r}, function={self.function_call.name!r})"


@dataclass
class FunctionApprovalResponseContent(Content):
    """The caller's answer to a `FunctionApprovalRequestContent` with the same `id`."""

    type: ClassVar[str] = "function_approval_response"
    id: str
    function_call: FunctionCallContent
    approved: bool

    def __repr__(self) -> str:
        return (
            f"FunctionApprovalResponseContent(id={self.id!r}, function={self.function_call.name!r}, "
            f"approved={self.approved})"
        )


Contents = Union[
    TextContent,
    FunctionCallContent,
    FunctionResultContent,
    FunctionApprovalRequestContent,
    FunctionApprovalResponseContent,
]
"""Anything a message can contain."""


def _content_classes() -> tuple[type[Content], ...]:
    return (
        TextContent,
        FunctionCallContent,
        FunctionResultContent,
        FunctionApprovalRequestContent,
        FunctionApprovalResponseContent,
    )


def joined_text(contents: Iterable[Any], separator: str = "") -> str:
    """The text of every `TextContent` in `contents`, joined by `separator`."""
    return separator.join(c.text for c in contents if isinstance(c, TextContent))
