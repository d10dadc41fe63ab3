"""A workflow as an agent in today's AF (1.x): `workflow.as_agent(name=...)` answers `run(...)`
with an `AgentResponse` made from the workflow's outputs, awaited or with `stream=True`."""

from typing_extensions import Never

from tests.conftest import run


def echo_agent(af):
    @af.executor(id="echo")
    async def echo(messages: list[af.Message], ctx: af.WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"you said: {messages[-1].text}")

    return af.WorkflowBuilder(start_executor=echo).build().as_agent(name="echoer")


def test_the_agents_answer_is_the_workflows_output(af):
    response = run(echo_agent(af).run("hello"))
    assert isinstance(response, af.AgentResponse) and response.text == "you said: hello"


def test_a_streamed_answer_ends_in_the_same_response(af):
    async def scenario():
        stream = echo_agent(af).run("bye", stream=True)
        async for _ in stream:
            pass
        return await stream.get_final_response()

    assert run(scenario()).text == "you said: bye"
