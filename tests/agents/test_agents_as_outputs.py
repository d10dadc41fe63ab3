"""An agent's answers as the workflow's outputs: with ``output_response=True`` (the seed era) or by
naming the agent in ``WorkflowBuilder(output_from=...)`` (Agent Framework 1.x)."""

from __future__ import annotations

from tests.conftest import run
from wfkit import Agent, AgentResponse, OfflineChatClient, WorkflowBuilder


def writer_and_reviewer() -> tuple[Agent, Agent]:
    client = OfflineChatClient()
    return (
        Agent(client, instructions="Write a slogan.", name="writer"),
        Agent(client, instructions="Review the slogan.", name="reviewer"),
    )


def test_by_default_agents_in_a_workflow_yield_no_outputs_as_in_the_seed_era():
    writer, reviewer = writer_and_reviewer()
    workflow = WorkflowBuilder(start_executor=writer).add_edge(writer, reviewer).build()
    assert run(workflow.run("An electric bike")).get_outputs() == []


def test_naming_an_agent_in_output_from_makes_its_answers_outputs():
    writer, reviewer = writer_and_reviewer()
    workflow = WorkflowBuilder(start_executor=writer, output_from=[reviewer]).add_edge(writer, reviewer).build()
    [answer] = run(workflow.run("An electric bike")).get_outputs()
    assert isinstance(answer, AgentResponse) and answer.text


def test_agents_named_as_intermediate_show_their_answers_on_the_way():
    writer, reviewer = writer_and_reviewer()
    workflow = (
        WorkflowBuilder(start_executor=writer, output_from=[reviewer], intermediate_output_from=[writer])
        .add_edge(writer, reviewer)
        .build()
    )
    result = run(workflow.run("An electric bike"))
    assert len(result.get_outputs()) == 1 and len(result.get_intermediate_outputs()) == 1
