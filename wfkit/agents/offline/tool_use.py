"""When the offline model calls a tool, with which arguments, and how it uses the results.

The rule, simple enough to predict by reading the prompt:

1. If the conversation ends with tool results, answer with them (no new calls).
2. ``tool_choice="none"``: call nothing. ``ToolMode.REQUIRED("name")``: call that tool.
3. Otherwise call every tool whose name or description words appear in the last user message
   (``get_weather`` for "What's the weather in Seattle?"), and every tool the instructions name
   exactly ("call get_user_location first"). ``"required"`` with no match calls the first tool.
4. Arguments come from the prompt: an enum or Literal takes the value the prompt names (else
   the first); a number the numbers in the prompt, in order; a string a capitalised name from
   the prompt (Seattle), else its main words. A parameter with a default the prompt does not
   fill keeps its default.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ..tools import FunctionTool, ToolMode
from ..types import ChatMessage, FunctionCallContent, FunctionResultContent, Role
from .reading import content_words

GENERIC_WORDS = {"get", "set", "find", "fetch", "tool", "function", "make", "tell", "give", "show", "list"}


def answered_tools(messages: list[ChatMessage]) -> list[tuple[str, Any]]:
    """(tool name, result) for every tool result after the last user message."""
    names: dict[str, str] = {}
    results: list[tuple[str, Any]] = []
    for message in messages:
        if message.role == Role.USER:
            results = []
        for content in message.contents:
            if isinstance(content, FunctionCallContent):
                names[content.call_id] = content.name
            elif isinstance(content, FunctionResultContent):
                results.append((names.get(content.call_id, "a tool"), content.result))
    return results if messages and messages[-1].role == Role.TOOL else []


def tool_calls_for(
    tools: list[FunctionTool], mode: ToolMode, prompt: str, instructions: str = ""
) -> list[FunctionCallContent]:
    """The calls the offline model makes for `prompt` (the last user message), by the rule above."""
    if not tools or mode == "none":
        return []
    if mode.required_function_name:
        chosen = [t for t in tools if t.name == mode.required_function_name]
    else:
        chosen = [t for t in tools if _mentioned(t, prompt) or _named(t, instructions)]
        if not chosen and mode == "required":
            chosen = tools[:1]
    digest = hashlib.sha256(prompt.encode()).hexdigest()[:8]
    return [
        FunctionCallContent(f"call_{digest}_{i}", tool.name, json.dumps(_arguments(tool, prompt)))
        for i, tool in enumerate(chosen)
    ]


def answer_with_results(results: list[tuple[str, Any]]) -> str:
    """A reply that reports what the tools returned."""
    parts = [f"{_as_text(result).rstrip('.')} (from {name})" for name, result in results]
    return "Here is what I found: " + "; ".join(parts) + "."


def _words(text: str) -> set[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("_", " ")
    return {w.rstrip("s") for w in content_words(spaced) | set(re.findall(r"[a-z]{3,}", spaced.lower()))} - {
        w.rstrip("s") for w in GENERIC_WORDS
    }


def _named(tool: FunctionTool, instructions: str) -> bool:
    """True if the instructions name the tool exactly, as a word of its own."""
    return re.search(rf"(?<![\w.]){re.escape(tool.name)}(?!\w)", instructions) is not None


def _mentioned(tool: FunctionTool, prompt: str) -> bool:
    """True if a word of the tool's name (or, failing that, of its description's first line) is in the prompt."""
    prompt_words = _words(prompt)
    name_words = _words(tool.name)
    description_words = {w.rstrip("s") for w in content_words(tool.description.split("\n")[0])}
    return bool(name_words & prompt_words) or len(description_words & prompt_words) >= 2


def _arguments(tool: FunctionTool, prompt: str) -> dict[str, Any]:
    schema = tool.parameters
    required = set(schema.get("required", []))
    numbers = iter(re.findall(r"-?\d+(?:\.\d+)?", prompt))
    names = iter(_proper_names(prompt) or [" ".join(sorted(content_words(prompt), key=lambda w: (-len(w), w))[:2])])
    arguments: dict[str, Any] = {}
    for name, sub in schema.get("properties", {}).items():
        sub = _resolved(sub, schema)
        kind = sub.get("type", "string")
        if "enum" in sub:
            named = [v for v in sub["enum"] if isinstance(v, str) and v.lower() in prompt.lower()]
            if named or name in required:
                arguments[name] = (named or sub["enum"])[0]
        elif kind in ("integer", "number"):
            number = next(numbers, None)
            if number is not None:
                arguments[name] = int(float(number)) if kind == "integer" else float(number)
            elif name in required:
                arguments[name] = 1
        elif kind == "boolean":
            if name in required or name.lower() in prompt.lower():
                arguments[name] = name.lower() in prompt.lower()
        elif kind == "string":
            value = next(names, None)
            if value is not None or name in required:
                arguments[name] = value or prompt
        elif name in required:
            arguments[name] = [] if kind == "array" else {}
    return arguments


def _resolved(sub: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """`sub` with a `$ref` or an Optional (anyOf [X, null]) replaced by the schema it stands for."""
    if "$ref" in sub:
        return schema.get("$defs", {}).get(sub["$ref"].rsplit("/", 1)[-1], {})
    if "anyOf" in sub:
        options = [s for s in sub["anyOf"] if s.get("type") != "null"]
        return _resolved(options[0], schema) if options else sub
    return sub


def _proper_names(prompt: str) -> list[str]:
    """Capitalised words (and runs of them: New York) that do not merely start a sentence."""
    found = []
    for match in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)", prompt):
        if match.group(1) not in found and match.group(1) not in ("I",):
            found.append(match.group(1))
    return found


def _as_text(result: Any) -> str:
    return result if isinstance(result, str) else json.dumps(result, default=str)
