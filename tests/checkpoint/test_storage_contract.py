"""What every checkpoint storage promises, checked against all three."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

from wfkit.checkpoint import (
    CheckpointNotFoundError,
    CheckpointStorage,
    FileCheckpointStorage,
    InMemoryCheckpointStorage,
    InvalidCheckpointIdError,
    SQLiteCheckpointStorage,
    WorkflowCheckpoint,
    encode_value,
)

STORAGES: dict[str, Callable[[Path], Any]] = {
    "memory": lambda folder: InMemoryCheckpointStorage(),
    "file": lambda folder: FileCheckpointStorage(folder / "checkpoints"),
    "sqlite": lambda folder: SQLiteCheckpointStorage(folder / "checkpoints.db"),
}


@pytest.fixture(params=list(STORAGES))
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    return STORAGES[request.param](tmp_path)


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def checkpoint(**fields: Any) -> WorkflowCheckpoint:
    return WorkflowCheckpoint(**{"workflow_id": "wf", **fields})


def test_every_storage_follows_the_protocol(storage: Any) -> None:
    assert isinstance(storage, CheckpointStorage)


def test_a_saved_checkpoint_loads_back_equal(storage: Any) -> None:
    saved = checkpoint(
        shared_state={"draft": encode_value({"text": "hi", "tags": ("a", "b")})},
        executor_states={"writer": {"count": 3}},
        iteration_count=2,
        run_state="IN_PROGRESS",
        metadata={"why": "superstep 2"},
    )
    assert run(storage.save_checkpoint(saved)) == saved.checkpoint_id
    assert run(storage.load_checkpoint(saved.checkpoint_id)) == saved


def test_saving_copies_so_later_changes_do_not_leak_in(storage: Any) -> None:
    saved = checkpoint(shared_state={"items": [1, 2]})
    run(storage.save_checkpoint(saved))
    saved.shared_state["items"].append(3)
    assert run(storage.load_checkpoint(saved.checkpoint_id)).shared_state == {"items": [1, 2]}


def test_loading_twice_gives_independent_objects(storage: Any) -> None:
    saved = checkpoint(shared_state={"items": [1]})
    run(storage.save_checkpoint(saved))
    first = run(storage.load_checkpoint(saved.checkpoint_id))
    first.shared_state["items"].append(2)
    assert run(storage.load_checkpoint(saved.checkpoint_id)).shared_state == {"items": [1]}


def test_saving_the_same_id_again_replaces_it(storage: Any) -> None:
    run(storage.save_checkpoint(checkpoint(checkpoint_id="same", iteration_count=1)))
    run(storage.save_checkpoint(checkpoint(checkpoint_id="same", iteration_count=2)))
    assert run(storage.list_checkpoint_ids()) == ["same"]
    assert run(storage.load_checkpoint("same")).iteration_count == 2


def test_loading_an_unknown_id_lists_existing_ones(storage: Any) -> None:
    run(storage.save_checkpoint(checkpoint(checkpoint_id="known-1")))
    with pytest.raises(CheckpointNotFoundError, match="No checkpoint 'unknown'.*known-1"):
        run(storage.load_checkpoint("unknown"))


def test_loading_from_an_empty_storage_says_it_is_empty(storage: Any) -> None:
    with pytest.raises(CheckpointNotFoundError, match="holds no checkpoints yet"):
        run(storage.load_checkpoint("anything"))


def test_listing_an_empty_storage_gives_empty_lists(storage: Any) -> None:
    assert run(storage.list_checkpoints()) == []
    assert run(storage.list_checkpoint_ids()) == []


def test_listing_is_oldest_first_then_by_iteration(storage: Any) -> None:
    for checkpoint_id, timestamp, iteration in [
        ("c", "2025-01-03T00:00:00.000000+00:00", 0),
        ("b2", "2025-01-02T00:00:00.000000+00:00", 2),
        ("a", "2025-01-01T00:00:00.000000+00:00", 5),
        ("b1", "2025-01-02T00:00:00.000000+00:00", 1),
        ("d", "2025-01-02T23:00:00.000000-02:00", 0),  # 2025-01-03T01:00 UTC: after "c"
    ]:
        saved = checkpoint(checkpoint_id=checkpoint_id, timestamp=timestamp, iteration_count=iteration)
        run(storage.save_checkpoint(saved))
    assert run(storage.list_checkpoint_ids()) == ["a", "b1", "b2", "c", "d"]
    assert [cp.checkpoint_id for cp in run(storage.list_checkpoints())] == ["a", "b1", "b2", "c", "d"]


def test_listing_can_be_filtered_by_workflow(storage: Any) -> None:
    run(storage.save_checkpoint(checkpoint(checkpoint_id="mine", workflow_id="mine")))
    run(storage.save_checkpoint(checkpoint(checkpoint_id="theirs", workflow_id="theirs")))
    assert run(storage.list_checkpoint_ids("mine")) == ["mine"]
    assert [cp.workflow_id for cp in run(storage.list_checkpoints("theirs"))] == ["theirs"]
    assert run(storage.list_checkpoint_ids("nobody")) == []
    assert sorted(run(storage.list_checkpoint_ids())) == ["mine", "theirs"]


def test_deleting_removes_a_checkpoint_and_reports_whether_it_existed(storage: Any) -> None:
    run(storage.save_checkpoint(checkpoint(checkpoint_id="gone")))
    run(storage.save_checkpoint(checkpoint(checkpoint_id="kept")))
    assert run(storage.delete_checkpoint("gone")) is True
    assert run(storage.delete_checkpoint("gone")) is False
    assert run(storage.list_checkpoint_ids()) == ["kept"]
    with pytest.raises(CheckpointNotFoundError):
        run(storage.load_checkpoint("gone"))


BAD_IDS = ["../evil", "..", "a/b", "a\\b", "/etc/passwd", ".hidden", "", "a..b", "x" * 201, "tab\there", "nul\x00"]


@pytest.mark.parametrize("bad_id", BAD_IDS, ids=repr)
def test_ids_that_could_escape_a_folder_are_refused_everywhere(storage: Any, bad_id: str) -> None:
    with pytest.raises(InvalidCheckpointIdError, match="not a valid checkpoint id"):
        run(storage.save_checkpoint(checkpoint(checkpoint_id=bad_id)))
    with pytest.raises(InvalidCheckpointIdError):
        run(storage.load_checkpoint(bad_id))
    with pytest.raises(InvalidCheckpointIdError):
        run(storage.delete_checkpoint(bad_id))
    assert run(storage.list_checkpoint_ids()) == []


@pytest.mark.parametrize("good_id", ["plain", "with-dash_and.dot", "0123", "A" * 200])
def test_ordinary_ids_are_accepted(storage: Any, good_id: str) -> None:
    run(storage.save_checkpoint(checkpoint(checkpoint_id=good_id)))
    assert run(storage.load_checkpoint(good_id)).checkpoint_id == good_id


@pytest.mark.parametrize("kind", ["file", "sqlite"])
def test_disk_storages_do_their_io_off_the_event_loop_thread(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = STORAGES[kind](tmp_path)
    io_threads: list[int] = []
    real_to_thread = asyncio.to_thread

    async def recording_to_thread(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        def call() -> Any:
            io_threads.append(threading.get_ident())
            return function(*args, **kwargs)
        return await real_to_thread(call)

    monkeypatch.setattr(asyncio, "to_thread", recording_to_thread)
    saved = checkpoint()
    run(storage.save_checkpoint(saved))
    run(storage.load_checkpoint(saved.checkpoint_id))
    run(storage.list_checkpoints())
    run(storage.delete_checkpoint(saved.checkpoint_id))
    assert len(io_threads) >= 4
    assert threading.get_ident() not in io_threads


def test_a_timestamp_tie_is_broken_by_iteration_not_by_id(storage: Any) -> None:
    moment = "2025-01-02T00:00:00.000000+00:00"
    # Saved newest first, and with ids that sort the other way round from their iterations.
    run(storage.save_checkpoint(checkpoint(checkpoint_id="a", timestamp=moment, iteration_count=2)))
    run(storage.save_checkpoint(checkpoint(checkpoint_id="z", timestamp=moment, iteration_count=1)))
    assert run(storage.list_checkpoint_ids()) == ["z", "a"]
    assert [cp.checkpoint_id for cp in run(storage.list_checkpoints())] == ["z", "a"]


# --- Agent Framework 1.x's names for the same operations ----------------------------------------


def test_todays_names_save_load_and_delete_the_same_checkpoints(storage: Any) -> None:
    saved = checkpoint(iteration_count=1)
    assert run(storage.save(saved)) == saved.checkpoint_id
    assert run(storage.load(saved.checkpoint_id)) == run(storage.load_checkpoint(saved.checkpoint_id))
    assert run(storage.delete(saved.checkpoint_id)) is True
    assert run(storage.list_checkpoint_ids()) == []


def test_listing_by_workflow_name_is_listing_by_workflow_id(storage: Any) -> None:
    ours, theirs = checkpoint(workflow_id="ours"), checkpoint(workflow_id="theirs")
    for each in (ours, theirs):
        run(storage.save_checkpoint(each))
    assert [cp.checkpoint_id for cp in run(storage.list_checkpoints(workflow_name="ours"))] == [ours.checkpoint_id]
    assert run(storage.list_checkpoint_ids(workflow_name="theirs")) == [theirs.checkpoint_id]
    assert run(storage.list_checkpoints(workflow_name="ours")) == run(storage.list_checkpoints("ours"))


def test_two_different_names_for_the_listed_workflow_are_refused(storage: Any) -> None:
    with pytest.raises(ValueError, match="workflow_id='a' and workflow_name='b'"):
        run(storage.list_checkpoints("a", workflow_name="b"))


def test_get_latest_is_the_newest_checkpoint_of_the_named_workflow(storage: Any) -> None:
    assert run(storage.get_latest(workflow_name="wf")) is None
    first = checkpoint(timestamp="2026-01-01T00:00:00+00:00")
    newest = checkpoint(timestamp="2026-01-02T00:00:00+00:00")
    other = checkpoint(workflow_id="other", timestamp="2026-01-03T00:00:00+00:00")
    for each in (newest, first, other):
        run(storage.save_checkpoint(each))
    assert run(storage.get_latest(workflow_name="wf")).checkpoint_id == newest.checkpoint_id


def test_a_checkpoint_answers_to_todays_field_names(tmp_path: Path) -> None:
    from tests.core.review_workflows import release_notes_workflow

    storage = FileCheckpointStorage(tmp_path)
    workflow = release_notes_workflow(storage)
    run(workflow.run("Launch"))
    first, second = run(storage.list_checkpoints(workflow_name=workflow.id))[:2]
    assert first.workflow_name == workflow.id and first.previous_checkpoint_id is None
    assert second.previous_checkpoint_id == first.checkpoint_id
