"""The reference solution of lesson_01 (its check must pass it) and a known wrong answer (the
check must refuse it). Hidden from the file browser; `lesson_01.reveal()` prints the solution
once the learner has run the check."""

from __future__ import annotations

from wfkit import Case, Default

from exercises.lesson_01 import BILLING_WORDS


def solution(on_call, billing, general):
    """The reference answer: urgent first (the first matching case wins), then billing words."""

    def is_urgent(ticket) -> bool:
        return ticket.priority == "urgent"

    def is_billing(ticket) -> bool:
        return any(word in ticket.text.lower() for word in ("invoice", "refund", "charge"))

    return [Case(condition=is_urgent, target=on_call), Case(condition=is_billing, target=billing), Default(target=general)]


def wrong(on_call, billing, general):
    """A plausible mistake: the billing case comes first, so an urgent refund waits in billing."""
    return [
        Case(condition=lambda t: any(w in t.text.lower() for w in BILLING_WORDS), target=billing),
        Case(condition=lambda t: t.priority == "urgent", target=on_call),
        Default(target=general),
    ]
