"""Matching values against type annotations, without a third-party validator.

Two questions drive a workflow's type safety:

* at run time, *which handler takes this message?* -> `match_score`, lower is more specific;
* at build time, *can anything this executor sends reach that one?* -> `is_compatible`.

Annotations understood: classes, ``A | B`` / ``Optional``, ``Any``/``object``, ``Literal``,
``None``, builtin generics (``list[T]``, ``dict[K, V]``, ``tuple[...]``, ``set[T]``) and
user generics (``RequestResponse[Req, Resp]``), whose class may refine the check with a
``__wfkit_match_args__(value, args) -> bool`` classmethod.
"""

from __future__ import annotations

import collections.abc
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

# Scores: position of the matching class in the value's MRO (0 = exact class). A match
# through an abstract base registered virtually has no MRO position, so it ranks after
# every real base class; `Any` ranks last of all.
VIRTUAL_BASE_SCORE = 500.0
ANY_SCORE = 1000.0

# `typing.Never` arrived in Python 3.11; `NoReturn` means the same in an annotation.
Never: Any = getattr(typing, "Never", typing.NoReturn)

_NEVER: tuple[Any, ...] = tuple(t for t in (getattr(typing, "Never", None), typing.NoReturn) if t is not None)
_UNION_ORIGINS: tuple[Any, ...] = (Union, types.UnionType)
_CONTAINERS = (list, dict, set, frozenset, tuple)
_BARE_CONTAINER_PENALTY = 0.1


def is_union(tp: Any) -> bool:
    """True for ``A | B`` and ``Union[A, B]`` (and so ``Optional[A]``)."""
    return get_origin(tp) in _UNION_ORIGINS


def is_never(tp: Any) -> bool:
    """True for ``Never`` / ``NoReturn``: the annotation for "sends nothing"."""
    return any(tp is never for never in _NEVER)


def flatten(tp: Any) -> tuple[Any, ...]:
    """The members of a union, or ``(tp,)``; ``None`` becomes ``NoneType``."""
    if tp is None:
        return (type(None),)
    if is_union(tp):
        return tuple(member for arg in get_args(tp) for member in flatten(arg))
    return (tp,)


def is_any(tp: Any) -> bool:
    """True for annotations every value satisfies."""
    return tp is Any or tp is object or isinstance(tp, typing.TypeVar)


def is_parametrized(tp: Any) -> bool:
    """True when matching a value needs more than ``type(value)`` (``list[int]``, ``Literal``...)."""
    return any(get_origin(member) is not None for member in flatten(tp))


def match_score(value: Any, tp: Any) -> float | None:
    """How specifically `tp` describes `value`: ``None`` if it does not, else a score, lower is closer.

    >>> match_score(True, bool) < match_score(True, int) < match_score(True, Any)
    True
    """
    if is_any(tp):
        return ANY_SCORE
    if tp is None or tp is type(None):
        return 0.0 if value is None else None
    origin = get_origin(tp)
    if origin is None:
        score = _class_score(value, tp)
        # A bare container is a container of Any: rank it after one whose items are described.
        return score + _BARE_CONTAINER_PENALTY if score is not None and tp in _CONTAINERS else score
    if origin in _UNION_ORIGINS:
        scores = [s for s in (match_score(value, arg) for arg in get_args(tp)) if s is not None]
        return min(scores) if scores else None
    if origin is Literal:
        return 0.0 if any(value == arg and type(value) is type(arg) for arg in get_args(tp)) else None
    if origin is typing.Annotated:
        return match_score(value, get_args(tp)[0])
    outer = _class_score(value, origin)
    if outer is None:
        return None
    inner = _args_score(value, origin, get_args(tp))
    # The container decides the rank; how precisely its items are described breaks ties.
    return None if inner is None else outer + inner / (10 * ANY_SCORE)


def _class_score(value: Any, cls: Any) -> float | None:
    if not isinstance(cls, type) or not isinstance(value, cls):
        return None
    mro = type(value).__mro__
    return float(mro.index(cls)) if cls in mro else VIRTUAL_BASE_SCORE


def _args_score(value: Any, origin: Any, args: tuple[Any, ...]) -> float | None:
    if not args:
        return ANY_SCORE
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _items_score(value, args[0])
        if len(args) != len(value):
            return None
        scores = [match_score(item, arg) for item, arg in zip(value, args)]
        return None if None in scores else max(scores, default=0.0)  # type: ignore[type-var]
    if isinstance(origin, type) and issubclass(origin, collections.abc.Mapping):
        keys = _items_score(value.keys(), args[0])
        values = _items_score(value.values(), args[1]) if len(args) > 1 else 0.0
        return None if keys is None or values is None else max(keys, values)
    if isinstance(origin, type) and issubclass(origin, (list, set, frozenset, collections.abc.Sequence)):
        return _items_score(value, args[0])
    refine = getattr(origin, "__wfkit_match_args__", None)
    if refine is not None:
        return 0.0 if refine(value, args) else None
    # A user generic with no refinement: the class check already passed; items unknown.
    return ANY_SCORE


def _items_score(items: Any, item_type: Any) -> float | None:
    if type(item_type) is type:  # a plain class: an item's score depends on its type alone
        items = {type(item): item for item in items}.values()  # so one item of each type will do
    worst = 0.0
    for item in items:
        score = match_score(item, item_type)
        if score is None:
            return None
        worst = max(worst, score)
    return worst


def is_instance(value: Any, tp: Any) -> bool:
    """``isinstance`` that understands annotations such as ``list[str]`` and ``A | None``."""
    return match_score(value, tp) is not None


def is_compatible(sent: Any, accepted: Any) -> bool:
    """Could a value declared as `sent` be taken by a handler declared for `accepted`?

    Generous where only run time can tell (a ``list`` may hold ``str`` items), strict where the
    classes alone already say no (``str`` is never an ``int``).
    """
    if is_any(sent) or is_any(accepted):
        return True
    sent_members, accepted_members = flatten(sent), flatten(accepted)
    if len(sent_members) > 1 or len(accepted_members) > 1:
        return any(is_compatible(s, a) for s in sent_members for a in accepted_members)
    sent, accepted = sent_members[0], accepted_members[0]
    if is_any(sent) or is_any(accepted):
        return True
    sent_origin, accepted_origin = get_origin(sent), get_origin(accepted)
    if accepted_origin is Literal:
        return any(is_compatible(type(arg), sent) for arg in get_args(accepted))
    if sent_origin is Literal:
        return all(is_instance(arg, accepted) for arg in get_args(sent))
    sent_class = sent_origin or sent
    accepted_class = accepted_origin or accepted
    if not (isinstance(sent_class, type) and isinstance(accepted_class, type)):
        return sent == accepted
    if not issubclass(sent_class, accepted_class):
        return False
    sent_args, accepted_args = get_args(sent), get_args(accepted)
    if not sent_args or not accepted_args or len(sent_args) != len(accepted_args):
        return True
    return all(
        a is Ellipsis or b is Ellipsis or is_compatible(a, b) for a, b in zip(sent_args, accepted_args)
    )


def type_name(tp: Any) -> str:
    """A short readable name: ``str``, ``list[ChatMessage]``, ``DraftTask | None``, ``Any``."""
    if tp is Any:
        return "Any"
    if tp is None or tp is type(None):
        return "None"
    if is_union(tp):
        return " | ".join(type_name(member) for member in get_args(tp))
    origin = get_origin(tp)
    if origin is Literal:
        return "Literal[" + ", ".join(repr(arg) for arg in get_args(tp)) + "]"
    if origin is not None:
        args = get_args(tp)
        inner = ", ".join("..." if arg is Ellipsis else type_name(arg) for arg in args)
        return f"{type_name(origin)}[{inner}]" if args else type_name(origin)
    if isinstance(tp, type):
        return tp.__qualname__
    return str(tp).replace("typing.", "")


def type_names(types_: typing.Iterable[Any]) -> str:
    """Several annotations as ``A, B, list[C]`` (``nothing`` when empty), for error messages."""
    names = [type_name(tp) for tp in types_]
    return ", ".join(names) if names else "nothing"
