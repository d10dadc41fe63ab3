"""The tool loop: ask the model, run the tools it calls, give it the results, ask again.

Every wfkit client runs requests through here (`BaseChatClient` does), so offline and real
models call tools the same way. One turn of the loop::

    model:  ASSISTANT  FunctionCallContent(call_id="c1", name="get_weather", arguments='{"location": "Seattle"}')
    wfkit:  TOOL       FunctionResultContent(call_id="c1", result="Sunny, 25°C")
    model:  ASSISTANT  "It is sunny in Seattle, 25°C."

The response holds all three messages, so the conversation shows what the tools did.
"""

from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator, Awaitable, Callable

from .tools import AIFunction, ToolMode, call_tool
from .types import AgentRunResponse, ChatMessage, ChatResponse, ChatResponseUpdate, FunctionCallContent, FunctionResultContent, Role

MAX_TOOL_ROUNDS = 10
"""How many times one request may go round the loop: a model that keeps calling tools stops here."""

Complete = Callable[[list[ChatMessage], dict[str, Any]], Awaitable[ChatResponse]]
CompleteStream = Callable[[list[ChatMessage], dict[str, Any]], AsyncIterator[ChatResponseUpdate]]


def calls_to_run(contents: list[Any], options: dict[str, Any]) -> list[FunctionCallContent]:
    """The function calls in `contents` that wfkit should run: those without a result yet (a
    client wrapping another, like `RecordingChatClient`, gets them already run), and none when
    the request has no tools (then the caller wants the calls themselves)."""
    if not options.get("tools"):
        return []
    answered = {c.call_id for c in contents if isinstance(c, FunctionResultContent)}
    return [c for c in contents if isinstance(c, FunctionCallContent) and c.call_id not in answered]


def after_a_round(options: dict[str, Any]) -> dict[str, Any]:
    """The options for the next round: a required tool call has been made, so the model may now
    answer in words (otherwise "required" would make it call tools forever)."""
    if options.get("tool_choice") == "required":
        return {**options, "tool_choice": ToolMode.AUTO}
    return options


async def results_message(tools: list[AIFunction], calls: list[FunctionCallContent]) -> ChatMessage:
    """One TOOL message with the result of every call, in the order they were asked for."""
    return ChatMessage(Role.TOOL, contents=[await call_tool(tools, call) for call in calls])


async def complete_with_tools(complete: Complete, messages: list[ChatMessage], options: dict[str, Any]) -> ChatResponse:
    """The model's answer to `messages`, after running every tool it called along the way."""
    new_messages: list[ChatMessage] = []
    for _ in range(MAX_TOOL_ROUNDS):
        response = await complete([*messages, *new_messages], options)
        new_messages.extend(response.messages)
        calls = calls_to_run([c for m in response.messages for c in m.contents], options)
        if not calls:
            break
        new_messages.append(await results_message(options["tools"], calls))
        options = after_a_round(options)
    return ChatResponse(messages=new_messages, response_id=response.response_id, model_id=response.model_id)


async def stream_with_tools(
    complete_stream: CompleteStream, messages: list[ChatMessage], options: dict[str, Any]
) -> AsyncIterator[ChatResponseUpdate]:
    """The streamed answer to `messages`; tool results are yielded as TOOL updates between rounds."""
    new_messages: list[ChatMessage] = []
    for _ in range(MAX_TOOL_ROUNDS):
        updates: list[ChatResponseUpdate] = []
        # aclosing: a caller that stops reading closes the model's stream (and its connection) at once.
        async with contextlib.aclosing(complete_stream([*messages, *new_messages], options)) as pieces:
            async for update in pieces:
                updates.append(update)
                yield update
        calls = calls_to_run([c for u in updates for c in u.contents], options)
        if not calls:
            return
        results = await results_message(options["tools"], calls)
        yield ChatResponseUpdate(contents=results.contents, role=Role.TOOL)
        new_messages += [*AgentRunResponse.from_updates(updates).messages, results]
        options = after_a_round(options)
