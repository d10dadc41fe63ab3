"""The reference solution of lesson_08 (its check must pass it) and a known wrong answer (the
check must refuse it). Hidden from the file browser; `lesson_08.reveal()` prints the solution
once the learner has run the check."""

from wfkit.orchestrations import GroupChatState


def solution(state: GroupChatState) -> str:
    """The desk member for the customer's message: billing for payments, shipping for parcels,
    triage for anything else."""
    message = state.conversation[0].text.lower()  # the customer's message, whatever the round
    if any(word in message for word in ("charge", "refund", "invoice", "bill", "pay")):
        return "billing"
    if any(word in message for word in ("parcel", "deliver", "ship", "track", "package")):
        return "shipping"
    return "triage"


def wrong(state: GroupChatState) -> str:
    """A plausible slip: one word per specialist, and everything else to shipping, not triage."""
    message = state.conversation[0].text.lower()
    return "billing" if "charge" in message else "shipping"
