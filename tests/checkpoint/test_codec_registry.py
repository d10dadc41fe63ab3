"""The checkpoint type registry: how classes get a name, and what happens when names collide."""

from __future__ import annotations

import enum
import typing
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import pydantic
import pytest

from wfkit.checkpoint import (
    CheckpointRegistryError,
    decode_value,
    encode_value,
    is_registered,
    register_checkpoint_type,
    register_types_from_annotation,
)


def make_class(module: str = __name__) -> type:
    """A fresh class with the same module and qualname each call, as a re-run notebook cell makes."""

    @dataclass
    class Note:
        text: str

    Note.__module__ = module
    return Note


def test_register_returns_the_class_so_it_works_as_a_decorator() -> None:
    @register_checkpoint_type
    @dataclass
    class Decorated:
        x: int

    assert is_registered(Decorated)
    assert decode_value(encode_value(Decorated(1))) == Decorated(1)


def test_the_default_name_is_module_and_qualname() -> None:
    cls = register_checkpoint_type(make_class())
    assert encode_value(cls("a"))["type"] == f"{__name__}.make_class.<locals>.Note"


def test_register_with_a_name_as_a_decorator_factory() -> None:
    @register_checkpoint_type(name="lesson3.Draft")
    @dataclass
    class Draft:
        text: str

    assert encode_value(Draft("x"))["type"] == "lesson3.Draft"
    assert decode_value(encode_value(Draft("x"))) == Draft("x")


def test_registering_the_same_class_twice_changes_nothing() -> None:
    @dataclass
    class Twice:
        x: int

    register_checkpoint_type(Twice, name="tests.Twice")
    register_checkpoint_type(Twice)
    register_checkpoint_type(Twice)
    assert encode_value(Twice(1))["type"] == "tests.Twice"


def test_a_new_name_is_used_for_saving_and_the_old_one_still_loads() -> None:
    @dataclass
    class Renamed:
        x: int

    register_checkpoint_type(Renamed, name="old.Renamed")
    saved_with_old_name = encode_value(Renamed(1))
    register_checkpoint_type(Renamed, name="new.Renamed")
    assert encode_value(Renamed(1))["type"] == "new.Renamed"
    assert decode_value(saved_with_old_name) == Renamed(1)


def test_one_name_for_two_different_classes_is_refused() -> None:
    @dataclass
    class First:
        x: int

    @dataclass
    class Second:
        x: int

    register_checkpoint_type(First, name="tests.Clash")
    with pytest.raises(CheckpointRegistryError, match=r"'tests.Clash' already belongs to .*First.*name='...'"):
        register_checkpoint_type(Second, name="tests.Clash")
    assert not is_registered(Second)


def test_a_redefined_class_with_the_same_module_and_qualname_replaces_the_old_one() -> None:
    old = register_checkpoint_type(make_class("notebook_cell_a"))
    new = register_checkpoint_type(make_class("notebook_cell_a"))
    assert old is not new
    assert type(decode_value(encode_value(new("x")))) is new
    # An object made before the cell was re-run can still be saved; it loads as the new class.
    assert type(decode_value(encode_value(old("x")))) is new


def test_an_unregistered_redefinition_of_a_registered_class_borrows_its_name_for_saving() -> None:
    registered = register_checkpoint_type(make_class("notebook_cell_b"))
    redefined = make_class("notebook_cell_b")
    encoded = encode_value(redefined("x"))
    assert encoded["type"] == f"notebook_cell_b.{registered.__qualname__}"
    assert type(decode_value(encoded)) is registered


def test_only_classes_can_be_registered() -> None:
    with pytest.raises(CheckpointRegistryError, match="expects a class"):
        register_checkpoint_type(list[int])  # type: ignore[arg-type]


def test_an_empty_name_is_refused() -> None:
    with pytest.raises(CheckpointRegistryError, match="non-empty string"):
        register_checkpoint_type(make_class("notebook_cell_c"), name="")


@pytest.mark.parametrize("cls", [int, str, float, bool, bytes, dict, list, type(None), Any])
def test_builtin_types_are_registered_from_the_start(cls: Any) -> None:
    assert is_registered(cls)
    assert decode_value(encode_value(cls)) is cls


def test_is_registered_is_false_for_things_that_are_not_classes() -> None:
    assert not is_registered([1, 2])
    assert not is_registered(object())


# --- registering what annotations mention ------------------------------------------------------

T = TypeVar("T")


class Walk:
    """Classes for the annotation walk, defined at module level so their hints resolve."""


class Stage(enum.Enum):
    DRAFT = 1


class Verdict(enum.Enum):
    YES = "yes"


@dataclass
class Leaf:
    stage: Stage


@dataclass
class Branch:
    leaves: list[Leaf]
    parent: Branch | None = None  # refers to itself: the walk must not loop


class Feedback(pydantic.BaseModel):
    branch: Branch
    verdict: Verdict


@dataclass
class Holder(Generic[T]):
    item: T


@dataclass
class InGeneric:
    x: int


@dataclass
class InUnion:
    x: int


@dataclass
class InDictValue:
    x: int


def test_walking_an_annotation_registers_every_class_it_reaches() -> None:
    register_types_from_annotation(InUnion | dict[str, InDictValue] | Holder[InGeneric] | Feedback | None)
    for cls in (InUnion, InDictValue, Holder, InGeneric, Feedback, Branch, Leaf, Stage, Verdict):
        assert is_registered(cls), cls


def test_walking_registers_enums_named_in_a_literal() -> None:
    class InLiteral(enum.Enum):
        A = 1

    register_types_from_annotation(Literal[InLiteral.A])
    assert is_registered(InLiteral)


def test_walking_skips_what_it_cannot_resolve_without_eval() -> None:
    register_types_from_annotation("SomeForwardReference")
    register_types_from_annotation(T)
    register_types_from_annotation(typing.Callable[[int], str])
    register_types_from_annotation(None)


def test_walking_uses_field_types_that_are_objects_when_hints_cannot_be_resolved() -> None:
    @dataclass
    class LocalInner:
        x: int

    @dataclass
    class LocalOuter:
        inner: Any

    LocalOuter.__dataclass_fields__["inner"].type = LocalInner
    LocalOuter.__annotations__["inner"] = "NotResolvable"
    register_types_from_annotation(LocalOuter)
    assert is_registered(LocalOuter) and is_registered(LocalInner)


def test_walking_leaves_a_class_already_registered_under_its_own_name() -> None:
    @dataclass
    class Named:
        x: int

    register_checkpoint_type(Named, name="custom.Named")
    register_types_from_annotation(list[Named])
    assert encode_value(Named(1))["type"] == "custom.Named"


def test_walking_ignores_plain_classes() -> None:
    register_types_from_annotation(Walk)
    assert not is_registered(Walk)



def test_values_in_flight_inside_a_sub_workflows_executions_are_registered_for_saving() -> None:
    from wfkit.checkpoint.persistence import register_runtime_types
    from wfkit.checkpoint.registry import is_registered
    from wfkit.core.state import Message, RunState

    @dataclass
    class Parcel:  # defined here, so no handler annotation has registered it
        weight: int

    child = RunState(messages=[Message(source_ids=("a",), target_id="b", payload=Parcel(3))])
    parent = RunState(executor_states={"sub": {"executions": {"execution-1": child}, "surfaced": []}})
    assert not is_registered(Parcel)
    register_runtime_types(parent)
    assert is_registered(Parcel)
