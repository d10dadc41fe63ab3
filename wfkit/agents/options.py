"""The options a chat request carries besides its messages, and structured output.

Most options (``temperature=0.2``, ``max_tokens=200``) go to the model as they are. Three are
understood by wfkit itself, and normalised here once so every client sees the same shapes:

- ``tools``: always a list of `FunctionTool` (see `tools`).
- ``tool_choice``: always a `ToolMode`, and only when there are tools.
- ``response_format``: a pydantic model class; the model is asked to answer with JSON that fits
  it, and the parsed answer is the response's ``value``::

      class Verdict(BaseModel):
          is_spam: bool
          reason: str

      response = await agent.run(email, options={"response_format": Verdict})
      response.value.is_spam

Options come in two spellings. Today's AF gathers them in one dict, ``options={...}`` on a
call and ``default_options={...}`` on an agent; the seed era gave them as keywords
(``temperature=0.2``, ``response_format=Verdict``). `combined_options` reads both into one
dict, so everything after it sees one shape.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..errors import AgentOptionsError
from .tools import ToolMode, as_tools

NOT_IN_WFKIT = {
    "thread": (
        "the seed era's threads are today's sessions in wfkit: session = agent.create_session(), then "
        "agent.run(..., session=session)"
    ),
    "middleware": "wfkit agents have no middleware: wrap the call in a function of your own",
}
"""AF features wfkit leaves out, and what to do instead. Given one, wfkit says so rather than
quietly ignoring it (or sending it to the model as if it were a model option)."""


def combined_options(
    options: Mapping[str, Any] | None, keywords: Mapping[str, Any], *, where: str, dict_name: str = "options"
) -> dict[str, Any]:
    """One call's options from both spellings: `options` (today's ``options={...}``, or
    ``default_options={...}``, as `dict_name` says) and `keywords` (the seed era's
    ``temperature=0.2``). `where` names the call in error messages.

    None means "not given", as in AF. An option given both ways with two different values has
    no single meaning, so it raises `AgentOptionsError` instead of picking one.
    """
    if options is not None and not isinstance(options, Mapping):
        raise AgentOptionsError(
            f"{where}: {dict_name} takes a dict of option names and values, got {type(options).__name__}: "
            f"{options!r}. Write {dict_name}={{\"response_format\": Verdict, \"temperature\": 0.2}}."
        )
    given = {key: value for key, value in (options or {}).items() if value is not None}
    for key, value in keywords.items():
        if value is None:
            continue
        if key in given and given[key] != value:
            raise AgentOptionsError(
                f"{where}: {key} is given twice, as {key}={value!r} and in {dict_name} with {given[key]!r}. Give "
                f"it once: in {dict_name}={{\"{key}\": ...}} (today's AF) or as the keyword {key}=... (the seed era)."
            )
        given[key] = value
    for key in given:
        if key in NOT_IN_WFKIT:
            raise AgentOptionsError(f"{where}: {key}= is not supported; {NOT_IN_WFKIT[key]}.")
    return given


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
