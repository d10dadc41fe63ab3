"""Property tests: any nesting of supported values survives encode -> JSON text -> decode.

The values mix plain Python data, the test's own registered dataclasses and enums, registered
pydantic models, and the types wfkit itself registers (chat messages and their contents, agent
requests and responses, `RequestResponse`, request messages, type annotations).
"""

from __future__ import annotations

import enum
import json
import os
import resource
import string
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from wfkit import (
    AgentExecutorRequest,
    AgentExecutorResponse,
    AgentRunResponse,
    AgentRunResponseUpdate,
    ChatMessage,
    ChatResponse,
    FunctionCallContent,
    FunctionResultContent,
    RequestInfoMessage,
    RequestResponse,
    Role,
    TextContent,
)
from wfkit.checkpoint import CheckpointFormatError, decode_value, encode_value, register_checkpoint_type
from wfkit.checkpoint.codec import TAG
from wfkit.checkpoint.registry import class_for


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


@register_checkpoint_type
@dataclass(kw_only=True)
class ApprovalRequest(RequestInfoMessage):
    draft: str = ""
    iteration: int = 0


@register_checkpoint_type
class Author(BaseModel):
    name: str
    email: str | None


@register_checkpoint_type
class Ticket(BaseModel):
    """A pydantic model with nested data, an enum, a datetime and another model inside."""

    title: str
    priority: int
    tags: list[str]
    due: datetime | None
    suit: Suit
    author: Author
    scores: dict[str, float]


@register_checkpoint_type
class Label(BaseModel):
    """Frozen, so hashable: it may be a set item or a dict key."""

    model_config = ConfigDict(frozen=True)
    text: str
    weight: int


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
    st.sampled_from(Role),  # a str Enum: equal to its text, but must come back as a Role
    st.builds(Label, text=st.text(max_size=5), weight=st.integers()),
)

hashables = st.recursive(
    hashable_leaves | st.builds(Card, st.sampled_from(Suit), st.sampled_from(Rank), st.text(max_size=5)),
    lambda inner: st.tuples(inner, inner) | st.frozensets(inner, max_size=3),
    max_leaves=6,
)

dict_keys = st.text(max_size=8) | st.sampled_from([TAG, "type", "items", "value"])

short_text = st.text(max_size=8)

authors = st.builds(Author, name=short_text, email=st.none() | short_text)
tickets = st.builds(
    Ticket,
    title=st.text(),
    priority=st.integers(),
    tags=st.lists(short_text, max_size=3),
    due=st.none() | st.datetimes(timezones=st.none() | st.just(timezone.utc)),
    suit=st.sampled_from(Suit),
    author=authors,
    scores=st.dictionaries(short_text, st.floats(allow_nan=False, allow_infinity=False), max_size=3),
)
pydantic_models = st.one_of(authors, tickets, st.builds(Label, text=short_text, weight=st.integers()))

# Classes and annotations are values too (a pending request stores its answer type).
registered_types = st.sampled_from(
    [ChatMessage, Role, Ticket, RequestResponse, list[ChatMessage], dict[str, Ticket], ChatMessage | None,
     RequestResponse[ApprovalRequest, str], tuple[Card, ...]]
)


def wfkit_types(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """wfkit's own registered types, holding `children` wherever they take any value."""
    contents = st.one_of(
        st.builds(TextContent, st.text()),
        st.builds(FunctionCallContent, short_text, short_text,
                  st.none() | short_text | st.dictionaries(short_text, children, max_size=2)),
        st.builds(FunctionResultContent, short_text, children),
    )
    messages = st.builds(
        lambda role, contents, author: ChatMessage(role, contents=contents, author_name=author),
        st.sampled_from(Role), st.lists(contents, max_size=3), st.none() | short_text,
    )
    conversations = st.lists(messages, max_size=3)
    run_responses = st.builds(AgentRunResponse, conversations, st.none() | short_text)
    requests = st.builds(
        ApprovalRequest, request_id=short_text, source_executor_id=st.none() | short_text,
        draft=st.text(), iteration=st.integers(),
    )
    return st.one_of(
        messages,
        st.builds(ChatResponse, conversations, st.none() | short_text, st.none() | short_text),
        run_responses,
        st.builds(AgentRunResponseUpdate, st.lists(contents, max_size=2), st.none() | st.sampled_from(Role),
                  st.none() | short_text, st.none() | short_text),
        st.builds(AgentExecutorRequest, conversations, st.booleans()),
        st.builds(AgentExecutorResponse, short_text, run_responses, conversations),
        requests,
        st.builds(RequestResponse, data=children, original_request=requests | children, request_id=short_text),
    )


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Every container kind, holding values drawn from `children`.

    `children` is named once here: a few child values are drawn first and the containers are
    built from those. Naming it in each kind instead makes every level of `st.recursive` repeat
    the level below two dozen times, and Hypothesis, which prints strategies while it shrinks,
    then built reprs of 500 MB and grew the test process to 24 GB on the first codec bug.
    """
    return st.lists(children, min_size=1, max_size=4).flatmap(lambda drawn: containers_of(st.sampled_from(drawn)))


def containers_of(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.sets(hashables, max_size=4),
        st.dictionaries(dict_keys, children, max_size=4),
        st.dictionaries(hashables, children, max_size=3),
        st.builds(Box, children, st.lists(st.text(max_size=5), max_size=2)),
        st.builds(LabelledBox, children, st.lists(st.text(max_size=5), max_size=2), st.text(max_size=5)),
        wfkit_types(children),
    )


values = st.recursive(hashables | pydantic_models | registered_types, containers, max_leaves=20)


@pytest.fixture(autouse=True, scope="module")
def memory_cap() -> Any:
    """A codec bug must fail these tests, not exhaust the machine: while they run, the process
    may grow by at most 2 GiB (a MemoryError then fails the test that went over)."""
    if sys.platform != "linux":
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:
        in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    cap = in_use + 2 * 1024**3
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_the_value_strategy_stays_small_enough_to_print() -> None:
    # Hypothesis prints strategies while it shrinks a failure; each level of the recursion
    # must stay a few times the size of the one below, not two dozen times.
    levels = values.strategy.original_strategies
    assert len(levels) >= 5
    assert all(len(repr(level)) < 100_000 for level in levels)


@settings(max_examples=300, deadline=None)
@given(values)
@example({TAG: "dict", "items": []})  # a user dict that looks like an encoded one
@example({TAG: Role.USER, "value": [TAG]})
def test_nested_registered_values_round_trip(value: Any) -> None:
    decoded = decode_value(to_text_and_back(value))
    assert decoded == value
    assert canonical(decoded) == canonical(value)


@settings(max_examples=200, deadline=None)
@given(pydantic_models)
def test_registered_pydantic_models_round_trip_as_the_same_model(model: BaseModel) -> None:
    decoded = decode_value(to_text_and_back(model))
    assert type(decoded) is type(model)
    assert decoded == model
    assert canonical(decoded) == canonical(model)


@settings(max_examples=200, deadline=None)
@given(wfkit_types(hashables | pydantic_models))
def test_wfkit_message_and_response_types_round_trip(value: Any) -> None:
    decoded = decode_value(to_text_and_back(value))
    assert type(decoded) is type(value)
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
    if class_for(name) is not None:
        return
    try:
        decode_value({TAG: "type", "name": name})
    except CheckpointFormatError as error:
        assert repr(name) in str(error)
    else:
        raise AssertionError(f"{name!r} was accepted")
