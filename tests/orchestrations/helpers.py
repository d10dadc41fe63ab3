"""What the orchestration tests share: agents whose answers show what they read, the two
spellings of a builder, and a driver that answers every review the same way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.conftest import run
from wfkit import ChatMessage, OfflineChatClient, Workflow
from wfkit.orchestrations import AgentRequestInfoResponse

SPELLINGS = ["today", "late-2025"]


class ReadingClient(OfflineChatClient):
    """An offline model whose answer names who answered and the last message it read:
    ``writer read 'Write about owls'``. What it read is then visible in every output."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.conversations: list[list[str]] = []  # every conversation it was asked to answer

    def reply_to(self, messages: list[ChatMessage]) -> str:
        self.conversations.append([m.text for m in messages])
        return f"{self.name} read {messages[-1].text!r}"


def reader(name: str) -> Any:
    """An agent named `name` that answers with a `ReadingClient` (``agent.chat_client``)."""
    return ReadingClient(name).create_agent(name=name)


def spelled(builder_class: type, spelling: str, participants: Sequence[Any]) -> Any:
    """`builder_class` given `participants` in one of the two spellings."""
    if spelling == "today":
        return builder_class(participants=list(participants))
    return builder_class().participants(list(participants))


def review_all(
    workflow: Workflow, prompt: str, answers: Sequence[AgentRequestInfoResponse]
) -> tuple[list[Any], list[Any]]:
    """Run `workflow` on `prompt`, answering the reviews it asks for with `answers` in turn
    (one at a time, oldest first). Returns (every review's request event, every output)."""
    result = run(workflow.run(prompt))
    outputs, waiting, asked, remaining = result.get_outputs(), result.get_request_info_events(), [], list(answers)
    while waiting:
        request = waiting.pop(0)
        asked.append(request)
        result = run(workflow.send_responses({request.request_id: remaining.pop(0)}))
        outputs += result.get_outputs()
        waiting += result.get_request_info_events()
    assert not remaining, f"{len(remaining)} answers were never asked for"
    return asked, outputs
