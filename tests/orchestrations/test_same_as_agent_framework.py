"""The same orchestration, written once in today's spelling, gives the same outputs on wfkit and
on real Agent Framework (when its orchestrations package is installed; skipped otherwise).

Each definition below takes the module the builders come from, so the only difference between
the two runs is the import, as a learner would change it. The agents on both sides answer with
the last message they read (``writer read 'owls'``), so an output shows what was passed along.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

import wfkit.orchestrations

from .helpers import reader, review_all

try:
    import agent_framework
    import agent_framework.orchestrations as af_orchestrations

    af_orchestrations.SequentialBuilder  # noqa: B018  (the lazy import fails here when the package is missing)
except (ImportError, AttributeError) as missing:
    pytest.skip(
        f"Agent Framework's orchestrations are not importable ({missing}); install agent-framework-core and "
        "agent-framework-orchestrations to compare wfkit with them.",
        allow_module_level=True,
    )


# --- the definitions: today's spelling, written once ------------------------------------------------


def sequential(orchestrations: ModuleType, agents: list[Any]) -> Any:
    return orchestrations.SequentialBuilder(participants=agents).build()


def reviewed_sequential(orchestrations: ModuleType, agents: list[Any]) -> Any:
    return orchestrations.SequentialBuilder(participants=agents).with_request_info().build()


def concurrent(orchestrations: ModuleType, agents: list[Any]) -> Any:
    return orchestrations.ConcurrentBuilder(participants=agents).build()


def reviewed_concurrent(orchestrations: ModuleType, agents: list[Any]) -> Any:
    return orchestrations.ConcurrentBuilder(participants=agents).with_request_info(agents=[agents[1]]).build()


def summarised_concurrent(orchestrations: ModuleType, agents: list[Any]) -> Any:
    def summary(results: list[Any]) -> str:
        return " | ".join(r.executor_id for r in results)

    return orchestrations.ConcurrentBuilder(participants=agents).with_aggregator(summary).build()


# --- Agent Framework's side ---------------------------------------------------------------------


class AfReader:
    """An Agent Framework agent (it has what `SupportsAgentRun` asks for) that answers like `reader`."""

    def __init__(self, name: str) -> None:
        self.id = self.name = name
        self.description = None

    def create_session(self, **kwargs: Any) -> Any:
        return agent_framework.AgentSession()

    def get_session(self, *args: Any, **kwargs: Any) -> Any:
        return agent_framework.AgentSession()

    async def run(self, messages: Any = None, *, stream: bool = False, session: Any = None, **kwargs: Any) -> Any:
        text = f"{self.name} read {list(messages)[-1].text!r}"
        return agent_framework.AgentResponse(
            messages=[agent_framework.Message(role="assistant", contents=[text], author_name=self.name)]
        )


async def run_on_agent_framework(workflow: Any, prompt: str, answers: list[Any]) -> list[Any]:
    """Agent Framework's way to run and answer: ``run(prompt)``, then ``run(responses={...})``."""
    result = await workflow.run(prompt)
    outputs, waiting, remaining = result.get_outputs(), result.get_request_info_events(), list(answers)
    while waiting:
        request = waiting.pop(0)
        result = await workflow.run(responses={request.request_id: remaining.pop(0)})
        outputs += result.get_outputs()
        waiting += result.get_request_info_events()
    return outputs


def texts(output: Any) -> Any:
    """An output as plain data: an agent response as its messages' texts."""
    messages = getattr(output, "messages", None)
    return [m.text for m in messages] if messages is not None else output


# --- the comparison -------------------------------------------------------------------------------

NAMES = ["writer", "editor"]
CASES: list[tuple[Callable[..., Any], list[list[str]]]] = [
    (sequential, []),
    (reviewed_sequential, [[], []]),
    (reviewed_sequential, [["Shorter."], [], ["Add a title."], []]),
    (concurrent, []),
    (reviewed_concurrent, [["Mention owls."], []]),
    (summarised_concurrent, []),
]


@pytest.mark.parametrize(("define", "feedback"), CASES, ids=[f"{d.__name__}-{len(f)}-answers" for d, f in CASES])
def test_the_same_definition_gives_the_same_outputs_on_wfkit_and_agent_framework(define, feedback):
    def answers(orchestrations: ModuleType) -> list[Any]:
        return [orchestrations.AgentRequestInfoResponse.from_strings(texts) for texts in feedback]

    af_workflow = define(af_orchestrations, [AfReader(name) for name in NAMES])
    on_af = asyncio.run(run_on_agent_framework(af_workflow, "owls", answers(af_orchestrations)))
    wfkit_workflow = define(wfkit.orchestrations, [reader(name) for name in NAMES])
    _, on_wfkit = review_all(wfkit_workflow, "owls", answers(wfkit.orchestrations))
    assert [texts(o) for o in on_wfkit] == [texts(o) for o in on_af]
    assert on_af, "Agent Framework's run gave no output: the comparison would prove nothing"
