"""Property tests: any nesting of supported values survives encode -> JSON text -> decode."""

from __future__ import annotations

import enum
import json
import string
from dataclasses import dataclass, field
from datetime import timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from wfkit.checkpoint import CheckpointFormatError, decode_value, encode_value, register_checkpoint_type
from wfkit.checkpoint.codec import TAG
from wfkit.checkpoint.registry import class_by_name as _class_by_name


@register_checkpoint_type
class Suit(enum.Enum):
    HEARTS = "hearts"
    SPADES = "spades"


@register_checkpoint_type
class Rank(enum.IntEnum):
    ACE = 1
    KING = 13


@register_checkpoint_type
@dataclass(frozen=True)
class Card:
    suit: Suit
    rank: Rank
    note: str = ""


@register_checkpoint_type
@dataclass
class Box:
    content: Any
    labels: list[str] = field(default_factory=list)


@register_checkpoint_type
@dataclass
class LabelledBox(Box):
    colour: str = "red"


def to_text_and_back(value: Any) -> Any:
    return json.loads(json.dumps(encode_value(value), allow_nan=False))


def canonical(value: Any) -> str:
    """The encoded JSON text: equal text means equal values *and* equal types (True is not 1)."""
    return json.dumps(encode_value(value), sort_keys=True, allow_nan=False)


hashable_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(),
    st.binary(max_size=20),
    st.datetimes(timezones=st.none() | st.just(timezone.utc)),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.uuids(),
    st.decimals(allow_nan=False),
    st.sampled_from(Suit),
    st.sampled_from(Rank),
)

hashables = st.recursive(
    hashable_leaves | st.builds(Card, st.sampled_from(Suit), st.sampled_from(Rank), st.text(max_size=5)),
    lambda inner: st.tuples(inner, inner) | st.frozensets(inner, max_size=3),
    max_leaves=6,
)

dict_keys = st.text(max_size=8) | st.sampled_from([TAG, "type", "items", "value"])


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.sets(hashables, max_size=4),
        st.dictionaries(dict_keys, children, max_size=4),
        st.dictionaries(hashables, children, max_size=3),
        st.builds(Box, children, st.lists(st.text(max_size=5), max_size=2)),
        st.builds(LabelledBox, children, st.lists(st.text(max_size=5), max_size=2), st.text(max_size=5)),
    )


values = st.recursive(hashables, containers, max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(values)
def test_nested_registered_values_round_trip(value: Any) -> None:
    decoded = decode_value(to_text_and_back(value))
    assert decoded == value
    assert canonical(decoded) == canonical(value)


@settings(deadline=None)
@given(st.recursive(st.floats() | st.text(max_size=3), lambda inner: st.lists(inner, max_size=3), max_leaves=10))
def test_encoded_values_are_always_strict_json_even_with_nan(value: Any) -> None:
    json.dumps(encode_value(value), allow_nan=False)


tag_names = st.sampled_from(
    ["float", "bytes", "datetime", "timedelta", "tuple", "set", "dict", "type", "annotation", "enum",
     "dataclass", "pydantic", "nope"]
)
type_names = st.sampled_from(
    ["builtins.int", "builtins.list", "typing.Any", f"{__name__}.Card", f"{__name__}.Suit", f"{__name__}.Box",
     "os.system", "union", "literal"]
)
json_leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5) | type_names


def json_documents(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    tagged = st.fixed_dictionaries(
        {TAG: tag_names},
        optional={
            "value": children, "items": st.lists(children, max_size=3), "type": type_names, "name": type_names,
            "fields": st.dictionaries(st.sampled_from(["content", "labels", "suit", "x"]), children, max_size=3),
            "origin": children | type_names, "args": st.lists(children, max_size=3), "data": children,
        },
    )
    return st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3) | tagged


@settings(max_examples=500, deadline=None)
@given(st.recursive(json_leaves, json_documents, max_leaves=12))
def test_any_json_either_decodes_or_raises_a_format_error(document: Any) -> None:
    try:
        decode_value(document)
    except CheckpointFormatError:
        pass


@given(st.text(alphabet=string.printable, max_size=30))
def test_any_type_name_that_is_not_registered_is_refused(name: str) -> None:
    if name in _class_by_name:
        return
    try:
        decode_value({TAG: "type", "name": name})
    except CheckpointFormatError as error:
        assert repr(name) in str(error)
    else:
        raise AssertionError(f"{name!r} was accepted")
