"""The options a chat request carries besides its messages, and structured output.

Most options (``temperature=0.2``, ``max_tokens=200``) go to the model as they are. Three are
understood by wfkit itself, and normalised here once so every client sees the same shapes:

- ``tools``: always a list of `AIFunction` (see `tools`).
- ``tool_choice``: always a `ToolMode`, and only when there are tools.
- ``response_format``: a pydantic model class; the model is asked to answer with JSON that fits
  it, and the parsed answer is the response's ``value``::

      class Verdict(BaseModel):
          is_spam: bool
          reason: str

      response = await agent.run(email, response_format=Verdict)
      response.value.is_spam
"""

from __future__ import annotations

from typing import Any

from .tools import ToolMode, as_tools


def chat_options(options: dict[str, Any]) -> dict[str, Any]:
    """`options` with ``tools``, ``tool_choice`` and ``response_format`` in their normal shapes
    (and left out when they say nothing). Normalising twice changes nothing."""
    options = dict(options)
    tools = as_tools(options.pop("tools", None))
    tool_choice = options.pop("tool_choice", None)
    response_format = options.pop("response_format", None)
    if tools:
        options["tools"] = tools
        options["tool_choice"] = ToolMode.of(tool_choice)
    if response_format is not None:
        if not is_pydantic_model(response_format):
            raise TypeError(
                f"response_format takes a pydantic model class (class Verdict(BaseModel): ...), got "
                f"{response_format!r}."
            )
        options["response_format"] = response_format
    return options


def merged_options(defaults: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """An agent's standing options with one run's options on top; the run's tools are added to
    the agent's (as AF does), everything else given for the run wins."""
    merged = {**defaults, **{key: value for key, value in overrides.items() if value is not None}}
    tools = [*as_tools(defaults.get("tools")), *as_tools(overrides.get("tools"))]
    if tools:
        merged["tools"] = tools
    return chat_options(merged)


def is_pydantic_model(value: Any) -> bool:
    """True if `value` is a pydantic model class (without importing pydantic when it is not loaded)."""
    import sys

    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(value, type) and issubclass(value, pydantic.BaseModel)


def parse_value(response_format: Any, text: str) -> Any:
    """The answer `text` parsed into `response_format`, or None if it does not fit (as AF does:
    the text stays available, and a lesson can show why it did not parse)."""
    from pydantic import ValidationError

    try:
        return response_format.model_validate_json(text)
    except ValidationError:
        return None
