"""Checkpoints in today's AF (1.x): `WorkflowBuilder(checkpoint_storage=..., name=...)` saves
checkpoints found with `storage.list_checkpoints(workflow_name=...)` and
`storage.get_latest(workflow_name=...)`; `run(checkpoint_id=..., checkpoint_storage=...)` on a new
workflow instance continues the saved run, asking a pending request again, or answering it at once
with `responses=`."""

from dataclasses import dataclass

from typing_extensions import Never

from tests.conftest import run


@dataclass
class Refill:
    plant: str


def watering(af, storage):
    class Gardener(af.Executor):
        @af.handler
        async def check(self, plant: str, ctx: af.WorkflowContext) -> None:
            ctx.set_state("checked", plant)
            await ctx.request_info(Refill(plant), int)

        @af.response_handler
        async def watered(self, refill: Refill, litres: int, ctx: af.WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(f"{ctx.get_state('checked')}: {litres} l")

    return af.WorkflowBuilder(start_executor=Gardener(id="gardener"), checkpoint_storage=storage, name="garden").build()


def file_storage(af, path):
    """A file storage that may read back a `Refill`: AF's asks to be told (wfkit's registers the
    types of handler annotations by itself)."""
    if af.__name__ == "wfkit":
        return af.FileCheckpointStorage(path)
    return af.FileCheckpointStorage(path, allowed_checkpoint_types=[f"{__name__}:Refill"])


def paused(af, storage):
    [asked] = run(watering(af, storage).run("fern")).get_request_info_events()
    return asked


def test_list_checkpoints_finds_the_workflows_checkpoints_by_name(af):
    storage = af.InMemoryCheckpointStorage()
    paused(af, storage)
    assert len(run(storage.list_checkpoints(workflow_name="garden"))) >= 1
    assert run(storage.list_checkpoints(workflow_name="orchard")) == []


def test_get_latest_gives_the_newest_checkpoint(af):
    storage = af.InMemoryCheckpointStorage()
    paused(af, storage)
    saved = run(storage.list_checkpoints(workflow_name="garden"))
    latest = run(storage.get_latest(workflow_name="garden"))
    assert latest.checkpoint_id == max(saved, key=lambda cp: cp.timestamp).checkpoint_id


def test_a_new_instance_resumes_and_asks_the_pending_request_again(af, tmp_path):
    storage = file_storage(af, tmp_path)
    asked = paused(af, storage)
    latest = run(storage.get_latest(workflow_name="garden"))
    fresh = watering(af, file_storage(af, tmp_path))
    [again] = run(fresh.run(checkpoint_id=latest.checkpoint_id)).get_request_info_events()
    assert again.request_id == asked.request_id and again.data == Refill("fern")
    assert run(fresh.run(responses={again.request_id: 2})).get_outputs() == ["fern: 2 l"]


def test_resuming_with_responses_answers_at_once(af):
    storage = af.InMemoryCheckpointStorage()
    asked = paused(af, storage)
    latest = run(storage.get_latest(workflow_name="garden"))
    fresh = watering(af, af.InMemoryCheckpointStorage())
    result = run(fresh.run(checkpoint_id=latest.checkpoint_id, checkpoint_storage=storage, responses={asked.request_id: 1}))
    assert result.get_outputs() == ["fern: 1 l"]
