"""Lesson 8: the reference solution, under the learner's name (lesson_08.reveal() shows it once the
learner has run the check), and a known wrong answer the check must refuse.

The lesson's headless runs paste each over the learner's route and run the lesson, so both use the
lesson's own names. This file is read, never imported; its folder is hidden from JupyterLab's file
browser."""


def route(state: GroupChatState) -> str:
    message = state.conversation[0].text.lower()  # the customer's message
    if any(word in message for word in ("charge", "refund", "invoice", "bill", "pay")):
        return "billing"
    if any(word in message for word in ("parcel", "deliver", "ship", "track", "package")):
        return "shipping"
    return "triage"


def route_on_one_word(state: GroupChatState) -> str:
    """A plausible mistake: one word per specialist, and everything else to shipping, not triage."""
    message = state.conversation[0].text.lower()
    return "billing" if "charge" in message else "shipping"


def route_without_triage(state: GroupChatState) -> str:
    """A plausible mistake: the specialists' words are right, but everything else goes to billing."""
    message = state.conversation[0].text.lower()
    if any(word in message for word in ("parcel", "deliver", "ship", "track", "package")):
        return "shipping"
    return "billing"


solution = route
wrong = route_on_one_word, "a payment can be a charge, a refund"
wrong_2 = route_without_triage, 'return "triage"'
