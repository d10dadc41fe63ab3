"""A Magentic team written once in today's spelling, with the same scripted manager, asks the
same participants in the same rounds and ends with the same final answer on wfkit and on real
Agent Framework (skipped when AF's orchestrations are not installed).

The manager's replies are scripted (facts, plan, one progress ledger per round, the final
answer), so both frameworks make the same decisions; what is compared is what each does with
them: who is asked when, which "magentic_orchestrator" events come out, and the output."""

from __future__ import annotations

import asyncio
import json
from types import ModuleType
from typing import Any

import pytest

import wfkit.orchestrations
from tests.conftest import run
from wfkit import Agent, OfflineChatClient

from .helpers import reader

try:
    import agent_framework
    import agent_framework.orchestrations as af_orchestrations

    af_orchestrations.MagenticBuilder  # noqa: B018  (the lazy import fails here when the package is missing)
except (ImportError, AttributeError) as missing:
    pytest.skip(f"Agent Framework's orchestrations are not importable ({missing}).", allow_module_level=True)

from .test_same_as_agent_framework import AfReader  # noqa: E402  (only once AF is known to be there)


def ledger(done: bool, next_speaker: str) -> str:
    def item(answer: Any) -> dict[str, Any]:
        return {"reason": "scripted", "answer": answer}

    return json.dumps({"is_request_satisfied": item(done), "is_in_loop": item(False), "is_progress_being_made": item(True),
                       "next_speaker": item(next_speaker), "instruction_or_question": item(f"{next_speaker}, go on.")})


REPLIES = ["Facts: owls hunt at night.", "- writer: draft\n- editor: polish", ledger(False, "writer"),
           ledger(False, "editor"), ledger(True, "editor"), "Owls hunt at night, says the team."]


class AfScriptedManager:
    """An Agent Framework agent that gives `REPLIES` in turn."""

    def __init__(self) -> None:
        self.id = self.name = "lead"
        self.description = None
        self.replies = iter(REPLIES)

    def create_session(self, **kwargs: Any) -> Any:
        return agent_framework.AgentSession()

    def get_session(self, *args: Any, **kwargs: Any) -> Any:
        return agent_framework.AgentSession()

    async def run(self, messages: Any = None, *, stream: bool = False, session: Any = None, **kwargs: Any) -> Any:
        text = next(self.replies)
        return agent_framework.AgentResponse(messages=[agent_framework.Message(role="assistant", contents=[text])])


def team(orchestrations: ModuleType, participants: list[Any], manager: Any) -> Any:
    return orchestrations.MagenticBuilder(participants=participants, manager_agent=manager, max_round_count=10).build()


def asked(events: Any) -> list[tuple[int, str]]:
    return [(e.data.round_index, e.data.participant_name) for e in events
            if e.type == "group_chat" and type(e.data).__name__ == "GroupChatRequestSentEvent"]


def orchestrator_kinds(events: Any) -> list[str]:
    return [e.data.event_type.value for e in events if e.type == "magentic_orchestrator"]


def test_the_same_magentic_team_does_the_same_on_wfkit_and_agent_framework():
    names = ["writer", "editor"]
    on_af = asyncio.run(team(af_orchestrations, [AfReader(n) for n in names], AfScriptedManager()).run("owls"))
    lead = Agent(OfflineChatClient(replies=REPLIES), name="lead")
    on_wfkit = run(team(wfkit.orchestrations, [reader(n) for n in names], lead).run("owls"))
    assert asked(on_wfkit) == asked(on_af) and [name for _, name in asked(on_af)] == names
    assert orchestrator_kinds(on_wfkit) == orchestrator_kinds(on_af)
    [af_output], [wfkit_output] = on_af.get_outputs(), on_wfkit.get_outputs()
    assert type(af_output).__name__ == type(wfkit_output).__name__ == "AgentResponse"
    assert wfkit_output.text == af_output.text == REPLIES[-1]
