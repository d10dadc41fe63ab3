"""Run metrics: how long each executor took, how often it failed or retried, which ones hold
the workflow back, and, across runs, how many runs succeeded and how long a run takes.

Metrics are read from the events a run emits, so they work for any run, live or finished::

    metrics = RunMetrics.from_events(result)
    metrics            # in a notebook: a table and a bar chart
    metrics.bottlenecks()

    metrics = RunMetrics()
    for order in orders:                       # several runs, one after another
        metrics.observe_all(await workflow.run(order))
    metrics.runs, metrics.success_rate, metrics.mean_run_seconds
"""

from __future__ import annotations

import html
import statistics
from dataclasses import dataclass, field
from typing import Iterable

from ..core.events import WorkflowEvent, WorkflowRunState

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
    """Statistics gathered from workflow events: per executor (`stats`, `bottlenecks`) and per
    run (`runs`, `succeeded`, `failed`, `success_rate`, `mean_run_seconds`).

    `observe` events live, one by one, or use `from_events` / `observe_all` on finished runs.
    Feed it the runs of one workflow at a time: a run that pauses for an answer and goes on
    later counts once, when it finishes, and its time is the time it spent running, without
    the wait for the person.
    """

    def __init__(self) -> None:
        self._stats: dict[str, ExecutorStats] = {}
        self.run_durations: list[float] = []  # seconds, one per finished run, in order
        self.succeeded = 0  # runs that ended IDLE (whatever they output)
        self.failed = 0  # runs that ended FAILED
        self._paused_seconds: float | None = None  # a run paused for an answer: its time so far

    @classmethod
    def from_events(cls, events: Iterable[WorkflowEvent]) -> RunMetrics:
        """Metrics of the given events (a `WorkflowRunResult` works)."""
        metrics = cls()
        metrics.observe_all(events)
        return metrics

    def observe_all(self, events: Iterable[WorkflowEvent]) -> None:
        """`observe` each of `events` (say, one more run's `WorkflowRunResult`)."""
        for event in events:
            self.observe(event)

    def observe(self, event: WorkflowEvent) -> None:
        """Take one event into account; events that carry no timing are ignored."""
        match event.type:
            case "status" if event.duration is not None:
                self._end_of_run_call(event.state, event.duration)
            case "executor_completed" | "executor_failed" if event.duration is not None:
                stats = self._for(event.executor_id)
                stats.durations.append(event.duration)
                if event.type == "executor_failed":
                    stats.failures += 1
            case "executor_retry":
                self._for(event.executor_id).retries += 1

    def _end_of_run_call(self, state: WorkflowRunState, seconds: float) -> None:
        # Each run call ends with a status event carrying its duration; a paused run's calls
        # add up until the one that finishes it.
        so_far = (self._paused_seconds or 0.0) + seconds
        if state is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS:
            self._paused_seconds = so_far
            return
        self._paused_seconds = None
        self.run_durations.append(so_far)
        if state is WorkflowRunState.FAILED:
            self.failed += 1
        else:
            self.succeeded += 1

    # --- across runs ------------------------------------------------------------------------

    @property
    def runs(self) -> int:
        """Finished runs: those that succeeded plus those that failed (a paused run is not yet)."""
        return self.succeeded + self.failed

    @property
    def paused(self) -> bool:
        """True while the latest run waits for an answer (it is counted once it finishes)."""
        return self._paused_seconds is not None

    @property
    def success_rate(self) -> float:
        """The share of finished runs that succeeded, from 0.0 to 1.0 (1.0 before any run ends)."""
        return self.succeeded / self.runs if self.runs else 1.0

    @property
    def mean_run_seconds(self) -> float:
        """The mean time of a finished run, in seconds (0.0 before any run ends)."""
        return statistics.fmean(self.run_durations) if self.run_durations else 0.0

    def runs_summary(self) -> str:
        """One line about the runs: ``runs: 5 (4 succeeded, 1 failed: 80%) · mean 12.30 ms per run``."""
        if not self.runs:
            return "runs: none finished yet" + (" (one is waiting for an answer)" if self.paused else "")
        return (
            f"runs: {self.runs} ({self.succeeded} succeeded, {self.failed} failed: {self.success_rate:.0%}) "
            f"· mean {self.mean_run_seconds * 1000:.2f} ms per run"
            + (" · one more is waiting for an answer" if self.paused else "")
        )

    # --- per executor -----------------------------------------------------------------------

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
        return "\n".join([header, *rows, footer, self.runs_summary()])

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
            f"<p>Bottlenecks: <b>{html.escape(note)}</b></p>"
            f"<p>{html.escape(self.runs_summary())}</p>{self.chart_svg()}"
        )
