"""WorkflowCheckpoint: defaults, the dict/JSON round trip, and clear errors for damaged data."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import datetime, timezone

import pytest

from wfkit.checkpoint import (
    CheckpointEncodingError,
    CheckpointError,
    CheckpointFormatError,
    CheckpointGraphMismatchError,
    CheckpointNotFoundError,
    CheckpointRegistryError,
    InvalidCheckpointIdError,
    WorkflowCheckpoint,
)
from wfkit.checkpoint.model import CHECKPOINT_FORMAT_VERSION
from wfkit.errors import WorkflowError


def full_checkpoint() -> WorkflowCheckpoint:
    return WorkflowCheckpoint(
        workflow_id="review",
        messages={"writer": [{"source_id": "writer", "target_id": "reviewer", "data": "draft", "position": 0}]},
        shared_state={"topic": "bees"},
        executor_states={"writer": {"drafts": 2}},
        pending_requests=[{"request_id": "r1", "executor_id": "reviewer"}],
        fan_in_buffers={"joiner": {"a": [1], "b": []}},
        iteration_count=4,
        max_iterations=10,
        run_state="IDLE_WITH_PENDING_REQUESTS",
        graph_signature="abc123",
        metadata={"note": "before review"},
    )


def test_defaults_give_a_fresh_uuid_and_a_utc_timestamp() -> None:
    first, second = WorkflowCheckpoint(), WorkflowCheckpoint()
    assert first.checkpoint_id != second.checkpoint_id
    assert uuid.UUID(first.checkpoint_id).version == 4
    moment = datetime.fromisoformat(first.timestamp)
    assert moment.utcoffset() == timezone.utc.utcoffset(None)
    assert (first.iteration_count, first.max_iterations, first.run_state, first.version) == (0, 100, "IDLE", CHECKPOINT_FORMAT_VERSION)
    assert first.metadata == {} and first.metadata is not second.metadata


def test_to_dict_and_from_dict_round_trip() -> None:
    checkpoint = full_checkpoint()
    assert WorkflowCheckpoint.from_dict(checkpoint.to_dict()) == checkpoint


def test_to_json_is_plain_json_and_round_trips() -> None:
    checkpoint = full_checkpoint()
    text = checkpoint.to_json()
    assert json.loads(text)["workflow_id"] == "review"
    assert WorkflowCheckpoint.from_json(text) == checkpoint


def test_from_dict_names_a_missing_field() -> None:
    data = full_checkpoint().to_dict()
    del data["executor_states"]
    with pytest.raises(CheckpointFormatError, match="my.json: missing field.*executor_states"):
        WorkflowCheckpoint.from_dict(data, source="my.json")


@pytest.mark.parametrize(
    ("field", "bad_value"),
    [
        ("checkpoint_id", ""),
        ("checkpoint_id", 7),
        ("timestamp", "yesterday"),
        ("messages", {"not": "a list"}),
        ("messages", [1, 2]),
        ("shared_state", []),
        ("executor_states", {"writer": "not a dict"}),
        ("fan_in_buffers", {"joiner": {"a": "not a list"}}),
        ("iteration_count", True),
        ("iteration_count", -1),
        ("max_iterations", 0),
        ("run_state", "SLEEPING"),
        ("run_state", ["IDLE"]),
        ("metadata", None),
    ],
)
def test_from_dict_names_a_field_of_the_wrong_shape(field: str, bad_value: object) -> None:
    data = full_checkpoint().to_dict()
    data[field] = bad_value
    with pytest.raises(CheckpointFormatError, match=f"field '{field}' should be"):
        WorkflowCheckpoint.from_dict(data)


def test_messages_are_grouped_by_the_executor_that_sent_them_as_in_agent_framework() -> None:
    checkpoint = full_checkpoint()
    assert sum(len(entries) for entries in checkpoint.messages.values()) == 1
    [entry] = checkpoint.messages["writer"]
    assert (entry["source_id"], entry["target_id"], entry["data"]) == ("writer", "reviewer", "draft")


def test_a_version_1_file_with_a_flat_message_list_loads_grouped_by_sender() -> None:
    old = full_checkpoint().to_dict() | {"version": 1}
    old["messages"] = [
        {"source_ids": ["writer"], "target_id": "reviewer", "payload": "draft", "request": None},
        {"source_ids": ["a", "b"], "target_id": "joiner", "payload": [1, 2], "request": None},
        {"source_ids": ["writer"], "target_id": "editor", "payload": "copy", "request": None},
    ]
    checkpoint = WorkflowCheckpoint.from_json(json.dumps(old))
    assert {source: [e["target_id"] for e in entries] for source, entries in checkpoint.messages.items()} == {
        "writer": ["reviewer", "editor"],
        "a": ["joiner"],
    }
    # The order the run would have handled them in survives the grouping.
    assert [e["target_id"] for e in checkpoint.all_messages()] == ["reviewer", "joiner", "editor"]
    assert checkpoint.messages["a"][0]["source_ids"] == ["a", "b"]


def test_from_dict_lists_the_run_states_it_accepts() -> None:
    data = full_checkpoint().to_dict() | {"run_state": "SLEEPING"}
    with pytest.raises(CheckpointFormatError, match="IDLE_WITH_PENDING_REQUESTS"):
        WorkflowCheckpoint.from_dict(data)


def test_from_dict_refuses_unknown_fields() -> None:
    data = full_checkpoint().to_dict() | {"colour": "blue"}
    with pytest.raises(CheckpointFormatError, match="unknown field.*colour"):
        WorkflowCheckpoint.from_dict(data)


def test_from_dict_refuses_a_newer_format_version_and_says_to_upgrade() -> None:
    data = full_checkpoint().to_dict() | {"version": CHECKPOINT_FORMAT_VERSION + 1, "new_field": 1}
    with pytest.raises(CheckpointFormatError, match="newer wfkit.*Upgrade"):
        WorkflowCheckpoint.from_dict(data)


def test_from_dict_refuses_something_that_is_not_an_object() -> None:
    with pytest.raises(CheckpointFormatError, match="expected a JSON object, found list"):
        WorkflowCheckpoint.from_dict([1, 2])


def test_from_json_says_a_truncated_text_ends_early() -> None:
    text = full_checkpoint().to_json()
    with pytest.raises(CheckpointFormatError, match="cp.json: .*ends early"):
        WorkflowCheckpoint.from_json(text[: len(text) // 2], source="cp.json")


def test_from_json_says_garbage_is_not_json() -> None:
    with pytest.raises(CheckpointFormatError, match="not valid JSON"):
        WorkflowCheckpoint.from_json("}}garbage{{ and more", source="cp.json")


def test_to_json_fails_loudly_on_a_value_that_was_not_encoded() -> None:
    checkpoint = WorkflowCheckpoint(shared_state={"when": datetime.now()})
    with pytest.raises(CheckpointEncodingError, match="datetime.*encode_value"):
        checkpoint.to_json()


def test_to_json_fails_loudly_on_a_raw_nan() -> None:
    checkpoint = WorkflowCheckpoint(shared_state={"score": float("nan")})
    with pytest.raises(CheckpointEncodingError, match="encode_value"):
        checkpoint.to_json()


@pytest.mark.parametrize(
    "error_class",
    [
        CheckpointNotFoundError,
        CheckpointFormatError,
        CheckpointEncodingError,
        CheckpointGraphMismatchError,
        CheckpointRegistryError,
        InvalidCheckpointIdError,
    ],
)
def test_every_checkpoint_error_is_a_workflow_error(error_class: type) -> None:
    assert issubclass(error_class, CheckpointError)
    assert issubclass(error_class, WorkflowError)


def test_not_found_error_lists_a_few_existing_ids() -> None:
    ids = [f"cp-{i}" for i in range(8)]
    error = CheckpointNotFoundError.for_id("cp-99", ids, "folder x")
    assert error.checkpoint_id == "cp-99"
    assert "cp-0, cp-1, cp-2, cp-3, cp-4 (and 3 more)" in str(error)
    assert "cp-5" not in str(error)


def test_not_found_error_in_an_empty_storage_points_at_checkpointing() -> None:
    assert "with_checkpointing" in str(CheckpointNotFoundError.for_id("x", [], "folder x"))


def test_importing_checkpoints_loads_neither_sqlite3_nor_pydantic() -> None:
    probe = (
        "import sys, wfkit, wfkit.checkpoint; "
        "print(sorted(name for name in ('sqlite3', 'pydantic') if name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
