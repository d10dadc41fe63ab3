"""Lesson 1: the reference solution, under the learner's name (lesson_01.reveal() shows it once the
learner has run the check), and a known wrong answer the check must refuse.

The lesson's headless runs paste each over the learner's my_cases and run the lesson, so both use
the lesson's own names. This file is read, never imported; its folder is hidden from JupyterLab's
file browser."""


def my_cases(on_call, billing, general):
    def is_urgent(ticket) -> bool:
        return ticket.priority == "urgent"

    def is_billing(ticket) -> bool:
        text = ticket.text.lower()
        return "invoice" in text or "refund" in text or "charge" in text

    return [
        Case(condition=is_urgent, target=on_call),     # first: an urgent refund is still urgent
        Case(condition=is_billing, target=billing),
        Default(target=general),
    ]


def billing_first(on_call, billing, general):
    """A plausible mistake: the billing case comes first, so an urgent refund waits in billing."""

    def is_urgent(ticket) -> bool:
        return ticket.priority == "urgent"

    def is_billing(ticket) -> bool:
        text = ticket.text.lower()
        return "invoice" in text or "refund" in text or "charge" in text

    return [Case(condition=is_billing, target=billing), Case(condition=is_urgent, target=on_call), Default(target=general)]


def one_billing_word(on_call, billing, general):
    """A plausible mistake: only "refund" counts as money, so an invoice waits in general."""

    def is_urgent(ticket) -> bool:
        return ticket.priority == "urgent"

    def is_billing(ticket) -> bool:
        return "refund" in ticket.text.lower()

    return [Case(condition=is_urgent, target=on_call), Case(condition=is_billing, target=billing), Default(target=general)]


solution = my_cases
wrong = billing_first, "put the urgent case first"
wrong_2 = one_billing_word, "any of invoice, refund, charge belongs in billing"
