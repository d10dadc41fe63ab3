"""Lesson 1 exercise: route help-desk tickets with a switch-case edge group.

The learner writes ``my_cases(on_call, billing, general) -> list`` returning the `Case` /
`Default` entries for ``add_switch_case_edge_group``. Each named test builds a small router with
them, sends it tickets and compares where they ended up; the first test that fails is shown,
with its hint.
"""

from __future__ import annotations

from dataclasses import dataclass

from wfkit import Case, Default, Never, WorkflowBuilder, WorkflowContext, WorkflowError, executor
from wfkit.teach import Exercise, trace

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
    return WorkflowBuilder(start_executor=intake).add_switch_case_edge_group(intake, cases).build()


DESKS = ("on_call", "billing", "general")


async def _reaches(my_cases, ticket: Ticket, expected: str) -> None:
    """Route `ticket` with `my_cases`; fail, saying where the run sent it, unless it reached `expected` alone."""
    story = trace(await _build(my_cases).run(ticket))
    about = f"ticket {ticket.id} ({ticket.text!r}, {ticket.priority})"
    reached = [desk for desk in DESKS if story.superstep_of(desk) is not None]
    assert reached == [expected], f"{about} reached {_names(reached)}, not {expected} (your run: {story.story('; ')})"


def _names(desks: list[str]) -> str:
    return " and ".join(desks) if desks else "no desk"


# The named tests, in the order a learner meets the ideas; the first that fails is what the check shows.


@exercise.test("my_cases builds a router")
def builds(my_cases):
    assert callable(my_cases), "my_cases must be a function taking (on_call, billing, general)"
    try:
        _build(my_cases)
    except WorkflowError as error:
        raise AssertionError(f"the router does not build: {error}") from error


@exercise.test("an urgent ticket reaches on_call", hint="Case(condition=..., target=on_call) for priority 'urgent'.")
async def urgent(my_cases):
    await _reaches(my_cases, *TICKETS[0])


@exercise.test(
    "a ticket about money reaches billing",
    hint=f"A ticket that mentions any of {', '.join(BILLING_WORDS)} belongs in billing (compare in lower case).",
)
async def money(my_cases):
    for ticket, desk in (TICKETS[1], TICKETS[4]):
        await _reaches(my_cases, ticket, desk)


@exercise.test(
    "an urgent refund reaches on_call, not billing",
    hint="Cases are tried in order and the first one whose condition holds wins: put the urgent case first.",
)
async def urgent_money(my_cases):
    await _reaches(my_cases, *TICKETS[2])


@exercise.test("everything else reaches general", hint="Tickets that match no case reach Default(target=general).")
async def everything_else(my_cases):
    for ticket, desk in (TICKETS[3], TICKETS[5]):
        await _reaches(my_cases, ticket, desk)


check = exercise.check


reveal = exercise.reveal  # shows the reference solution, once the check has run
