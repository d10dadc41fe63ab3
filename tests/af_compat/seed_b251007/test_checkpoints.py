"""Checkpoints in AF b251007: `with_checkpointing(checkpoint_storage=...)` saves one after every
superstep (executor state from `ctx.set_state(dict)`, shared state, messages in flight);
`list_checkpoints` finds them; `run_stream_from_checkpoint` resumes in a new workflow instance,
with pending `RequestInfoExecutor` requests answered by `responses=`; and
`RequestInfoExecutor.pending_requests_from_checkpoint` / `.checkpoint_summary` read them."""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import run
from wfkit import (
    Executor,
    FileCheckpointStorage,
    InMemoryCheckpointStorage,
    Never,
    RequestInfoEvent,
    RequestInfoExecutor,
    RequestInfoMessage,
    RequestResponse,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowOutputEvent,
    executor,
    handler,
)


class Counter(Executor):
    """Counts the words it has seen, in its own state, and passes the text on."""

    @handler
    async def count(self, text: str, ctx: WorkflowContext[str]) -> None:
        state = await ctx.get_state() or {"words": 0}
        await ctx.set_state({"words": state["words"] + len(text.split())})
        await ctx.set_shared_state("last_text", text)
        await ctx.send_message(text.upper())


@executor(id="shout")
async def shout(text: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(text + "!")


@executor(id="sign")
async def sign(text: str, ctx: WorkflowContext[Never, str]) -> None:
    original = await ctx.get_shared_state("last_text")
    await ctx.yield_output(f"{text} (from '{original}')")


def pipeline(storage):
    counter = Counter(id="counter")
    return (
        WorkflowBuilder()
        .set_start_executor(counter)
        .add_chain([counter, shout, sign])
        .with_checkpointing(checkpoint_storage=storage)
        .build()
    )


def saved(storage) -> list:
    return sorted(run(storage.list_checkpoints()), key=lambda cp: cp.iteration_count)


def resume(workflow, checkpoint_id, storage, responses=None) -> list:
    async def collect():
        return [e async for e in workflow.run_stream_from_checkpoint(checkpoint_id, storage, responses=responses)]

    return run(collect())


def test_a_checkpoint_is_saved_after_every_superstep():
    storage = InMemoryCheckpointStorage()
    run(pipeline(storage).run("good morning"))
    assert [cp.iteration_count for cp in saved(storage)] == [1, 2, 3]


def test_list_checkpoints_finds_them_by_workflow_id():
    storage = InMemoryCheckpointStorage()
    workflow = pipeline(storage)
    run(workflow.run("hi"))
    assert len(run(storage.list_checkpoints(workflow_id=workflow.id))) == 3
    assert run(storage.list_checkpoints(workflow_id="some-other-workflow")) == []


def test_a_checkpoint_holds_executor_state_and_shared_state():
    storage = InMemoryCheckpointStorage()
    run(pipeline(storage).run("good morning all"))
    first = saved(storage)[0]
    assert first.executor_states["counter"] == {"words": 3}
    assert first.shared_state["last_text"] == "good morning all"


def test_a_file_storage_writes_one_json_file_per_checkpoint(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    run(pipeline(storage).run("hello"))
    assert len(list(tmp_path.glob("*.json"))) == 3


def test_a_new_workflow_instance_resumes_from_a_middle_checkpoint(tmp_path):
    storage = FileCheckpointStorage(tmp_path)
    run(pipeline(storage).run("see you"))
    middle = saved(storage)[0]  # the counter has sent "SEE YOU"; shout has not run
    events = resume(pipeline(FileCheckpointStorage(tmp_path)), middle.checkpoint_id, storage)
    assert [e.data for e in events if isinstance(e, WorkflowOutputEvent)] == ["SEE YOU! (from 'see you')"]


def test_executor_state_is_restored_on_resume_and_saved_again():
    storage = InMemoryCheckpointStorage()
    run(pipeline(storage).run("one two"))
    first = saved(storage)[0]
    resume(pipeline(storage), first.checkpoint_id, storage)
    newest = max(run(storage.list_checkpoints()), key=lambda cp: cp.timestamp)
    assert newest.checkpoint_id != first.checkpoint_id
    assert newest.executor_states["counter"] == {"words": 2}


@dataclass
class PriceCheck(RequestInfoMessage):
    item: str = ""


class Cashier(Executor):
    @handler
    async def ring_up(self, item: str, ctx: WorkflowContext[PriceCheck]) -> None:
        await ctx.send_message(PriceCheck(item=item))

    @handler
    async def priced(self, answer: RequestResponse[PriceCheck, float], ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{answer.original_request.item}: {answer.data:.2f}")


def till(storage):
    cashier, manager = Cashier(id="cashier"), RequestInfoExecutor(id="manager")
    return (
        WorkflowBuilder()
        .set_start_executor(cashier)
        .add_edge(cashier, manager)
        .add_edge(manager, cashier)
        .with_checkpointing(checkpoint_storage=storage)
        .build()
    )


def paused_till():
    storage = InMemoryCheckpointStorage()
    [asked] = run(till(storage).run("melon")).get_request_info_events()
    [waiting] = [cp for cp in saved(storage) if cp.pending_requests]
    return storage, asked, waiting


def test_the_pending_request_can_be_read_back_from_the_checkpoint():
    _, asked, waiting = paused_till()
    [pending] = RequestInfoExecutor.pending_requests_from_checkpoint(waiting)
    assert pending.request_id == asked.request_id
    assert isinstance(pending.request_message, PriceCheck) and pending.request_message.item == "melon"


def test_the_checkpoint_summary_says_it_awaits_a_human():
    _, asked, waiting = paused_till()
    summary = RequestInfoExecutor.checkpoint_summary(waiting)
    assert summary.checkpoint_id == waiting.checkpoint_id and summary.status == "awaiting human response"
    assert [p.request_id for p in summary.pending_requests] == [asked.request_id]


def test_resuming_with_responses_answers_the_request_without_asking_again():
    storage, asked, waiting = paused_till()
    events = resume(till(storage), waiting.checkpoint_id, storage, responses={asked.request_id: 2.5})
    assert not any(isinstance(e, RequestInfoEvent) for e in events)
    assert [e.data for e in events if isinstance(e, WorkflowOutputEvent)] == ["melon: 2.50"]


def test_resuming_without_responses_asks_the_pending_request_again():
    storage, asked, waiting = paused_till()
    events = resume(till(storage), waiting.checkpoint_id, storage)
    assert [e.request_id for e in events if isinstance(e, RequestInfoEvent)] == [asked.request_id]
