"""Today's builder options: ``output_from=``, ``intermediate_output_from=`` (Sequential and
Concurrent) and ``chain_only_agent_responses=`` (Sequential).

Each definition is written once against the module it is given; the twin test runs it on wfkit
and on real Agent Framework (skipped when AF's orchestrations are not installed) and compares.
The agents answer with who they are, how many messages they read and the last one, so an output
shows what each agent was handed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

import wfkit.orchestrations
from tests.conftest import run
from wfkit import ChatMessage, OfflineChatClient, WorkflowValidationError
from wfkit.orchestrations import ConcurrentBuilder, SequentialBuilder


class CountingClient(OfflineChatClient):
    """Answers "<name> read <n>: '<last message>'"."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def reply_to(self, messages: list[ChatMessage]) -> str:
        return answer(self.name, messages)


def answer(name: str, messages: list[Any]) -> str:
    return f"{name} read {len(messages)}: {messages[-1].text!r}"


def counter(name: str) -> Any:
    return CountingClient(name).as_agent(name=name)


NAMES = ["writer", "editor", "proofreader"]


def outputs_and_steps(events: Any) -> tuple[list[Any], list[Any]]:
    """(the outputs' texts, the intermediate outputs' texts) of a run's events."""

    def text(data: Any) -> Any:
        return [m.text for m in data.messages] if hasattr(data, "messages") else data

    return (
        [text(e.data) for e in events if e.type == "output"],
        [text(e.data) for e in events if e.type == "intermediate"],
    )


# --- the definitions, in today's spelling ---------------------------------------------------------


def all_outputs(o: ModuleType, agents: list[Any]) -> Any:
    return o.SequentialBuilder(participants=agents, output_from="all").build()


def named_outputs(o: ModuleType, agents: list[Any]) -> Any:
    return o.SequentialBuilder(participants=agents, output_from=[agents[0], "proofreader"]).build()


def earlier_answers_on_the_way(o: ModuleType, agents: list[Any]) -> Any:
    return o.SequentialBuilder(participants=agents, intermediate_output_from=agents[:2]).build()


def all_other_on_the_way(o: ModuleType, agents: list[Any]) -> Any:
    return o.SequentialBuilder(participants=agents, output_from=["editor"], intermediate_output_from="all_other").build()


def chain_only(o: ModuleType, agents: list[Any]) -> Any:
    return o.SequentialBuilder(participants=agents, chain_only_agent_responses=True, output_from="all").build()


def full_chain(o: ModuleType, agents: list[Any]) -> Any:
    return o.SequentialBuilder(participants=agents, output_from="all").build()


def concurrent_with_a_participant(o: ModuleType, agents: list[Any]) -> Any:
    return o.ConcurrentBuilder(participants=agents, output_from=["writer"]).build()


def concurrent_participants_on_the_way(o: ModuleType, agents: list[Any]) -> Any:
    return o.ConcurrentBuilder(participants=agents, intermediate_output_from="all").build()


DEFINITIONS: list[Callable[..., Any]] = [
    all_outputs,
    named_outputs,
    earlier_answers_on_the_way,
    all_other_on_the_way,
    chain_only,
    full_chain,
    concurrent_with_a_participant,
    concurrent_participants_on_the_way,
]


def on_wfkit(define: Callable[..., Any]) -> tuple[list[Any], list[Any]]:
    return outputs_and_steps(run(define(wfkit.orchestrations, [counter(n) for n in NAMES]).run("owls")))


# --- what each does on wfkit ----------------------------------------------------------------------


def test_output_from_all_makes_every_answer_an_output() -> None:
    outputs, steps = on_wfkit(all_outputs)
    assert [o[0].split(" read")[0] for o in outputs] == NAMES and steps == []


def test_output_from_names_participants_by_agent_or_by_name() -> None:
    outputs, _ = on_wfkit(named_outputs)
    assert [o[0].split(" read")[0] for o in outputs] == ["writer", "proofreader"]


def test_intermediate_output_from_shows_earlier_answers_on_the_way_and_the_last_stays_the_output() -> None:
    outputs, steps = on_wfkit(earlier_answers_on_the_way)
    assert [s[0].split(" read")[0] for s in steps] == ["writer", "editor"]
    assert [o[0].split(" read")[0] for o in outputs] == ["proofreader"]


def test_chain_only_hands_each_agent_only_the_previous_answer() -> None:
    outputs, _ = on_wfkit(chain_only)
    assert outputs == [
        ["writer read 1: 'owls'"],
        ["editor read 1: \"writer read 1: 'owls'\""],
        ["proofreader read 1: 'editor read 1: \"writer read 1: \\'owls\\'\"'"],
    ]


def test_without_chain_only_each_agent_reads_the_whole_conversation() -> None:
    outputs, _ = on_wfkit(full_chain)
    assert [o[0].split(":")[0] for o in outputs] == ["writer read 1", "editor read 2", "proofreader read 3"]


def test_concurrent_output_from_adds_a_participants_answer_to_the_aggregated_one() -> None:
    outputs, _ = on_wfkit(concurrent_with_a_participant)
    assert len(outputs) == 2 and outputs[0] == ["writer read 1: 'owls'"] and len(outputs[1]) == 3


def test_the_default_outputs_are_unchanged() -> None:
    outputs, steps = outputs_and_steps(run(SequentialBuilder(participants=[counter(n) for n in NAMES]).build().run("owls")))
    assert len(outputs) == 1 and outputs[0][0].startswith("proofreader") and steps == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"output_from": ["nobody"]}, r"names \['nobody'\], which are not participants"),
        ({"output_from": "everyone"}, r"output_from='everyone': give a list of participants"),
        ({"output_from": ["writer"], "intermediate_output_from": ["writer"]}, "named both in output_from"),
        ({"output_from": []}, "shows no answer at all"),
    ],
)
def test_a_selection_that_means_nothing_is_refused_with_the_fix(options: dict[str, Any], message: str) -> None:
    with pytest.raises(WorkflowValidationError, match=message):
        SequentialBuilder(participants=[counter(n) for n in NAMES], **options).build()


def test_todays_options_then_the_late_2025_participants_are_refused() -> None:
    with pytest.raises(WorkflowValidationError, match="today's output options"):
        ConcurrentBuilder(output_from="all").participants([counter("a")])


# --- the same on real Agent Framework ---------------------------------------------------------------


class AfCounter:
    """An Agent Framework agent (what `SupportsAgentRun` asks for) that answers like `counter`."""

    def __init__(self, af: ModuleType, name: str) -> None:
        self.af, self.id, self.name, self.description = af, name, name, None

    def create_session(self, **kwargs: Any) -> Any:
        return self.af.AgentSession()

    def get_session(self, *args: Any, **kwargs: Any) -> Any:
        return self.af.AgentSession()

    async def run(self, messages: Any = None, *, stream: bool = False, session: Any = None, **kwargs: Any) -> Any:
        text = answer(self.name, list(messages))
        message = self.af.Message(role="assistant", contents=[text], author_name=self.name)
        return self.af.AgentResponse(messages=[message])


@pytest.mark.parametrize("define", DEFINITIONS, ids=[d.__name__ for d in DEFINITIONS])
def test_the_same_definition_shows_the_same_answers_on_agent_framework(define: Callable[..., Any]) -> None:
    af = pytest.importorskip("agent_framework", reason="agent-framework-core is not installed")
    orchestrations = pytest.importorskip("agent_framework.orchestrations", reason="AF orchestrations not installed")
    try:
        orchestrations.SequentialBuilder  # noqa: B018  (a lazy import fails here when the package is missing)
    except (ImportError, AttributeError):
        pytest.skip("agent-framework-orchestrations is not installed")
    on_af = outputs_and_steps(asyncio.run(define(orchestrations, [AfCounter(af, n) for n in NAMES]).run("owls")))
    assert on_af[0], "Agent Framework gave no output: the comparison would prove nothing"
    assert on_wfkit(define) == on_af
