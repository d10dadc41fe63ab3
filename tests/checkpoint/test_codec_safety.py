"""Decoding is safe: a crafted checkpoint can name any module or function, and nothing happens.

The rule under test: decoding only ever builds classes from the registry. It never imports a
module, never calls what a file names, never evaluates text and never unpickles.
"""

from __future__ import annotations

import ast
import asyncio
import builtins
import importlib
import inspect
import json
import os
import subprocess
import sys
import types
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

import wfkit.checkpoint.codec as codec
from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
from wfkit.checkpoint import (
    CheckpointFormatError,
    FileCheckpointStorage,
    WorkflowCheckpoint,
    decode_value,
    register_checkpoint_type,
)
from wfkit.checkpoint.codec import TAG

DANGEROUS_NAMES = [
    "subprocess:Popen",
    "subprocess.Popen",
    "os.system",
    "os:system",
    "builtins.eval",
    "builtins.exec",
    "builtins.__import__",
    "importlib.import_module",
    "pickle.loads",
    "posix.system",
]


def crafted_values(type_name: str) -> list[Any]:
    """Every place in the format where a type name can appear."""
    return [
        {TAG: "dataclass", "type": type_name, "fields": {"args": ["echo pwned"]}},
        {TAG: "enum", "type": type_name, "value": "rm -rf /"},
        {TAG: "pydantic", "type": type_name, "data": {"cmd": "echo pwned"}},
        {TAG: "type", "name": type_name},
        {TAG: "annotation", "origin": {TAG: "type", "name": type_name}, "args": ["echo pwned"]},
        {TAG: "annotation", "origin": type_name, "args": ["echo pwned"]},
    ]


@pytest.fixture
def probe_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """An importable module that would leave a marker file behind if anything imported it."""
    name = f"wfkit_probe_{uuid.uuid4().hex}"
    marker = tmp_path / "imported.marker"
    (tmp_path / f"{name}.py").write_text(
        f"open({str(marker)!r}, 'w').write('imported')\n"
        "class Boom:\n"
        "    def __init__(self, *args, **kwargs):\n"
        f"        open({str(marker)!r}, 'w').write('called')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert name not in sys.modules
    return name, marker


@pytest.fixture
def record_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the usual attack targets with recorders, so a call shows up instead of running."""
    calls: list[str] = []
    real_exec = builtins.exec

    def recorder(label: str) -> Callable[..., Any]:
        def record(*args: Any, **kwargs: Any) -> None:
            calls.append(label)
        return record

    def record_exec(source: Any, *args: Any, **kwargs: Any) -> None:
        # Importing a module runs its compiled body through exec. Those calls must go through,
        # or a module first imported during the test (asyncio's thread pool, say) is left empty
        # in sys.modules for every later test. Text from a file never arrives as a code object:
        # the codec compiles nothing (see the source test below).
        if isinstance(source, types.CodeType):
            return real_exec(source, *args, **kwargs)
        calls.append("exec")

    monkeypatch.setattr(os, "system", recorder("os.system"))
    monkeypatch.setattr(subprocess, "Popen", recorder("subprocess.Popen"))
    monkeypatch.setattr(builtins, "eval", recorder("eval"))
    monkeypatch.setattr(builtins, "exec", record_exec)
    return calls


def decode_while_watching_imports(value: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Decode `value` (expecting a CheckpointFormatError) and return every import attempted meanwhile."""
    imports: list[str] = []
    real_import, real_import_module = builtins.__import__, importlib.import_module

    def watched_import(name: str, *args: Any, **kwargs: Any) -> Any:
        imports.append(name)
        return real_import(name, *args, **kwargs)

    def watched_import_module(name: str, *args: Any, **kwargs: Any) -> Any:
        imports.append(name)
        return real_import_module(name, *args, **kwargs)

    error: CheckpointFormatError | None = None
    with monkeypatch.context() as patch:
        patch.setattr(importlib, "import_module", watched_import_module)
        patch.setattr(builtins, "__import__", watched_import)  # last: setattr itself imports inspect
        try:
            decode_value({"shared": [value]})
        except CheckpointFormatError as raised:
            error = raised
    assert error is not None
    return imports


@pytest.mark.parametrize("type_name", DANGEROUS_NAMES)
def test_a_dangerous_type_name_is_refused_by_name(type_name: str, record_calls: list[str]) -> None:
    for value in crafted_values(type_name)[:5]:
        with pytest.raises(CheckpointFormatError) as caught:
            decode_value(value)
        assert repr(type_name) in str(caught.value)
        assert "register_checkpoint_type" in str(caught.value)
    assert record_calls == []


@pytest.mark.parametrize("type_name", DANGEROUS_NAMES)
def test_decoding_a_dangerous_name_attempts_no_import_and_calls_nothing(
    type_name: str, record_calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for value in crafted_values(type_name):
        assert decode_while_watching_imports(value, monkeypatch) == []
    assert record_calls == []


def test_a_module_named_in_a_checkpoint_is_never_imported(
    probe_module: tuple[str, Path], record_calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name, marker = probe_module
    for type_name in (f"{name}.Boom", f"{name}:Boom", name):
        for value in crafted_values(type_name):
            assert decode_while_watching_imports(value, monkeypatch) == []
    assert name not in sys.modules
    assert not marker.exists()
    assert record_calls == []


def test_a_crafted_checkpoint_file_loads_as_data_and_refuses_to_decode(
    tmp_path: Path, probe_module: tuple[str, Path], record_calls: list[str]
) -> None:
    name, marker = probe_module
    storage = FileCheckpointStorage(tmp_path / "store")
    checkpoint = WorkflowCheckpoint(checkpoint_id="crafted")
    data = checkpoint.to_dict()
    data["shared_state"] = {"payload": crafted_values(f"{name}.Boom")[0], "cmd": crafted_values("os.system")[0]}
    (tmp_path / "store" / "crafted.json").write_text(json.dumps(data))

    loaded = asyncio.run(storage.load_checkpoint("crafted"))  # plain JSON data: nothing to refuse yet
    with pytest.raises(CheckpointFormatError, match=f"shared_state\\['payload'\\].*unknown type '{name}.Boom'"):
        decode_value(loaded.shared_state, where="shared_state")
    assert name not in sys.modules
    assert not marker.exists()
    assert record_calls == []


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ({TAG: "dataclass", "type": "builtins.int", "fields": {}}, "not a dataclass"),
        ({TAG: "dataclass", "type": "builtins.object", "fields": {}}, "not a dataclass"),
        ({TAG: "enum", "type": "builtins.str", "value": "x"}, "not an Enum"),
        ({TAG: "pydantic", "type": "builtins.dict", "data": {}}, "not a pydantic model"),
        ({TAG: "enum", "type": "typing.Any", "value": 1}, "not an Enum"),
    ],
)
def test_a_registered_class_is_only_built_the_way_its_kind_allows(value: Any, complaint: str) -> None:
    with pytest.raises(CheckpointFormatError, match=complaint):
        decode_value(value)


@register_checkpoint_type
@dataclass
class Harmless:
    text: str


def test_a_dataclass_entry_naming_a_pydantic_decoder_is_refused() -> None:
    with pytest.raises(CheckpointFormatError, match="not a pydantic model"):
        decode_value({TAG: "pydantic", "type": f"{__name__}.Harmless", "data": {"text": "x"}})


def test_the_codec_source_never_evaluates_imports_dynamically_or_unpickles() -> None:
    tree = ast.parse(inspect.getsource(codec))
    called = {
        node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    assert not called & {"eval", "exec", "compile", "__import__", "import_module", "find_spec", "loads"}
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"pickle", "marshal", "importlib", "shelve", "dill", "cloudpickle"}
    # Imports inside functions would run while decoding; the codec has none.
    nested_imports = [
        node for function in ast.walk(tree) if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom))
    ]
    assert nested_imports == []


def test_the_probe_module_would_reveal_an_import(probe_module: tuple[str, Path]) -> None:
    # The control for the tests above: importing the probe does leave its marker.
    name, marker = probe_module
    try:
        importlib.import_module(name)
        assert marker.read_text() == "imported"
    finally:
        sys.modules.pop(name, None)


# --- the full path: a crafted file, FileCheckpointStorage, then run_from_checkpoint -------------
# The tests above call decode_value directly. These go the way a learner's notebook does: a file
# in a checkpoint folder, loaded by FileCheckpointStorage and restored into a fresh workflow.
# The file starts as a real checkpoint of the release-notes workflow (so the graph check passes
# and restoring really reaches the values), then one value in it is replaced by a crafted one.


def _craft_message(data: dict[str, Any], value: Any) -> None:
    entry = {"source_id": "review_gateway", "target_id": "writer", "data": value, "type": "standard"}
    data["messages"].setdefault("review_gateway", []).append(entry)


def _craft_shared_state(data: dict[str, Any], value: Any) -> None:
    data["shared_state"]["brief"] = value


def _craft_executor_state(data: dict[str, Any], value: Any) -> None:
    data["executor_states"]["review_gateway"]["last_draft"] = value


def _craft_request_data(data: dict[str, Any], value: Any) -> None:
    data["pending_requests"][0]["data"] = value


def _craft_response_type(data: dict[str, Any], value: Any) -> None:
    data["pending_requests"][0]["response_type"] = value


def _craft_fan_in_buffer(data: dict[str, Any], value: Any) -> None:
    data["fan_in_buffers"]["crafted-group"] = {"writer": [value]}


def _craft_executor_snapshot(data: dict[str, Any], value: Any) -> None:
    data["metadata"]["executor_snapshots"]["writer"] = value


# Every part of a checkpoint that restoring decodes, and what a refusal should name to say where.
CRAFTED_PLACES: dict[str, tuple[Callable[[dict[str, Any], Any], None], Callable[[dict[str, Any]], str]]] = {
    "a waiting message": (_craft_message, lambda data: "writer"),
    "shared state": (_craft_shared_state, lambda data: "brief"),
    "an executor's state": (_craft_executor_state, lambda data: "review_gateway"),
    "a pending request": (_craft_request_data, lambda data: data["pending_requests"][0]["request_id"]),
    "a pending request's answer type": (_craft_response_type, lambda data: data["pending_requests"][0]["request_id"]),
    "a fan-in buffer": (_craft_fan_in_buffer, lambda data: "crafted-group"),
    "an executor snapshot": (_craft_executor_snapshot, lambda data: "writer"),
}


@pytest.fixture(scope="module")
def paused_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real checkpoint file of a paused release-notes run (a pending request, shared and executor
    state), as JSON data. Module-scoped, so it is made before `record_calls` swaps anything."""
    folder = tmp_path_factory.mktemp("paused")
    storage = FileCheckpointStorage(folder)
    run(release_notes_workflow(storage).run("Launch the grinder"))
    newest = run(storage.list_checkpoints())[-1]
    return json.loads((folder / f"{newest.checkpoint_id}.json").read_text())


def crafted_file(folder: Path, paused: dict[str, Any], place: str, value: Any) -> dict[str, Any]:
    """Write the paused checkpoint into `folder`, with `value` put in at `place`; return its data."""
    data = json.loads(json.dumps(paused))
    craft, _ = CRAFTED_PLACES[place]
    craft(data, value)
    (folder / f"{data['checkpoint_id']}.json").write_text(json.dumps(data))
    return data


def restore_refusal(folder: Path, checkpoint_id: str) -> CheckpointFormatError:
    """Restore `checkpoint_id` from the folder into a fresh workflow, and return the refusal."""
    storage = FileCheckpointStorage(folder)
    with pytest.raises(CheckpointFormatError) as caught:
        run(release_notes_workflow().run_from_checkpoint(checkpoint_id, checkpoint_storage=storage))
    return caught.value


@pytest.mark.parametrize("place", CRAFTED_PLACES)
@pytest.mark.parametrize("type_name", ["subprocess.Popen", "os.system", "builtins.eval"])
def test_restoring_a_crafted_checkpoint_file_refuses_the_name_and_calls_nothing(
    tmp_path: Path, paused_checkpoint: dict[str, Any], place: str, type_name: str, record_calls: list[str]
) -> None:
    for value in crafted_values(type_name):
        data = crafted_file(tmp_path, paused_checkpoint, place, value)
        error = restore_refusal(tmp_path, data["checkpoint_id"])
        # An annotation whose origin is a bare string is refused for its shape, before any name is read.
        assert repr(type_name) in str(error) or "origin should be a type" in str(error)
    assert record_calls == []


@pytest.mark.parametrize("place", CRAFTED_PLACES)
def test_restoring_a_crafted_checkpoint_file_never_imports_the_module_it_names(
    tmp_path: Path, paused_checkpoint: dict[str, Any], place: str, probe_module: tuple[str, Path],
    record_calls: list[str],
) -> None:
    name, marker = probe_module
    for type_name in (f"{name}.Boom", f"{name}:Boom", name):
        for value in crafted_values(type_name):
            data = crafted_file(tmp_path, paused_checkpoint, place, value)
            restore_refusal(tmp_path, data["checkpoint_id"])
    assert name not in sys.modules
    assert not marker.exists()
    assert record_calls == []


@pytest.mark.parametrize("place", CRAFTED_PLACES)
def test_a_refused_checkpoint_names_the_checkpoint_and_where_in_it_the_bad_name_was(
    tmp_path: Path, paused_checkpoint: dict[str, Any], place: str
) -> None:
    data = crafted_file(tmp_path, paused_checkpoint, place, {TAG: "dataclass", "type": "os.system", "fields": {}})
    message = str(restore_refusal(tmp_path, data["checkpoint_id"]))
    assert "'os.system'" in message and "register_checkpoint_type" in message
    assert data["checkpoint_id"] in message, f"the refusal does not say which checkpoint: {message}"
    where = CRAFTED_PLACES[place][1](data)
    assert where in message, f"the refusal does not say where in the checkpoint ({place}): {message}"
