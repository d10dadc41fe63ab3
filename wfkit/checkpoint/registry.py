"""The registry of types a checkpoint may hold: the only names decoding is allowed to build.

`register_checkpoint_type` gives a class a stable name; `register_types_from_annotation` walks a
handler's annotation and registers every dataclass, enum and pydantic model in it (wfkit does
that for you: the registry reads the core's record of the types handlers declare,
`wfkit.core.executor.declared_types`, before it answers a lookup it cannot answer yet). The
core's own data classes (messages, requests, a failure report) are registered here too. The codec (`codec.py`) writes these names and
looks them up again; nothing else ever turns a name from a file into a class.
"""

from __future__ import annotations

import dataclasses
import enum
import sys
import typing
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Literal, TypeVar

from ..core.executor import declared_types
from ..core.requests import RequestInfoMessage, RequestResponse
from ..core.run_keywords import WorkflowInvocationKwargs
from ..core.state import ExecutorFailure, Message, PendingRequest, RunState, SourceFailed
from ..errors import CheckpointRegistryError

T = TypeVar("T")

# Names -> classes is all decoding may use. Classes -> names is what encoding writes. A class can
# have several names (an old name keeps old checkpoints readable); encoding uses the latest.
# Only the functions below touch them: `name_for` to encode, `class_for` to decode.
_class_by_name: dict[str, Any] = {}
_name_by_class: dict[Any, str] = {}


def _definition_of(cls: Any) -> tuple[str, str]:
    """Where `cls` is defined, as (module, qualname). Two classes defined at the same place count
    as the same class: a notebook cell that defines it was run again."""
    return getattr(cls, "__module__", ""), getattr(cls, "__qualname__", repr(cls))


def default_name(cls: Any) -> str:
    """The name a checkpoint records for `cls` unless it was registered under another: ``"module.QualName"``."""
    module, qualname = _definition_of(cls)
    return f"{module}.{qualname}"


def _add_to_registry(cls: Any, name: str) -> None:
    existing = _class_by_name.get(name)
    if existing is not None and existing is not cls and _definition_of(existing) != _definition_of(cls):
        raise CheckpointRegistryError(
            f"The checkpoint type name {name!r} already belongs to {default_name(existing)}, so it "
            f"cannot also name {default_name(cls)}. Give one of them another name: "
            f"register_checkpoint_type({cls.__name__}, name='...')."
        )
    # A re-run notebook cell: the new class takes the name; objects of the old one still encode under it.
    _class_by_name[name] = cls
    _name_by_class[cls] = name


_declared_seen = 0  # how much of the core's record of declared types is registered


def _catch_up_with_declared_types() -> None:
    """Register the types handlers have declared since the last call (see `declared_types`)."""
    global _declared_seen
    declared = declared_types()
    while _declared_seen < len(declared):
        _declared_seen += 1
        register_types_from_annotation(declared[_declared_seen - 1])


def name_for(cls: Any) -> str | None:
    """The type name encoding writes for `cls`, or None if `cls` may not go into a checkpoint."""
    name = _name_by_class.get(cls)
    if name is not None:
        return name
    _catch_up_with_declared_types()
    if cls in _name_by_class:
        return _name_by_class[cls]
    # Not registered, but a class defined at the same place is (a re-run notebook cell). Writing
    # that name is safe, since decoding still builds only the registered class, so this class
    # borrows it.
    for registered_name, registered in list(_class_by_name.items()):
        if _definition_of(registered) == _definition_of(cls):
            _name_by_class[cls] = registered_name
            return registered_name
    return None


def class_for(name: str) -> Any | None:
    """The class registered under `name`, or None: the only way a name read from a file becomes a class."""
    if name not in _class_by_name:
        _catch_up_with_declared_types()
    return _class_by_name.get(name)


@typing.overload
def register_checkpoint_type(cls: type[T], name: str | None = None) -> type[T]: ...
@typing.overload
def register_checkpoint_type(cls: None = None, name: str | None = None) -> Callable[[type[T]], type[T]]: ...


def register_checkpoint_type(cls: Any = None, name: str | None = None) -> Any:
    """Allow `cls` (a dataclass, an Enum, a pydantic model, or any class used as a type) in checkpoints.

    `name` is what the checkpoint file records (default ``"module.QualName"``); pass one to keep
    files readable after moving or renaming the class. Registering a class again is harmless.
    Use it as a call or as a decorator::

        register_checkpoint_type(ReviewResponse)

        @register_checkpoint_type(name="lesson3.Draft")
        @dataclass
        class Draft: ...
    """
    if cls is None:
        return lambda actual: register_checkpoint_type(actual, name)
    if not isinstance(cls, type):
        raise CheckpointRegistryError(
            f"register_checkpoint_type expects a class, got {cls!r}. Annotations such as list[Draft] "
            "need no registering themselves: register the classes inside them."
        )
    if name is None:
        if cls in _name_by_class:
            return cls
        name = default_name(cls)
    elif not isinstance(name, str) or not name:
        raise CheckpointRegistryError(f"A checkpoint type name must be a non-empty string, got {name!r}.")
    _add_to_registry(cls, name)
    return cls


def is_registered(cls: Any) -> bool:
    """True if objects (or the class itself) of `cls` can go into a checkpoint."""
    try:
        hash(cls)
    except TypeError:  # unhashable: certainly not a class
        return False
    if cls not in _name_by_class:
        _catch_up_with_declared_types()
    return cls in _name_by_class


def register_types_from_annotation(annotation: Any) -> None:
    """Register every dataclass, Enum and pydantic model mentioned in a type annotation.

    Walks unions, ``list[T]``, ``dict[K, V]``, user generics and, recursively, the field types of
    the dataclasses and models it finds. wfkit calls it for each handler's annotations, so the
    types of a lesson's messages are registered without the learner doing anything.
    """
    _walk_annotation(annotation, set())


def _walk_annotation(tp: Any, seen: set[Any]) -> None:
    # A string annotation would need eval() to resolve; it is skipped rather than guessed at.
    if tp is None or isinstance(tp, (str, TypeVar)) or tp is Ellipsis:
        return
    origin = typing.get_origin(tp)
    if origin is not None:
        if origin is Literal:
            for value in typing.get_args(tp):
                if isinstance(value, enum.Enum):
                    _walk_annotation(type(value), seen)
            return
        for part in (origin, *typing.get_args(tp)):
            if isinstance(part, list):  # Callable[[A, B], R]
                for item in part:
                    _walk_annotation(item, seen)
            else:
                _walk_annotation(part, seen)
        return
    if not isinstance(tp, type) or tp in seen:
        return
    seen.add(tp)
    if dataclasses.is_dataclass(tp):
        register_checkpoint_type(tp)
        for field_type in _dataclass_field_types(tp):
            _walk_annotation(field_type, seen)
    elif issubclass(tp, enum.Enum):
        register_checkpoint_type(tp)
    elif is_pydantic_class(tp):
        register_checkpoint_type(tp)
        for info in tp.model_fields.values():
            _walk_annotation(info.annotation, seen)


def _dataclass_field_types(cls: type) -> list[Any]:
    try:
        return list(typing.get_type_hints(cls).values())
    except Exception:
        # A name the hints refer to is not importable from the class's module (a class defined
        # inside a function, say): fall back to the annotations that are real objects already.
        return [f.type for f in dataclasses.fields(cls) if not isinstance(f.type, str)]


def _pydantic_base() -> Any:
    # A pydantic model cannot exist before pydantic is imported, so asking sys.modules is
    # enough: the codec never imports pydantic itself.
    return getattr(sys.modules.get("pydantic"), "BaseModel", None)


def is_pydantic_class(cls: Any) -> bool:
    """True if `cls` is a pydantic model class (without importing pydantic)."""
    if not (isinstance(cls, type) and hasattr(cls, "model_dump") and hasattr(cls, "model_validate")):
        return False
    base = _pydantic_base()
    return base is not None and issubclass(cls, base)


def _preregister_builtins() -> None:
    for cls in (int, str, float, bool, bytes, dict, list, tuple, set, frozenset, object, type(None)):
        _add_to_registry(cls, f"builtins.{cls.__name__}")
    for cls in (datetime, date, time, timedelta, uuid.UUID, Decimal, Path):
        _add_to_registry(cls, default_name(cls))
    _add_to_registry(Any, "typing.Any")
    core_types = (PendingRequest, Message, RunState, ExecutorFailure, SourceFailed, RequestInfoMessage, RequestResponse)
    for cls in (*core_types, WorkflowInvocationKwargs):
        _add_to_registry(cls, default_name(cls))
    # The name ExecutorFailure had before it moved to state.py, so checkpoints saved then still load.
    _add_to_registry(ExecutorFailure, "wfkit.core.reliability.ExecutorFailure")
    _add_to_registry(ExecutorFailure, default_name(ExecutorFailure))


_preregister_builtins()
