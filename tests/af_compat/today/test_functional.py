"""Functional workflows in today's AF (1.x): `@workflow` / `@step` / `RunContext`. A workflow's
return value is its output; each step says `executor_invoked` / `executor_completed`;
`ctx.request_info` pauses the run and `run(responses=...)` replays the function, each finished
step saying `executor_bypassed` instead of running; `run(checkpoint_id=...)` does the same from a
saved checkpoint.

AF 1.26 makes `@workflow` a definition and runs what `.build(checkpoint_storage=...)` gives;
wfkit has `.build()` too (and runs the decorated function as it is, as AF 1.13's samples do), so
these tests build on both."""

import asyncio

import pytest

from tests.conftest import run

from .frameworks import collect

# AF marks its functional API experimental and says so on every decoration.
pytestmark = pytest.mark.filterwarnings(r"ignore:\[FUNCTIONAL_WORKFLOWS\]")


# What the steps ran, in order. A module-level list rather than one each test passes in: AF
# replays a step with captured (closure) state only if given a replay_key.
CALLS: list[str] = []


@pytest.fixture(autouse=True)
def no_calls_yet():
    CALLS.clear()


def built(af, func, name, storage=None):
    """`func` as a runnable functional workflow of `af`, named `name`."""
    return af.workflow(name=name)(func).build(checkpoint_storage=storage)


def pipeline(af, storage=None):
    @af.step
    async def fetch(url: str) -> dict:
        CALLS.append("fetch")
        return {"url": url, "status": 200}

    @af.step
    async def summarise(data: dict) -> str:
        CALLS.append("summarise")
        return f"[{data['status']}] {data['url']}"

    async def data_pipeline(url: str) -> str:
        return await summarise(await fetch(url))

    return built(af, data_pipeline, "data_pipeline", storage)


def steps_and_outputs(events):
    """What a run did, in order: each step event with its step, and each output with its value."""
    return [
        (e.type, e.executor_id) if e.type.startswith("executor_") else (e.type, e.data)
        for e in events
        if e.type.startswith("executor_") or e.type == "output"
    ]


def test_the_return_value_is_the_output_and_each_step_is_invoked_then_completed(af):
    result = run(pipeline(af).run("u"))
    assert steps_and_outputs(result) == [
        ("executor_invoked", "fetch"),
        ("executor_completed", "fetch"),
        ("executor_invoked", "summarise"),
        ("executor_completed", "summarise"),
        ("output", "[200] u"),
    ]
    assert result.get_final_state() == af.WorkflowRunState.IDLE


def test_a_step_event_carries_its_arguments_and_its_result(af):
    result = run(pipeline(af).run("u"))
    invoked = next(e for e in result if e.type == "executor_invoked")
    completed = next(e for e in result if e.type == "executor_completed")
    assert invoked.data == {"args": ("u",), "kwargs": {}}
    assert completed.data == {"url": "u", "status": 200}


def test_the_output_comes_from_the_workflow_by_its_name(af):
    [output] = [e for e in run(pipeline(af).run("u")) if e.type == "output"]
    assert output.executor_id == "data_pipeline"


def test_a_stream_shows_the_same_run_from_started_to_idle(af):
    types = [e.type for e in collect(pipeline(af).run("u", stream=True))]
    assert types == ["started", "status", *["executor_invoked", "executor_completed"] * 2, "output", "status"]


def test_a_step_outside_a_workflow_is_the_plain_function(af):
    @af.step
    async def double(n: int) -> int:
        return 2 * n

    assert run(double(21)) == 42


def test_gathered_steps_give_their_results_in_order(af):
    @af.step
    async def research(source: str) -> str:
        await asyncio.sleep({"web": 0.02, "papers": 0.01}[source])
        return f"notes from {source}"

    async def researching(topic: str) -> list:
        return list(await asyncio.gather(research("web"), research("papers")))

    assert run(built(af, researching, "researching").run("owls")).get_outputs() == [["notes from web", "notes from papers"]]


def test_state_set_by_a_step_is_read_by_the_workflow(af):
    @af.step
    async def remember(name: str, ctx: af.RunContext) -> None:
        ctx.set_state("guest", name)

    async def host(name: str, ctx: af.RunContext) -> str:
        await remember(name)
        return f"welcome {ctx.get_state('guest')}, {ctx.get_state('colour', 'no colour')}"

    assert run(built(af, host, "host").run("Noor")).get_outputs() == ["welcome Noor, no colour"]


def review(af, storage=None):
    @af.step
    async def write_draft(topic: str) -> str:
        CALLS.append("write_draft")
        return f"draft about {topic}"

    async def reviewing(topic: str, ctx: af.RunContext) -> str:
        draft = await write_draft(topic)
        verdict = await ctx.request_info({"draft": draft}, str, request_id="verdict")
        return f"{draft} [{verdict}]"

    return built(af, reviewing, "reviewing", storage)


def test_a_question_pauses_the_run_as_a_request_from_the_workflow(af):
    result = run(review(af).run("owls"))
    [asked] = result.get_request_info_events()
    assert (asked.request_id, asked.source_executor_id, asked.data) == ("verdict", "reviewing", {"draft": "draft about owls"})
    assert result.get_final_state() == af.WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
    assert result.get_outputs() == []


def test_answering_replays_the_finished_step_instead_of_running_it(af):
    workflow = review(af)
    run(workflow.run("owls"))
    result = run(workflow.run(responses={"verdict": "approved"}))
    assert steps_and_outputs(result) == [("executor_bypassed", "write_draft"), ("output", "draft about owls [approved]")]
    assert CALLS == ["write_draft"]


def test_questions_without_an_id_are_numbered_in_order(af):
    async def asking(text: str, ctx: af.RunContext) -> str:
        return await ctx.request_info("first?", str) + await ctx.request_info("second?", str)

    workflow = built(af, asking, "asking")
    [first] = run(workflow.run("x")).get_request_info_events()
    [second] = run(workflow.run(responses={"auto::0": "a"})).get_request_info_events()
    assert (first.request_id, second.request_id) == ("auto::0", "auto::1")
    # Sending every answer so far works on both (wfkit would also take the new one alone).
    assert run(workflow.run(responses={"auto::0": "a", "auto::1": "b"})).get_outputs() == ["ab"]


def test_a_saved_run_restored_in_a_new_workflow_replays_its_steps(af):
    storage = af.InMemoryCheckpointStorage()
    run(pipeline(af, storage).run("u"))
    latest = run(storage.get_latest(workflow_name="data_pipeline"))
    result = run(pipeline(af, storage).run(checkpoint_id=latest.checkpoint_id))
    assert steps_and_outputs(result) == [
        ("executor_bypassed", "fetch"),
        ("executor_bypassed", "summarise"),
        ("output", "[200] u"),
    ]
    assert CALLS == ["fetch", "summarise"]


def test_a_paused_run_restored_with_its_answer_goes_on(af):
    storage = af.InMemoryCheckpointStorage()
    run(review(af, storage).run("owls"))
    latest = run(storage.get_latest(workflow_name="reviewing"))
    result = run(review(af, storage).run(checkpoint_id=latest.checkpoint_id, responses={"verdict": "ok"}))
    assert result.get_outputs() == ["draft about owls [ok]"]
    assert CALLS == ["write_draft"]


def test_a_failing_step_fails_the_run_with_its_error(af):
    class Boom(Exception):
        pass

    @af.step
    async def breaks(text: str) -> str:
        raise Boom("no")

    async def breaking(text: str) -> str:
        return await breaks(text)

    with pytest.raises(Exception) as failed:
        run(built(af, breaking, "breaking").run("x"))
    # AF raises the step's own error; wfkit a WorkflowFailedError from it (docs/agent_framework.md).
    cause = failed.value.__cause__ if af.__name__ == "wfkit" else failed.value
    assert isinstance(cause, Boom)


def test_as_agent_answers_with_the_output(af):
    response = run(pipeline(af).as_agent().run("u"))
    assert response.text == "[200] u"
