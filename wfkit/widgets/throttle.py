"""`Throttle`: redraw a view at most a few times a second, and always once at the end.

A fast run emits thousands of events. If every event redrew the graph or the log, the kernel
would send thousands of messages to the browser and the page would freeze. Views therefore
*ask* for a redraw on each change, and the throttle decides when to really draw:

- the first request draws at once (so a slow run feels instant);
- later requests within `interval` seconds are merged into one draw at the end of the
  interval, scheduled on the running asyncio loop;
- `flush()` draws now if anything is still waiting (a view calls it when a run ends, so the
  last picture is always the final one).

`clock` is where the throttle reads the time; tests pass a fake one so that what they check
does not depend on how fast the machine runs.
"""

from __future__ import annotations

import asyncio
import time
from typing import Callable


class Throttle:
    """Call `draw` at most once every `interval` seconds, however often `request()` is called.

    >>> throttle = Throttle(view.redraw, interval=0.1)   # doctest: +SKIP
    >>> for event in events: throttle.request()          # doctest: +SKIP
    >>> throttle.flush()                                 # doctest: +SKIP
    """

    def __init__(
        self, draw: Callable[[], None], interval: float = 0.1, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.draw = draw
        self.interval = interval
        self.clock = clock
        self.draws = 0  # how many times `draw` really ran (tests and benchmarks read it)
        self._last_draw = float("-inf")
        self._dirty = False
        self._timer: asyncio.TimerHandle | None = None

    def request(self) -> None:
        """Something changed: draw now, or soon, but not more often than `interval` allows."""
        self._dirty = True
        if self._timer is not None:
            return  # a draw is already scheduled and will include this change
        wait = self._last_draw + self.interval - self.clock()
        if wait <= 0:
            self._draw_now()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (plain Python): the next request or flush() will draw
        self._timer = loop.call_later(wait, self._on_timer)

    def flush(self) -> None:
        """Draw now if a change has not been drawn yet."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._dirty:
            self._draw_now()

    def _on_timer(self) -> None:
        self._timer = None
        if self._dirty:
            self._draw_now()

    def _draw_now(self) -> None:
        self._dirty = False
        self._last_draw = self.clock()
        self.draws += 1
        self.draw()
