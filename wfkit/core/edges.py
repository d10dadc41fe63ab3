"""Edges: how a message sent by one executor finds the next ones.

Every edge kind is an *edge group* that routes itself: `route(sent, via)` answers "which
messages does this sent value become, for the next superstep?" A plain edge or a fan-out
picks targets; a switch-case or a multi-selection chooses among them; a fan-in holds what its
sources sent until each has sent; a loop goes round again or leaves. What a group must
remember between supersteps (fan-in buffers, loop rounds) is its *memory*, kept in the step
(`via.step.memory_of`) so that it is committed with the step, or dropped with it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Protocol, Sequence

from ..errors import EdgeConditionError, FanInFailedError, LoopLimitError
from .events import FanInPartialEvent, FanInWaitingEvent, WorkflowEvent
from .state import ExecutorFailure, Message, SourceFailed

if TYPE_CHECKING:
    from .step import Sent, Step

Condition = Callable[[Any], "bool | Awaitable[bool]"]
Selection = Callable[[Any, list[str]], "list[str] | Awaitable[list[str]]"]


@dataclass
class Case:
    """One branch of a switch-case group: messages for which `condition` is true go to `target`."""

    condition: Condition
    target: Any


@dataclass
class Default:
    """The branch of a switch-case group taken when no `Case` matched."""

    target: Any


class RouteContext(Protocol):
    """What an edge group may ask of the engine while it routes (the engine is one)."""

    step: Step

    def accepts(self, target_id: str, message: Any) -> bool:
        """Whether some handler of `target_id` takes `message`."""
        ...

    def refused(self, group: EdgeGroup, sent: Sent, target_id: str) -> None:
        """Warn that `group` chose `target_id`, which does not take what was sent."""
        ...

    def emit(self, event: WorkflowEvent) -> None:
        """Tell the outside world something about the routing (a join that went ahead partly)."""
        ...


async def call_maybe_async(func: Callable[..., Any], *args: Any) -> Any:
    """Call a condition or selection function that may be sync or async."""
    result = func(*args)
    if inspect.isawaitable(result):
        result = await result
    return result


async def ask_condition(func: Callable[..., Any], where: str, *args: Any) -> Any:
    """`call_maybe_async(func, *args)` for a function of the learner's on an edge (`where` names it).

    A condition that raises would otherwise surface as a bare ``KeyError`` from deep in routing,
    naming neither the edge nor the function: the error says both, and keeps the original as
    its ``__cause__``.
    """
    try:
        return await call_maybe_async(func, *args)
    except Exception as error:
        raise EdgeConditionError(
            f"The {function_name(func)} on {where} raised {type(error).__name__}: {error}. It was "
            f"called with a {type(args[0]).__name__}; fix the function so it handles that message "
            "(the original exception is this error's __cause__)."
        ) from error


def function_name(func: Callable[..., Any]) -> str:
    """How an error names a learner's function: its name, or where a lambda was written."""
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)
    code = getattr(func, "__code__", None)
    if "<lambda>" in name and code is not None:
        return f"lambda (line {code.co_firstlineno} of {code.co_filename})"
    return f"function {name!r}"


def edge_name(source: str, target: str) -> str:
    """An edge as errors name it: ``the edge 'a' -> 'b'``."""
    return f"the edge {source!r} -> {target!r}"


@dataclass
class EdgeGroup:
    """Base of every edge kind: `sources` send to `targets`.

    `kind` names the shape for drawings; `conditional` says whether some message may not pass.
    """

    sources: list[str]
    targets: list[str]
    kind: str = "edge"
    conditional: bool = False
    id: str = ""
    labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = f"{self.kind}:{','.join(self.sources)}->{','.join(self.targets)}"

    def carries(self, message: Any) -> bool:
        """Whether this group is a route for `message` at all (fallback routes carry only failures)."""
        return True

    @property
    def takes_failures(self) -> bool:
        """Whether a source failing for good is reported to this group, as a `SourceFailed`
        sent to its target (a join that may go ahead without it does; see `FanInEdgeGroup`)."""
        return False

    def left_waiting(self, memory: Any, fallbacks: dict[str, str]) -> WorkflowEvent | None:
        """The warning to give when the run ends with `memory` (this group's, not empty) still
        kept: something arrived that never went on. None: nothing to warn about (a loop's
        round count, say). `fallbacks` names each executor's fallback, for the advice."""
        return None

    def candidates(self, sent: Sent) -> list[str]:
        """The targets `sent` may go to: all of them, or the one the sender named."""
        if sent.target_id is None:
            return self.targets
        return [t for t in self.targets if t == sent.target_id]

    async def route(self, sent: Sent, via: RouteContext) -> list[Message] | None:
        """The messages `sent` becomes along this group, for the next superstep.

        None means this group is no route for it at all (another group of the sender may be);
        an empty list means the group took it and chose to deliver nothing (a condition said no).
        """
        candidates = self.candidates(sent)
        if not candidates or not self.carries(sent.payload):
            return None
        accepting = [t for t in candidates if via.accepts(t, sent.payload)]
        if not accepting:
            return None
        delivered = []
        for target in await self.select(sent.payload, candidates):
            if target in accepting:
                delivered.append(Message((sent.source_id,), target, sent.payload))
            elif self.conditional:  # a broadcast skips targets of other types; a choice is a mistake
                via.refused(self, sent, target)
        return delivered

    async def select(self, message: Any, candidates: list[str]) -> list[str]:
        """Of the `candidates` (the targets, or the one named by ``send_message(target_id=...)``),
        which receive the message. `route` then delivers it to those that accept its type."""
        return candidates

    def rename(self, mapping: Callable[[str], str]) -> EdgeGroup:
        """A copy with every executor id passed through `mapping` (used when composing)."""
        import copy

        clone = copy.copy(self)
        clone.sources = [mapping(s) for s in self.sources]
        clone.targets = [mapping(t) for t in self.targets]
        clone.labels = {mapping(k): v for k, v in self.labels.items()}
        clone.id = ""
        clone.__post_init__()
        return clone


@dataclass
class SingleEdge(EdgeGroup):
    """One source, one target, and an optional condition on the message."""

    condition: Condition | None = None

    def __post_init__(self) -> None:
        self.conditional = self.condition is not None
        if self.conditional:
            self.labels = {self.targets[0]: _condition_label(self.condition)}
        super().__post_init__()

    async def select(self, message: Any, candidates: list[str]) -> list[str]:
        if self.condition is None or await self._passes(message):
            return candidates
        return []

    async def _passes(self, message: Any) -> bool:
        assert self.condition is not None
        return bool(await ask_condition(self.condition, edge_name(self.sources[0], self.targets[0]), message))

    async def route(self, sent: Sent, via: RouteContext) -> list[Message] | None:
        # The general route, written out for one target: most edges are these.
        target = self.targets[0]
        if (sent.target_id is not None and sent.target_id != target) or not via.accepts(target, sent.payload):
            return None
        if self.condition is not None and not await self._passes(sent.payload):
            return []
        return [Message((sent.source_id,), target, sent.payload)]


@dataclass
class FanOutEdgeGroup(EdgeGroup):
    """One source, many targets. With a `selection` function it becomes a multi-selection group:
    ``selection(message, target_ids)`` returns the ids that receive the message."""

    selection: Selection | None = None

    def __post_init__(self) -> None:
        self.kind = "multi_selection" if self.selection is not None else "fan_out"
        self.conditional = self.selection is not None
        if self.selection is not None:
            self.labels = {target: _condition_label(self.selection) for target in self.targets}
        super().__post_init__()

    async def select(self, message: Any, candidates: list[str]) -> list[str]:
        if self.selection is None:
            return candidates
        where = f"the multi-selection group from {self.sources[0]!r} to {self.targets}"
        chosen = await ask_condition(self.selection, where, message, list(self.targets))
        self._check_selection(chosen, where)
        return [c for c in candidates if c in chosen]

    def _check_selection(self, chosen: Any, where: str) -> None:
        """Refuse a selection that is not a list of this group's target ids.

        A string is refused too, though it is iterable: ``"ab"`` would otherwise select 'a', 'b'
        and 'ab' letter by letter. (Agent Framework iterates it the same way, so a one-letter id
        works there only by accident; a list is what both document.)
        """
        assert self.selection is not None
        if not isinstance(chosen, (list, tuple, set, frozenset)):
            problem = f"a {type(chosen).__name__} ({chosen!r})"
            hint = f"return [{chosen!r}]" if isinstance(chosen, str) else "return a list ([] sends the message nowhere)"
        elif unknown := [c for c in chosen if c not in self.targets]:
            problem, hint = f"{unknown}, which are not among its targets", "return only ids from that list"
        else:
            return
        raise EdgeConditionError(
            f"The {function_name(self.selection)} of {where} returned {problem}; it must return "
            f"a list of target ids, chosen from {self.targets}. Fix it: {hint}."
        )


@dataclass
class SwitchCaseEdgeGroup(EdgeGroup):
    """One source; the first `Case` whose condition holds wins, else the `Default`."""

    cases: list[Case | Default] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.kind = "switch_case"
        self.conditional = True
        self.labels = {
            case.target: ("default" if isinstance(case, Default) else _condition_label(case.condition))
            for case in self.cases
        }
        super().__post_init__()

    async def select(self, message: Any, candidates: list[str]) -> list[str]:
        for case in self.cases:
            if isinstance(case, Default) or await self._matches(case, message):
                return [case.target] if case.target in candidates else []
        return []

    async def _matches(self, case: Case, message: Any) -> bool:
        where = f"{edge_name(self.sources[0], case.target)} of a switch-case group"
        return bool(await ask_condition(case.condition, where, message))

    def rename(self, mapping: Callable[[str], str]) -> EdgeGroup:
        clone = super().rename(mapping)
        assert isinstance(clone, SwitchCaseEdgeGroup)
        clone.cases = [
            Default(mapping(c.target)) if isinstance(c, Default) else Case(c.condition, mapping(c.target))
            for c in self.cases
        ]
        return clone


@dataclass
class FanInEdgeGroup(EdgeGroup):
    """Many sources, one target. The target gets one ``list`` of messages, once every source
    has sent at least one (they may arrive in different supersteps).

    Its memory is a buffer: source id -> what that source sent so far.

    With `min_successes`, a source that failed for good also counts as arrived: the engine puts
    its failure in the buffer, as a `SourceFailed` (see `Engine.report_failure`). Once every source
    has sent or failed, the target gets the messages of those that succeeded, if at least
    `min_successes` did; otherwise the run fails with `FanInFailedError`.
    """

    min_successes: int | None = None

    def __post_init__(self) -> None:
        self.kind = "fan_in"
        super().__post_init__()

    async def route(self, sent: Sent, via: RouteContext) -> list[Message] | None:
        if not self.candidates(sent):
            return None
        step = via.step
        buffers = step.memory_of(self, _copy_buffers)
        # A new list, never an append: the committed buffer shares the old lists.
        buffers[sent.source_id] = [*buffers.get(sent.source_id, ()), sent.payload]
        if len(buffers) < len(self.sources):  # a source appears here only once it has sent
            return []
        step.remember(self, None)  # delivered: the next round starts with an empty buffer
        if self.min_successes is None:
            collected = [item for source in self.sources for item in buffers[source]]
            return [Message(tuple(self.sources), self.targets[0], collected)]
        return self._deliver_successes(buffers, via)

    def _deliver_successes(self, buffers: dict[str, list[Any]], via: RouteContext) -> list[Message]:
        """The one message of a join with `min_successes`: what the sources that succeeded sent."""
        failures = {
            source: items[-1].failure for source, items in buffers.items()
            if all(isinstance(item, SourceFailed) for item in items)
        }
        arrived = [source for source in self.sources if source not in failures]
        target = self.targets[0]
        assert self.min_successes is not None
        if len(arrived) < self.min_successes:
            raise FanInFailedError(_too_few_successes(self, arrived, list(failures.values())))
        if failures:
            via.emit(FanInPartialEvent(target, arrived, list(failures.values())))
        collected = [item for source in arrived for item in buffers[source] if not isinstance(item, SourceFailed)]
        return [Message(tuple(arrived), target, collected)]

    def waiting_for(self, buffers: dict[str, list[Any]]) -> list[str]:
        """The sources that have neither sent nor (with `min_successes`) failed, given `buffers`."""
        return [source for source in self.sources if source not in buffers]

    @property
    def takes_failures(self) -> bool:
        return self.min_successes is not None

    def left_waiting(self, memory: Any, fallbacks: dict[str, str]) -> WorkflowEvent | None:
        """Some sources sent, others never did, so the target never ran."""
        waiting_for = self.waiting_for(memory)
        arrived = [source for source in self.sources if source in memory]
        target = self.targets[0]
        text = (
            f"The run ended with the join into {target!r} still waiting for {_names(waiting_for)}: only "
            f"{_names(arrived)} sent, so {target!r} never ran."
        )
        for source in waiting_for:
            if source in fallbacks:
                text += (
                    f" {source!r} has a fallback ({fallbacks[source]!r}): when it fails, its ExecutorFailure "
                    f"goes to {fallbacks[source]!r}, not to the join."
                )
        text += (
            f" Make every source send a message, or, if {target!r} may go ahead without a source that failed, "
            "use add_fan_in_edges(..., min_successes=n)."
        )
        return FanInWaitingEvent(text, target, waiting_for, arrived)


def _names(ids: list[str]) -> str:
    return ", ".join(repr(i) for i in ids)


def _too_few_successes(join: FanInEdgeGroup, arrived: list[str], failures: list[ExecutorFailure]) -> str:
    target, total = join.targets[0], len(join.sources)
    why = "; ".join(
        f"{failure.executor_id!r} failed with {failure.error_type}: {failure.error_message}"
        f" (after {failure.attempts} attempt{'s' if failure.attempts != 1 else ''})"
        for failure in failures
    )
    succeeded = f" ({', '.join(repr(s) for s in arrived)})" if arrived else ""
    return (
        f"Only {len(arrived)} of {total} sources of the join into {target!r} succeeded{succeeded}, and it "
        f"needs at least {join.min_successes}: {why}. Fix the failing executors, give them retries with "
        "with_retry(...), or lower min_successes in add_fan_in_edges(...)."
    )


def _copy_buffers(committed: dict[str, list[Any]] | None) -> dict[str, list[Any]]:
    return dict(committed or {})


@dataclass
class FallbackEdgeGroup(EdgeGroup):
    """The route an `ExecutorFailure` takes when the source fails for good (`with_fallback`)."""

    def __post_init__(self) -> None:
        self.kind = "fallback"
        self.conditional = True
        self.labels = {self.targets[0]: "on failure"}
        super().__post_init__()

    def carries(self, message: Any) -> bool:
        return isinstance(message, ExecutorFailure)


@dataclass
class LoopEdgeGroup(EdgeGroup):
    """A loop back from `sources[0]` to `targets[0]` while `until(message)` is false; once it is
    true the message leaves through `targets[1]` (if given). More than `max_rounds` trips back
    is an error, so a loop whose condition never comes true stops with a clear message."""

    until: Condition | None = None
    max_rounds: int = 10

    def __post_init__(self) -> None:
        self.kind = "loop"
        self.conditional = True
        self.labels = {self.targets[0]: f"until not {_condition_label(self.until)}"}
        if len(self.targets) > 1:
            self.labels[self.targets[1]] = _condition_label(self.until)
        super().__post_init__()

    @property
    def back_to(self) -> str:
        return self.targets[0]

    async def route(self, sent: Sent, via: RouteContext) -> list[Message] | None:
        # Its memory is the number of trips back so far in this run.
        if not self.candidates(sent):
            return None
        assert self.until is not None
        where = f"the loop from {sent.source_id!r} back to {self.back_to!r} (its until-condition)"
        if await ask_condition(self.until, where, sent.payload):
            via.step.remember(self, None)  # the next time this loop starts, it starts from zero
            return [Message((sent.source_id,), self.exit_to, sent.payload)] if self.exit_to else []
        rounds = via.step.memory_of(self, _count) + 1
        if rounds > self.max_rounds:
            raise LoopLimitError(
                f"The loop from '{sent.source_id}' back to '{self.back_to}' went round {self.max_rounds} times "
                f"and its until-condition is still false for a {type(sent.payload).__name__}. Raise "
                "max_rounds in add_loop(...) if it needs more rounds, or check the condition."
            )
        via.step.remember(self, rounds)
        return [Message((sent.source_id,), self.back_to, sent.payload)]

    @property
    def exit_to(self) -> str | None:
        return self.targets[1] if len(self.targets) > 1 else None


def _count(committed: int | None) -> int:
    return committed or 0


def _condition_label(condition: Any) -> str:
    name = getattr(condition, "__name__", "")
    return "condition" if not name or name == "<lambda>" else name


def chain_edges(ids: Sequence[str]) -> list[EdgeGroup]:
    """Edges a->b, b->c, ... for `WorkflowBuilder.add_chain`."""
    return [SingleEdge([a], [b]) for a, b in zip(ids, ids[1:])]
