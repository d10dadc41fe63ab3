"""encode_value / decode_value: every supported kind of value survives a trip through JSON text."""

from __future__ import annotations

import enum
import json
import math
import typing
import uuid
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Generic, Literal, Optional, TypeVar

import pydantic
import pytest

from wfkit.checkpoint import (
    CheckpointEncodingError,
    CheckpointFormatError,
    decode_value,
    encode_value,
    register_checkpoint_type,
)
from wfkit.checkpoint.codec import TAG


def through_json(value: Any) -> Any:
    """Encode, write as JSON text exactly as a storage would, read back and decode."""
    text = json.dumps(encode_value(value), allow_nan=False)
    return decode_value(json.loads(text))


@register_checkpoint_type
class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


@register_checkpoint_type
class Priority(enum.IntEnum):
    LOW = 1
    HIGH = 2


@register_checkpoint_type
class Mood(str, enum.Enum):
    CALM = "calm"


@register_checkpoint_type
class Permission(enum.Flag):
    READ = 1
    WRITE = 2


@register_checkpoint_type
@dataclass
class Point:
    x: int
    y: int = 0


@register_checkpoint_type
@dataclass(frozen=True)
class FrozenPoint:
    x: int
    y: int


@register_checkpoint_type
@dataclass
class Labelled(Point):
    label: str = "origin"
    tags: list[str] = field(default_factory=list)


@register_checkpoint_type
@dataclass
class Counter:
    start: int
    total: int = field(init=False)

    def __post_init__(self) -> None:
        self.total = self.start


@register_checkpoint_type
@dataclass
class Report:
    title: str
    points: list[Point]
    colour: Colour
    written: datetime


@register_checkpoint_type
class Review(pydantic.BaseModel):
    approved: bool
    comments: list[str] = []
    at: datetime | None = None
    colour: Colour = Colour.RED


@register_checkpoint_type
class ReviewBundle(pydantic.BaseModel):
    reviews: list[Review]
    alias_field: int = pydantic.Field(default=0, alias="aliasField")


Req = TypeVar("Req")
Resp = TypeVar("Resp")


@register_checkpoint_type
@dataclass
class Envelope(Generic[Req, Resp]):
    request: Req
    response: Resp


@pytest.mark.parametrize(
    "value",
    [
        None, True, False, 0, -5, 10**40, 1.5, -0.0, 1e308, "", "text", "ünïcødé ✓ \n\t",
        [], [1, "a", None], (), (1, (2, 3)), {1, 2, 3}, frozenset({"a", "b"}), set(),
        {}, {"a": 1, "b": [2]}, {1: "one", 2: "two"}, {(1, 2): "pair"}, {None: 0, True: 1},
        {"__wfkit__": "looks like a tag", "other": 1},
        {"__wfkit__": "type", "name": "os.system"},
        b"", b"\x00\xffbinary",
        datetime(2025, 11, 25, 12, 30, 5, 123456), datetime(2025, 1, 1, tzinfo=timezone.utc),
        datetime(2025, 1, 1, 8, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
        date(1999, 12, 31), time(23, 59, 59, 999999), time(1, 2, tzinfo=timezone.utc),
        timedelta(days=-3, seconds=5, microseconds=7), timedelta(0),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        Decimal("3.14159265358979323846264338327950288"), Decimal("-0"), Decimal("Infinity"),
        Path("some/relative/file.txt"), PurePosixPath("/etc/hosts"), PureWindowsPath(r"C:\Users\me"),
        Colour.GREEN, Priority.HIGH, Mood.CALM, Permission.READ | Permission.WRITE,
        Point(1, 2), FrozenPoint(3, 4), Labelled(1, 2, "corner", ["a"]), Labelled(5),
        Report("r", [Point(1), Point(2, 3)], Colour.RED, datetime(2025, 5, 5)),
        Envelope(Point(1), Colour.RED),
        Review(approved=True, comments=["nice"], at=datetime(2025, 1, 1, tzinfo=timezone.utc)),
        ReviewBundle(reviews=[Review(approved=False)], aliasField=3),
        {"nested": [{"deeper": (Point(1), {FrozenPoint(1, 2): [b"x", Colour.RED]})}]},
    ],
    ids=repr,
)
def test_value_round_trips_with_its_exact_type(value: Any) -> None:
    decoded = through_json(value)
    assert decoded == value
    assert type(decoded) is type(value)


@pytest.mark.parametrize("value", [float("inf"), float("-inf")])
def test_infinite_floats_round_trip(value: float) -> None:
    assert through_json(value) == value


def test_nan_round_trips_as_nan() -> None:
    assert math.isnan(through_json(float("nan")))
    assert through_json(Decimal("NaN")).is_nan()


def test_dataclass_field_that_init_does_not_take_is_restored_as_saved() -> None:
    counter = Counter(start=1)
    counter.total = 41
    decoded = through_json(counter)
    assert (decoded.start, decoded.total) == (1, 41)


def test_dataclass_subclass_keeps_inherited_fields_and_defaults() -> None:
    decoded = through_json(Labelled(7))
    assert isinstance(decoded, Labelled)
    assert (decoded.x, decoded.y, decoded.label, decoded.tags) == (7, 0, "origin", [])


def test_a_dataclass_saved_before_a_field_with_a_default_was_added_still_loads() -> None:
    encoded = encode_value(Labelled(1, 2, "x"))
    del encoded["fields"]["tags"]
    assert decode_value(encoded) == Labelled(1, 2, "x", [])


def test_pydantic_models_are_rebuilt_with_model_validate() -> None:
    decoded = through_json(ReviewBundle(reviews=[Review(approved=True, colour=Colour.GREEN)]))
    assert isinstance(decoded.reviews[0], Review)
    assert decoded.reviews[0].colour is Colour.GREEN


@pytest.mark.parametrize(
    "annotation",
    [
        str, int, float, bool, bytes, dict, list, type(None), Any, Point, Colour, Review,
        list[str], dict[str, int], list[Point], Point | None, Optional[Point], int | str | None,
        tuple[int, ...], tuple[int, str], set[Colour], Literal["yes", "no"], Literal[1, True],
        Envelope[Point, str], list[dict[str, Point | Colour]], datetime, uuid.UUID,
    ],
    ids=repr,
)
def test_types_and_annotations_round_trip(annotation: Any) -> None:
    assert through_json(annotation) == annotation


def test_a_class_is_encoded_by_its_registered_name() -> None:
    assert encode_value(str) == {TAG: "type", "name": "builtins.str"}
    assert encode_value(Point) == {TAG: "type", "name": f"{__name__}.Point"}


def test_user_dict_that_holds_the_tag_key_is_escaped_not_mistaken_for_a_tag() -> None:
    crafted = {TAG: "type", "name": "os.system"}
    encoded = encode_value(crafted)
    assert encoded[TAG] == "dict"
    assert decode_value(encoded) == crafted


def test_encoding_a_set_does_not_depend_on_insertion_order() -> None:
    forwards = json.dumps(encode_value({"b", "a", "c", 1, 2, (0, "x")}))
    backwards = json.dumps(encode_value({(0, "x"), 2, 1, "c", "a", "b"}))
    assert forwards == backwards


def test_equal_sets_encode_to_the_same_json() -> None:
    """8 and 16 share a slot in a small set's table, so which comes first is the order they were
    added in: equal sets that iterate differently must still give the same checkpoint text."""
    first, second = {8, 16}, {16, 8}
    assert first == second and list(first) != list(second)  # the premise: same set, other order
    assert json.dumps(encode_value(first)) == json.dumps(encode_value(second))
    assert json.dumps(encode_value(frozenset(first))) == json.dumps(encode_value(frozenset(second)))


def test_shared_references_are_copied_not_refused() -> None:
    shared = [1, 2]
    assert through_json([shared, shared]) == [[1, 2], [1, 2]]


def test_a_value_that_contains_itself_is_refused() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    with pytest.raises(CheckpointEncodingError, match=r"value\[1\] contains itself"):
        encode_value(loop)


# --- encoding errors ---------------------------------------------------------------------------


@dataclass
class UnregisteredDraft:
    text: str


class UnregisteredKind(enum.Enum):
    A = 1


class UnregisteredModel(pydantic.BaseModel):
    x: int = 0


class PlainObject:
    pass


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        (UnregisteredDraft("hi"), "UnregisteredDraft"),
        (UnregisteredKind.A, "UnregisteredKind"),
        (UnregisteredModel(), "UnregisteredModel"),
        (UnregisteredDraft, "UnregisteredDraft"),
        (list[UnregisteredDraft], "UnregisteredDraft"),
    ],
)
def test_an_unregistered_type_names_itself_where_it_was_and_the_fix(value: Any, type_name: str) -> None:
    with pytest.raises(CheckpointEncodingError) as caught:
        encode_value({"drafts": [value]}, where="shared_state")
    message = str(caught.value)
    assert type_name in message
    assert "shared_state['drafts'][0]" in message
    assert f"register_checkpoint_type({type_name})" in message


def test_an_arbitrary_object_is_refused_with_advice_to_make_it_a_dataclass() -> None:
    advice = r"make PlainObject a @dataclass.*register_checkpoint_type\(PlainObject\)"
    with pytest.raises(CheckpointEncodingError, match=advice):
        encode_value(PlainObject())


@pytest.mark.parametrize("value", [defaultdict(list), OrderedDict(a=1)], ids=lambda v: type(v).__name__)
def test_a_dict_subclass_is_refused_with_advice_to_make_it_a_plain_dict(value: Any) -> None:
    with pytest.raises(CheckpointEncodingError, match=r"Convert it to a plain dict first \(dict\(value\)\)"):
        encode_value(value)


def test_an_unregistered_object_deep_inside_a_dataclass_names_the_field_path() -> None:
    report = Report("t", [Point(1)], Colour.RED, datetime(2025, 1, 1))
    report.points.append(PlainObject())  # type: ignore[arg-type]
    with pytest.raises(CheckpointEncodingError, match=r"value\.points\[1\]"):
        encode_value(report)


def test_an_annotation_wfkit_cannot_store_is_refused_by_name() -> None:
    with pytest.raises(CheckpointEncodingError, match="Annotated"):
        encode_value(typing.Annotated[int, "meta"])


# --- decoding errors ---------------------------------------------------------------------------


def test_decoding_an_unknown_kind_says_so() -> None:
    with pytest.raises(CheckpointFormatError, match="unknown value kind 'teleport'"):
        decode_value({TAG: "teleport"})


@pytest.mark.parametrize(
    "damaged",
    [
        {TAG: "bytes", "value": "not base64!!"},
        {TAG: "bytes"},
        {TAG: "datetime", "value": "yesterday"},
        {TAG: "timedelta", "value": [1, 2]},
        {TAG: "decimal", "value": "one"},
        {TAG: "uuid", "value": 12},
        {TAG: "float", "value": "1.5"},
        {TAG: "set", "items": [[1, 2]]},
        {TAG: "dict", "items": [[[1], 2]]},
        {TAG: "dict", "items": [[1, 2, 3]]},
        {TAG: "tuple", "items": "abc"},
        {TAG: "annotation", "origin": "union", "args": []},
        {TAG: "annotation", "origin": {TAG: "type", "name": "builtins.int"}, "args": [1]},
    ],
    ids=repr,
)
def test_damaged_tagged_values_raise_format_errors(damaged: dict[str, Any]) -> None:
    with pytest.raises(CheckpointFormatError):
        decode_value({"outer": [damaged]})


def test_a_format_error_says_where_the_damage_is() -> None:
    with pytest.raises(CheckpointFormatError, match=r"shared_state\['x'\]\[1\]"):
        decode_value({"x": [1, {TAG: "datetime", "value": "?"}]}, where="shared_state")


def test_a_dataclass_field_the_class_no_longer_has_is_named() -> None:
    encoded = encode_value(Point(1, 2))
    encoded["fields"]["z"] = 3
    with pytest.raises(CheckpointFormatError, match="has no field.* z; the class changed"):
        decode_value(encoded)


def test_a_dataclass_missing_a_required_field_cannot_be_rebuilt() -> None:
    encoded = encode_value(Point(1, 2))
    del encoded["fields"]["x"]
    with pytest.raises(CheckpointFormatError, match="could not rebuild .*Point"):
        decode_value(encoded)


def test_an_enum_value_that_no_longer_exists_is_named() -> None:
    encoded = encode_value(Colour.RED)
    encoded["value"] = "purple"
    with pytest.raises(CheckpointFormatError, match="Colour has no member with value 'purple'"):
        decode_value(encoded)


def test_a_pydantic_model_that_fails_validation_is_a_format_error() -> None:
    encoded = encode_value(Review(approved=True))
    encoded["data"]["approved"] = "maybe"
    with pytest.raises(CheckpointFormatError, match="could not rebuild .*Review"):
        decode_value(encoded)
