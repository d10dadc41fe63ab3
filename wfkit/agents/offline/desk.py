"""What a manager makes of a support desk: who is called on, and (for Magentic) the facts, the
plan and the reply to the customer.

A group chat's manager and a Magentic manager read the team from their prompt (`team`). Among
them, a **specialist** is a member described by its subject alone ("billing: Handles invoices,
charges and refunds"), not by a way of working ("collects", "writes", "reviews"). The manager
calls on a specialist only when the task mentions its subject (`fitting_words`), as long as some
specialist's subject fits: a charge on a card is billing's, not shipping's. When none fits, a
triage member (named or described as triage, a router...) finds out what the task is about;
without one, nobody is ruled out (`needed_members`).

When the task is a customer's message (see `customer`), a Magentic manager also writes:

- `desk_facts`: the customer's issues, restated, and what to look up for each;
- `desk_plan`: one step per member needed, each taking the issues that are its own; a plan
  reviewer's feedback becomes a step for the member it names, or whose job it fits;
- `desk_summary`: the reply to the customer once the desk has spoken: what each specialist said,
  in its own words, credited. A group chat's manager closes with the same reply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .customer import customer_issues, look_up, order_of, restate
from .reading import first_upper, join_list, topic_words
from .support import ROUTER, is_router, issues_for, own_words
from .team import Member


def fitting_words(member: Member, task: str) -> list[str]:
    """The words of `task` that are about what `member` does, as the task writes them."""
    about = topic_words(f"{member.name} {member.description}")
    found = [word for word in dict.fromkeys(task.lower().replace("?", " ").split()) if topic_words(word) & about]
    return [word.strip(".,;:!'\"") for word in found]


def needed_members(team: Sequence[Member], task: str) -> tuple[list[Member], list[Member]]:
    """(the members the task needs, in calling order; the specialists it does not): see the module."""
    specialists = [member for member in team if not member.has_role_word]
    fits = {member.name: fitting_words(member, task) for member in specialists}
    if not any(fits.values()):
        # No subject matches. A triage member finds out what the task is about; without one,
        # nobody can be ruled out.
        routers = [member for member in specialists if ROUTER.search(f"{member.name} {member.description}")]
        if routers and len(routers) < len(team):
            return routers, [member for member in team if member not in routers]
        return list(team), []
    not_needed = [member for member in specialists if not fits[member.name]]
    return [member for member in team if member not in not_needed], not_needed


def desk_facts(task: str) -> str:
    """A Magentic manager's fact sheet for a customer's message, under the four usual headings."""
    issues = customer_issues(task)
    order = order_of(task)
    lines = ["Given in the task:", *([f"- Order {order}."] if order else [])]
    lines += [f"- {first_upper(restate(issue, 'they'))}." for issue in issues]
    lookups = list(dict.fromkeys(look_up(issue, order) for issue in issues))
    lines += ["", "To look up:", *(f"- {first_upper(item)}." for item in lookups)]
    lines += ["", "To work out:", "- Who on the team takes each issue, and what we tell the customer."]
    lines += ["", "Assumptions:", "- What the customer says happened is right until the records show otherwise."]
    return "\n".join(lines)


def desk_plan(task: str, team: Sequence[Member], feedback: str = "") -> str:
    """A Magentic manager's plan for a customer's message (see the module)."""
    needed, _ = needed_members(team, task)
    issues = customer_issues(task)
    steps = []
    for member in needed:
        mine = issues_for(member.description or member.name, issues)
        if mine:
            work = join_list([f"sort out that {restate(issue, 'they')}" for issue in mine])
        else:
            work = "find out from the customer what the message is about"
        steps.append(f"- {member.name}: {work} (as the one who {member.duty()}).")
    asked = re.sub(r"(?i)^please\s+", "", feedback.strip().rstrip(".!"))
    if asked and needed:
        owner = _owner_of(asked, needed)
        steps.append(f"- {owner.name}: as the reviewer asked, {asked[:1].lower() + asked[1:]}.")
    return "\n".join(steps)


def _owner_of(feedback: str, members: Sequence[Member]) -> Member:
    """The member a reviewer's feedback is for: the one it names, else the one whose job it fits
    best, else the last one."""
    named = [m for m in members if re.search(rf"(?i)\b{re.escape(m.name)}\b", feedback)]
    if named:
        return named[0]
    wanted = topic_words(feedback)
    best = max(members, key=lambda m: len(wanted & own_words(m.description or m.name)))
    return best if wanted & own_words(best.description or best.name) else members[-1]


def desk_summary(said: Sequence[tuple[str, str]], task: str) -> str:
    """The reply to the customer once the desk has spoken: each specialist's answer, credited
    (a triage agent's question, when only triage spoke)."""
    specialists = [(speaker, text) for speaker, text in said if not is_router(speaker)]
    if not specialists:
        return said[-1][1] if said else "Thank you for your message. We will get back to you shortly."
    order = order_of(task)
    lines = [f"Hello, and thank you for your patience. Here is what we are doing{f' about order {order}' if order else ''}:"]
    lines += [f"- {speaker}: {text}" for speaker, text in specialists]
    lines.append("You'll get an email as each one is done.")
    return "\n".join(lines)
