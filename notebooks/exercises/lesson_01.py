"""Lesson 1 exercise: route help-desk tickets with a switch-case edge group.

The learner writes ``my_cases(on_call, billing, general) -> list`` returning the `Case` /
`Default` entries for ``add_switch_case_edge_group``. The check builds a small workflow with
them, sends it a handful of tickets and compares where each one ended up.
"""

from __future__ import annotations

from dataclasses import dataclass

from wfkit import Case, Default, Never, WorkflowBuilder, WorkflowContext, WorkflowError, executor
from wfkit.teach import CheckResult, Exercise, report

exercise = Exercise.for_module(__name__, __file__)


@dataclass
class Ticket:
    id: int
    text: str
    priority: str = "normal"


BILLING_WORDS = ("invoice", "refund", "charge")

# (ticket, the desk it must reach)
TICKETS = [
    (Ticket(1, "The checkout page is down", "urgent"), "on_call"),
    (Ticket(2, "Please refund my second invoice"), "billing"),
    (Ticket(3, "Refund needed now, I was charged twice", "urgent"), "on_call"),
    (Ticket(4, "How do I change my avatar?", "low"), "general"),
    (Ticket(5, "Where can I download my invoice?", "low"), "billing"),
    (Ticket(6, "The app logs me out every hour"), "general"),
]


def _desk(name: str):
    @executor(id=name)
    async def desk(ticket: Ticket, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(name)

    return desk


def _build(candidate):
    @executor(id="intake")
    async def intake(ticket: Ticket, ctx: WorkflowContext[Ticket]) -> None:
        await ctx.send_message(ticket)

    on_call, billing, general = _desk("on_call"), _desk("billing"), _desk("general")
    cases = candidate(on_call, billing, general)
    return WorkflowBuilder().add_switch_case_edge_group(intake, cases).set_start_executor(intake).build()


@exercise.checker
async def check(candidate, strict: bool = False) -> CheckResult:
    """Build a router with ``candidate(on_call, billing, general)`` and send it every test ticket."""
    if not callable(candidate):
        return report(False, "my_cases must be a function taking (on_call, billing, general).", strict)
    try:
        workflow = _build(candidate)
    except (WorkflowError, TypeError, ValueError) as error:
        return report(False, f"The router does not build: {error}", strict)
    except Exception as error:  # noqa: BLE001 - anything the learner's code raises is reported
        return report(False, f"my_cases raised {type(error).__name__}: {error}", strict)
    for ticket, expected in TICKETS:
        try:
            desks = (await workflow.run(ticket)).get_outputs()
        except Exception as error:  # noqa: BLE001
            return report(False, f"Ticket {ticket.id} ({ticket.text!r}) made the run fail: {error}", strict)
        if desks != [expected]:
            got = desks[0] if desks else "no desk"
            hint = ""
            if ticket.priority == "urgent" and got == "billing":
                hint = (
                    " Cases are tried in order and the first one whose condition holds wins:"
                    " put the urgent case before the billing case."
                )
            elif expected == "billing":
                hint = f" A ticket that mentions any of {', '.join(BILLING_WORDS)} belongs in billing (compare in lower case)."
            elif expected == "general":
                hint = " Tickets that match no case should reach Default(target=general)."
            return report(
                False,
                f"Ticket {ticket.id} ({ticket.text!r}, priority {ticket.priority!r}) went to {got}, "
                f"but it should go to {expected}.{hint}",
                strict,
            )
    return report(True, f"All {len(TICKETS)} tickets reached the right desk.", strict)


reveal = exercise.reveal  # prints the reference solution, once the check has run
