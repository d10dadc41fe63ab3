"""Run observers: the door through which tools built on the core watch its runs.

The core imports nothing built on top of it, so it cannot call a tracer (or any other tool)
itself. Instead it keeps a short list of observers. A tool joins with `add_run_observer` and
leaves with `remove_run_observer`; nothing joins by being imported. `wfkit.observability` is the
one wfkit ships: its ``setup_observability()`` adds an observer that records OpenTelemetry spans.

When a run starts, its engine asks every observer for a `RunWatch` (`watching`). A watch sees
the run at five points, and at each it either wraps the engine's own call or is told of an act:

- ``run(supersteps)``: wraps the whole run, and returns where it ended;
- ``superstep(step, state)``: wraps each superstep (the wrapped call returns its failure, or None);
- ``invoke(call)``: wraps each handler call (`Message` in, the handler's exceptions out);
- ``sent(source_id, payload, target_id)``: a handler sent a message (told, nothing to wrap);
- ``failed(details)``: the run failed, for the reason given.

Wrapping, rather than being told "started" and "ended", lets an observer keep something open
around the call, such as a span that is the current one while the handler runs, so that what
the handler does (sending, running a sub-workflow, calling a model) nests inside it.

The engine wraps once per run, not once per call: with no observer the engine checks one
``if`` per run and one per message sent, and otherwise runs exactly as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Awaitable, Callable, Protocol

if TYPE_CHECKING:
    from .events import WorkflowErrorDetails, WorkflowRunState
    from .policies import Invoke, Superstep
    from .state import RunState
    from .workflow import Workflow

Supersteps = Callable[[], Awaitable["WorkflowRunState"]]  # the whole run: supersteps until it ends


class RunWatch:
    """What one observer does in one run: each method wraps one of the engine's calls or hears
    one of its acts. This base class changes nothing, so a watch overrides only what it needs."""

    async def run(self, supersteps: Supersteps) -> WorkflowRunState:
        """Run the whole run by awaiting `supersteps`, and return the state it ended in."""
        return await supersteps()

    def superstep(self, superstep: Superstep, state: RunState) -> Superstep:
        """`superstep`, wrapped. `state` is the run's state: its ``messages`` are the ones the
        step is about to deliver, and its ``iteration`` the number of the last step committed."""
        return superstep

    def invoke(self, invoke: Invoke) -> Invoke:
        """The engine's one handler call, wrapped. It takes a `Message` and raises what the
        handler raised; with retries, each attempt is one call."""
        return invoke

    def sent(self, source_id: str, payload: Any, target_id: str | None) -> None:
        """Executor `source_id` sent `payload` (to `target_id`, if it named one). It is routed
        at the end of the superstep and delivered in the next one."""

    def failed(self, details: WorkflowErrorDetails) -> None:
        """The run failed (`details` says why); `run` returns FAILED right after."""


class RunObserver(Protocol):
    """Anything with a `watch` method: asked at the start of every run of every workflow."""

    def watch(self, workflow: Workflow) -> RunWatch | None:
        """A `RunWatch` for a run of `workflow` that starts now, or None to leave it alone."""
        ...


_observers: list[RunObserver] = []


def add_run_observer(observer: RunObserver) -> None:
    """Let `observer` watch every run that starts from now on (adding it twice adds it once)."""
    if observer not in _observers:
        _observers.append(observer)


def remove_run_observer(observer: RunObserver) -> None:
    """Stop `observer` watching runs that start from now on (runs under way keep their watch)."""
    if observer in _observers:
        _observers.remove(observer)


def run_observers() -> list[RunObserver]:
    """The observers registered now, in the order they were added."""
    return list(_observers)


def watching(workflow: Workflow) -> RunWatch | None:
    """The watch over a run of `workflow` starting now: None when nobody watches (the usual
    case, which the engine checks with one ``if``), one observer's watch, or several together."""
    if not _observers:
        return None
    watches = [watch for observer in _observers if (watch := observer.watch(workflow)) is not None]
    if not watches:
        return None
    return watches[0] if len(watches) == 1 else Watches(watches)


class Watches(RunWatch):
    """Several watches as one: the first added wraps outermost, and each hears every act."""

    def __init__(self, watches: list[RunWatch]) -> None:
        self.watches = watches

    async def run(self, supersteps: Supersteps) -> WorkflowRunState:
        for watch in reversed(self.watches):
            supersteps = _wrapping_run(watch, supersteps)
        return await supersteps()

    def superstep(self, superstep: Superstep, state: RunState) -> Superstep:
        for watch in reversed(self.watches):
            superstep = watch.superstep(superstep, state)
        return superstep

    def invoke(self, invoke: Invoke) -> Invoke:
        for watch in reversed(self.watches):
            invoke = watch.invoke(invoke)
        return invoke

    def sent(self, source_id: str, payload: Any, target_id: str | None) -> None:
        for watch in self.watches:
            watch.sent(source_id, payload, target_id)

    def failed(self, details: WorkflowErrorDetails) -> None:
        for watch in self.watches:
            watch.failed(details)


def _wrapping_run(watch: RunWatch, inner: Supersteps) -> Supersteps:
    # A function of its own, so each layer keeps its own `watch` and `inner`.
    async def wrapped() -> WorkflowRunState:
        return await watch.run(inner)

    return wrapped
