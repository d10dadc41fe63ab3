"""The core refuses learners' mistakes and damaged data clearly, and loses nothing on the way.

- an answer whose handler raises leaves its request pending (in memory and in the newest checkpoint);
- a crafted checkpoint is refused at restore by a checkpoint error naming the id, the place and the fix;
- a new run closes a stream that was left with ``break`` (with a warning), but not one still in use;
- a selection function must return a list of target ids, and a condition that raises names its edge.
"""

from __future__ import annotations

import asyncio
import json
import warnings
from pathlib import Path
from typing import Any, Callable

import pytest

from tests.conftest import run
from wfkit import (
    Case,
    CheckpointFormatError,
    CheckpointGraphMismatchError,
    Default,
    EdgeConditionError,
    Executor,
    ExecutorInvokedEvent,
    FileCheckpointStorage,
    Never,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowFailedError,
    WorkflowRunError,
    WorkflowRunState,
    executor,
    handler,
    response_handler,
)

# --- 6. an answer whose handler raises keeps its request --------------------------------------


class Asker(Executor):
    """Asks for a number, and fails on a negative answer (a well-typed answer it cannot use)."""

    @handler
    async def ask(self, text: str, ctx: WorkflowContext) -> None:
        await ctx.request_info(f"How many copies of {text}?", int)

    @response_handler
    async def answered(self, question: str, copies: int, ctx: WorkflowContext[Never, int]) -> None:
        if copies < 0:
            raise ValueError(f"cannot print {copies} copies")
        await ctx.yield_output(copies)


def asking_workflow(storage: FileCheckpointStorage) -> Any:
    return WorkflowBuilder().set_start_executor(Asker("asker")).with_checkpointing(storage).build()


def newest_checkpoint(storage: FileCheckpointStorage) -> Any:
    return max(run(storage.list_checkpoints()), key=lambda checkpoint: checkpoint.timestamp)


def fail_an_answer(workflow: Any) -> str:
    """Start a run, give its request an answer the handler raises on, and return the request id."""
    [request] = run(workflow.run("the flyer")).get_request_info_events()
    with pytest.raises(WorkflowFailedError, match="cannot print -1 copies"):
        run(workflow.send_responses({request.request_id: -1}))
    return request.request_id


def test_an_answer_whose_handler_raises_leaves_the_request_pending_in_memory(tmp_path: Path) -> None:
    workflow = asking_workflow(FileCheckpointStorage(tmp_path))
    request_id = fail_an_answer(workflow)
    assert list(workflow.pending_requests) == [request_id]


def test_an_answer_whose_handler_raises_leaves_the_request_in_the_newest_checkpoint(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    request_id = fail_an_answer(asking_workflow(storage))
    newest = newest_checkpoint(storage)
    assert newest.run_state == "FAILED"
    assert [r["request_id"] for r in newest.pending_requests] == [request_id]
    assert newest.all_messages() == []  # the failed answer is not kept to be retried


def test_a_good_answer_after_a_failed_one_finishes_the_run(tmp_path: Path) -> None:
    workflow = asking_workflow(FileCheckpointStorage(tmp_path))
    request_id = fail_an_answer(workflow)
    result = run(workflow.send_responses({request_id: 3}))
    assert result.get_outputs() == [3]
    assert workflow.pending_requests == {}


def test_a_good_answer_to_the_newest_checkpoint_after_a_failed_one_finishes_the_run(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    request_id = fail_an_answer(asking_workflow(storage))
    fresh = asking_workflow(storage)  # as in a new process
    result = run(fresh.run_from_checkpoint(newest_checkpoint(storage).checkpoint_id, responses={request_id: 3}))
    assert result.get_outputs() == [3]


# --- 7. crafted checkpoints are refused at restore -------------------------------------------


@executor(id="done")
async def done(copies: int, ctx: WorkflowContext[Never, int]) -> None:
    await ctx.yield_output(copies)


class Forwarder(Asker):
    """Asks, then sends the answer on to `done` (so a checkpoint holds a message in flight)."""

    @response_handler
    async def answered(self, question: str, copies: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(copies)


def forwarding_workflow(storage: FileCheckpointStorage) -> Any:
    return (
        WorkflowBuilder()
        .add_edge(Forwarder("asker"), done)
        .set_start_executor("asker")
        .with_checkpointing(storage)
        .build()
    )


def saved_checkpoints(tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON of two real checkpoints: one paused on a request, one with a message to `done`."""
    storage = FileCheckpointStorage(tmp_path)
    workflow = forwarding_workflow(storage)
    [request] = run(workflow.run("the flyer")).get_request_info_events()
    paused = newest_checkpoint(storage).to_dict()
    run(workflow.send_responses({request.request_id: 3}))
    in_flight = next(c for c in run(storage.list_checkpoints()) if c.messages).to_dict()
    return json.loads(json.dumps(paused)), json.loads(json.dumps(in_flight))


def restore_crafted(tmp_path: Path, data: dict[str, Any], edit: Callable[[dict[str, Any]], Any]) -> Exception:
    """Write `data` changed by `edit` as checkpoint 'crafted', restore it, and return the error."""
    edit(data)
    data["checkpoint_id"] = "crafted"
    (tmp_path / "crafted.json").write_text(json.dumps(data))
    storage = FileCheckpointStorage(tmp_path)
    with pytest.raises(Exception) as caught:
        run(forwarding_workflow(storage).run_from_checkpoint("crafted"))
    return caught.value


def first_message(data: dict[str, Any]) -> dict[str, Any]:
    return data["messages"]["asker"][0]


DAMAGED_MESSAGES = {
    "no target_id": lambda d: first_message(d).pop("target_id"),
    "no data": lambda d: first_message(d).pop("data"),
    "no sender": lambda d: (first_message(d).pop("source_id"), first_message(d).pop("source_ids")),
    "source_ids not a list": lambda d: first_message(d).update(source_ids=5),
    "target_id not a string": lambda d: first_message(d).update(target_id=5),
    "position not a number": lambda d: first_message(d).update(position="first"),
    "original_request not an object": lambda d: first_message(d).update(original_request="abc"),
    "original_request incomplete": lambda d: first_message(d).update(original_request={"request_id": "r"}),
}


@pytest.mark.parametrize("damage", DAMAGED_MESSAGES)
def test_a_damaged_message_entry_is_refused_naming_the_checkpoint_the_entry_and_the_fix(
    tmp_path: Path, damage: str
) -> None:
    _, in_flight = saved_checkpoints(tmp_path)
    error = restore_crafted(tmp_path, in_flight, DAMAGED_MESSAGES[damage])
    assert isinstance(error, CheckpointFormatError), repr(error)
    assert "crafted" in str(error) and "messages['asker'][0]" in str(error)
    assert "another checkpoint" in str(error)


DAMAGED_REQUESTS = {
    "no request_id": lambda d: d["pending_requests"][0].pop("request_id"),
    "no executor_id": lambda d: d["pending_requests"][0].pop("executor_id"),
    "no data": lambda d: d["pending_requests"][0].pop("data"),
    "no response_type": lambda d: d["pending_requests"][0].pop("response_type"),
    "request_id not a string": lambda d: d["pending_requests"][0].update(request_id=7),
    "a request twice": lambda d: d["pending_requests"].append(d["pending_requests"][0]),
}


@pytest.mark.parametrize("damage", DAMAGED_REQUESTS)
def test_a_damaged_pending_request_is_refused_naming_the_checkpoint_the_entry_and_the_fix(
    tmp_path: Path, damage: str
) -> None:
    paused, _ = saved_checkpoints(tmp_path)
    error = restore_crafted(tmp_path, paused, DAMAGED_REQUESTS[damage])
    assert isinstance(error, CheckpointFormatError), repr(error)
    assert "crafted" in str(error) and "pending_requests[" in str(error)
    assert "another checkpoint" in str(error)


def test_snapshots_that_are_not_an_object_are_refused_naming_the_checkpoint_and_the_fix(tmp_path: Path) -> None:
    paused, _ = saved_checkpoints(tmp_path)
    error = restore_crafted(tmp_path, paused, lambda d: d["metadata"].update(executor_snapshots=[1]))
    assert isinstance(error, CheckpointFormatError), repr(error)
    assert "crafted" in str(error) and "executor_snapshots" in str(error) and "another checkpoint" in str(error)


def test_a_message_to_an_executor_that_does_not_exist_is_refused_at_restore(tmp_path: Path) -> None:
    _, in_flight = saved_checkpoints(tmp_path)
    error = restore_crafted(tmp_path, in_flight, lambda d: first_message(d).update(target_id="ghost"))
    assert isinstance(error, CheckpointGraphMismatchError), repr(error)
    assert "crafted" in str(error) and "messages['asker'][0]" in str(error) and "'ghost'" in str(error)
    assert "['asker', 'done']" in str(error)  # the executors that do exist


def test_a_request_of_an_executor_that_does_not_exist_is_refused_at_restore(tmp_path: Path) -> None:
    paused, _ = saved_checkpoints(tmp_path)
    error = restore_crafted(tmp_path, paused, lambda d: d["pending_requests"][0].update(executor_id="ghost"))
    assert isinstance(error, CheckpointGraphMismatchError), repr(error)
    assert "crafted" in str(error) and "pending_requests[0]" in str(error) and "'ghost'" in str(error)


def test_a_snapshot_of_an_executor_that_does_not_exist_is_refused_at_restore(tmp_path: Path) -> None:
    paused, _ = saved_checkpoints(tmp_path)
    error = restore_crafted(tmp_path, paused, lambda d: d["metadata"].update(executor_snapshots={"ghost": 1}))
    assert isinstance(error, CheckpointGraphMismatchError), repr(error)
    assert "crafted" in str(error) and "'ghost'" in str(error)


def test_the_state_of_an_executor_that_does_not_exist_is_refused_at_restore(tmp_path: Path) -> None:
    paused, _ = saved_checkpoints(tmp_path)
    error = restore_crafted(tmp_path, paused, lambda d: d["executor_states"].update(ghost={}))
    assert isinstance(error, CheckpointGraphMismatchError), repr(error)
    assert "crafted" in str(error) and "'ghost'" in str(error)


def test_edge_memory_of_an_edge_group_that_does_not_exist_is_refused_at_restore(tmp_path: Path) -> None:
    paused, _ = saved_checkpoints(tmp_path)
    error = restore_crafted(tmp_path, paused, lambda d: d["fan_in_buffers"].update(ghost={"asker": []}))
    assert isinstance(error, CheckpointGraphMismatchError), repr(error)
    assert "crafted" in str(error) and "'ghost'" in str(error)


# --- 12. a stream left with break does not lock the workflow ---------------------------------


def slow_counter() -> Any:
    @executor(id="count")
    async def count(n: int, ctx: WorkflowContext[int, int]) -> None:
        await asyncio.sleep(0.001)
        if n >= 50:
            await ctx.yield_output(n)
        else:
            await ctx.send_message(n + 1)

    return WorkflowBuilder().add_edge(count, count).set_start_executor(count).build()


async def break_out_of(stream: Any) -> None:
    async for event in stream:
        if isinstance(event, ExecutorInvokedEvent):
            break


def test_a_new_run_closes_a_stream_left_with_break_and_warns() -> None:
    workflow = slow_counter()

    async def scenario() -> Any:
        stream = workflow.run_stream(0)  # kept in a variable: nothing closes it by itself
        await break_out_of(stream)
        with pytest.warns(RuntimeWarning, match=r"left unfinished.*closed"):
            result = await workflow.run(45)
        return result, [event async for event in stream]

    result, rest_of_the_old_stream = run(scenario())
    assert result.get_outputs() == [50]
    assert rest_of_the_old_stream == []  # the old stream was closed, not left running


def test_a_stream_iterated_by_another_task_still_refuses_a_new_run() -> None:
    workflow = slow_counter()

    async def scenario() -> None:
        seen = asyncio.Event()

        async def reader() -> list[Any]:
            events = []
            async for event in workflow.run_stream(0):
                events.append(event)
                seen.set()
                await asyncio.sleep(0)  # between two events, at a yield, but still reading
            return events

        reading = asyncio.ensure_future(reader())
        await seen.wait()
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # nothing is closed behind the reader's back
            with pytest.raises(WorkflowRunError, match="already running"):
                await workflow.run(45)
        events = await reading
        assert workflow.last_run_state is WorkflowRunState.IDLE
        assert events  # the reader read its run to the end

    run(scenario())


# --- 13. selection functions and conditions ----------------------------------------------------


@executor(id="start")
async def start(text: str, ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(text)


def echo(id: str) -> Any:
    @executor(id=id)
    async def echoing(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"{id}:{text}")

    return echoing


def selecting(selection: Callable[[Any, list[str]], Any], targets: tuple[str, ...] = ("b", "c")) -> Any:
    return (
        WorkflowBuilder()
        .add_multi_selection_edge_group(start, [echo(t) for t in targets], selection_func=selection)
        .set_start_executor(start)
        .build()
    )


def failure_of(workflow: Any, message: Any = "hi") -> BaseException:
    with pytest.raises(WorkflowFailedError) as caught:
        run(workflow.run(message))
    assert caught.value.cause is not None
    return caught.value.cause


def test_a_selection_function_returning_none_names_the_group_the_function_and_the_valid_ids() -> None:
    def pick_nobody(message: str, targets: list[str]) -> None:
        return None

    cause = failure_of(selecting(pick_nobody))
    assert isinstance(cause, EdgeConditionError)
    text = str(cause)
    assert "pick_nobody" in text and "'start'" in text and "None" in text and "['b', 'c']" in text


def test_a_selection_function_returning_a_string_is_refused_not_matched_by_its_letters() -> None:
    def pick_ab(message: str, targets: list[str]) -> str:
        return "ab"  # not a list: 'a', 'b' and 'ab' would all match it letter by letter

    cause = failure_of(selecting(pick_ab, ("a", "b", "ab")))
    assert isinstance(cause, EdgeConditionError)
    assert "pick_ab" in str(cause) and "'ab'" in str(cause) and "['ab']" in str(cause)


def test_a_selection_function_returning_an_unknown_id_names_the_valid_ids() -> None:
    cause = failure_of(selecting(lambda message, targets: ["d"]))
    assert isinstance(cause, EdgeConditionError)
    assert "['d']" in str(cause) and "['b', 'c']" in str(cause)


def test_a_selection_function_returning_a_list_of_ids_still_routes() -> None:
    result = run(selecting(lambda message, targets: [targets[1]]).run("hi"))
    assert result.get_outputs() == ["c:hi"]


def test_a_raising_selection_function_names_the_group_and_the_function() -> None:
    def pick(message: str, targets: list[str]) -> list[str]:
        raise KeyError("no such rule")

    cause = failure_of(selecting(pick))
    assert isinstance(cause, EdgeConditionError) and isinstance(cause.__cause__, KeyError)
    assert "pick" in str(cause) and "'start'" in str(cause) and "no such rule" in str(cause)


def test_a_raising_condition_names_the_edge_and_the_condition() -> None:
    def is_long(text: str) -> bool:
        raise ValueError("cannot measure")

    workflow = WorkflowBuilder().add_edge(start, echo("b"), condition=is_long).set_start_executor(start).build()
    cause = failure_of(workflow)
    assert isinstance(cause, EdgeConditionError) and isinstance(cause.__cause__, ValueError)
    text = str(cause)
    assert "'start' -> 'b'" in text and "is_long" in text and "cannot measure" in text


def test_a_raising_switch_case_predicate_names_the_edge_and_the_predicate() -> None:
    def is_urgent(text: str) -> bool:
        raise AttributeError("no priority")

    workflow = (
        WorkflowBuilder()
        .add_switch_case_edge_group(start, [Case(is_urgent, echo("b")), Default(echo("c"))])
        .set_start_executor(start)
        .build()
    )
    cause = failure_of(workflow)
    assert isinstance(cause, EdgeConditionError) and isinstance(cause.__cause__, AttributeError)
    text = str(cause)
    assert "'start' -> 'b'" in text and "is_urgent" in text and "no priority" in text
