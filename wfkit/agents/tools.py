"""Tools: plain Python functions an agent may ask to have called.

A model cannot run code. It can only say "please call `get_weather` with
``{"location": "Seattle"}``" (a `FunctionCallContent`). The client then calls the function and
sends the result back (a `FunctionResultContent` in a TOOL message), and the model answers with
the result in hand. Give an agent the functions; wfkit describes them to the model::

    def get_weather(location: Annotated[str, Field(description="The city.")]) -> str:
        \"\"\"Get the weather for a location.\"\"\"
        return f"The weather in {location} is sunny."

    agent = client.create_agent(instructions="You help travellers.", tools=[get_weather])

What the model is told about a tool (`AIFunction.parameters`) is a JSON schema built from the
function's signature: its parameter names, annotations, defaults and pydantic ``Field``
descriptions. `ToolMode` (or ``tool_choice="auto" | "required" | "none"``) says whether the
model may, must, or must not call one.
"""

from __future__ import annotations

import inspect
import json
import typing
from typing import Any, Callable, Literal

from .types import FunctionCallContent, FunctionResultContent


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


class AIFunction:
    """A Python function offered to a model as a tool: its `name`, `description` and
    `parameters` (a JSON schema), and `invoke` to call it with the model's arguments."""

    def __init__(self, func: Callable[..., Any], name: str | None = None, description: str | None = None) -> None:
        self.func = func
        self.name = name or func.__name__
        self.description = description if description is not None else inspect.cleandoc(func.__doc__ or "")
        # pydantic reads the signature (annotations, defaults, Field descriptions) for us, and
        # later checks and converts the model's arguments. Imported here, not at the top,
        # because wfkit itself does not need it until a tool exists.
        from pydantic import create_model

        # Annotations written as text (`from __future__ import annotations`) are resolved here.
        hints = typing.get_type_hints(func, include_extras=True)
        fields: dict[str, Any] = {}
        for parameter in inspect.signature(func).parameters.values():
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue  # *args / **kwargs have no name the model could fill in
            annotation = hints.get(parameter.name, Any)
            default = ... if parameter.default is parameter.empty else parameter.default
            fields[parameter.name] = (annotation, default)
        self.input_model = create_model(f"{self.name}_input", **fields)

    @property
    def parameters(self) -> dict[str, Any]:
        """The JSON schema of the arguments, as the model is shown it."""
        schema = self.input_model.model_json_schema()
        schema.pop("title", None)
        return schema

    async def invoke(self, arguments: str | dict[str, Any] | None) -> Any:
        """Call the function with `arguments` (JSON text or a dict), checked and converted to the
        parameter types first; awaits it if it is async."""
        if isinstance(arguments, str):
            arguments = json.loads(arguments) if arguments.strip() else {}
        checked = self.input_model.model_validate(arguments or {})
        result = self.func(**{name: getattr(checked, name) for name in type(checked).model_fields})
        return await result if inspect.isawaitable(result) else result

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.func(*args, **kwargs)  # still usable as the plain function

    def __repr__(self) -> str:
        return f"AIFunction(name={self.name!r})"


def ai_function(
    func: Callable[..., Any] | None = None, *, name: str | None = None, description: str | None = None
) -> Any:
    """Turn a function into a tool, optionally renaming or describing it; as a decorator::

        @ai_function(description="Get the weather for a city.")
        def get_weather(city: str) -> str: ...

    Plain functions given to ``create_agent(tools=[...])`` need no decorator.
    """
    if func is None:
        return lambda actual: AIFunction(actual, name=name, description=description)
    return AIFunction(func, name=name, description=description)


def as_tools(tools: Any) -> list[AIFunction]:
    """The tools in `tools` (None, one function, or a list of functions or `AIFunction`s)."""
    if tools is None:
        return []
    if not isinstance(tools, (list, tuple)):
        tools = [tools]
    found = []
    for tool in tools:
        if isinstance(tool, AIFunction):
            found.append(tool)
        elif callable(tool):
            found.append(AIFunction(tool))
        else:
            raise TypeError(
                f"A tool is a Python function (or one made with @ai_function), got {tool!r}. "
                "Pass tools=[my_function]."
            )
    return found


async def call_tool(tools: list[AIFunction], call: FunctionCallContent) -> FunctionResultContent:
    """Run the call the model asked for and wrap what came back for the model.

    A mistake (an unknown tool, bad arguments, an exception) goes back to the model as the
    result, as AF does: the model can then say so or try again, instead of the run failing.
    """
    tool = next((t for t in tools if t.name == call.name), None)
    if tool is None:
        known = ", ".join(t.name for t in tools) or "none"
        return FunctionResultContent(call.call_id, f"Error: there is no tool named {call.name!r} (tools: {known}).")
    try:
        return FunctionResultContent(call.call_id, await tool.invoke(call.arguments))
    except Exception as error:  # noqa: BLE001  (see the docstring)
        return FunctionResultContent(call.call_id, f"Error: {call.name} failed: {type(error).__name__}: {error}")
