"""Run metrics: how long each executor took, how often it failed or retried, and which ones
hold the workflow back.

Metrics are read from the events a run emits, so they work for any run, live or finished::

    metrics = RunMetrics.from_events(result)
    metrics            # in a notebook: a table and a bar chart
    metrics.bottlenecks()
"""

from __future__ import annotations

import html
import statistics
from dataclasses import dataclass, field
from typing import Iterable

from ..core.events import ExecutorCompletedEvent, ExecutorFailedEvent, WorkflowEvent
from ..core.events import ExecutorRetryEvent

# An executor is "slow" when its mean time is at least this many times the others' average.
SLOW_FACTOR = 2.0
# An executor whose times spread more than this much around their mean is "unsteady",
HIGH_VARIATION = 0.5
# ...but only if it matters: at least this share of all the time spent in executors.
MIN_SHARE_FOR_VARIATION = 0.05
# Both rules ignore differences a stall of the machine could explain (seconds).
MIN_SPREAD_SECONDS = 0.005


@dataclass
class ExecutorStats:
    """What one executor did in a run: calls, failures, retries and how long each call took."""

    executor_id: str
    durations: list[float] = field(default_factory=list)
    failures: int = 0
    retries: int = 0

    @property
    def calls(self) -> int:
        """Handler calls that ended, successfully or not."""
        return len(self.durations)

    @property
    def total(self) -> float:
        return sum(self.durations)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.durations) if self.durations else 0.0

    @property
    def p95(self) -> float:
        """The time 95% of calls stayed under (the slowest call, for fewer than 20 calls)."""
        if not self.durations:
            return 0.0
        ordered = sorted(self.durations)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]

    @property
    def stdev(self) -> float:
        return statistics.pstdev(self.durations) if len(self.durations) > 1 else 0.0

    @property
    def success_rate(self) -> float:
        return 1.0 - self.failures / self.calls if self.calls else 1.0


class RunMetrics:
    """Per-executor statistics gathered from workflow events (`observe` them live, or use
    `from_events` on a finished run)."""

    def __init__(self) -> None:
        self._stats: dict[str, ExecutorStats] = {}

    @classmethod
    def from_events(cls, events: Iterable[WorkflowEvent]) -> RunMetrics:
        """Metrics of the given events (a `WorkflowRunResult` works)."""
        metrics = cls()
        for event in events:
            metrics.observe(event)
        return metrics

    def observe(self, event: WorkflowEvent) -> None:
        """Take one event into account; events that carry no timing are ignored."""
        if isinstance(event, (ExecutorCompletedEvent, ExecutorFailedEvent)) and event.duration is not None:
            stats = self._for(event.executor_id)
            stats.durations.append(event.duration)
            if isinstance(event, ExecutorFailedEvent):
                stats.failures += 1
        elif isinstance(event, ExecutorRetryEvent):
            self._for(event.executor_id).retries += 1

    def _for(self, executor_id: str) -> ExecutorStats:
        return self._stats.setdefault(executor_id, ExecutorStats(executor_id))

    def stats(self) -> list[ExecutorStats]:
        """One `ExecutorStats` per executor, slowest in total first."""
        return sorted(self._stats.values(), key=lambda s: s.total, reverse=True)

    def __getitem__(self, executor_id: str) -> ExecutorStats:
        return self._stats[executor_id]

    def bottlenecks(self) -> list[str]:
        """Executors that hold the run back, slow ones first, then unsteady ones.

        - **slow**: its mean time is at least twice the average of the *other* executors' means,
          and above that average by more than their standard deviation (and than 5 ms);
        - **unsteady**: at least 3 calls whose times spread a lot (a standard deviation over half
          the mean, and over 5 ms), in an executor that takes at least 5% of all the time.

        Each executor is compared with the others, not with an average that includes itself: with
        two executors, one of 1 ms and one of 1 s, the slow one is found. A call's time includes the
        waits between its retries: that is time the run spent there::

            metrics.bottlenecks()   # ['call_model']
        """
        stats = [s for s in self._stats.values() if s.durations]
        if len(stats) < 2:
            return []
        found = [s.executor_id for s in stats if self._is_slow(s, [t.mean for t in stats if t is not s])]
        everything = sum(s.total for s in stats) or 1.0
        found += [
            s.executor_id
            for s in stats
            if s.executor_id not in found
            and s.calls >= 3
            and s.stdev > max(HIGH_VARIATION * s.mean, MIN_SPREAD_SECONDS)
            and s.total / everything >= MIN_SHARE_FOR_VARIATION
        ]
        return found

    @staticmethod
    def _is_slow(stats: ExecutorStats, other_means: list[float]) -> bool:
        typical = statistics.fmean(other_means)
        margin = max(statistics.pstdev(other_means), MIN_SPREAD_SECONDS)
        return stats.mean >= SLOW_FACTOR * typical and stats.mean > typical + margin

    # --- showing them ---------------------------------------------------------------------

    def table(self) -> str:
        """The statistics as a plain-text table (times in milliseconds)."""
        header = f"{'executor':<24}{'calls':>6}{'mean ms':>10}{'p95 ms':>10}{'failures':>10}{'retries':>9}"
        rows = [
            f"{s.executor_id[:23]:<24}{s.calls:>6}{s.mean * 1000:>10.2f}{s.p95 * 1000:>10.2f}{s.failures:>10}{s.retries:>9}"
            for s in self.stats()
        ]
        slow = self.bottlenecks()
        footer = f"bottlenecks: {', '.join(slow)}" if slow else "bottlenecks: none"
        return "\n".join([header, *rows, footer])

    def __repr__(self) -> str:
        return self.table()

    def chart_svg(self, width: int = 420) -> str:
        """A horizontal bar chart of mean time per executor, bottlenecks in red, as SVG text."""
        stats = self.stats()
        slow = set(self.bottlenecks())
        longest = max((s.mean for s in stats), default=0.0) or 1.0
        row, label_width = 22, 150
        bars = []
        for i, s in enumerate(stats):
            length = (width - label_width - 70) * s.mean / longest
            colour = "#dc2626" if s.executor_id in slow else "#2563eb"
            y = i * row
            bars.append(
                f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
                f"{html.escape(s.executor_id)}</text>"
                f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="14" fill="{colour}"/>'
                f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" font-size="11">{s.mean * 1000:.1f} ms</text>'
            )
        height = max(row * len(stats), row)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="Helvetica, sans-serif">{"".join(bars)}</svg>'
        )

    def _repr_html_(self) -> str:
        slow = set(self.bottlenecks())
        rows = []
        for s in self.stats():
            style = " style='color:#dc2626'" if s.executor_id in slow else ""
            rows.append(
                f"<tr{style}><td>{html.escape(s.executor_id)}</td><td>{s.calls}</td><td>{s.mean * 1000:.2f}</td>"
                f"<td>{s.p95 * 1000:.2f}</td><td>{s.success_rate:.0%}</td><td>{s.retries}</td></tr>"
            )
        note = ", ".join(sorted(slow)) or "none"
        return (
            "<table><thead><tr><th>executor</th><th>calls</th><th>mean ms</th><th>p95 ms</th>"
            f"<th>success</th><th>retries</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p>Bottlenecks: <b>{html.escape(note)}</b></p>{self.chart_svg()}"
        )
