"""Agents in today's AF (1.x): `Agent(client=..., instructions=..., name=...)`, `run` giving an
`AgentResponse` whose messages are `Message`s; `run(stream=True)` and `get_final_response()`;
agents as workflow executors, their answers outputs chosen with `output_from=` (and, in AF, every
agent's by default). The model answers with scripted replies on both sides (see frameworks.py)."""

import wfkit
from tests.conftest import run

from .frameworks import collect, scripted_client


def test_agent_takes_its_client_by_keyword_and_answers_with_an_agent_response(af):
    agent = af.Agent(client=scripted_client(af, ["Good morning."]), instructions="Greet.", name="greeter")
    response = run(agent.run("Hi"))
    assert isinstance(response, af.AgentResponse) and response.text == "Good morning."
    [message] = response.messages
    assert isinstance(message, af.Message) and message.role == "assistant" and message.author_name == "greeter"


def test_an_agent_reads_a_list_of_messages(af):
    agent = af.Agent(client=scripted_client(af, ["Noted."]), name="clerk")
    assert run(agent.run([af.Message("user", ["First."]), af.Message("user", ["Second."])])).text == "Noted."


def test_a_streamed_answer_arrives_in_pieces_and_whole_at_the_end(af):
    agent = af.Agent(client=scripted_client(af, ["One two three four five six."]), name="counter")

    async def scenario():
        stream = agent.run("Count.", stream=True)
        pieces = [update.text async for update in stream]
        return pieces, await stream.get_final_response()

    pieces, whole = run(scenario())
    assert len(pieces) > 1 and "".join(pieces) == whole.text == "One two three four five six."


def agents_in_a_row(af):
    client = scripted_client(af, ["A plan.", "A critique."])
    planner, critic = af.Agent(client=client, name="planner"), af.Agent(client=client, name="critic")
    return af.WorkflowBuilder(start_executor=planner).add_edge(planner, critic).build()


def critic_only(af):
    """The planner-and-critic workflow with only the critic's answer as output."""
    client = scripted_client(af, ["A plan.", "A critique."])
    planner, critic = af.Agent(client=client, name="planner"), af.Agent(client=client, name="critic")
    return af.WorkflowBuilder(start_executor=planner, output_from=[critic]).add_edge(planner, critic).build()


def test_output_from_names_the_agent_whose_answer_is_the_output(af):
    workflow = critic_only(af)
    [output] = run(workflow.run("Plan a picnic.")).get_outputs()
    assert isinstance(output, af.AgentResponse) and output.text == "A critique."


def test_by_default_agents_answers_are_outputs_on_agent_framework_only(af):
    """A documented choice (docs/agent_framework.md, "What differs"): wfkit keeps the seed era's
    default, where an agent in a graph yields only when asked (output_from=, or output_response=True);
    AF 1.x yields every agent's answer."""
    workflow = agents_in_a_row(af)
    outputs = [output.text for output in run(workflow.run("Plan a picnic.")).get_outputs()]
    assert outputs == ([] if af is wfkit else ["A plan.", "A critique."])


def test_a_streamed_workflow_gives_the_chosen_agents_answer_as_outputs(af):
    events = collect(critic_only(af).run("Plan a picnic.", stream=True))
    outputs = [e.data for e in events if e.type == "output"]
    assert outputs and all(isinstance(o, (af.AgentResponse, af.AgentResponseUpdate)) for o in outputs)
