"""What travels in a handoff workflow: the handoff itself, the question to the user, the event.

- `Handoff` is the message one participant sends another along an edge: "you take over", with
  the conversation so far. In the run explorer, each handoff is one of these on the edge from
  the agent who handed off to the agent who takes over.
- `HandoffAgentUserRequest` (today's AF) and `HandoffUserInputRequest` (the late-2025 previews)
  are the requests the workflow pauses on when an agent answers without handing off: the user
  says what comes next. Both carry the conversation and a prompt, so a notebook card shows the
  learner what was said and what is asked.
- `HandoffSentEvent` is the data of the ``"handoff_sent"`` event emitted at each handoff.

The user's reply may be a string, a `Message`, or a list of them (`user_messages` reads it);
an empty list ends the conversation (``HandoffAgentUserRequest.terminate()``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..agents.types import AgentResponse, Content, FunctionCallContent, FunctionResultContent, Message, Role
from ..checkpoint.registry import register_checkpoint_type
from ..errors import RequestResponseError

DEFAULT_PROMPT = "Provide your next input for the conversation."  # the late-2025 previews' default


@register_checkpoint_type(name="wfkit.Handoff")
@dataclass
class Handoff:
    """One participant hands the conversation to another.

    `source` is who sends it, `target` who takes over (an agent, or in the late-2025 shape the
    user-input node), `conversation` everything said so far, without tool calls (each agent's
    tool calls are its own business: another model could not read them).
    """

    source: str
    target: str
    conversation: list[Message] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Handoff({self.source!r} -> {self.target!r}, {len(self.conversation)} messages)"


@register_checkpoint_type(name="wfkit.HandoffSentEvent")
@dataclass
class HandoffSentEvent:
    """The data of a ``"handoff_sent"`` event: `source` handed the conversation to `target`.

    `reason` is why, when the agent's call of the handoff tool said so in a "reason" argument
    (wfkit adds the field; Agent Framework's event has only the first two).
    """

    source: str
    target: str
    reason: str = ""


@register_checkpoint_type(name="wfkit.HandoffAgentUserRequest")
@dataclass(init=False)
class HandoffAgentUserRequest:
    """Today's question to the user: an agent answered without handing off, what now?

    ``agent_response`` is that agent's answer (AF 1.x's one field). wfkit adds what a person
    needs to answer: `prompt`, a sentence saying what is asked, and `conversation`, everything
    said so far. (The fields are declared prompt first, so a notebook card shows the question
    first; the constructor still takes the answer first, as AF's does.)

    Answer with ``workflow.run(responses={request_id: reply})`` where `reply` is text, a
    `Message`, a list of them, ``HandoffAgentUserRequest.create_response("...")``, or
    ``HandoffAgentUserRequest.terminate()`` to end the conversation.
    """

    prompt: str
    conversation: list[Message]
    agent_response: AgentResponse

    def __init__(
        self, agent_response: AgentResponse, prompt: str = DEFAULT_PROMPT, conversation: list[Message] | None = None
    ) -> None:
        self.agent_response = agent_response
        self.prompt = prompt
        self.conversation = list(conversation or [])

    @staticmethod
    def create_response(response: str | Message | list[str | Message]) -> list[Message]:
        """The user's reply as messages: text becomes a USER message."""
        return user_messages(response, where="HandoffAgentUserRequest.create_response(...)")

    @staticmethod
    def terminate() -> list[Message]:
        """The reply that ends the conversation: no messages."""
        return []


@register_checkpoint_type(name="wfkit.HandoffUserInputRequest")
@dataclass(init=False)
class HandoffUserInputRequest:
    """The late-2025 previews' question to the user, asked by the "handoff-user-input" node.

    `prompt` says what is asked, `conversation` is everything said so far, `awaiting_agent_id`
    the coordinator that will read the reply. Answer with text (``send_responses({id: "..."})``).
    The constructor takes the fields in the previews' order.
    """

    prompt: str
    conversation: list[Message]
    awaiting_agent_id: str
    source_executor_id: str

    def __init__(
        self, conversation: list[Message], awaiting_agent_id: str, prompt: str, source_executor_id: str
    ) -> None:
        self.conversation = list(conversation)
        self.awaiting_agent_id = awaiting_agent_id
        self.prompt = prompt
        self.source_executor_id = source_executor_id

    @staticmethod
    def create_response(response: str | Message | list[str | Message]) -> list[Message]:
        """The user's reply as messages (wfkit's addition, as today's request has it: a
        notebook card answers with it)."""
        return user_messages(response, where="HandoffUserInputRequest.create_response(...)")


def user_messages(reply: Any, *, where: str) -> list[Message]:
    """The user's reply as USER messages: text, a `Message`, or a list of them ([] ends the
    conversation). A dict with a "text" (or "content") entry is read as that text, as the
    previews did. Anything else is refused, saying what would do."""
    if isinstance(reply, str):
        return [Message(Role.USER, [reply])]
    if isinstance(reply, Message):
        return [_as_user(reply)]
    if isinstance(reply, dict) and isinstance(reply.get("text", reply.get("content")), str):
        return [Message(Role.USER, [reply.get("text", reply.get("content"))])]
    if isinstance(reply, (list, tuple)) and all(isinstance(item, (str, Message)) for item in reply):
        return [Message(Role.USER, [item]) if isinstance(item, str) else _as_user(item) for item in reply]
    raise RequestResponseError(
        f"{where}: the user's reply is text, a Message or a list of them; got {type(reply).__name__}: {reply!r}. "
        "Answer with workflow.run(responses={request_id: 'your reply'}), or with "
        "HandoffAgentUserRequest.terminate() ([]) to end the conversation."
    )


def _as_user(message: Message) -> Message:
    # The reply is the user's, whoever built the message: an ASSISTANT role here would make
    # the next agent read it as something it said itself.
    return message if message.role == Role.USER else Message(Role.USER, [message.text])


def without_tool_calls(conversation: list[Message]) -> list[Message]:
    """The conversation as the next agent reads it: no tool calls, no tool results, no approval
    questions. A message that held only those is left out; one that also said something keeps
    its words. (Another agent was not given those tools, and a model refuses a call it cannot
    match with a result.)"""
    kept: list[Message] = []
    for message in conversation:
        if message.role == Role.TOOL:
            continue
        contents = [c for c in message.contents if not _is_tool_content(c)]
        if len(contents) == len(message.contents):
            kept.append(message)
        elif contents:
            kept.append(Message(message.role, contents, author_name=message.author_name, message_id=message.message_id))
    return kept


def _is_tool_content(content: Content) -> bool:
    return isinstance(content, (FunctionCallContent, FunctionResultContent)) or bool(content.user_input_request) or (
        content.type in ("function_approval_request", "function_approval_response")
    )

