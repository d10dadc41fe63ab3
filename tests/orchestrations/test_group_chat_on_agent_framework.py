"""A group chat written once in today's spelling asks the same speakers in the same rounds on
wfkit and on real Agent Framework (skipped when AF's orchestrations are not installed).

Both runs use agents that answer with what they read, and a round-robin selection function.
The closing message's wording is each framework's own, so the comparison is of who was asked
in which round, and how the chat ended (one output, an `AgentResponse`)."""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import pytest

import wfkit.orchestrations
from tests.conftest import run

from .helpers import reader

try:
    import agent_framework.orchestrations as af_orchestrations

    af_orchestrations.GroupChatBuilder  # noqa: B018  (the lazy import fails here when the package is missing)
except (ImportError, AttributeError) as missing:
    pytest.skip(f"Agent Framework's orchestrations are not importable ({missing}).", allow_module_level=True)

from .test_same_as_agent_framework import AfReader  # noqa: E402  (only once AF is known to be there)


def round_robin(state: Any) -> str:
    names = list(state.participants)
    return names[state.current_round % len(names)]


def assistant_turns_at_least(count: int) -> Any:
    return lambda conversation: sum(m.role == "assistant" for m in conversation) >= count


def chat(orchestrations: ModuleType, agents: list[Any], **options: Any) -> Any:
    return orchestrations.GroupChatBuilder(participants=agents, selection_func=round_robin, **options).build()


def asked(events: Any) -> list[tuple[int, str]]:
    return [(e.data.round_index, e.data.participant_name) for e in events
            if e.type == "group_chat" and type(e.data).__name__ == "GroupChatRequestSentEvent"]


@pytest.mark.parametrize("options", [{"max_rounds": 3}, {"termination_condition": assistant_turns_at_least(2), "max_rounds": 9}],
                         ids=["max_rounds", "termination_condition"])
def test_the_same_group_chat_asks_the_same_speakers_on_wfkit_and_agent_framework(options):
    names = ["writer", "editor"]
    on_af = asyncio.run(chat(af_orchestrations, [AfReader(n) for n in names], **options).run("owls"))
    on_wfkit = run(chat(wfkit.orchestrations, [reader(n) for n in names], **options).run("owls"))
    assert asked(on_wfkit) == asked(on_af) and asked(on_af)
    af_outputs, wfkit_outputs = on_af.get_outputs(), on_wfkit.get_outputs()
    assert len(af_outputs) == len(wfkit_outputs) == 1
    assert type(af_outputs[0]).__name__ == type(wfkit_outputs[0]).__name__ == "AgentResponse"
