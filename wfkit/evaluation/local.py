"""`LocalEvaluator`: run checks on items here, in this process, and count what passed.

An item passes when every check passes on it (and there was at least one check: a pass with no
evidence would mean nothing). Unlike Agent Framework, where a check that raises ends the whole
evaluation, wfkit records that item as an *error* (``status == "error"``, the exception in
``error_message``) and goes on, so one broken check in a lesson does not hide the others' verdicts.
"""

from __future__ import annotations

import inspect
from typing import Sequence

from .checks import CheckResult, EvalCheck
from .items import EvalItem
from .results import EvalItemResult, EvalResults, EvalScoreResult


async def _run_check(check: EvalCheck, item: EvalItem) -> CheckResult:
    result = check(item)
    if inspect.isawaitable(result):
        result = await result
    return result


class LocalEvaluator:
    """Runs the given checks on every item: ``LocalEvaluator(keyword_check("Paris"), is_short)``."""

    def __init__(self, *checks: EvalCheck) -> None:
        self.name = "Local"
        self.checks = checks

    async def evaluate(self, items: Sequence[EvalItem], *, eval_name: str = "Local Eval") -> EvalResults:
        """Run every check on every item and return the counts, each item's scores and the reasons for failures."""
        counts = {"passed": 0, "failed": 0, "errored": 0}
        per_check: dict[str, dict[str, int]] = {}
        failures: list[str] = []
        item_results: list[EvalItemResult] = []
        for index, item in enumerate(items):
            scores: list[EvalScoreResult] = []
            try:
                verdicts = [await _run_check(check, item) for check in self.checks]
            except Exception as exc:  # a broken check: record it and go on with the next item
                counts["errored"] += 1
                failures.append(f"item {index}: a check raised {type(exc).__name__}: {exc}")
                item_results.append(EvalItemResult(
                    str(index), "error", error_code=type(exc).__name__, error_message=str(exc),
                    input_text=item.query, output_text=item.response,
                ))
                continue
            for verdict in verdicts:
                tally = per_check.setdefault(verdict.check_name, {"passed": 0, "failed": 0, "errored": 0})
                tally["passed" if verdict.passed else "failed"] += 1
                if not verdict.passed:
                    failures.append(f"{verdict.check_name}: {verdict.reason}")
                scores.append(EvalScoreResult(
                    verdict.check_name, 1.0 if verdict.passed else 0.0, verdict.passed,
                    {"reason": verdict.reason} if verdict.reason else None,
                ))
            item_passed = bool(verdicts) and all(v.passed for v in verdicts)
            counts["passed" if item_passed else "failed"] += 1
            item_results.append(EvalItemResult(
                str(index), "pass" if item_passed else "fail", scores,
                input_text=item.query, output_text=item.response,
            ))
        return EvalResults(
            provider=self.name, eval_id="local", run_id=eval_name, result_counts=counts,
            per_evaluator=per_check, items=item_results, error="; ".join(failures) or None,
        )
