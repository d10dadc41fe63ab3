"""What an evaluation hands back: counts per run, a result per item, and a score per check.

`EvalResults` is one evaluator's verdict on a list of items: how many passed and failed, each
item's result (`EvalItemResult`) and, for a workflow, one `EvalResults` per agent in
`sub_results`. `raise_for_status()` turns a verdict that is not all green into an exception, so
the same evaluation can stop a test or a CI job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import EvalNotPassedError


@dataclass
class EvalScoreResult:
    """One check's verdict on one item: its name, 1.0 or 0.0, and why (``sample["reason"]``)."""

    name: str
    score: float
    passed: bool | None = None
    sample: dict[str, Any] | None = None


@dataclass
class EvalItemResult:
    """One item's result: ``status`` is ``"pass"``, ``"fail"`` or ``"error"`` (a check raised)."""

    item_id: str
    status: str
    scores: list[EvalScoreResult] = field(default_factory=list)
    error_code: str | None = None
    error_message: str | None = None
    input_text: str | None = None
    output_text: str | None = None

    @property
    def is_error(self) -> bool:
        """True when a check could not give a verdict (it raised)."""
        return self.status == "error"

    @property
    def is_passed(self) -> bool:
        """True when every check passed."""
        return self.status == "pass"

    @property
    def is_failed(self) -> bool:
        """True when at least one check failed."""
        return self.status == "fail"


class EvalResults:
    """One evaluator's results: ``passed``, ``failed``, ``total``, ``items``, ``sub_results``.

    ``for r in results: print(f"{r.provider}: {r.passed}/{r.total}")``
    """

    def __init__(
        self,
        *,
        provider: str,
        eval_id: str = "",
        run_id: str = "",
        status: str = "completed",
        result_counts: dict[str, int] | None = None,
        error: str | None = None,
        per_evaluator: dict[str, dict[str, int]] | None = None,
        items: list[EvalItemResult] | None = None,
        sub_results: dict[str, EvalResults] | None = None,
    ) -> None:
        self.provider = provider
        self.eval_id = eval_id
        self.run_id = run_id
        self.status = status
        self.result_counts = result_counts
        self.error = error
        self.per_evaluator = per_evaluator or {}
        self.items = items or []
        self.sub_results = sub_results or {}

    def _count(self, key: str) -> int:
        return (self.result_counts or {}).get(key, 0)

    @property
    def passed(self) -> int:
        """How many items passed."""
        return self._count("passed")

    @property
    def failed(self) -> int:
        """How many items failed (errored items are counted apart, in ``result_counts["errored"]``)."""
        return self._count("failed")

    @property
    def total(self) -> int:
        """``passed + failed``, as in Agent Framework (errored items are not in it)."""
        return self.passed + self.failed

    @property
    def all_passed(self) -> bool:
        """True when nothing failed or errored, something was checked, and every agent's results passed."""
        if self.status != "completed":
            return False
        own = self.failed == 0 and self._count("errored") == 0 and self.total > 0
        if self.sub_results:
            # Aggregated results with no counts of their own are judged by their agents alone.
            own = own if self.result_counts else True
            return own and all(sub.all_passed for sub in self.sub_results.values())
        return own

    def raise_for_status(self, msg: str | None = None) -> None:
        """Raise `EvalNotPassedError` unless `all_passed`; the message names what failed and why."""
        if self.all_passed:
            return
        detail = msg or f"Evaluation {self.run_id!r} {self.status}: {self.passed} passed, {self.failed} failed."
        if self._count("errored"):
            detail += f" {self._count('errored')} errored."
        if self.error:
            detail += f" Why: {self.error}"
        failed_agents = [name for name, sub in self.sub_results.items() if not sub.all_passed]
        if failed_agents:
            detail += f" Agents that did not pass: {', '.join(failed_agents)}."
        errored = [f"{i.item_id}: {i.error_code}" for i in self.items if i.is_error]
        if errored:
            detail += f" Items whose check raised: {', '.join(errored)}."
        raise EvalNotPassedError(detail)

    def __repr__(self) -> str:
        return f"EvalResults(provider={self.provider!r}, passed={self.passed}, failed={self.failed}, sub_results={list(self.sub_results)})"
