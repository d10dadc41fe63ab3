"""When the tool loop stops to ask the caller: tools that need approval, and tools only the
caller can run.

Most tool calls are run by wfkit at once (see `function_calling`). Two kinds are not:

- a tool made with ``approval_mode="always_require"``: before it runs, the caller must say yes.
  The agent's answer ends with the model's call and, beside it, a `FunctionApprovalRequestContent`.
- a declaration-only tool (``FunctionTool(func=None)``): wfkit has nothing to run, so the call
  itself (marked ``user_input_request=True``) goes to the caller, who runs it however it likes.

Either way the agent's response lists the questions in ``response.user_input_requests`` and
stops. The caller answers by running the agent again with the conversation so far plus::

    Message("user", [request.to_function_approval_response(approved=True)])   # or False
    Message("tool", [Content.from_function_result(call.call_id, result="Seattle")])

and the loop goes on where it stopped: approved calls run, refused ones get an error result
that tells the model so, the caller's results are used as they are, and every other call of
that round runs too. Then the model is asked again. In a workflow, `AgentExecutor` does this
for you: each question is a request the workflow pauses on (see `executor`).

The approval contents are for the caller, not the model: `for_model` leaves them out of what
the model is sent.
"""

from __future__ import annotations

import uuid
from typing import Any, Mapping

from ..errors import UnansweredToolCallError
from .tools import FunctionTool, call_tool
from .types import (
    FunctionApprovalRequestContent,
    FunctionApprovalResponseContent,
    FunctionCallContent,
    FunctionResultContent,
    Message,
    Role,
)

APPROVAL_CONTENTS = (FunctionApprovalRequestContent, FunctionApprovalResponseContent)
REFUSED = "Error: the caller did not approve this call of {name}, so it was not run."


def questions_for_caller(tools: list[FunctionTool], calls: list[FunctionCallContent]) -> list[Any]:
    """What the caller must answer before `calls` (one round of the model's calls) can run: an
    approval request per call to a tool that needs one, and each call to a declaration-only
    tool. Empty when wfkit can run them all."""
    by_name = {tool.name: tool for tool in tools}
    questions: list[Any] = []
    for call in calls:
        tool = by_name.get(call.name)
        if tool is None:
            continue  # an unknown tool: call_tool tells the model so
        if tool.declaration_only:
            call.user_input_request = True
            questions.append(call)
        elif tool.needs_approval:
            # A fresh id: it becomes a workflow's request id, and two agents' calls may share a call_id.
            questions.append(FunctionApprovalRequestContent(f"approval_{uuid.uuid4().hex[:12]}", call))
    return questions


def with_questions(message: Message, questions: list[Any]) -> None:
    """Add the approval requests to the model's message that made the calls (the calls to
    declaration-only tools are in it already, marked)."""
    message.contents.extend(q for q in questions if isinstance(q, FunctionApprovalRequestContent))


async def answers_from_caller(
    tools: list[FunctionTool], messages: list[Message], context: Mapping[str, Any]
) -> Message | None:
    """A TOOL message with the results of the calls a paused round left waiting, now that the
    caller has answered; None when no call is waiting.

    Raises `UnansweredToolCallError` if a call still waits for an answer the caller did not give.
    """
    by_name = {tool.name: tool for tool in tools}
    answered = {c.call_id for m in messages for c in m.contents if isinstance(c, FunctionResultContent)}
    approvals = {
        c.function_call.call_id: c.approved
        for m in messages
        for c in m.contents
        if isinstance(c, FunctionApprovalResponseContent)
    }
    waiting = [
        c
        for m in messages
        for c in m.contents
        if isinstance(c, FunctionCallContent) and c.call_id not in answered and c.name in by_name
    ]
    results = []
    for call in waiting:
        tool = by_name[call.name]
        if tool.declaration_only or (tool.needs_approval and call.call_id not in approvals):
            raise UnansweredToolCallError(_unanswered(call, tool))
        if tool.needs_approval and not approvals[call.call_id]:
            results.append(FunctionResultContent(call.call_id, REFUSED.format(name=call.name)))
        else:
            results.append(await call_tool(tools, call, context))
    return Message(Role.TOOL, results) if results else None


def for_model(messages: list[Message]) -> list[Message]:
    """`messages` as the model is sent them: without the approval questions and answers, which
    are between the agent and its caller (a message left empty is left out)."""
    kept = []
    for message in messages:
        contents = [c for c in message.contents if not isinstance(c, APPROVAL_CONTENTS)]
        if len(contents) == len(message.contents):
            kept.append(message)
        elif contents:
            kept.append(Message(message.role, contents, author_name=message.author_name, message_id=message.message_id))
    return kept


def _unanswered(call: FunctionCallContent, tool: FunctionTool) -> str:
    if tool.declaration_only:
        answer = (
            f"Message('tool', [Content.from_function_result({call.call_id!r}, result=...)]) with the result you "
            "computed"
        )
        why = "is a declaration only (func=None), so only the caller can run it"
    else:
        answer = "Message('user', [request.to_function_approval_response(approved=True)]) (or approved=False)"
        why = "needs approval (approval_mode='always_require')"
    return (
        f"The conversation has a call of tool {call.name!r} (call_id {call.call_id!r}) with no answer yet: the tool "
        f"{why}. Run the agent again with the conversation so far plus {answer}."
    )
