"""Run keywords in today's AF (1.x): ``workflow.run(message, function_invocation_kwargs=...,
client_kwargs=...)`` hands both to every agent executor's agent (``agent.run(...,
function_invocation_kwargs=..., client_kwargs=...)``); a mapping keyed by executor ids gives each
agent its own; an answer (``run(responses=...)``) and a restore keep the run's keywords unless
new ones are given, which replace them all; a new run starts with none; a sub-workflow's agents
and a workflow agent's workflow get them too.

The agents here are small recorders of what their `run` was given, so the same test runs on
both frameworks without a model."""

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from tests.conftest import run


class Recorder:
    """An agent of one's own: answers "<name> ok" and keeps the run keywords of each run."""

    def __init__(self, af: ModuleType, name: str) -> None:
        self.af, self.name, self.id, self.description = af, name, name, None
        self.seen: list[tuple[Any, Any]] = []  # (function_invocation_kwargs, client_kwargs), per run

    def create_session(self, **_: Any) -> Any:
        return self.af.AgentSession()

    def run(
        self, messages: Any = None, *, stream: bool = False, session: Any = None,
        function_invocation_kwargs: Any = None, client_kwargs: Any = None, **_: Any,
    ) -> Any:  # fmt: skip
        self.seen.append((function_invocation_kwargs, client_kwargs))
        af, text = self.af, f"{self.name} ok"
        if not stream:

            async def whole() -> Any:
                return af.AgentResponse(messages=[af.Message("assistant", [text])])

            return whole()

        async def pieces() -> Any:
            yield af.AgentResponseUpdate(contents=[af.Content.from_text(text)], role="assistant")

        return af.ResponseStream(pieces(), finalizer=af.AgentResponse.from_updates)


@dataclass
class Topic:
    text: str


def gated(af: ModuleType, writer: Recorder, storage: Any = None) -> Any:
    """gate -> writer: the gate asks a question first, and its answer goes on to the writer."""

    class Gate(af.Executor):
        @af.handler
        async def start(self, text: str, ctx: af.WorkflowContext) -> None:
            await ctx.request_info(Topic(text), str)

        @af.response_handler
        async def answered(self, asked: Topic, answer: str, ctx: af.WorkflowContext[str]) -> None:
            await ctx.send_message(answer)

    gate, agent = Gate(id="gate"), af.AgentExecutor(writer)
    options = {"checkpoint_storage": storage} if storage is not None else {}
    return af.WorkflowBuilder(start_executor=gate, **options).add_edge(gate, agent).build()


def pair(af: ModuleType) -> tuple[Any, Recorder, Recorder]:
    researcher, writer = Recorder(af, "researcher"), Recorder(af, "writer")
    first, second = af.AgentExecutor(researcher), af.AgentExecutor(writer)
    return af.WorkflowBuilder(start_executor=first).add_edge(first, second).build(), researcher, writer


def test_keywords_for_every_agent_reach_each_agents_run(af):
    workflow, researcher, writer = pair(af)
    run(workflow.run("Q3", function_invocation_kwargs={"token": "T"}, client_kwargs={"store": False}))
    assert researcher.seen == writer.seen == [({"token": "T"}, {"store": False})]


def test_keywords_by_executor_id_reach_only_that_agent(af):
    workflow, researcher, writer = pair(af)
    run(workflow.run("Q3", function_invocation_kwargs={"researcher": {"db": "prod"}, "writer": {"style": "md"}}))
    assert researcher.seen == [({"db": "prod"}, None)] and writer.seen == [({"style": "md"}, None)]


def test_an_agent_not_named_by_executor_id_is_given_none(af):
    workflow, researcher, writer = pair(af)
    run(workflow.run("Q3", client_kwargs={"researcher": {"store": False}}))
    assert researcher.seen == [(None, {"store": False})] and writer.seen == [(None, None)]


def test_workflow_invocation_kwargs_gives_shared_and_own_keywords_the_own_winning(af):
    workflow, researcher, writer = pair(af)
    given = af.WorkflowInvocationKwargs(global_kwargs={"token": "T", "style": "plain"}, executor_kwargs={"writer": {"style": "md"}})
    run(workflow.run("Q3", function_invocation_kwargs=given))
    assert researcher.seen == [({"token": "T", "style": "plain"}, None)]
    assert writer.seen == [({"token": "T", "style": "md"}, None)]


def test_an_answer_keeps_the_runs_keywords(af):
    writer = Recorder(af, "writer")
    workflow = gated(af, writer)
    [event] = run(workflow.run("eBikes", function_invocation_kwargs={"token": "T"}, client_kwargs={"store": False})).get_request_info_events()
    run(workflow.run(responses={event.request_id: "go"}))
    assert writer.seen == [({"token": "T"}, {"store": False})]


def test_new_keywords_with_an_answer_replace_all_the_runs_keywords(af):
    writer = Recorder(af, "writer")
    workflow = gated(af, writer)
    [event] = run(workflow.run("eBikes", function_invocation_kwargs={"token": "T"}, client_kwargs={"store": False})).get_request_info_events()
    run(workflow.run(responses={event.request_id: "go"}, function_invocation_kwargs={"token": "T2"}))
    assert writer.seen == [({"token": "T2"}, None)]


def test_a_run_restored_from_a_checkpoint_has_its_keywords_without_being_given_them(af):
    storage = af.InMemoryCheckpointStorage()
    workflow = gated(af, Recorder(af, "writer"), storage)
    [event] = run(workflow.run("eBikes", function_invocation_kwargs={"token": "T"})).get_request_info_events()
    latest = run(storage.get_latest(workflow_name=workflow.name))
    writer = Recorder(af, "writer")
    fresh = gated(af, writer, storage)  # a new workflow object, as in a new process
    run(fresh.run(checkpoint_id=latest.checkpoint_id, checkpoint_storage=storage, responses={event.request_id: "go"}))
    assert writer.seen == [({"token": "T"}, None)]


def test_a_new_run_starts_without_the_last_runs_keywords(af):
    workflow, researcher, _ = pair(af)
    run(workflow.run("Q3", function_invocation_kwargs={"token": "T"}))
    run(workflow.run("Q4"))
    assert researcher.seen == [({"token": "T"}, None), (None, None)]


def test_the_agents_of_a_sub_workflow_get_the_parents_keywords(af):
    inner = Recorder(af, "data_agent")
    child = af.WorkflowBuilder(start_executor=af.AgentExecutor(inner)).build()
    sub = af.WorkflowExecutor(child, id="data_subworkflow")
    outer = af.WorkflowBuilder(start_executor=sub).build()
    run(outer.run("profile", function_invocation_kwargs={"user_token": {"user_name": "alice"}}))
    assert inner.seen == [({"user_token": {"user_name": "alice"}}, None)]


def test_a_workflow_agent_hands_its_keywords_to_the_workflows_agents(af):
    writer = Recorder(af, "writer")
    workflow = af.WorkflowBuilder(start_executor=af.AgentExecutor(writer)).build()
    run(workflow.as_agent(name="team").run("Hi", function_invocation_kwargs={"token": "T"}, client_kwargs={"store": False}))
    assert writer.seen == [({"token": "T"}, {"store": False})]
