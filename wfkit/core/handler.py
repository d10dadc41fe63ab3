"""`@handler` and `@response_handler`: how an executor says which messages it takes.

The decorators only *mark* a function. When the executor class is defined, `collect_handlers`
reads each marked function's annotations and turns it into a `HandlerSpec`: the message type
it accepts plus what its `WorkflowContext[T_Out, T_W_Out]` says it may send and yield.
"""

from __future__ import annotations

import inspect
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, get_args, get_origin

from ..errors import HandlerSignatureError
from .typecheck import flatten, is_any, is_never, is_parametrized, match_score, type_name

HandlerFunc = Callable[..., Any]

_HANDLER_MARK = "__wfkit_handler__"
_RESPONSE_MARK = "__wfkit_response_handler__"
_DECLARED_TYPES = "__wfkit_declared_types__"  # (input, output, workflow_output) given to @handler(...)


@dataclass(frozen=True)
class DeclaredTypes:
    """The types a handler was given in its decorator (``@handler(input=str, output=int)``), which
    Agent Framework 1.x allows instead of annotations. A string names a type by its name, as an
    annotation may; it is looked up where the function was defined."""

    input: Any
    output: Any = None
    workflow_output: Any = None


@dataclass(frozen=True)
class HandlerSpec:
    """One handler of an executor, as read from its signature.

    `message_type` is what it accepts; `output_types` what it may `send_message`;
    `workflow_output_types` what it may `yield_output`. Empty tuples mean "nothing"; ``(Any,)``
    means "anything". For a response handler, `request_type` is the original request's type and
    `message_type` the answer's.
    """

    name: str
    func: HandlerFunc
    message_type: Any
    output_types: tuple[Any, ...]
    workflow_output_types: tuple[Any, ...]
    request_type: Any = None
    is_response_handler: bool = False
    needs_context: bool = True
    returns_message: bool = False
    parametrized: bool = field(init=False)
    # Value types already found allowed to send / to yield, when the type alone decides it.
    sendable: set[type] | None = field(init=False, compare=False, repr=False)
    yieldable: set[type] | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        parametrized = is_parametrized(self.message_type) or is_parametrized(self.request_type)
        object.__setattr__(self, "parametrized", parametrized)
        # ``list[int]`` or ``Literal[...]`` must look inside each value: then nothing is cached.
        for name, declared in (("sendable", self.output_types), ("yieldable", self.workflow_output_types)):
            object.__setattr__(self, name, None if any(map(is_parametrized, declared)) else set())


def handler(
    func: HandlerFunc | None = None, *, input: Any = None, output: Any = None, workflow_output: Any = None
) -> Any:
    """Mark an executor method as a message handler.

    The type annotation of the message parameter decides which messages reach it::

        class Upper(Executor):
            @handler
            async def shout(self, text: str, ctx: WorkflowContext[str]) -> None:
                await ctx.send_message(text.upper())

    Or, as Agent Framework 1.x also allows, the decorator names the types and the annotations are
    not read at all: ``@handler(input=str, output=str)`` (what it takes, what it may send), with
    ``workflow_output=`` for what it may yield.
    """
    if func is None:
        declared = named_types(input, output, workflow_output, "@handler")
        return lambda method: mark_declared_types(handler(method), declared)
    if input is not None or output is not None or workflow_output is not None:
        raise HandlerSignatureError(
            "@handler takes its types as keywords: write @handler(input=..., output=...), not @handler(func, input=...)."
        )
    if not inspect.iscoroutinefunction(func):
        raise HandlerSignatureError(
            f"@handler {func.__qualname__} must be declared with 'async def' (handlers are awaited)."
        )
    setattr(func, _HANDLER_MARK, True)
    return func


def response_handler(func: HandlerFunc) -> HandlerFunc:
    """Mark an executor method as the handler for answers to its own `ctx.request_info` calls.

    Its signature is ``(self, original_request: Req, response: Resp, ctx)``; wfkit picks it by the
    pair (request type, response type)::

        @response_handler
        async def on_review(self, request: DraftReview, answer: str, ctx: WorkflowContext[str]) -> None:
            ...
    """
    if not inspect.iscoroutinefunction(func):
        raise HandlerSignatureError(
            f"@response_handler {func.__qualname__} must be declared with 'async def'."
        )
    setattr(func, _RESPONSE_MARK, True)
    return func


def named_types(input: Any, output: Any, workflow_output: Any, decorator: str) -> DeclaredTypes:
    """The types given to a decorator, or an error when `input` (the one that routes) is missing."""
    if input is None:
        raise HandlerSignatureError(
            f"{decorator}(output=..., workflow_output=...) needs input= too: the type of message it takes. "
            f"Name it ({decorator}(input=str, ...)), or leave the keywords out and annotate the function."
        )
    return DeclaredTypes(input, output, workflow_output)


def mark_declared_types(func: HandlerFunc, declared: DeclaredTypes) -> HandlerFunc:
    """Record on `func` the types its decorator named, for `spec_from_function` to read."""
    setattr(func, _DECLARED_TYPES, declared)
    return func


def collect_handlers(cls: type) -> tuple[HandlerSpec, ...]:
    """Read every marked method of `cls` (its bases included) into `HandlerSpec`s."""
    specs: list[HandlerSpec] = []
    seen: set[str] = set()
    for klass in cls.__mro__:
        for name, func in vars(klass).items():
            if name in seen or not callable(func):
                continue
            seen.add(name)
            if getattr(func, _HANDLER_MARK, False):
                specs.append(spec_from_function(func, owner=cls, skip_self=True))
            elif getattr(func, _RESPONSE_MARK, False):
                specs.append(spec_from_function(func, owner=cls, skip_self=True, response=True))
    check_no_ambiguity(specs, cls.__qualname__)
    return tuple(specs)


def spec_from_function(
    func: HandlerFunc,
    *,
    owner: type | None = None,
    skip_self: bool,
    response: bool = False,
    allow_no_context: bool = False,
) -> HandlerSpec:
    """Turn one annotated function into a `HandlerSpec`, or explain what is missing."""
    where = func.__qualname__
    params = list(inspect.signature(func).parameters.values())[1 if skip_self else 0 :]
    hints = resolve_hints(func, where)
    wanted = 3 if response else 2
    shape = (
        "(self, original_request: Req, response: Resp, ctx: WorkflowContext[...])"
        if response
        else "(self, message: T, ctx: WorkflowContext[...])"
    )
    if not skip_self:
        shape = shape.replace("self, ", "")
    if len(params) != wanted and not (allow_no_context and len(params) == wanted - 1):
        raise HandlerSignatureError(f"{where} must take {shape}; it takes {len(params)} parameter(s).")
    declared: DeclaredTypes | None = getattr(func, _DECLARED_TYPES, None)
    if declared is not None:  # the decorator named the types: the annotations are not read
        def named(tp: Any) -> Any:
            return _resolve_name(tp, func, where)

        return HandlerSpec(
            name=func.__name__,
            func=func,
            message_type=named(declared.input),
            output_types=_declared(named(declared.output)),
            workflow_output_types=_declared(named(declared.workflow_output)),
            needs_context=len(params) == wanted,
            returns_message=allow_no_context and declared.output is not None,
        )
    typed = params[: wanted - 1]
    for param in typed:
        if param.name not in hints:
            raise HandlerSignatureError(
                f"{where}: parameter '{param.name}' has no type annotation. wfkit routes messages by "
                f"that annotation, so write e.g. '{param.name}: str'."
            )
    message_type = hints[typed[-1].name]
    request_type = hints[typed[0].name] if response else None
    needs_context = len(params) == wanted
    outputs: tuple[Any, ...] = ()
    yields: tuple[Any, ...] = ()
    returns_message = False
    if needs_context:
        ctx_param = params[-1]
        ctx_type = hints.get(ctx_param.name)
        if ctx_type is None:
            raise HandlerSignatureError(
                f"{where}: annotate '{ctx_param.name}' as WorkflowContext (or WorkflowContext[T] if "
                "the handler sends messages of type T)."
            )
        outputs, yields = context_types(ctx_type, where)
    if allow_no_context:
        result = hints.get("return", None)
        if result is not None and result is not type(None) and not is_never(result):
            outputs, returns_message = outputs + (result,), True
    return HandlerSpec(
        name=func.__name__,
        func=func,
        message_type=message_type,
        output_types=outputs,
        workflow_output_types=yields,
        request_type=request_type,
        is_response_handler=response,
        needs_context=needs_context,
        returns_message=returns_message,
    )


def _resolve_name(tp: Any, func: HandlerFunc, where: str) -> Any:
    """A type given by its name as a string (``input="Draft"``), found where `func` was defined."""
    if not isinstance(tp, str):
        return tp
    try:
        return eval(tp, getattr(func, "__globals__", {}))  # noqa: S307 (a type name written by the author)
    except NameError as error:
        raise HandlerSignatureError(
            f"{where}: the type {tp!r} given to the decorator is not defined where the function is "
            f"({error}). Import or define it there, or pass the class itself."
        ) from None


def resolve_hints(func: HandlerFunc, where: str) -> dict[str, Any]:
    """`typing.get_type_hints`, with an error that says how to fix a name it cannot find."""
    try:
        return typing.get_type_hints(func, include_extras=False)
    except NameError as error:
        raise HandlerSignatureError(
            f"{where}: cannot resolve a type annotation ({error}). Define the type before the "
            "executor, at module level, so wfkit can see it."
        ) from error


def context_types(ctx_type: Any, where: str) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Split ``WorkflowContext[T_Out, T_W_Out]`` into (types it may send, types it may yield)."""
    from .context import WorkflowContext  # the context module imports this one

    origin = get_origin(ctx_type) or ctx_type
    if not (isinstance(origin, type) and issubclass(origin, WorkflowContext)):
        raise HandlerSignatureError(
            f"{where}: the last parameter must be annotated WorkflowContext[...], not {type_name(ctx_type)}."
        )
    args = get_args(ctx_type)
    return _declared(args[0] if args else None), _declared(args[1] if len(args) > 1 else None)


def _declared(tp: Any) -> tuple[Any, ...]:
    if tp is None or is_never(tp):
        return ()
    if is_any(tp):
        return (Any,)
    return flatten(tp)


def check_no_ambiguity(specs: list[HandlerSpec], owner: str) -> None:
    """Two handlers for the very same type would make dispatch a coin toss: refuse them."""
    seen: dict[tuple[bool, Any, Any], str] = {}
    for spec in specs:
        key = (spec.is_response_handler, spec.request_type, spec.message_type)
        if key in seen:
            what = type_name(spec.message_type)
            raise HandlerSignatureError(
                f"{owner}: handlers '{seen[key]}' and '{spec.name}' both accept {what}. Merge them, or "
                "give one a more specific message type."
            )
        seen[key] = spec.name


def best_handler(specs: tuple[HandlerSpec, ...], message: Any) -> HandlerSpec | None:
    """The most specific ordinary handler for `message` (exact class, then bases, then Any)."""
    best: HandlerSpec | None = None
    best_score = float("inf")
    for spec in specs:
        if spec.is_response_handler:
            continue
        score = match_score(message, spec.message_type)
        if score is not None and score < best_score:
            best, best_score = spec, score
    return best


def best_response_handler(specs: tuple[HandlerSpec, ...], request: Any, response: Any) -> HandlerSpec | None:
    """The most specific response handler for the pair (original request, response)."""
    best: HandlerSpec | None = None
    best_score = float("inf")
    for spec in specs:
        if not spec.is_response_handler:
            continue
        request_score = match_score(request, spec.request_type)
        response_score = match_score(response, spec.message_type)
        if request_score is None or response_score is None:
            continue
        if request_score + response_score < best_score:
            best, best_score = spec, request_score + response_score
    return best


def accepted_types(specs: tuple[HandlerSpec, ...]) -> tuple[Any, ...]:
    """The message types the ordinary handlers accept, for error messages and edge checks."""
    return tuple(spec.message_type for spec in specs if not spec.is_response_handler)
