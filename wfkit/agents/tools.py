"""Tools: plain Python functions an agent may ask to have called.

A model cannot run code. It can only say "please call `get_weather` with
``{"location": "Seattle"}``" (a `FunctionCallContent`). The client then calls the function and
sends the result back (a `FunctionResultContent` in a TOOL message), and the model answers with
the result in hand. Give an agent the functions; wfkit describes them to the model::

    @tool
    def get_weather(location: Annotated[str, "The city."]) -> str:
        \"\"\"Get the weather for a location.\"\"\"
        return f"The weather in {location} is sunny."

    agent = Agent(client, "You help travellers.", tools=[get_weather])

What the model is told about a tool (`FunctionTool.parameters`) is a JSON schema built from the
function's signature: its parameter names, annotations, defaults and descriptions (a string in
``Annotated[str, "..."]``, or a pydantic ``Field(description=...)``). `ToolMode` (or
``tool_choice="auto" | "required" | "none"``) says whether the model may, must, or must not
call one.

Two kinds of tool stop the agent and hand the question to whoever called it:

- ``@tool(approval_mode="always_require")``: the agent asks "may I run this?" (a
  `FunctionApprovalRequestContent`) and runs the tool only once approved;
- ``FunctionTool(name=..., func=None, input_model={...})``, a declaration only: the model may call
  it, but only the caller can, so the agent hands over the call and waits for its result.

The names are today's AF (`tool`, `FunctionTool`); the seed era's `ai_function` and `AIFunction`
are the same things.
"""

from __future__ import annotations

import inspect
import json
import typing
from typing import Annotated, Any, Callable, Literal, Mapping

from .types import FunctionCallContent, FunctionResultContent

ApprovalMode = Literal["always_require", "never_require"]


class ToolMode:
    """Whether the model may call tools: ``ToolMode.AUTO`` (it decides), ``ToolMode.REQUIRED_ANY``
    (it must call one), ``ToolMode.REQUIRED("get_weather")`` (it must call that one), or
    ``ToolMode.NONE`` (it must not). A mode equals its name: ``ToolMode.AUTO == "auto"``."""

    AUTO: ToolMode
    REQUIRED_ANY: ToolMode
    NONE: ToolMode

    def __init__(
        self, mode: Literal["auto", "required", "none"] = "auto", *, required_function_name: str | None = None
    ) -> None:
        if mode not in ("auto", "required", "none"):
            raise ValueError(f"A tool mode is 'auto', 'required' or 'none', got {mode!r}.")
        self.mode = mode
        self.required_function_name = required_function_name

    @classmethod
    def REQUIRED(cls, function_name: str | None = None) -> ToolMode:
        """The model must call a tool; `function_name`, if given, names which one."""
        return cls("required", required_function_name=function_name)

    @classmethod
    def of(cls, value: ToolMode | str | dict[str, Any] | None) -> ToolMode:
        """A `ToolMode` for what people pass as ``tool_choice`` (None means "auto")."""
        if value is None:
            return cls.AUTO
        if isinstance(value, ToolMode):
            return value
        if isinstance(value, dict):  # the shape ToolMode serialises to in AF: {"mode": ..., "required_function_name": ...}
            return cls(value.get("mode", "auto"), required_function_name=value.get("required_function_name"))
        return cls(value)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return self.mode == other
        if isinstance(other, ToolMode):
            return (self.mode, self.required_function_name) == (other.mode, other.required_function_name)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.mode, self.required_function_name))

    def __str__(self) -> str:
        return self.mode

    def __repr__(self) -> str:
        name = f", required_function_name={self.required_function_name!r}" if self.required_function_name else ""
        return f"ToolMode(mode={self.mode!r}{name})"


ToolMode.AUTO = ToolMode("auto")
ToolMode.REQUIRED_ANY = ToolMode("required")
ToolMode.NONE = ToolMode("none")


class FunctionTool:
    """A Python function offered to a model as a tool: its `name`, `description` and
    `parameters` (a JSON schema), and `invoke` to call it with the model's arguments.

    ``FunctionTool(func)`` reads all of that from the function; today's AF spells it with
    keywords, ``FunctionTool(name="get_weather", func=get_weather, description="...")``.
    Without a function (``func=None``) it is a declaration only: ``input_model`` (a JSON schema
    dict or a pydantic model) describes the arguments, and the caller answers the call.
    ``approval_mode="always_require"`` makes the agent ask before each call.
    """

    def __init__(
        self,
        func: Callable[..., Any] | None = None,
        name: str | None = None,
        description: str | None = None,
        *,
        approval_mode: ApprovalMode | None = None,
        input_model: type[Any] | Mapping[str, Any] | None = None,
    ) -> None:
        if func is not None and not callable(func):
            raise TypeError(
                f"FunctionTool takes the function first (or func=...), got {func!r}. Write "
                "FunctionTool(name='get_weather', func=get_weather) or FunctionTool(get_weather)."
            )
        if func is None and not name:
            raise ValueError(
                "A FunctionTool without a function needs a name: FunctionTool(name='get_location', func=None)."
            )
        if approval_mode not in (None, "always_require", "never_require"):
            raise ValueError(
                f"approval_mode is 'always_require' or 'never_require' (the default), got {approval_mode!r}."
            )
        self.func = func
        self.name = name or func.__name__  # type: ignore[union-attr]
        if description is None:
            description = inspect.cleandoc(getattr(func, "__doc__", "") or "")
        self.description = description
        self.approval_mode: ApprovalMode = approval_mode or "never_require"
        # A JSON schema given as a dict is shown to the model as it is; anything else becomes a
        # pydantic model, which also checks and converts the model's arguments.
        self._schema = dict(input_model) if isinstance(input_model, Mapping) else None
        self.input_model = input_model if isinstance(input_model, type) else None
        if self._schema is None and self.input_model is None:
            self.input_model = _model_of_signature(self.name, func) if func is not None else _no_arguments(self.name)
        self.takes_keywords = func is not None and _takes_extra_keywords(func)

    @property
    def declaration_only(self) -> bool:
        """True when there is no function: the caller, not wfkit, answers a call to it."""
        return self.func is None

    @property
    def needs_approval(self) -> bool:
        """True when the agent must ask before each call (``approval_mode="always_require"``)."""
        return self.approval_mode == "always_require"

    @property
    def parameters(self) -> dict[str, Any]:
        """The JSON schema of the arguments, as the model is shown it."""
        if self._schema is not None:
            return dict(self._schema)
        schema = self.input_model.model_json_schema()  # type: ignore[union-attr]
        schema.pop("title", None)
        return schema

    async def invoke(self, arguments: str | dict[str, Any] | None, **context: Any) -> Any:
        """Call the function with `arguments` (JSON text or a dict), checked and converted to the
        parameter types first; awaits it if it is async. `context` (the run's
        ``function_invocation_kwargs``) reaches a function that takes ``**kwargs``."""
        if self.func is None:
            raise TypeError(
                f"Tool {self.name!r} is a declaration only (func=None): wfkit cannot run it. The agent hands "
                "its calls to the caller, who answers with Content.from_function_result(call_id, result=...)."
            )
        if isinstance(arguments, str):
            arguments = json.loads(arguments) if arguments.strip() else {}
        if self.input_model is not None:
            checked = self.input_model.model_validate(arguments or {})
            values = {name: getattr(checked, name) for name in type(checked).model_fields}
        else:
            values = dict(arguments or {})
        if self.takes_keywords:
            values = {**context, **values}
        result = self.func(**values)
        return await result if inspect.isawaitable(result) else result

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.func is None:
            raise TypeError(f"Tool {self.name!r} is a declaration only (func=None): there is no function to call.")
        return self.func(*args, **kwargs)  # still usable as the plain function

    def __repr__(self) -> str:
        approval = ", approval_mode='always_require'" if self.needs_approval else ""
        declared = ", func=None" if self.declaration_only else ""
        return f"FunctionTool(name={self.name!r}{declared}{approval})"


AIFunction = FunctionTool
"""The seed era's name for `FunctionTool` (the same class)."""


def _model_of_signature(name: str, func: Callable[..., Any]) -> Any:
    """A pydantic model of `func`'s parameters: names, annotations, defaults, descriptions."""
    # pydantic reads the signature for us, and later checks and converts the model's arguments.
    # Imported here, not at the top, because wfkit itself does not need it until a tool exists.
    from pydantic import create_model

    # Annotations written as text (`from __future__ import annotations`) are resolved here.
    hints = typing.get_type_hints(func, include_extras=True)
    fields: dict[str, Any] = {}
    for parameter in inspect.signature(func).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue  # *args / **kwargs have no name the model could fill in
        annotation = _described(hints.get(parameter.name, Any))
        default = ... if parameter.default is parameter.empty else parameter.default
        fields[parameter.name] = (annotation, default)
    return create_model(f"{name}_input", **fields)


def _no_arguments(name: str) -> Any:
    from pydantic import create_model

    return create_model(f"{name}_input")


def _described(annotation: Any) -> Any:
    """``Annotated[str, "The city."]`` as pydantic understands it: the string becomes the
    parameter's description (pydantic itself ignores a bare string)."""
    if typing.get_origin(annotation) is not Annotated:
        return annotation
    base, *extras = typing.get_args(annotation)
    texts = [extra for extra in extras if isinstance(extra, str)]
    if not texts:
        return annotation
    from pydantic import Field

    others = [extra for extra in extras if not isinstance(extra, str)]
    return Annotated[(base, *others, Field(description=texts[0]))]  # type: ignore[return-value]


def _takes_extra_keywords(func: Callable[..., Any]) -> bool:
    return any(p.kind is p.VAR_KEYWORD for p in inspect.signature(func).parameters.values())


def tool(
    func: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    schema: type[Any] | Mapping[str, Any] | None = None,
    approval_mode: ApprovalMode | None = None,
) -> Any:
    """Turn a function into a `FunctionTool`; as a decorator, with or without options::

        @tool
        def get_weather(city: Annotated[str, "The city."]) -> str: ...

        @tool(approval_mode="always_require")
        def send_email(to: str, body: str) -> str: ...

    `schema` (a pydantic model or a JSON schema dict) replaces the one read from the signature.
    Plain functions given to ``Agent(..., tools=[...])`` need no decorator.
    """

    def make(actual: Callable[..., Any]) -> FunctionTool:
        return FunctionTool(actual, name=name, description=description, approval_mode=approval_mode, input_model=schema)

    return make if func is None else make(func)


def ai_function(
    func: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    approval_mode: ApprovalMode | None = None,
) -> Any:
    """The seed era's name for `tool`::

        @ai_function(description="Get the weather for a city.")
        def get_weather(city: str) -> str: ...
    """
    return tool(func, name=name, description=description, approval_mode=approval_mode)


class HostedCodeInterpreterTool:
    """A tool the model's service runs itself (Agent Framework's code interpreter), not a Python
    function. wfkit's clients have no such service, so an agent accepts it and leaves it out of
    its requests: the offline model answers without running code, and a real OpenAI chat model
    is not offered it. It exists so that code written for Agent Framework runs unchanged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.description = kwargs.get("description")

    def __repr__(self) -> str:
        return "HostedCodeInterpreterTool()"


def as_tools(tools: Any) -> list[FunctionTool]:
    """The tools in `tools` (None, one function, or a list of functions or `FunctionTool`s);
    a `HostedCodeInterpreterTool` is left out (see it)."""
    if tools is None:
        return []
    if not isinstance(tools, (list, tuple)):
        tools = [tools]
    found = []
    for tool in tools:
        if isinstance(tool, HostedCodeInterpreterTool):
            continue
        if isinstance(tool, FunctionTool):
            found.append(tool)
        elif callable(tool):
            found.append(FunctionTool(tool))
        else:
            raise TypeError(
                f"A tool is a Python function (or one made with @tool), got {tool!r}. Pass tools=[my_function]."
            )
    return found


async def call_tool(
    tools: list[FunctionTool], call: FunctionCallContent, context: Mapping[str, Any] | None = None
) -> FunctionResultContent:
    """Run the call the model asked for and wrap what came back for the model.

    A mistake (an unknown tool, bad arguments, an exception) goes back to the model as the
    result, as AF does: the model can then say so or try again, instead of the run failing.
    `context` is passed to tools that take ``**kwargs`` (see `FunctionTool.invoke`).
    """
    tool = next((t for t in tools if t.name == call.name), None)
    if tool is None:
        known = ", ".join(t.name for t in tools) or "none"
        return FunctionResultContent(call.call_id, f"Error: there is no tool named {call.name!r} (tools: {known}).")
    try:
        return FunctionResultContent(call.call_id, await tool.invoke(call.arguments, **(context or {})))
    except Exception as error:  # noqa: BLE001  (see the docstring)
        return FunctionResultContent(call.call_id, f"Error: {call.name} failed: {type(error).__name__}: {error}")
