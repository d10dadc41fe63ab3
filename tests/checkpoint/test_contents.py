"""`read_contents`: a checkpoint decoded to be looked at, with the functions a restore uses, and a
value this session cannot rebuild shown as it was saved instead of failing the whole read."""

from __future__ import annotations

import pytest

from tests.conftest import run
from tests.history.workflows import Approval, approval_workflow, fan_workflow
from wfkit import CheckpointFormatError, InMemoryCheckpointStorage
from wfkit.checkpoint import encode_value, is_left_as_saved, missing_types, read_contents, why_left_as_saved
from wfkit.core.state import Message

# A value of a class no session registered: what a new session sees before importing its module.
UNKNOWN = {"__wfkit__": "dataclass", "type": "elsewhere.Memo", "fields": {"text": "hi"}}


def checkpoints_of(build, message):
    storage = InMemoryCheckpointStorage()
    run(build(storage).run(message))
    return run(storage.list_checkpoints())


def test_the_contents_are_the_values_the_run_held_after_the_step():
    first = checkpoints_of(fan_workflow, "Ab")[0]
    contents = read_contents(first)
    assert contents.messages == [Message(("split",), "upper", "Ab"), Message(("split",), "lower", "Ab")]
    assert contents.shared_state == {"text": "Ab"} and contents.executor_states == {}
    assert contents.pending_requests == {}


def test_an_open_request_comes_back_as_the_request_it_was():
    paused = checkpoints_of(approval_workflow, "cats")[-1]
    [(request_id, request)] = read_contents(paused).pending_requests.items()
    assert (request.request_id, request.executor_id) == (request_id, "gate")
    assert (request.data, request.response_type) == (Approval("Draft about cats"), bool)


def test_a_value_of_a_class_this_session_does_not_know_is_shown_as_saved_and_the_rest_is_decoded():
    checkpoint = checkpoints_of(fan_workflow, "Ab")[0]
    checkpoint.shared_state["memo"] = UNKNOWN
    [entry, *_] = checkpoint.messages["split"]
    entry["data"] = UNKNOWN
    contents = read_contents(checkpoint)
    assert contents.shared_state == {"text": "Ab", "memo": UNKNOWN}
    assert contents.messages[0] == Message(("split",), "upper", UNKNOWN)
    assert contents.messages[1].payload == "Ab"


def test_a_request_asking_with_an_unknown_class_keeps_its_ids_and_the_saved_question():
    paused = checkpoints_of(approval_workflow, "cats")[-1]
    paused.pending_requests[0]["data"] = UNKNOWN
    [request] = read_contents(paused).pending_requests.values()
    assert (request.executor_id, request.data, request.response_type) == ("gate", UNKNOWN, bool)


def test_a_damaged_entry_is_an_error_naming_the_checkpoint_and_the_entry():
    checkpoint = checkpoints_of(fan_workflow, "Ab")[0]
    del checkpoint.messages["split"][0]["target_id"]
    with pytest.raises(CheckpointFormatError, match=rf"Checkpoint {checkpoint.checkpoint_id}: messages\['split'\]\[0\]"):
        read_contents(checkpoint)


def test_a_value_left_as_saved_names_the_classes_this_session_is_missing():
    answer_type = encode_value(list[Approval])  # list[Memo], a class of a cell not run yet:
    answer_type["args"][0]["name"] = "__main__.Memo"
    assert is_left_as_saved(answer_type) and is_left_as_saved(UNKNOWN)
    assert missing_types(answer_type) == ["__main__.Memo"]  # list is known
    assert missing_types(UNKNOWN) == ["elsewhere.Memo"]
    assert "unknown type '__main__.Memo'" in why_left_as_saved(answer_type)
    assert not is_left_as_saved(bool) and missing_types(encode_value(list[Approval])) == []
