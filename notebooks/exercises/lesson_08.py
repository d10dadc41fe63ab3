"""Lesson 8 exercise: a group chat's selection function that sends a customer to the right desk.

The learner writes ``route(state)``: given the chat's `GroupChatState`, the name of the desk member
who should answer the customer's message (its first message): billing for payments, shipping for
parcels, triage for anything else. Each test runs a real group chat of the lesson's own desk (the
check is given the lesson's ``support_desk``) with ``selection_func=route`` for one round, and looks
at who answered the customer and what they said.
"""

from __future__ import annotations

from typing import Any, Callable

from wfkit import WorkflowFailedError
from wfkit.orchestrations import GroupChatBuilder
from wfkit.teach import Exercise

exercise = Exercise.for_module(__name__, __file__)

PAYMENTS_HINT = ("Read the customer's words, state.conversation[0].text, and look for more than one word per "
                 "specialist: a payment can be a charge, a refund, an invoice, a bill...")
PARCELS_HINT = "Parcels come in many words too: parcel, delivery, tracking, shipping, package..."


async def answered(route: Callable[[Any], Any], support_desk: Callable[[], list[Any]], message: str) -> tuple[str, str]:
    """(who answered, what they said) when a one-round group chat of the desk, managed by
    `route`, gets the customer's `message`."""
    chat = GroupChatBuilder(participants=support_desk(), selection_func=route, max_rounds=1).build()
    try:
        result = await chat.run(message)
    except WorkflowFailedError as failed:  # say what route did, not how the run failed
        raise AssertionError(f"for {message!r}, the chat failed: {failed.__cause__ or failed}") from None
    turns = [event for event in result if event.type == "agent_run"]
    assert turns, f"for {message!r}, nobody answered: does route return a participant's name?"
    return turns[0].executor_id, turns[0].data.text


def routes(message: str, expected: str) -> Callable[..., Any]:
    """A test: the chat sends `message` to `expected`."""

    async def test(route: Callable[[Any], Any], support_desk: Callable[[], list[Any]]) -> None:
        who, said = await answered(route, support_desk, message)
        assert who == expected, f"for {message!r}, {who} answered: {said!r}"

    return test


# (what the test checks, the customer's message, who must answer it, the hint when they do not)
CASES = [
    ("a double charge goes to billing", "I was charged twice for order 1042.", "billing", PAYMENTS_HINT),
    ("a parcel that has not arrived goes to shipping", "My parcel for order 2203 still hasn't arrived.", "shipping",
     PARCELS_HINT),
    ("a refund goes to billing too", "I'd like a refund for order 3301, I sent the kettle back.", "billing", PAYMENTS_HINT),
    ("a delivery goes to shipping too", "When will the delivery for order 4410 come?", "shipping", PARCELS_HINT),
    ("a message about nothing in particular goes to triage", "Hello, can you help me?", "triage",
     "When no specialist's words are in the message, return \"triage\": it asks what the message is about."),
]
for description, message, expected, hint in CASES:
    exercise.test(description, hint=hint)(routes(message, expected))

check = exercise.check  # the notebook: await lesson_08.check(route, support_desk)
reveal = exercise.reveal  # shows the reference solution, once the check has run
