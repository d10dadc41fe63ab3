"""Patterns built on the runtime: run metrics, and sequential / concurrent agent workflows."""

from .metrics import ExecutorStats, RunMetrics
from .orchestration import ConcurrentBuilder, SequentialBuilder

__all__ = ["ConcurrentBuilder", "ExecutorStats", "RunMetrics", "SequentialBuilder"]
