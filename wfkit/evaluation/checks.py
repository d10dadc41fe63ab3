"""Checks: small functions that look at one `EvalItem` and say pass or fail, and why.

A check is any function ``check(item) -> CheckResult`` (or an ``async`` one). `@evaluator` makes
one from a plain function whose *parameter names* say what it wants to see: ``query``,
``response``, ``conversation``, ``expected_output``, ``expected_tool_calls``, ``tools`` or
``context``. It may answer ``True``/``False``, a score (0.5 or more passes), a dict with
``"passed"`` or ``"score"``, or a `CheckResult`. `keyword_check` and `tool_called_check` are two
ready-made checks.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Literal

from ..errors import EvaluatorSignatureError
from .items import EvalItem


@dataclass
class CheckResult:
    """One check's verdict on one item: ``passed``, a ``reason`` a person can read, and the check's name."""

    passed: bool
    reason: str
    check_name: str


EvalCheck = Callable[[EvalItem], "CheckResult | Awaitable[CheckResult]"]
"""The shape of a check: it takes an `EvalItem` and returns a `CheckResult`, or an awaitable of one."""

# What each parameter name of an @evaluator function is given, read from the item.
_ITEM_FIELDS: dict[str, Callable[[EvalItem], Any]] = {
    "query": lambda item: item.query,
    "response": lambda item: item.response,
    "expected_output": lambda item: item.expected_output or "",
    "expected_tool_calls": lambda item: item.expected_tool_calls or [],
    "conversation": lambda item: item.conversation,
    "tools": lambda item: item.tools,
    "context": lambda item: item.context,
}


def _to_check_result(value: Any, check_name: str) -> CheckResult:
    """Turn what an @evaluator function returned into a `CheckResult`."""
    if isinstance(value, CheckResult):
        return value
    # bool before numbers: True is an int too, and should read "passed", not "score=1.000".
    if isinstance(value, bool):
        return CheckResult(value, "passed" if value else "failed", check_name)
    if isinstance(value, (int, float)):
        return CheckResult(value >= 0.5, f"score={value:.3f}", check_name)
    if isinstance(value, dict) and ("score" in value or "passed" in value):
        if "score" in value:
            score = float(value["score"])
            passed = bool(value["passed"]) if "passed" in value else score >= float(value.get("threshold", 0.5))
            return CheckResult(passed, str(value.get("reason", f"score={score:.3f}")), check_name)
        passed = bool(value["passed"])
        return CheckResult(passed, str(value.get("reason", "passed" if passed else "failed")), check_name)
    raise TypeError(
        f"The evaluator {check_name!r} returned a {type(value).__name__}; return True/False, a score "
        f"between 0 and 1, a dict with 'passed' or 'score', or a CheckResult."
    )


def evaluator(fn: Callable[..., Any] | None = None, *, name: str | None = None) -> Any:
    """Make a check from a function whose parameter names say what it reads from the item.

    ``@evaluator`` or ``@evaluator(name="short")`` above
    ``def short(response: str) -> bool: return len(response) < 200``.
    """

    def wrap(func: Callable[..., Any]) -> EvalCheck:
        check_name = name or getattr(func, "__name__", None) or "evaluator"
        parameters = inspect.signature(func).parameters
        unknown = [n for n, p in parameters.items() if n not in _ITEM_FIELDS and p.default is inspect.Parameter.empty]
        if unknown:
            # Refused here, where the function is defined, rather than at the first item.
            raise EvaluatorSignatureError(
                f"The evaluator {check_name!r} has parameter(s) {unknown} that no item can fill. Name each "
                f"parameter after what it reads ({', '.join(sorted(_ITEM_FIELDS))}) or give it a default."
            )
        wanted = [n for n in parameters if n in _ITEM_FIELDS]

        async def check(item: EvalItem) -> CheckResult:
            result = func(**{n: _ITEM_FIELDS[n](item) for n in wanted})
            if inspect.isawaitable(result):
                result = await result
            return _to_check_result(result, check_name)

        check.__name__ = check_name
        check.__doc__ = func.__doc__
        return check

    return wrap(fn) if fn is not None else wrap


def keyword_check(*keywords: str, case_sensitive: bool = False) -> EvalCheck:
    """A check that the response holds every keyword: ``keyword_check("Paris", "hotel")``."""

    def check(item: EvalItem) -> CheckResult:
        fold = (lambda s: s) if case_sensitive else str.lower
        missing = [k for k in keywords if fold(k) not in fold(item.response)]
        if missing:
            return CheckResult(False, f"Missing keywords: {missing}", "keyword_check")
        return CheckResult(True, "All keywords found", "keyword_check")

    return check


def tool_called_check(*names: str, mode: Literal["all", "any"] = "all") -> EvalCheck:
    """A check that the conversation called the tools named: every one (``mode="all"``) or one (``"any"``)."""
    if mode not in ("all", "any"):
        raise ValueError(f"tool_called_check(mode={mode!r}): mode is 'all' or 'any'.")

    def check(item: EvalItem) -> CheckResult:
        called = sorted(set(item.called_tools()))
        if mode == "any":
            found = sorted(set(names) & set(called))
            if found:
                return CheckResult(True, f"Expected tool found: {found}", "tool_called")
            return CheckResult(False, f"None of expected tools called: {list(names)} (called: {called})", "tool_called")
        missing = [n for n in names if n not in called]
        if missing:
            return CheckResult(False, f"Expected tools not called: {missing} (called: {called})", "tool_called")
        return CheckResult(True, f"All expected tools called: {called}", "tool_called")

    return check
