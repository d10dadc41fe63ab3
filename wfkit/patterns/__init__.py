"""Patterns built on the runtime: run metrics (and, with agents, sequential / concurrent builders)."""

from .metrics import ExecutorStats, RunMetrics

__all__ = ["ExecutorStats", "RunMetrics"]
