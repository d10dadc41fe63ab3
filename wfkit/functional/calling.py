"""How wfkit calls a `@workflow` or `@step` function: which parameter gets the `RunContext`,
which gets the workflow's input, and what a step call's arguments are as saved data.

The context goes to the parameter annotated ``RunContext`` or, unannotated, named ``ctx``
(either works, as in Agent Framework). A workflow function takes at most one other parameter:
the message given to ``run(message)``. Functions are checked when decorated, so a mistake shows
at the line that made it.
"""

from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass
from typing import Any, Callable

from ..checkpoint.codec import encode_value
from ..checkpoint.registry import register_types_from_annotation
from ..errors import CheckpointEncodingError, HandlerSignatureError
from .context import RunContext

_PLAIN_KINDS = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


def require_async(func: Callable[..., Any], decorator: str) -> None:
    """Refuse a function that is not ``async def``: wfkit awaits every workflow and step."""
    if not inspect.iscoroutinefunction(func):
        name = getattr(func, "__name__", repr(func))
        raise HandlerSignatureError(
            f"{decorator} needs an async function, and '{name}' is a plain one. Write it as "
            f"'async def {name}(...)'."
        )


def annotations_of(func: Callable[..., Any]) -> dict[str, Any]:
    """The function's annotations, resolved where possible (a name that cannot be resolved, say
    in a function defined inside another, stays as the text it was written as)."""
    try:
        return typing.get_type_hints(func)
    except Exception:
        return dict(getattr(func, "__annotations__", {}))


def context_parameter(func: Callable[..., Any]) -> str | None:
    """The name of the parameter that takes the `RunContext`, or None if the function has none."""
    hints = annotations_of(func)
    for name, parameter in inspect.signature(func).parameters.items():
        if parameter.kind not in _PLAIN_KINDS:
            continue
        annotation = hints.get(name, parameter.annotation)
        if annotation is RunContext or annotation == "RunContext" or name == "ctx":
            return name
    return None


def register_annotated_types(func: Callable[..., Any]) -> None:
    """Allow the dataclasses, enums and models a function's annotations name in checkpoints,
    as wfkit does for handlers: a step's result or a workflow's input can then be saved."""
    for annotation in annotations_of(func).values():
        if not isinstance(annotation, str):
            register_types_from_annotation(annotation)


@dataclass(frozen=True)
class WorkflowSignature:
    """Where a workflow function takes its input and its context."""

    message: inspect.Parameter | None
    context: str | None

    @classmethod
    def of(cls, func: Callable[..., Any]) -> WorkflowSignature:
        """Read `func`'s parameters; refuse a function with more than one input parameter."""
        context = context_parameter(func)
        inputs = [
            parameter
            for name, parameter in inspect.signature(func).parameters.items()
            if name != context and parameter.kind in _PLAIN_KINDS
        ]
        if len(inputs) > 1:
            names = ", ".join(p.name for p in inputs)
            raise HandlerSignatureError(
                f"@workflow function '{func.__name__}' takes {len(inputs)} inputs ({names}), but run(message) "
                "gives it one. Take one parameter (a dataclass or dict holding them all), plus "
                "'ctx: RunContext' if it needs the context."
            )
        return cls(inputs[0] if inputs else None, context)

    def call(self, func: Callable[..., Any], message: Any, context: Any) -> Any:
        """Call `func` with `message` and `context` in the parameters that take them."""
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for parameter in inspect.signature(func).parameters.values():
            if parameter.name == self.context:
                value = context
            elif self.message is not None and parameter.name == self.message.name:
                value = message
            else:
                continue
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
                kwargs[parameter.name] = value
            else:
                args.append(value)
        return func(*args, **kwargs)


@dataclass
class StepCall:
    """One call of a step, ready to make: the arguments to call it with, and as saved data."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    saved_arguments: dict[str, Any]


def bind_step_call(
    func: Callable[..., Any], context_name: str | None, args: tuple[Any, ...], kwargs: dict[str, Any], context: Any
) -> StepCall:
    """The call of step `func` with the caller's `args` and `kwargs`, the context added where the
    step takes it (unless the caller passed one). A call that does not fit the function's
    parameters raises the `TypeError` Python would."""
    signature = inspect.signature(func)
    bound: inspect.BoundArguments | None = None
    if context_name is not None:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            bound = None  # the caller left the context out: bind without it, below
        if bound is not None and context_name not in bound.arguments:
            bound = None
    if bound is None:
        without = signature.replace(parameters=[p for p in signature.parameters.values() if p.name != context_name])
        given = without.bind(*args, **kwargs)
        arguments = {}
        for name in signature.parameters:
            if name == context_name:
                arguments[name] = context
            elif name in given.arguments:
                arguments[name] = given.arguments[name]
        bound = inspect.BoundArguments(signature, arguments)  # type: ignore[arg-type]
    identity = signature.bind(*bound.args, **bound.kwargs)
    identity.apply_defaults()  # f(x) and f(x, y=default) are the same call
    saved = {name: _saved(name, value) for name, value in identity.arguments.items() if name != context_name}
    return StepCall(tuple(bound.args), dict(bound.kwargs), saved)


def _saved(name: str, value: Any) -> Any:
    """An argument as saved data; one a checkpoint cannot hold (a client, a lock) is named by its
    class, so calls with such arguments are told apart by their order only."""
    register_types_from_annotation(type(value))  # a dataclass made here may be saved, as a graph's messages are
    try:
        return encode_value(value, where=f"argument {name!r}")
    except CheckpointEncodingError:
        return {"not_saved": type(value).__name__}
