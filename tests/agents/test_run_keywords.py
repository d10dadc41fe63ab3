"""Run keywords reach the agents of a workflow: ``workflow.run(..., function_invocation_kwargs=...)``
gets to the tools that take ``**kwargs``, ``client_kwargs=`` to the chat client, streamed or not,
through a workflow agent, and after a pause for a tool approval."""

from __future__ import annotations

from typing import Any

from tests.conftest import run
from wfkit import Agent, AgentExecutor, OfflineChatClient, WorkflowBuilder, tool
from wfkit.orchestrations import SequentialBuilder


class RecordingClient(OfflineChatClient):
    """The offline model, keeping the options of every request it was sent."""

    def __init__(self, replies: list[str] | None = None) -> None:
        super().__init__(replies=replies)
        self.options: list[dict[str, Any]] = []

    def reply_message(self, messages, options):  # noqa: ANN001, ANN201
        self.options.append(dict(options))
        return super().reply_message(messages, options)


def recording_tool(name: str, seen: list[dict[str, Any]], approval: str = "never_require") -> Any:
    @tool(name=name, approval_mode=approval)
    def look_up(query: str, **kwargs: Any) -> str:
        """Look something up."""
        seen.append(kwargs)
        return "found"

    return look_up


def researcher_and_writer(seen: dict[str, list[dict[str, Any]]]) -> Any:
    client = OfflineChatClient()
    agents = [
        Agent(client, f"Call {name}_tool exactly once.", name=name, tools=[recording_tool(f"{name}_tool", seen[name])])
        for name in seen
    ]
    return SequentialBuilder(participants=agents).build()


def test_a_tool_in_a_workflow_gets_the_runs_function_invocation_kwargs() -> None:
    seen: dict[str, list[dict[str, Any]]] = {"researcher": [], "writer": []}
    run(researcher_and_writer(seen).run("Q3 report", function_invocation_kwargs={"user_token": "t-1"}))
    assert seen == {"researcher": [{"user_token": "t-1"}], "writer": [{"user_token": "t-1"}]}


def test_per_agent_function_invocation_kwargs_reach_only_that_agents_tools() -> None:
    seen: dict[str, list[dict[str, Any]]] = {"researcher": [], "writer": []}
    given = {"researcher": {"db": "prod"}, "writer": {"style": "markdown"}}
    run(researcher_and_writer(seen).run("Q3 report", function_invocation_kwargs=given))
    assert seen == {"researcher": [{"db": "prod"}], "writer": [{"style": "markdown"}]}


def test_a_streamed_run_hands_the_keywords_on_too() -> None:
    seen: dict[str, list[dict[str, Any]]] = {"researcher": [], "writer": []}
    stream = researcher_and_writer(seen).run("Q3 report", stream=True, function_invocation_kwargs={"user_token": "t-1"})
    run(stream.get_final_response())
    assert seen == {"researcher": [{"user_token": "t-1"}], "writer": [{"user_token": "t-1"}]}


def test_client_kwargs_reach_the_chat_client_with_the_request() -> None:
    client = RecordingClient(replies=["Ride more, pay less."])
    workflow = WorkflowBuilder(start_executor=AgentExecutor(Agent(client, name="writer"))).build()
    run(workflow.run("A tagline, please.", client_kwargs={"store": False}))
    assert [options.get("store") for options in client.options] == [False]


def test_a_workflow_agent_hands_the_keywords_to_the_tools_inside() -> None:
    seen: dict[str, list[dict[str, Any]]] = {"researcher": []}
    agent = researcher_and_writer(seen).as_agent()
    run(agent.run("Q3 report", function_invocation_kwargs={"user_token": "t-1"}))
    assert seen == {"researcher": [{"user_token": "t-1"}]}


def test_a_tool_approved_later_still_gets_the_runs_keywords() -> None:
    seen: list[dict[str, Any]] = []
    agent = Agent(OfflineChatClient(), "Call send_email.", name="mailer", tools=[recording_tool("send_email", seen, "always_require")])
    workflow = WorkflowBuilder(start_executor=AgentExecutor(agent)).build()
    [event] = run(workflow.run("Email Bob.", function_invocation_kwargs={"user_token": "t-1"})).get_request_info_events()
    run(workflow.run(responses={event.request_id: event.data.to_function_approval_response(True)}))
    assert seen == [{"user_token": "t-1"}]


def test_an_agent_whose_run_takes_no_run_keywords_runs_in_a_workflow_given_none() -> None:
    class Echo:
        name = id = "echo"

        async def run(self, messages: Any) -> Any:  # no session=, no keywords
            return await Agent(OfflineChatClient(replies=["hi"]), name="echo").run(messages)

    workflow = WorkflowBuilder(start_executor=AgentExecutor(Echo(), output_response=True)).build()
    [answer] = run(workflow.run("Hello")).get_outputs()
    assert answer.text == "hi"
