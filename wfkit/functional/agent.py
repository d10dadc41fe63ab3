"""`FunctionalWorkflowAgent`: a functional workflow behind the `run(messages)` an agent has.

Anything that talks to agents can then talk to the workflow: what the caller says is the
workflow's input, and each output becomes an assistant message. A question the workflow asks
becomes a function call named ``"request_info"`` whose `call_id` is the request id, as with a
graph workflow's `WorkflowAgent`; answer it with ``run(responses={call_id: answer})`` or with a
TOOL message carrying a `FunctionResultContent` for that call id::

    agent = review_pipeline.as_agent()
    response = await agent.run("AI safety")
    call = next(c for m in response.messages for c in m.contents if isinstance(c, FunctionCallContent))
    response = await agent.run(responses={call.call_id: "Looks good"})
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, AsyncIterator, Mapping

from ..agents.stream import ResponseStream
from ..agents.types import (
    AgentResponse,
    AgentResponseUpdate,
    Content,
    FunctionCallContent,
    FunctionResultContent,
    Message,
    Role,
    TextContent,
)

if TYPE_CHECKING:
    from .workflow import FunctionalWorkflow


class FunctionalWorkflowAgent:
    """A functional workflow used as an agent (see `FunctionalWorkflow.as_agent`)."""

    REQUEST_INFO_FUNCTION_NAME = "request_info"

    def __init__(self, workflow: FunctionalWorkflow, name: str | None = None, description: str | None = None) -> None:
        self.workflow = workflow
        self.name = name or workflow.name
        self.id = self.name
        self.description = description if description is not None else workflow.description

    def __repr__(self) -> str:
        return f"FunctionalWorkflowAgent(name={self.name!r}, workflow={self.workflow.name!r})"

    def run(
        self,
        messages: Any = None,
        *,
        stream: bool = False,
        responses: Mapping[str, Any] | None = None,
        checkpoint_id: str | None = None,
        checkpoint_storage: Any = None,
    ) -> Any:
        """Run the workflow with `messages` as its input, or answer its questions.

        Answers come as ``responses={request_id: answer}`` or as TOOL messages holding
        `FunctionResultContent`s. Awaited, it gives an `AgentResponse`; with ``stream=True`` a
        `ResponseStream` of its pieces. A failed run raises `WorkflowFailedError`.
        """
        answers = dict(responses or {}) | _answers_in(messages)
        if answers:
            messages = None
        events = self.workflow.run(
            messages,
            stream=True,
            responses=answers or None,
            checkpoint_id=checkpoint_id,
            checkpoint_storage=checkpoint_storage,
        )
        updates = self._updates(events)
        if stream:
            return ResponseStream(updates, finalizer=_response_of)
        return self._respond(updates)

    async def _respond(self, updates: AsyncIterator[AgentResponseUpdate]) -> AgentResponse:
        return _response_of([update async for update in updates])

    async def _updates(self, events: Any) -> AsyncIterator[AgentResponseUpdate]:
        async for event in events:  # a failed run raises at the end of this loop
            if event.type == "output":
                yield AgentResponseUpdate(_contents_of(event.data), role=Role.ASSISTANT, author_name=self.name)
            elif event.type == "request_info":
                call = FunctionCallContent(
                    call_id=event.request_id,
                    name=self.REQUEST_INFO_FUNCTION_NAME,
                    arguments={"request_id": event.request_id, "data": event.data},
                )
                yield AgentResponseUpdate([call], role=Role.ASSISTANT, author_name=self.name)


def _answers_in(messages: Any) -> dict[str, Any]:
    """The answers a caller sends as TOOL messages: ``{call_id: result}``."""
    found = messages if isinstance(messages, list) else [messages]
    return {
        content.call_id: content.result
        for message in found
        if isinstance(message, Message) and message.role is Role.TOOL
        for content in message.contents
        if isinstance(content, FunctionResultContent)
    }


def _contents_of(output: Any) -> list[Any]:
    """An output as message contents: its own contents if it is a response, message or content,
    else its text."""
    if isinstance(output, AgentResponse):
        return [content for message in output.messages for content in message.contents]
    if isinstance(output, Message):
        return list(output.contents)
    if isinstance(output, Content):
        return [output]
    return [TextContent(output if isinstance(output, str) else str(output))]


def _response_of(updates: list[AgentResponseUpdate]) -> AgentResponse:
    """One message per output and per question, as the workflow gave them."""
    return AgentResponse(
        messages=[Message(update.role or Role.ASSISTANT, list(update.contents), author_name=update.author_name) for update in updates]
    )
