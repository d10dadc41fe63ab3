"""Agents in today's AF (1.x): `Agent(client=..., instructions=..., name=...)`, `run` giving an
`AgentResponse` whose messages are `Message`s; `run(stream=True)` and `get_final_response()`;
agents as workflow executors, their answers outputs chosen with `output_from=` (and, in AF, every
agent's by default). The model answers with scripted replies on both sides (see frameworks.py)."""

from tests.conftest import run

from .frameworks import collect, scripted_client, wfkit_gap


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


AGENTS_YIELD_NOTHING = (
    "an agent given to WorkflowBuilder as an executor never yields its answer, so output_from=[agent] "
    "selects nothing: get_outputs() is [] and the run ends with a WorkflowWarningEvent that the critic's "
    "AgentExecutorResponse went nowhere; AF 1.26 yields the agent's AgentResponse (AgentResponseUpdates "
    "when streamed) as outputs"
)


def critic_only(af):
    """The planner-and-critic workflow with only the critic's answer as output."""
    client = scripted_client(af, ["A plan.", "A critique."])
    planner, critic = af.Agent(client=client, name="planner"), af.Agent(client=client, name="critic")
    return af.WorkflowBuilder(start_executor=planner, output_from=[critic]).add_edge(planner, critic).build()


def test_output_from_names_the_agent_whose_answer_is_the_output(af, request):
    wfkit_gap(request, af, AGENTS_YIELD_NOTHING)
    workflow = critic_only(af)
    [output] = run(workflow.run("Plan a picnic.")).get_outputs()
    assert isinstance(output, af.AgentResponse) and output.text == "A critique."


def test_by_default_every_agents_answer_is_an_output(af, request):
    wfkit_gap(
        request,
        af,
        "an agent in a graph built with WorkflowBuilder(start_executor=agent) yields no output unless "
        "output_from= names it; AF 1.x yields every agent's AgentResponse as an output by default "
        "(get_outputs() is [] on wfkit, ['A plan.', 'A critique.'] on AF 1.26)",
    )
    workflow = agents_in_a_row(af)
    assert [output.text for output in run(workflow.run("Plan a picnic.")).get_outputs()] == ["A plan.", "A critique."]


def test_a_streamed_workflow_gives_the_chosen_agents_answer_as_outputs(af, request):
    wfkit_gap(request, af, AGENTS_YIELD_NOTHING)
    events = collect(critic_only(af).run("Plan a picnic.", stream=True))
    outputs = [e.data for e in events if e.type == "output"]
    assert outputs and all(isinstance(o, (af.AgentResponse, af.AgentResponseUpdate)) for o in outputs)
