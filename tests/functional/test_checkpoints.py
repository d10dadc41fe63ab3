"""Checkpoints of functional runs: saved after each step and when a run ends or pauses, as plain
data, and restored by replaying the function with the saved results."""

import json
from dataclasses import dataclass

import pytest

from tests.conftest import run, run_in_new_process
from wfkit import (
    CheckpointEncodingError,
    CheckpointGraphMismatchError,
    FileCheckpointStorage,
    InMemoryCheckpointStorage,
    Never,
    RunContext,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowRunError,
    WorkflowRunState,
    executor,
    get_checkpoint_summary,
    step,
    workflow,
)


def counted_pipeline(calls: list[str], storage=None, name: str = "pipeline"):
    @step
    async def fetch(url: str) -> dict:
        calls.append("fetch")
        return {"url": url, "status": 200}

    @step
    async def summarise(data: dict) -> str:
        calls.append("summarise")
        return f"[{data['status']}] {data['url']}"

    @workflow(name=name, checkpoint_storage=storage)
    async def pipeline(url: str) -> str:
        return await summarise(await fetch(url))

    return pipeline


STORAGES = {
    "memory": lambda tmp_path: InMemoryCheckpointStorage(),
    "file": lambda tmp_path: FileCheckpointStorage(tmp_path / "checkpoints"),
}


@pytest.fixture(params=sorted(STORAGES))
def storage(request, tmp_path):
    return STORAGES[request.param](tmp_path)


def test_a_checkpoint_is_saved_after_each_step_and_at_the_end(storage):
    run(counted_pipeline([], storage).run("u"))
    saved = run(storage.list_checkpoints(workflow_name="pipeline"))
    assert [cp.run_state for cp in saved] == ["IN_PROGRESS", "IN_PROGRESS", "IDLE"]
    assert [cp.iteration_count for cp in saved] == [1, 2, 2]


def test_each_checkpoint_names_the_one_before(storage):
    run(counted_pipeline([], storage).run("u"))
    saved = run(storage.list_checkpoints(workflow_name="pipeline"))
    assert [cp.previous_checkpoint_id for cp in saved] == [None, saved[0].checkpoint_id, saved[1].checkpoint_id]


def test_restoring_replays_the_steps_without_running_them(storage):
    calls: list[str] = []
    run(counted_pipeline(calls, storage).run("u"))
    latest = run(storage.get_latest(workflow_name="pipeline"))
    result = run(counted_pipeline(calls, storage).run(checkpoint_id=latest.checkpoint_id))
    assert result.get_outputs() == ["[200] u"]
    assert calls == ["fetch", "summarise"]
    assert [e.executor_id for e in result if e.type == "executor_bypassed"] == ["fetch", "summarise"]


def test_restoring_the_first_checkpoint_runs_only_the_steps_after_it(storage):
    calls: list[str] = []
    run(counted_pipeline(calls, storage).run("u"))
    first = run(storage.list_checkpoints(workflow_name="pipeline"))[0]
    assert run(counted_pipeline(calls, storage).run(checkpoint_id=first.checkpoint_id)).get_outputs() == ["[200] u"]
    assert calls == ["fetch", "summarise", "summarise"]


def test_the_storage_can_be_given_to_run_instead(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    pipeline = counted_pipeline([])
    run(pipeline.run("u"))
    assert run(storage.list_checkpoints()) == []  # no storage: nothing saved
    with pytest.raises(WorkflowRunError, match="No checkpoint storage"):
        pipeline.run(checkpoint_id="whatever")


def test_a_checkpoint_holds_the_steps_results_as_plain_json(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    run(counted_pipeline([], storage).run("u"))
    latest = run(storage.get_latest(workflow_name="pipeline"))
    saved = json.loads((tmp_path / f"{latest.checkpoint_id}.json").read_text())
    assert saved["executor_states"]["fetch"]["calls"][0]["result"] == {"url": "u", "status": 200}
    assert saved["metadata"]["functional"]["input"] == "u"


def question_pipeline(calls: list[str], storage):
    @step
    async def prepare(item: str) -> str:
        calls.append("prepare")
        return item.upper()

    @workflow(name="asker", checkpoint_storage=storage)
    async def asker(item: str, ctx: RunContext) -> str:
        ready = await prepare(item)
        ctx.set_state("ready", ready)
        answer = await ctx.request_info(f"ship {ready}?", bool, request_id="ship")
        return f"{ctx.get_state('ready')} shipped={answer}"

    return asker


def test_a_paused_run_restored_in_a_new_workflow_takes_its_answer_at_once(storage):
    calls: list[str] = []
    run(question_pipeline(calls, storage).run("lamp"))
    latest = run(storage.get_latest(workflow_name="asker"))
    result = run(question_pipeline(calls, storage).run(checkpoint_id=latest.checkpoint_id, responses={"ship": True}))
    assert result.get_outputs() == ["LAMP shipped=True"]
    assert calls == ["prepare"]


def test_a_paused_run_restored_without_its_answer_asks_again():
    storage = InMemoryCheckpointStorage()
    run(question_pipeline([], storage).run("lamp"))
    latest = run(storage.get_latest(workflow_name="asker"))
    result = run(question_pipeline([], storage).run(checkpoint_id=latest.checkpoint_id))
    assert [e.request_id for e in result.get_request_info_events()] == ["ship"]
    assert result.get_final_state() is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS


def test_the_summary_of_a_paused_run_shows_its_question_and_its_steps():
    storage = InMemoryCheckpointStorage()
    run(question_pipeline([], storage).run("lamp"))
    summary = get_checkpoint_summary(run(storage.get_latest(workflow_name="asker")))
    assert summary.status == "awaiting human response"
    assert [(p.request_id, p.request_message) for p in summary.pending_requests] == [("ship", "ship LAMP?")]
    assert summary.executor_ids == ["prepare"]


def test_a_run_restored_in_a_new_process_replays_what_finished_before(tmp_path):
    folder = str(tmp_path)
    started = run_in_new_process("tests.functional.resume_cli", "start", folder, "tides")
    assert (started["state"], started["ran"]) == ("IDLE_WITH_PENDING_REQUESTS", ["write_draft"])
    resumed = run_in_new_process("tests.functional.resume_cli", "resume", folder, started["latest"], "approved")
    assert resumed["outputs"] == ["A short piece about tides. (approved)"]
    assert resumed["ran"] == ["publish"]  # write_draft's result came from the file


# --- what cannot be saved or restored -------------------------------------------------------


class Handle:
    """Not data: a plain class a checkpoint cannot hold."""


def test_a_step_result_that_is_not_data_fails_a_saved_run_naming_the_step():
    @step
    async def open_handle(name: str) -> Handle:
        return Handle()

    @workflow(checkpoint_storage=InMemoryCheckpointStorage())
    async def holding(name: str) -> str:
        await open_handle(name)
        return "done"

    with pytest.raises(WorkflowFailedError) as failed:
        run(holding.run("x"))
    assert isinstance(failed.value.cause, CheckpointEncodingError)
    assert "the result of step 'open_handle'" in str(failed.value.cause)
    assert failed.value.details.executor_id == "open_handle"


def test_a_step_result_that_is_not_data_is_fine_in_a_run_that_is_never_saved():
    @step
    async def open_handle(name: str) -> Handle:
        return Handle()

    @workflow
    async def holding(name: str) -> str:
        await open_handle(name)
        return "done"

    assert run(holding.run("x")).get_outputs() == ["done"]


def test_a_run_that_pauses_must_keep_its_step_results_as_data():
    @step
    async def open_handle(name: str) -> Handle:
        return Handle()

    @workflow
    async def holding(name: str, ctx: RunContext) -> str:
        await open_handle(name)
        return await ctx.request_info("close it?", str)

    with pytest.raises(WorkflowFailedError) as failed:
        run(holding.run("x"))
    assert isinstance(failed.value.cause, CheckpointEncodingError)
    assert "pauses for an answer" in str(failed.value.cause)


@dataclass
class Draft:
    text: str


def test_a_dataclass_result_is_saved_and_comes_back_as_itself(tmp_path):
    storage = FileCheckpointStorage(tmp_path)

    def build():
        @step
        async def draft(topic: str) -> Draft:
            return Draft(f"on {topic}")

        @workflow(name="drafting", checkpoint_storage=storage)
        async def drafting(topic: str) -> str:
            return (await draft(topic)).text

        return drafting

    run(build().run("bees"))
    latest = run(storage.get_latest(workflow_name="drafting"))
    result = run(build().run(checkpoint_id=latest.checkpoint_id))
    [replayed] = [e.data for e in result if e.type == "executor_bypassed"]
    assert replayed == Draft("on bees")


def test_a_checkpoint_of_a_changed_workflow_is_refused_naming_the_new_step():
    storage = InMemoryCheckpointStorage()
    run(counted_pipeline([], storage).run("u"))
    latest = run(storage.get_latest(workflow_name="pipeline"))

    @step
    async def extra(text: str) -> str:
        return text

    @workflow(name="pipeline", checkpoint_storage=storage)
    async def pipeline(url: str) -> str:
        return await extra(url)

    with pytest.raises(CheckpointGraphMismatchError, match=r"steps \['extra'\] are new"):
        run(pipeline.run(checkpoint_id=latest.checkpoint_id))


def test_a_graph_workflows_checkpoint_is_refused():
    storage = InMemoryCheckpointStorage()

    @executor(id="echo")
    async def echo(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)

    run(WorkflowBuilder(start_executor=echo, checkpoint_storage=storage, name="graph").build().run("x"))
    latest = run(storage.get_latest(workflow_name="graph"))
    with pytest.raises(CheckpointGraphMismatchError, match="saved by the graph workflow 'graph'"):
        run(counted_pipeline([], storage).run(checkpoint_id=latest.checkpoint_id))
