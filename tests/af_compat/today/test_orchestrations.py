"""Orchestrations in today's AF (1.x), from `orchestrations`: `SequentialBuilder(participants=[...])`
passes the conversation along; `ConcurrentBuilder(participants=[...])` asks every participant;
either workflow can be used as an agent with `as_agent()`."""

from tests.conftest import run

from .frameworks import load_orchestrations, scripted_client


def agents(af, *replies):
    return [af.Agent(client=scripted_client(af, [reply]), name=f"agent{index}") for index, reply in enumerate(replies)]


def texts(output) -> list[str]:
    messages = output.messages if hasattr(output, "messages") else output
    return [message.text for message in messages]


def test_sequential_yields_the_last_participants_response(af):
    orchestrations = load_orchestrations(af.__name__)
    workflow = orchestrations.SequentialBuilder(participants=agents(af, "Draft.", "Edit.")).build()
    [output] = run(workflow.run("Write.")).get_outputs()
    assert isinstance(output, af.AgentResponse) and texts(output) == ["Edit."]


def test_concurrent_gathers_every_participants_answer_in_one_response(af):
    orchestrations = load_orchestrations(af.__name__)
    workflow = orchestrations.ConcurrentBuilder(participants=agents(af, "Left.", "Right.")).build()
    [output] = run(workflow.run("Which way?")).get_outputs()
    assert isinstance(output, af.AgentResponse) and sorted(texts(output)) == ["Left.", "Right."]


def test_a_concurrent_workflow_as_agent_answers_with_each_reply_once(af):
    orchestrations = load_orchestrations(af.__name__)
    agent = orchestrations.ConcurrentBuilder(participants=agents(af, "Left.", "Right.")).build().as_agent(name="both")
    assert sorted(texts(run(agent.run("Which way?")))) == ["Left.", "Right."]
