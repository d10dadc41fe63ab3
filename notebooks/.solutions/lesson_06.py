"""Lesson 6: the reference solution, under the learner's name (lesson_06.reveal() shows it once the
learner has run the check), and a known wrong answer the check must refuse.

The lesson's headless runs paste each over the learner's make_reliable and run the lesson, so both
use the lesson's own names. This file is read, never imported; its folder is hidden from
JupyterLab's file browser."""


def make_reliable(builder, address_check, manual_check):
    builder.with_retry(address_check, RetryPolicy(max_attempts=3, backoff_seconds=0.005))   # 3 calls in all
    builder.with_timeout(address_check, seconds=0.1)
    builder.with_fallback(address_check, manual_check)
    return builder


def two_retries_taken_as_two_attempts(builder, address_check, manual_check):
    """A plausible mistake: max_attempts read as the number of retries (2), so a service that fails
    twice never gets its third call."""
    builder.with_retry(address_check, RetryPolicy(max_attempts=2, backoff_seconds=0.005))
    builder.with_timeout(address_check, seconds=0.1)
    builder.with_fallback(address_check, manual_check)
    return builder


def no_fallback(builder, address_check, manual_check):
    """A plausible mistake: retries and a time limit, but nowhere to go when they run out."""
    builder.with_retry(address_check, RetryPolicy(max_attempts=3, backoff_seconds=0.005))
    builder.with_timeout(address_check, seconds=0.1)
    return builder


solution = make_reliable
wrong = two_retries_taken_as_two_attempts, "max_attempts counts every call"
wrong_2 = no_fallback, "Add a fallback route"
