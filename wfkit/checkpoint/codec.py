"""The safe JSON codec: how Python values go into a checkpoint and come back out.

JSON knows only objects, arrays, strings, numbers, booleans and null. Everything else is
written as a small *tagged* object, ``{"__wfkit__": <kind>, ...}``::

    >>> encode_value((1, b"hi"))
    {'__wfkit__': 'tuple', 'items': [1, {'__wfkit__': 'bytes', 'value': 'aGk='}]}

Your own classes (dataclasses, enums, pydantic models) are written with a *type name* that
is looked up in a registry when the checkpoint is read back::

    @register_checkpoint_type
    @dataclass
    class Draft:
        text: str

Why a registry, and not "module.Class, import it"? A checkpoint file is data from outside the
program. If reading it could import any module or call anything it names, a crafted file could
run ``os.system``. So decoding here never imports, never evaluates, never unpickles: it only
builds the classes you registered, through their normal constructors.

Two more things keep a hostile or unlucky value from costing more than it should: values may
be nested at most `MAX_DEPTH` levels deep, and the location an error message names
(``shared_state['draft'].notes[2]``) is a `Location`, written out only when there is an error.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import json
import math
import re
import types
import typing
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path, PosixPath, PurePosixPath, PureWindowsPath, WindowsPath
from typing import Any, Callable, Literal, TypeVar, Union

from ..errors import CheckpointEncodingError, CheckpointFormatError
from .location import Location
from .registry import class_for, default_name, is_pydantic_class, name_for

TAG = "__wfkit__"
"""The key that marks a tagged object. A user dict that has this key is escaped (see `_encode_dict`)."""

MAX_DEPTH = 100
"""How deep a saved value may be nested: a list in a dict in a dataclass is 3 levels.

Saving and restoring call themselves once per level, and Python stops at about 1,000 nested
calls with a bare RecursionError. A fixed limit, well inside that, turns a too-deep value into
an error that says where it is, and stops a crafted file from recursing without end. Real
workflow state is rarely ten levels deep.
"""

MAX_PLAIN_INT_BITS = 2000
"""Integers up to this many bits (about 600 digits) are written as JSON numbers; larger ones
as hexadecimal text, tagged ``"int"``.

Python refuses to turn an int of more than 4,300 decimal digits into text or back (a guard
against slow conversions, `sys.set_int_max_str_digits`), so JSON cannot carry one. Base 16 has
no such limit and converts in linear time. 2,000 bits stays under the lowest limit Python allows
(640 digits), whatever a program sets.
"""

T = TypeVar("T")

# Lone surrogates (U+D800 to U+DFFF alone) are legal in a Python str but not in UTF-8 text.
_SURROGATE = r"[\ud800-\udfff]"  # a pattern for `re`, which compiles it once and caches it


def has_lone_surrogate(text: str) -> bool:
    """True if `text` holds a surrogate code point, which UTF-8 (and so a checkpoint file) cannot hold."""
    return not text.isascii() and re.search(_SURROGATE, text) is not None  # isascii() is instant


# --- encoding ----------------------------------------------------------------------------------
# Values of these exact types become {TAG: kind, "value": to_json(value)}.
_SIMPLE: dict[type, tuple[str, Callable[[Any], Any]]] = {
    bytes: ("bytes", lambda b: base64.b64encode(b).decode("ascii")),
    datetime: ("datetime", datetime.isoformat),
    date: ("date", date.isoformat),
    time: ("time", time.isoformat),
    timedelta: ("timedelta", lambda d: [d.days, d.seconds, d.microseconds]),
    uuid.UUID: ("uuid", str),
    Decimal: ("decimal", str),
    PosixPath: ("path", str),
    WindowsPath: ("path", str),
    PurePosixPath: ("pure_posix_path", str),
    PureWindowsPath: ("pure_windows_path", str),
}


def encode_value(value: Any, *, where: str = "value") -> Any:
    """Turn `value` into JSON-able data that `decode_value` turns back into an equal value.

    `where` names the value in error messages (``"shared_state['draft']"``). Raises
    `CheckpointEncodingError` for anything that cannot be saved, saying where it was found.
    Shared references are not preserved: an object reached twice is written twice.
    """
    return _encode(value, Location(where), set())


def _encode(value: Any, where: Location, active: set[int]) -> Any:
    if where.depth > MAX_DEPTH:
        raise _too_deep_to_save(where)
    kind = type(value)
    if value is None or kind is bool:
        return value
    if kind is int:
        return value if value.bit_length() <= MAX_PLAIN_INT_BITS else {TAG: "int", "value": format(value, "x")}
    if kind is str:
        return value if not has_lone_surrogate(value) else _encode_odd_str(value)
    if kind is float:
        return value if math.isfinite(value) else {TAG: "float", "value": repr(value)}
    if kind in _SIMPLE:
        tag, to_json = _SIMPLE[kind]
        return {TAG: tag, "value": to_json(value)}
    if isinstance(value, type) or value is Any:
        return {TAG: "type", "name": _name_for(value, where)}
    if value is Ellipsis:  # as in tuple[int, ...]
        return {TAG: "ellipsis"}
    if typing.get_origin(value) is not None:
        return _encode_annotation(value, where, active)
    if kind in (list, tuple, set, frozenset, dict) or dataclasses.is_dataclass(value):
        if id(value) in active:
            raise CheckpointEncodingError(f"{where} contains itself, and a checkpoint cannot store a cycle.")
        active.add(id(value))
        try:
            return _encode_container(value, where, active)
        finally:
            active.discard(id(value))
    if isinstance(value, enum.Enum):
        encoded = _encode(value.value, where.field("value"), active)
        return {TAG: "enum", "type": _name_for(kind, where), "value": encoded}
    if hasattr(kind, "model_dump") and is_pydantic_class(kind):
        return _encode_pydantic(value, where, active)
    raise _cannot_encode(value, where)


def _encode_odd_str(text: str) -> Any:
    # UTF-8 cannot hold a lone surrogate, so such a string is written with Python's escapes
    # ("\ud800"). JSON's own \u escapes would not do: reading "\ud83d\ude00" back joins
    # the two halves into one character, and the string would not come back exactly.
    return {TAG: "str", "value": text.encode("unicode_escape").decode("ascii")}


def _encode_container(value: Any, where: Location, active: set[int]) -> Any:
    kind = type(value)
    if kind is list:
        return [_encode(item, where.index(i), active) for i, item in enumerate(value)]
    if kind is tuple:
        return {TAG: "tuple", "items": [_encode(item, where.index(i), active) for i, item in enumerate(value)]}
    if kind is set or kind is frozenset:
        items = [_encode(item, where.set_item(), active) for item in value]
        # Sorted by their JSON text, so equal sets always produce equal files.
        items.sort(key=lambda item: json.dumps(item, sort_keys=True))
        return {TAG: kind.__name__, "items": items}
    if kind is dict:
        return _encode_dict(value, where, active)
    name = _name_for(kind, where)
    fields = {
        f.name: _encode(getattr(value, f.name), where.field(f.name), active)
        for f in dataclasses.fields(value)
        if hasattr(value, f.name)  # an init=False field without a default may never be set
    }
    return {TAG: "dataclass", "type": name, "fields": fields}


def _encode_dict(value: dict[Any, Any], where: Location, active: set[int]) -> Any:
    if TAG not in value and all(type(key) is str and not has_lone_surrogate(key) for key in value):
        return {key: _encode(item, where.key(key), active) for key, item in value.items()}
    # Keys JSON cannot hold (or a user key that looks like our tag): store [key, value] pairs.
    pairs = [
        [_encode(key, where.dict_key(key), active), _encode(item, where.key(key), active)]
        for key, item in value.items()
    ]
    return {TAG: "dict", "items": pairs}


def _encode_annotation(annotation: Any, where: Location, active: set[int]) -> Any:
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        encoded_origin: Any = "union"
    elif origin is Literal:
        encoded_origin = "literal"
    elif isinstance(origin, type):
        encoded_origin = _encode(origin, where, active)
    else:
        raise CheckpointEncodingError(
            f"Cannot save the annotation {annotation!r} found at {where}: only classes, unions, "
            "Literal and generics such as list[T] or dict[K, V] can be stored."
        )
    args = [_encode(arg, where.index(i), active) for i, arg in enumerate(typing.get_args(annotation))]
    return {TAG: "annotation", "origin": encoded_origin, "args": args}


def _encode_pydantic(value: Any, where: Location, active: set[int]) -> Any:
    name = _name_for(type(value), where)
    try:
        data = value.model_dump(mode="json", by_alias=True, round_trip=True)
    except Exception as error:
        raise CheckpointEncodingError(
            f"Cannot save the {type(value).__qualname__} found at {where}: pydantic could not dump it "
            f"to JSON ({error})."
        ) from error
    return {TAG: "pydantic", "type": name, "data": _encode(data, where.model_data(), active)}


def _name_for(cls: Any, where: Location) -> str:
    name = name_for(cls)
    if name is not None:
        return name
    short_name = getattr(cls, "__name__", repr(cls))
    raise CheckpointEncodingError(
        f"Cannot save {short_name} ({default_name(cls)}), found at {where}: the type is not registered "
        f"for checkpoints. Call register_checkpoint_type({short_name}) once after defining it (or put "
        "@register_checkpoint_type above the class)."
    )


def _too_deep_to_save(where: Location) -> CheckpointEncodingError:
    return CheckpointEncodingError(
        f"Cannot save the value at {where}: it is nested more than {MAX_DEPTH} levels deep (each "
        f"list, dict, tuple, set or dataclass inside another is one level), and checkpoints hold "
        f"at most {MAX_DEPTH}. Flatten it: keep a long chain as a list of its nodes, or refer to "
        "nested objects by id."
    )


def _cannot_encode(value: Any, where: Location) -> CheckpointEncodingError:
    cls = type(value)
    short_name = cls.__name__
    plain = next((base for base in (dict, list, tuple, set, frozenset, str, int, float, bytes)
                  if isinstance(value, base)), None)
    if plain is not None:
        fix = f"Convert it to a plain {plain.__name__} first ({plain.__name__}(value)), or use a dataclass."
    else:
        fix = (f"Checkpoints can store dataclasses, Enums and pydantic models: make {short_name} a "
               f"@dataclass and call register_checkpoint_type({short_name}).")
    return CheckpointEncodingError(f"Cannot save {short_name} ({default_name(cls)}), found at {where}. {fix}")


# --- decoding ----------------------------------------------------------------------------------


def decode_value(data: Any, *, where: str = "value") -> Any:
    """Rebuild the value `encode_value` wrote. Raises `CheckpointFormatError` on damaged data.

    Only registered classes are ever built; a type name that is not in the registry is an
    error naming it, and nothing is imported or called to find it.
    """
    return _decode(data, Location(where))


def type_names_in(data: Any) -> list[str]:
    """The class names saved data mentions, in the order written: what decoding it would look
    up in the registry (``["__main__.Verdict"]`` for a saved ``Verdict`` or ``list[Verdict]``)."""
    names: list[str] = []
    pending = [data]
    while pending:  # a walk without recursion: saved data may be as deep as MAX_DEPTH
        item = pending.pop()
        if isinstance(item, dict):
            tag = item.get(TAG)
            name = item.get("name") if tag == "type" else item.get("type") if tag is not None else None
            if isinstance(name, str) and name not in names:
                names.append(name)
            pending.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            pending.extend(reversed(item))
    return names


def _decode(data: Any, where: Location) -> Any:
    if where.depth > MAX_DEPTH:
        raise CheckpointFormatError(
            f"{where}: the value is nested more than {MAX_DEPTH} levels deep, and wfkit never saves "
            "values that deep: the data was edited or not written by wfkit. Restore from another checkpoint."
        )
    kind = type(data)
    if data is None or kind in (bool, int, float, str):
        return data
    if kind is list:
        return [_decode(item, where.index(i)) for i, item in enumerate(data)]
    if kind is dict:
        if TAG not in data:
            return {key: _decode(item, where.key(key)) for key, item in data.items()}
        tag = data[TAG]
        decode_tagged = _TAGGED.get(tag) if isinstance(tag, str) else None
        if decode_tagged is None:
            raise CheckpointFormatError(f"{where}: unknown value kind {tag!r} (written by a newer wfkit?).")
        return decode_tagged(data, where)
    raise CheckpointFormatError(f"{where}: {kind.__name__} is not JSON data.")


def _part(data: dict[str, Any], key: str, where: Location, expected: type) -> Any:
    if key not in data or not isinstance(data[key], expected):
        raise CheckpointFormatError(f"{where}: a {data[TAG]!r} entry needs {key!r} as a {expected.__name__}.")
    return data[key]


def _registered(name: Any, where: Location, is_kind: Callable[[Any], bool], kind_name: str) -> Any:
    cls = class_for(name) if isinstance(name, str) else None
    if cls is None:
        raise CheckpointFormatError(
            f"{where}: unknown type {name!r}. Checkpoints only rebuild registered types. If it is one "
            "of yours, run the code that defines it and call register_checkpoint_type(TheClass) "
            "before loading the checkpoint."
        )
    if not is_kind(cls):
        raise CheckpointFormatError(f"{where}: {name!r} is registered, but it is not {kind_name}.")
    return cls


def _decode_simple(build: Callable[[Any], Any], json_type: type) -> Callable[[dict[str, Any], Location], Any]:
    def decode(data: dict[str, Any], where: Location) -> Any:
        value = _part(data, "value", where, json_type)
        try:
            return build(value)
        except (ValueError, TypeError, ArithmeticError) as error:  # Decimal raises ArithmeticError
            raise CheckpointFormatError(f"{where}: bad {data[TAG]} value {value!r} ({error}).") from None
    return decode


def _float(text: str) -> float:
    if text not in ("nan", "inf", "-inf"):
        raise ValueError("expected nan, inf or -inf")
    return float(text)


# Exactly what str.encode("unicode_escape") writes: printable ASCII but the backslash, and the
# escapes \\ \t \n \r \xhh \uhhhh \Uhhhhhhhh. Anything else is refused before decoding it.
_ESCAPED = r"(?:[ -\[\]-~]|\\(?:[\\tnr]|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}))*"


def _unescape(text: str) -> str:
    if not re.fullmatch(_ESCAPED, text):
        raise ValueError("expected text written with Python's unicode_escape codec")
    return text.encode("ascii").decode("unicode_escape")


def _hex_int(text: str) -> int:
    # int(text, 16) also takes "0x", "_" and spaces; a saved value never has them.
    if not re.fullmatch(r"-?[0-9a-f]+", text):
        raise ValueError("expected hexadecimal digits")
    return int(text, 16)


def _timedelta(parts: list[Any]) -> timedelta:
    if len(parts) != 3 or not all(type(part) is int for part in parts):
        raise ValueError("expected [days, seconds, microseconds]")
    return timedelta(days=parts[0], seconds=parts[1], microseconds=parts[2])


def _items(data: dict[str, Any], where: Location) -> list[Any]:
    return [_decode(item, where.index(i)) for i, item in enumerate(_part(data, "items", where, list))]


def _decode_collection(build: Callable[[list[Any]], Any]) -> Callable[[dict[str, Any], Location], Any]:
    def decode(data: dict[str, Any], where: Location) -> Any:
        try:
            return build(_items(data, where))
        except TypeError as error:  # an unhashable item in a set
            raise CheckpointFormatError(f"{where}: bad {data[TAG]} ({error}).") from None
    return decode


def _decode_dict(data: dict[str, Any], where: Location) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    for i, pair in enumerate(_part(data, "items", where, list)):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise CheckpointFormatError(f"{where}: dict item {i} should be a [key, value] pair.")
        key = _decode(pair[0], where.dict_key(i))
        try:
            result[key] = _decode(pair[1], where.key(key))
        except TypeError:
            raise CheckpointFormatError(f"{where}: key {key!r} cannot be a dict key.") from None
    return result


def _decode_type(data: dict[str, Any], where: Location) -> Any:
    return _registered(_part(data, "name", where, str), where, lambda cls: True, "a type")


def _decode_annotation(data: dict[str, Any], where: Location) -> Any:
    origin_data = data.get("origin")
    args = tuple(_decode(arg, where.index(i)) for i, arg in enumerate(_part(data, "args", where, list)))
    try:
        if origin_data == "union":
            return Union[args]
        if origin_data == "literal":
            return Literal[args]
        if not (isinstance(origin_data, dict) and origin_data.get(TAG) == "type"):
            raise CheckpointFormatError(f"{where}: an annotation's origin should be a type.")
        origin = _decode_type(origin_data, where)
        return origin[args]
    except TypeError as error:
        raise CheckpointFormatError(f"{where}: cannot rebuild the annotation ({error}).") from None


def _decode_enum(data: dict[str, Any], where: Location) -> Any:
    cls = _registered(data.get("type"), where, lambda c: isinstance(c, type) and issubclass(c, enum.Enum), "an Enum")
    value = _decode(data.get("value"), where.field("value"))
    try:
        return cls(value)
    except (ValueError, TypeError):
        raise CheckpointFormatError(f"{where}: {cls.__qualname__} has no member with value {value!r}.") from None


def _decode_dataclass(data: dict[str, Any], where: Location) -> Any:
    name = data.get("type")
    cls = _registered(name, where, lambda c: isinstance(c, type) and dataclasses.is_dataclass(c), "a dataclass")
    saved = _part(data, "fields", where, dict)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(saved) - set(fields))
    if unknown:
        raise CheckpointFormatError(
            f"{where}: {name} has no field(s) {', '.join(unknown)}; the class changed after the "
            "checkpoint was saved."
        )
    values = {key: _decode(item, where.field(key)) for key, item in saved.items()}
    try:
        instance = cls(**{key: item for key, item in values.items() if fields[key].init})
    except Exception as error:
        raise CheckpointFormatError(f"{where}: could not rebuild {name} from its saved fields: {error}") from error
    for key, item in values.items():
        if not fields[key].init:
            # Fields the constructor does not take are restored as saved; object.__setattr__
            # because the dataclass may be frozen.
            object.__setattr__(instance, key, item)
    return instance


def _decode_pydantic(data: dict[str, Any], where: Location) -> Any:
    cls = _registered(data.get("type"), where, is_pydantic_class, "a pydantic model")
    try:
        return cls.model_validate(_decode(data.get("data"), where.model_data()))
    except CheckpointFormatError:
        raise
    except Exception as error:
        raise CheckpointFormatError(f"{where}: could not rebuild {data['type']}: {error}") from error


_TAGGED: dict[str, Callable[[dict[str, Any], Location], Any]] = {
    "str": _decode_simple(_unescape, str),
    "int": _decode_simple(_hex_int, str),
    "float": _decode_simple(_float, str),
    "bytes": _decode_simple(lambda text: base64.b64decode(text, validate=True), str),
    "datetime": _decode_simple(datetime.fromisoformat, str),
    "date": _decode_simple(date.fromisoformat, str),
    "time": _decode_simple(time.fromisoformat, str),
    "timedelta": _decode_simple(_timedelta, list),
    "uuid": _decode_simple(uuid.UUID, str),
    "decimal": _decode_simple(Decimal, str),
    "path": _decode_simple(Path, str),
    "pure_posix_path": _decode_simple(PurePosixPath, str),
    "pure_windows_path": _decode_simple(PureWindowsPath, str),
    "ellipsis": lambda data, where: Ellipsis,
    "tuple": _decode_collection(tuple),
    "set": _decode_collection(set),
    "frozenset": _decode_collection(frozenset),
    "dict": _decode_dict,
    "type": _decode_type,
    "annotation": _decode_annotation,
    "enum": _decode_enum,
    "dataclass": _decode_dataclass,
    "pydantic": _decode_pydantic,
}
