"""The reference solution of lesson_05 (its check must pass it) and a known wrong answer (the
check must refuse it). Hidden from the file browser; `lesson_05.reveal()` prints the solution
once the learner has run the check."""

from __future__ import annotations


def solution(builder, receive, suppliers, pick):
    """The reference answer: fan out with a limit of two, fan the offers back in."""
    return (
        builder.add_fan_out_edges(receive, suppliers, max_concurrency=2)
        .add_fan_in_edges(suppliers, pick)
    )


def wrong(builder, receive, suppliers, pick):
    """A plausible mistake: the fan-out and the fan-in are right, but nothing limits how many
    suppliers are asked at once, so all five connect together."""
    return builder.add_fan_out_edges(receive, suppliers).add_fan_in_edges(suppliers, pick)
