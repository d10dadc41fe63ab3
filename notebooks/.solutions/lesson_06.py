"""The reference solution of lesson_06 (its check must pass it) and a known wrong answer (the
check must refuse it). Hidden from the file browser; `lesson_06.reveal()` prints the solution
once the learner has run the check."""

from __future__ import annotations

from wfkit import RetryPolicy


def solution(builder, address_check, manual_check):
    """The reference answer."""
    return (
        builder.with_retry(address_check, RetryPolicy(max_attempts=3, backoff_seconds=0.005))
        .with_timeout(address_check, seconds=0.1)
        .with_fallback(address_check, manual_check)
    )


def wrong(builder, address_check, manual_check):
    """A plausible mistake: max_attempts taken as the number of *retries* (2), so a service
    that fails twice never gets its third call."""
    return (
        builder.with_retry(address_check, RetryPolicy(max_attempts=2, backoff_seconds=0.005))
        .with_timeout(address_check, seconds=0.1)
        .with_fallback(address_check, manual_check)
    )
