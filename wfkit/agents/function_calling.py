"""The tool loop: ask the model, run the tools it calls, give it the results, ask again.

Every wfkit client runs requests through here (`BaseChatClient` does), so offline and real
models call tools the same way. One turn of the loop::

    model:  ASSISTANT  FunctionCallContent(call_id="c1", name="get_weather", arguments='{"location": "Seattle"}')
    wfkit:  TOOL       FunctionResultContent(call_id="c1", result="Sunny, 25°C")
    model:  ASSISTANT  "It is sunny in Seattle, 25°C."

The response holds all three messages, so the conversation shows what the tools did.

A round whose calls need the caller (an approval, or a tool only the caller can run) stops the
loop instead: see `user_input`, which also picks the loop up again once the caller has answered.

``function_invocation_kwargs`` given with a request are not for the model: they reach the tools
that take ``**kwargs`` (a user's token, say), and nothing else.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, AsyncIterator, Awaitable, Callable

from .tools import FunctionTool, ToolMode, call_tool
from .types import AgentRunResponse, ChatMessage, ChatResponse, ChatResponseUpdate, FunctionCallContent, FunctionResultContent, Role
from .user_input import answers_from_caller, for_model, questions_for_caller, with_questions

CONTEXT_OPTION = "function_invocation_kwargs"

MAX_TOOL_ROUNDS = 10
"""How many times one request may go round the loop: a model that keeps calling tools stops here."""

ARGUMENTS_PREVIEW = 200  # characters of a call's unreadable arguments quoted back to the model

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


def split_context(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the options for the model, the ``function_invocation_kwargs`` for the tools)."""
    options = dict(options)
    return options, dict(options.pop(CONTEXT_OPTION, None) or {})


async def results_message(
    tools: list[FunctionTool], calls: list[FunctionCallContent], context: dict[str, Any]
) -> ChatMessage:
    """One TOOL message with the result of every call, in the order they were asked for."""
    return ChatMessage(
        Role.TOOL, contents=[arguments_error(call) or await call_tool(tools, call, context) for call in calls]
    )


def arguments_error(call: FunctionCallContent) -> FunctionResultContent | None:
    """An error result for a call whose arguments are not one JSON object, or None when they are.

    Small models often write broken JSON (a missing quote, a cut-off brace). Like any other
    tool mistake it goes back to the model, which can try again; but it says plainly that the
    tool was never called, quoting what the model wrote, so it does not read as the tool failing.
    """
    if not isinstance(call.arguments, str) or not call.arguments.strip():
        return None  # a dict is parsed already, and no text means no arguments
    try:
        arguments = json.loads(call.arguments)
    except json.JSONDecodeError as error:
        problem = f"are not valid JSON ({error})"
    else:
        if isinstance(arguments, dict):
            return None
        problem = f"are JSON but not a JSON object (a {type(arguments).__name__})"
    written = call.arguments[:ARGUMENTS_PREVIEW] + ("..." if len(call.arguments) > ARGUMENTS_PREVIEW else "")
    return FunctionResultContent(
        call.call_id,
        f"Error: the arguments for {call.name} {problem}, so {call.name} was not called. You wrote: {written} "
        f"-- call {call.name} again with its arguments as one JSON object, one key per parameter.",
    )


async def complete_with_tools(complete: Complete, messages: list[ChatMessage], options: dict[str, Any]) -> ChatResponse:
    """The model's answer to `messages`, after running every tool it called along the way
    (or up to the round that needs the caller: see `user_input`)."""
    options, context = split_context(options)
    tools = options.get("tools", [])
    new_messages: list[ChatMessage] = []
    answers = await answers_from_caller(tools, messages, context) if tools else None
    if answers is not None:  # a paused round, answered: its results come first
        new_messages.append(answers)
        options = after_a_round(options)
    for _ in range(MAX_TOOL_ROUNDS):
        response = await complete(for_model([*messages, *new_messages]), options)
        new_messages.extend(response.messages)
        contents = [c for m in response.messages for c in m.contents]
        if any(c.user_input_request for c in contents):
            break  # a client this one wraps (RecordingChatClient's) has asked the caller already
        calls = calls_to_run(contents, options)
        if not calls:
            break
        questions = questions_for_caller(tools, calls)
        if questions:
            with_questions(response.messages[-1], questions)
            break
        new_messages.append(await results_message(tools, calls, context))
        options = after_a_round(options)
    return ChatResponse(messages=new_messages, response_id=response.response_id, model_id=response.model_id)


async def stream_with_tools(
    complete_stream: CompleteStream, messages: list[ChatMessage], options: dict[str, Any]
) -> AsyncIterator[ChatResponseUpdate]:
    """The streamed answer to `messages`; tool results are yielded as TOOL updates between rounds,
    and the questions for the caller (if a round needs any) as the last update."""
    options, context = split_context(options)
    tools = options.get("tools", [])
    new_messages: list[ChatMessage] = []
    answers = await answers_from_caller(tools, messages, context) if tools else None
    if answers is not None:
        yield ChatResponseUpdate(contents=answers.contents, role=Role.TOOL)
        new_messages.append(answers)
        options = after_a_round(options)
    for _ in range(MAX_TOOL_ROUNDS):
        updates: list[ChatResponseUpdate] = []
        # aclosing: a caller that stops reading closes the model's stream (and its connection) at once.
        async with contextlib.aclosing(complete_stream(for_model([*messages, *new_messages]), options)) as pieces:
            async for update in pieces:
                updates.append(update)
                yield update
        contents = [c for u in updates for c in u.contents]
        if any(c.user_input_request for c in contents):
            return  # asked already by a client this one wraps
        calls = calls_to_run(contents, options)
        if not calls:
            return
        questions = questions_for_caller(tools, calls)
        if questions:
            asked = [q for q in questions if not isinstance(q, FunctionCallContent)]
            if asked:  # the marked calls were streamed already; the approval requests follow them
                yield ChatResponseUpdate(contents=asked, role=Role.ASSISTANT, response_id=updates[-1].response_id)
            return
        results = await results_message(tools, calls, context)
        yield ChatResponseUpdate(contents=results.contents, role=Role.TOOL)
        new_messages += [*AgentRunResponse.from_updates(updates).messages, results]
        options = after_a_round(options)
