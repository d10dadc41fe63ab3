"""Checkpoints under hostile conditions: huge numbers, deep nesting, odd strings, full disks.

Each test is one promise: a bad file hides only itself, decoding costs memory in proportion
to the data, nesting and OS failures end in a wfkit error that says what to do, and any
Python string saves and loads back exactly.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import sys
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

import pytest

import wfkit
from tests.conftest import run
from wfkit import WorkflowBuilder, WorkflowContext, executor
from wfkit.checkpoint import (
    CheckpointEncodingError,
    CheckpointFormatError,
    FileCheckpointStorage,
    SQLiteCheckpointStorage,
    WorkflowCheckpoint,
    decode_value,
    encode_value,
)
from wfkit.checkpoint.codec import MAX_DEPTH
from wfkit.errors import CheckpointError, CheckpointStorageError

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
HUGE_INT = "9" * 5000  # Python refuses to read integers of more than 4,300 digits from text


def save(storage: Any, checkpoint_id: str, **fields: Any) -> WorkflowCheckpoint:
    checkpoint = WorkflowCheckpoint(checkpoint_id=checkpoint_id, **fields)
    run(storage.save_checkpoint(checkpoint))
    return checkpoint


def with_huge_int(text: str) -> str:
    """Checkpoint JSON text whose iteration_count has more digits than Python will read."""
    data = json.loads(text)
    data["iteration_count"] = 0
    return json.dumps(data).replace('"iteration_count": 0', f'"iteration_count": {HUGE_INT}')


def nested_lists(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


def listing_warnings(list_ids: Any) -> tuple[list[str], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ids = run(list_ids())
    return ids, [str(w.message) for w in caught]


# --- 1. one bad file hides only itself ------------------------------------------------------


def test_a_checkpoint_file_with_a_huge_integer_is_skipped_with_a_warning_naming_it(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    save(storage, "good")
    bad = save(storage, "bad")
    path = tmp_path / "bad.json"
    path.write_text(with_huge_int(bad.to_json()), encoding="utf-8")
    ids, messages = listing_warnings(storage.list_checkpoint_ids)
    assert ids == ["good"]
    [message] = messages
    assert str(path) in message and "4300 digits" in message


def test_loading_a_checkpoint_file_with_a_huge_integer_names_the_file_and_the_fix(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    bad = save(storage, "bad")
    path = tmp_path / "bad.json"
    path.write_text(with_huge_int(bad.to_json()), encoding="utf-8")
    with pytest.raises(CheckpointFormatError) as caught:
        run(storage.load_checkpoint("bad"))
    message = str(caught.value)
    assert str(path) in message and "sys.set_int_max_str_digits" in message


def test_a_version_1_file_with_a_damaged_message_is_skipped_when_listing(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    save(storage, "good")
    data = save(storage, "old").to_dict()
    data["messages"] = [{"target_id": "nobody"}]  # format version 1, without payload or source
    (tmp_path / "old.json").write_text(json.dumps(data), encoding="utf-8")
    ids, messages = listing_warnings(storage.list_checkpoint_ids)
    assert ids == ["good"]
    assert "old.json" in messages[0] and "messages" in messages[0]


def test_a_sqlite_row_with_a_huge_integer_is_skipped_with_a_warning_naming_it(tmp_path: Path) -> None:
    storage = SQLiteCheckpointStorage(tmp_path / "cp.db")
    save(storage, "good")
    bad = save(storage, "bad")
    storage._use_connection(lambda c: c.execute(
        "UPDATE checkpoints SET body = ? WHERE checkpoint_id = 'bad'", (with_huge_int(bad.to_json()),)))
    ids, messages = listing_warnings(storage.list_checkpoint_ids)
    assert ids == ["good"]
    assert "checkpoint bad in database" in messages[0] and "4300 digits" in messages[0]
    with pytest.raises(CheckpointFormatError, match="sys.set_int_max_str_digits"):
        run(storage.load_checkpoint("bad"))


def test_a_sqlite_row_that_is_not_utf8_is_skipped_and_refused_by_name(tmp_path: Path) -> None:
    storage = SQLiteCheckpointStorage(tmp_path / "cp.db")
    save(storage, "good")
    save(storage, "bad")
    storage._use_connection(lambda c: c.execute(
        "UPDATE checkpoints SET body = CAST(x'7bff' AS TEXT) WHERE checkpoint_id = 'bad'"))
    ids, messages = listing_warnings(storage.list_checkpoint_ids)
    assert ids == ["good"]
    assert "checkpoint bad in database" in messages[0] and "not UTF-8" in messages[0]
    with pytest.raises(CheckpointFormatError, match="checkpoint bad in database.*not UTF-8"):
        run(storage.load_checkpoint("bad"))


# --- 2. decoding memory grows with the data, not with depth x key length ---------------------


def deep_dict_with_long_keys(depth: int, key_length: int) -> tuple[Any, int]:
    value: Any = "bottom"
    for level in range(depth):
        value = {f"{level:04d}" + "k" * key_length: value}
    return value, depth * key_length


def peak_memory(work: Any) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_decoding_deep_dicts_with_long_keys_needs_memory_in_proportion_to_the_data() -> None:
    data, size = deep_dict_with_long_keys(depth=80, key_length=20_000)
    assert peak_memory(lambda: decode_value(data, where="shared_state")) < 10 * size


def test_encoding_deep_dicts_with_long_keys_needs_memory_in_proportion_to_the_data() -> None:
    value, size = deep_dict_with_long_keys(depth=80, key_length=20_000)
    assert peak_memory(lambda: encode_value(value, where="shared_state")) < 10 * size


# --- 8. nesting has a clear limit -------------------------------------------------------------


def test_saving_a_value_nested_too_deep_says_how_deep_is_allowed_and_where() -> None:
    with pytest.raises(CheckpointEncodingError) as caught:
        encode_value({"tree": nested_lists(5_000)}, where="shared_state")
    message = str(caught.value)
    assert f"{MAX_DEPTH} levels" in message and message.startswith("Cannot save the value at shared_state['tree'][0]")


def test_restoring_a_value_nested_too_deep_says_how_deep_is_allowed_and_where() -> None:
    with pytest.raises(CheckpointFormatError) as caught:
        decode_value({"tree": nested_lists(700)}, where="shared_state")
    message = str(caught.value)
    assert f"{MAX_DEPTH} levels" in message and message.startswith("shared_state['tree'][0]")


def test_a_value_nested_as_deep_as_allowed_saves_and_loads_back(tmp_path: Path) -> None:
    # Tuples in dicts with int keys: the shape that takes the most JSON levels and stack frames.
    value: Any = "bottom"
    for level in range(MAX_DEPTH // 2):
        value = {level: (value,)}
    storage = FileCheckpointStorage(tmp_path)
    save(storage, "deep", shared_state={"tree": encode_value(value, where="shared_state['tree']")})
    loaded = run(storage.load_checkpoint("deep"))
    assert decode_value(loaded.shared_state["tree"]) == value


# --- 9. the OS refuses: a wfkit error naming the place, the reason and the fix ----------------


def test_the_storage_error_is_a_checkpoint_error_and_an_os_error_importable_from_wfkit() -> None:
    assert issubclass(CheckpointStorageError, CheckpointError) and issubclass(CheckpointStorageError, OSError)
    assert wfkit.CheckpointStorageError is CheckpointStorageError
    assert wfkit.checkpoint.CheckpointStorageError is CheckpointStorageError


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root may write into read-only folders")
def test_saving_into_a_read_only_folder_names_the_folder_and_the_fix(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path / "cps")
    os.chmod(tmp_path / "cps", 0o500)
    try:
        with pytest.raises(CheckpointStorageError, match="writable") as caught:
            save(storage, "cp")
    finally:
        os.chmod(tmp_path / "cps", 0o700)
    assert str(tmp_path / "cps") in str(caught.value)
    assert isinstance(caught.value.__cause__, PermissionError)


def test_a_storage_folder_that_is_a_file_names_the_path_and_the_fix(tmp_path: Path) -> None:
    (tmp_path / "cps").write_text("not a folder")
    with pytest.raises(CheckpointStorageError, match="choose another") as caught:
        FileCheckpointStorage(tmp_path / "cps")
    assert str(tmp_path / "cps") in str(caught.value)
    assert isinstance(caught.value.__cause__, OSError)


def test_saving_over_a_folder_in_the_place_of_the_file_names_the_file_and_the_fix(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    (tmp_path / "cp.json").mkdir()
    with pytest.raises(CheckpointStorageError, match="folder is in the way") as caught:
        save(storage, "cp")
    assert str(tmp_path / "cp.json") in str(caught.value)
    assert isinstance(caught.value.__cause__, IsADirectoryError)


def test_a_full_disk_names_the_file_and_the_fix_and_keeps_the_previous_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = FileCheckpointStorage(tmp_path)
    save(storage, "cp", iteration_count=1)

    def disk_full(handle: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(CheckpointStorageError, match="Free some disk space") as caught:
        save(storage, "cp", iteration_count=2)
    monkeypatch.undo()
    assert str(tmp_path / "cp.json") in str(caught.value)
    assert caught.value.__cause__.errno == errno.ENOSPC
    assert run(storage.load_checkpoint("cp")).iteration_count == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cp.json"]  # no temporary file left behind


def test_a_full_sqlite_database_names_the_file_and_the_fix_and_keeps_the_previous_row(tmp_path: Path) -> None:
    storage = SQLiteCheckpointStorage(tmp_path / "cp.db")
    save(storage, "cp", iteration_count=1)
    # SQLite's own limit on the file's size: it then fails exactly as on a full disk.
    pages = storage._use_connection(lambda c: c.execute("PRAGMA page_count").fetchone()[0])
    storage._use_connection(lambda c: c.execute(f"PRAGMA max_page_count = {pages}"))
    with pytest.raises(CheckpointStorageError, match="Free some disk space") as caught:
        save(storage, "cp", iteration_count=2, metadata={"big": "x" * 100_000})
    assert str(tmp_path / "cp.db") in str(caught.value)
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    assert run(storage.load_checkpoint("cp")).iteration_count == 1


def test_a_sqlite_path_that_is_a_folder_names_the_path_and_the_fix(tmp_path: Path) -> None:
    (tmp_path / "cp.db").mkdir()
    with pytest.raises(CheckpointStorageError, match="choose another") as caught:
        SQLiteCheckpointStorage(tmp_path / "cp.db")
    assert str(tmp_path / "cp.db") in str(caught.value)
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)


@pytest.mark.skipif(RUNNING_AS_ROOT, reason="root may write into read-only files")
def test_saving_into_a_read_only_sqlite_database_names_the_file_and_the_fix(tmp_path: Path) -> None:
    storage = SQLiteCheckpointStorage(tmp_path / "cp.db")
    storage.close()
    os.chmod(tmp_path / "cp.db", 0o400)
    try:
        with pytest.raises(CheckpointStorageError, match="writable") as caught:
            save(SQLiteCheckpointStorage(tmp_path / "cp.db"), "cp")
    finally:
        os.chmod(tmp_path / "cp.db", 0o600)
    assert str(tmp_path / "cp.db") in str(caught.value)


# --- 10. every Python string saves and loads back exactly --------------------------------------

ODD_STRINGS = ["\ud800", "lone \udfff low", "\ud83d\ude00", "café \\ud800 \U0001f600"]


@pytest.mark.parametrize("text", ODD_STRINGS)
def test_a_string_with_lone_surrogates_saves_to_a_file_and_loads_back_exactly(tmp_path: Path, text: str) -> None:
    storage = FileCheckpointStorage(tmp_path)
    value = {"text": text, text: [text]}
    save(storage, "odd", shared_state={"value": encode_value(value)})
    loaded = decode_value(run(storage.load_checkpoint("odd")).shared_state["value"])
    assert loaded == value and [len(key) for key in loaded] == [len(key) for key in value]


@pytest.mark.parametrize("text", ODD_STRINGS)
def test_a_string_with_lone_surrogates_saves_to_sqlite_and_loads_back_exactly(tmp_path: Path, text: str) -> None:
    storage = SQLiteCheckpointStorage(tmp_path / "cp.db")
    save(storage, "odd", shared_state={"value": encode_value(text)})
    assert decode_value(run(storage.load_checkpoint("odd")).shared_state["value"]) == text


def test_a_lone_surrogate_outside_any_encoded_value_is_refused_by_name() -> None:
    checkpoint = WorkflowCheckpoint(checkpoint_id="odd", workflow_id="wf\ud800")
    with pytest.raises(CheckpointEncodingError, match="Checkpoint odd .*lone surrogate"):
        checkpoint.to_json()


def test_text_stays_readable_in_the_file(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    save(storage, "cp", shared_state={"greeting": encode_value("grüß dich 👋")})
    assert "grüß dich 👋" in (tmp_path / "cp.json").read_text(encoding="utf-8")


# --- integers of any size save and load back exactly (a point-1 file is never written) ---------

BIG_INTS = [10**5000, -(10**5000) + 7, 2**2001, 2**2000 - 1, 12345]


@pytest.mark.parametrize("number", BIG_INTS, ids=["5001 digits", "negative", "2002 bits", "2000 bits", "small"])
def test_an_integer_of_any_size_saves_to_a_file_and_loads_back_exactly(tmp_path: Path, number: int) -> None:
    storage = FileCheckpointStorage(tmp_path)
    save(storage, "big", shared_state={"n": encode_value({"n": number, "items": (number,)})})
    assert run(storage.list_checkpoint_ids()) == ["big"]
    assert decode_value(run(storage.load_checkpoint("big")).shared_state["n"]) == {"n": number, "items": (number,)}


def test_an_integer_of_any_size_saves_to_sqlite_and_loads_back_exactly(tmp_path: Path) -> None:
    storage = SQLiteCheckpointStorage(tmp_path / "cp.db")
    save(storage, "big", shared_state={"n": encode_value(10**5000)})
    assert decode_value(run(storage.load_checkpoint("big")).shared_state["n"]) == 10**5000


def test_small_integers_stay_plain_json_numbers() -> None:
    assert encode_value([0, -1, 2**63, 2**2000 - 1]) == [0, -1, 2**63, 2**2000 - 1]
    assert encode_value(2**2000) == {"__wfkit__": "int", "value": "1" + "0" * 500}


@pytest.mark.parametrize("text", ["0x1f", "1_000", " 12", "", "12g"])
def test_a_tagged_integer_that_is_not_plain_hex_digits_is_refused(text: str) -> None:
    with pytest.raises(CheckpointFormatError, match="bad int value"):
        decode_value({"__wfkit__": "int", "value": text})


def test_a_run_whose_state_holds_a_huge_integer_checkpoints_and_resumes(tmp_path: Path) -> None:
    @executor(id="count")
    async def count(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.set_shared_state("factorial", 10**5000 + n)
        await ctx.send_message(n)

    @executor(id="report")
    async def report(n: int, ctx: WorkflowContext[int, int]) -> None:
        await ctx.yield_output(await ctx.get_shared_state("factorial") - 10**5000)

    storage = FileCheckpointStorage(tmp_path)

    def build() -> wfkit.Workflow:
        return WorkflowBuilder().set_start_executor(count).add_edge(count, report).with_checkpointing(storage).build()

    assert run(build().run(3)).get_outputs() == [3]  # before, saving failed the run
    first = min(run(storage.list_checkpoints()), key=lambda c: c.iteration_count)
    resumed = run(build().run(checkpoint_id=first.checkpoint_id, checkpoint_storage=storage))
    assert resumed.get_outputs() == [3]
