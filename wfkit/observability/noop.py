"""Stand-ins for a tracer and a meter, for when OpenTelemetry is not installed.

`get_tracer()` and `get_meter()` return these then, so code written for tracing
(``with get_tracer().start_as_current_span("scenario"):``) still runs, and records nothing.
They offer the methods such code commonly calls, each doing nothing.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator


class NoOpSpan:
    """A span that records nothing."""

    def set_attribute(self, key: str, value: Any) -> None:
        """Record nothing."""

    def set_attributes(self, attributes: dict[str, Any]) -> None:
        """Record nothing."""

    def add_event(self, name: str, attributes: dict[str, Any] | None = None, timestamp: int | None = None) -> None:
        """Record nothing."""

    def record_exception(self, exception: BaseException, *args: Any, **kwargs: Any) -> None:
        """Record nothing."""

    def set_status(self, *args: Any, **kwargs: Any) -> None:
        """Record nothing."""

    def is_recording(self) -> bool:
        """Never: nothing is recorded."""
        return False

    def end(self, end_time: int | None = None) -> None:
        """Nothing to end."""

    def __enter__(self) -> NoOpSpan:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        return None


class NoOpTracer:
    """A tracer whose spans record nothing."""

    def start_span(self, name: str, *args: Any, **kwargs: Any) -> NoOpSpan:
        """A span that records nothing."""
        return NoOpSpan()

    @contextlib.contextmanager
    def start_as_current_span(self, name: str, *args: Any, **kwargs: Any) -> Iterator[NoOpSpan]:
        """A span that records nothing, for a ``with`` block."""
        yield NoOpSpan()


class NoOpInstrument:
    """A counter, histogram or gauge that records nothing."""

    def add(self, amount: float, attributes: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """Record nothing."""

    def record(self, amount: float, attributes: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """Record nothing."""

    def set(self, amount: float, attributes: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """Record nothing."""


class NoOpMeter:
    """A meter whose instruments record nothing."""

    def create_counter(self, name: str, *args: Any, **kwargs: Any) -> NoOpInstrument:
        """A counter that records nothing."""
        return NoOpInstrument()

    def create_up_down_counter(self, name: str, *args: Any, **kwargs: Any) -> NoOpInstrument:
        """A counter that records nothing."""
        return NoOpInstrument()

    def create_histogram(self, name: str, *args: Any, **kwargs: Any) -> NoOpInstrument:
        """A histogram that records nothing."""
        return NoOpInstrument()

    def create_gauge(self, name: str, *args: Any, **kwargs: Any) -> NoOpInstrument:
        """A gauge that records nothing."""
        return NoOpInstrument()
