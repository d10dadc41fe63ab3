"""FileCheckpointStorage: one readable JSON file per checkpoint, written atomically, read defensively."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest

from wfkit.checkpoint import CheckpointFormatError, FileCheckpointStorage, InvalidCheckpointIdError, WorkflowCheckpoint


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def save(storage: FileCheckpointStorage, checkpoint_id: str, **fields: Any) -> WorkflowCheckpoint:
    checkpoint = WorkflowCheckpoint(checkpoint_id=checkpoint_id, **fields)
    run(storage.save_checkpoint(checkpoint))
    return checkpoint


def test_the_folder_is_created_when_missing(tmp_path: Path) -> None:
    FileCheckpointStorage(tmp_path / "a" / "b" / "checkpoints")
    assert (tmp_path / "a" / "b" / "checkpoints").is_dir()


def test_each_checkpoint_is_one_readable_json_file_named_by_its_id(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    save(storage, "first", workflow_id="wf", iteration_count=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.json"]
    on_disk = json.loads((tmp_path / "first.json").read_text(encoding="utf-8"))
    assert (on_disk["checkpoint_id"], on_disk["workflow_id"], on_disk["iteration_count"]) == ("first", "wf", 3)


def test_a_write_is_flushed_to_disk_before_it_replaces_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = FileCheckpointStorage(tmp_path)
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(handle: int) -> None:
        steps.append("fsync folder" if os.path.isdir(f"/proc/self/fd/{handle}") else "fsync file")
        real_fsync(handle)

    def replace(source: str, target: Any) -> None:
        assert Path(source).parent == tmp_path and Path(source).name.startswith(".")
        steps.append("replace")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    save(storage, "cp")
    if os.path.isdir("/proc/self/fd"):
        assert steps == ["fsync file", "replace", "fsync folder"]
    else:
        assert steps[1] == "replace" and len(steps) == 3


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    storage = FileCheckpointStorage(tmp_path)
    save(storage, "cp", iteration_count=1)

    def broken(*args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(OSError, match="disk full"):
        save(storage, "cp", iteration_count=2)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cp.json"]
    assert run(storage.load_checkpoint("cp")).iteration_count == 1


def test_leftover_temporary_files_are_ignored(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    save(storage, "good")
    (tmp_path / ".good.x1y2.tmp").write_text('{"checkpoint_id": "go')  # what a crash mid-write leaves
    with _no_warnings():
        assert run(storage.list_checkpoint_ids()) == ["good"]
    assert storage.last_skipped == []


def test_damaged_files_are_skipped_and_reported_while_good_ones_list_and_load(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    save(storage, "early", timestamp="2025-01-01T00:00:00.000000+00:00")
    truncated = save(storage, "truncated")
    save(storage, "late", timestamp="2025-01-03T00:00:00.000000+00:00")
    text = (tmp_path / "truncated.json").read_text()
    (tmp_path / "truncated.json").write_text(text[: len(text) // 2])
    (tmp_path / "garbage.json").write_bytes(b"\x00\xff\xfe not json at all")
    (tmp_path / "wrong-shape.json").write_text('{"checkpoint_id": "wrong-shape"}')

    report = "(?s)3 unreadable checkpoint.*garbage.json.*truncated.json.*ends early.*wrong-shape.json"
    with pytest.warns(RuntimeWarning, match=report):
        ids = run(storage.list_checkpoint_ids())
    assert ids == ["early", "late"]
    assert {path.name for path, _ in storage.last_skipped} == {"truncated.json", "garbage.json", "wrong-shape.json"}
    assert run(storage.load_checkpoint("early")).checkpoint_id == "early"
    assert run(storage.load_checkpoint("late")).checkpoint_id == "late"
    assert truncated.checkpoint_id not in ids


@pytest.mark.parametrize(
    ("name", "content", "complaint"),
    [
        ("truncated", None, "ends early"),
        ("garbage", b"\x00\xff\xfe", "not UTF-8"),
        ("notjson", b"this is not json", "not valid JSON"),
        ("shape", b'{"checkpoint_id": "shape"}', "missing field"),
    ],
)
def test_loading_a_damaged_file_names_the_file_and_the_damage(
    tmp_path: Path, name: str, content: bytes | None, complaint: str
) -> None:
    storage = FileCheckpointStorage(tmp_path)
    save(storage, name)
    path = tmp_path / f"{name}.json"
    path.write_bytes(content if content is not None else path.read_bytes()[:40])
    with pytest.raises(CheckpointFormatError, match=complaint) as caught:
        run(storage.load_checkpoint(name))
    assert str(path) in str(caught.value)


def test_a_file_renamed_by_hand_is_refused(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    save(storage, "original")
    os.rename(tmp_path / "original.json", tmp_path / "copy.json")
    with pytest.raises(CheckpointFormatError, match="holds checkpoint 'original'.*renamed"):
        run(storage.load_checkpoint("copy"))
    with pytest.warns(RuntimeWarning, match="copy.json"):
        assert run(storage.list_checkpoint_ids()) == []


def test_listing_no_longer_reports_a_damaged_file_once_it_is_gone(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    (tmp_path / "bad.json").write_text("{")
    with pytest.warns(RuntimeWarning):
        run(storage.list_checkpoints())
    (tmp_path / "bad.json").unlink()
    with _no_warnings():
        run(storage.list_checkpoints())
    assert storage.last_skipped == []


@pytest.mark.parametrize("bad_id", ["../outside", "../../etc/passwd", "sub/dir", ".."])
def test_an_id_that_points_outside_the_folder_writes_nothing_anywhere(tmp_path: Path, bad_id: str) -> None:
    folder = tmp_path / "store"
    storage = FileCheckpointStorage(folder)
    with pytest.raises(InvalidCheckpointIdError):
        save(storage, bad_id)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["store"]


def test_path_for_always_names_a_file_directly_in_the_folder(tmp_path: Path) -> None:
    storage = FileCheckpointStorage(tmp_path)
    assert storage.path_for("abc") == tmp_path / "abc.json"
    with pytest.raises(InvalidCheckpointIdError):
        storage.path_for("../abc")


class _no_warnings:
    """Turn warnings into errors inside a `with` block (a listing that should be clean)."""

    def __enter__(self) -> None:
        import warnings

        self._catcher = warnings.catch_warnings()
        self._catcher.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *exc: object) -> None:
        self._catcher.__exit__(*exc)
