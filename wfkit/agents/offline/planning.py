"""The offline model as a Magentic manager: facts, a plan, a progress ledger, a final answer.

A Magentic manager (see `wfkit.orchestrations.magentic_manager`) asks its model four kinds of
question, each recognised here by a phrase of its prompt (`FACTS`, `PLAN`, `LEDGER`, `FINAL`):

- **facts**: what the task gives, what must be looked up or worked out, what may be assumed.
  Read off the task: its sentences with numbers or names are given; the names are to look up;
  what it asks to compare, estimate or recommend is to work out.
- **plan**: one step per participant, in the order their descriptions suggest (see `team`),
  each saying what that participant does for this task; feedback from a plan review becomes
  a step of its own, given to the participant who writes (or the last one).
- **progress ledger**: JSON with ``is_request_satisfied``, ``is_in_loop``,
  ``is_progress_being_made``, ``next_speaker`` and ``instruction_or_question``, each a
  ``{"reason": ..., "answer": ...}``. The next speaker is the first one of the plan who has
  not spoken since the plan was made; when all have, the request is satisfied. The same
  answer given twice counts as a loop.
- **final answer**: the task's answer assembled from what each participant said, with credit.

When the task is a customer's message to a support desk (see `desk`), the facts restate the
customer's issues, the plan gives each issue to the member whose job it is (triage greets the
customer first; members with no part are left out of the plan, and so never called), and the
final answer is the desk's reply to the customer.

Same conversation, same reply, as everywhere in the offline model.
"""

from __future__ import annotations

import json
import re
from typing import Sequence

from ..types import ChatMessage, Role
from .customer import is_customer_message
from .desk import desk_facts, desk_plan, desk_summary
from .reading import labelled, split_sentences
from .team import Member, gist, read_team, spoken, team_section

# The phrases of the manager's prompts that say which question it is.
FACTS = "take stock of the task"
PLAN = "make a short plan for the team"
LEDGER = '"is_request_satisfied"'
FINAL = "write the final answer to the task"
PLAN_HEADING = "Plan:"  # the heading of the plan inside the manager's task ledger message


def magentic_role(prompt: str) -> str | None:
    """Which Magentic manager question `prompt` asks: "facts", "plan", "ledger", "final" or None."""
    lower = prompt.lower()
    if LEDGER in prompt:
        return "ledger"
    if FINAL in lower:
        return "final"
    if PLAN in lower:
        return "plan"
    if FACTS in lower:
        return "facts"
    return None


def magentic_reply(role: str, messages: Sequence[ChatMessage], prompt: str) -> str:
    """The manager's answer to the question `role` names."""
    task = labelled(prompt, "task") or _first_user(messages)
    at_the_desk = is_customer_message(task)
    if role == "facts":
        return desk_facts(task) if at_the_desk else write_facts(task)
    team = read_team(team_section(prompt, "team:") or prompt)
    if role == "plan":
        feedback = labelled(prompt, "feedback to take into account") or ""
        return desk_plan(task, team, feedback) if at_the_desk else write_plan(task, team, feedback)
    if role == "ledger":
        return json.dumps(write_ledger(messages, team, task), indent=2)
    if at_the_desk:
        return desk_summary(_said(messages), task)
    return write_final_answer(messages, task)


def write_facts(task: str) -> str:
    """A fact sheet for `task`, under four headings."""
    sentences = split_sentences(task)
    given = [s for s in sentences if re.search(r"\d|\b[A-Z][\w-]*[A-Z0-9][\w-]*\b", s)] or sentences[:1]
    names = _names_in(task)
    derive = [s for s in sentences if re.search(r"(?i)\b(compare|estimate|calculate|recommend|rank|decide|which)\b", s)]
    lines = ["Given in the task:", *(f"- {s}" for s in given)]
    lines += ["", "To look up:", *(f"- Current, sourced figures for {n}." for n in names[:5])]
    if not names:
        lines.append(f"- Reliable background on {topic_of(task)}.")
    lines += ["", "To work out:", *(f"- {s}" for s in derive)]
    if not derive:
        lines.append(f"- A direct answer to: {gist(task, 1, 200)}")
    lines += ["", "Assumptions:", "- Published typical values are good enough where exact ones are not given."]
    return "\n".join(lines)


def write_plan(task: str, team: list[Member], feedback: str = "") -> str:
    """One step per member of `team` (already in calling order), plus a step for `feedback`."""
    subject = topic_of(task)
    steps = [f"- {member.name}: {_step(member, subject)}" for member in team]
    if feedback.strip():
        writers = [member for member in team if member.role == "write"] or team[-1:]
        owner = writers[-1].name if writers else "the team"
        asked = feedback.strip().rstrip(".")
        steps.append(f"- {owner}: as the reviewer asked, {asked[:1].lower() + asked[1:]}.")
    return "\n".join(steps)


def _step(member: Member, subject: str) -> str:
    verbs = {
        "gather": f"gather the facts and figures on {subject}",
        "analyse": f"work through the numbers and analysis for {subject}",
        "write": f"write the answer on {subject} from what the others found",
        "review": f"check the answer on {subject} and point out problems",
    }
    return f"{verbs[member.role]} (as the one who {member.duty()})."


def write_ledger(messages: Sequence[ChatMessage], team: list[Member], task: str) -> dict[str, dict[str, object]]:
    """The progress ledger: is the task done, is the team looping or stuck, who goes next, and what to ask."""
    since_plan = _since_last_plan(messages)
    plan = _last_plan(messages)
    order = _plan_order(plan, team) if plan else team
    said = spoken(since_plan, [member.name for member in team])
    have_spoken = {speaker for speaker, _ in said}
    texts = [text for _, text in said]
    looping = len(texts) != len(set(texts))
    waiting = [member for member in order if member.name not in have_spoken]
    done = not waiting and bool(said)
    last = said[-1][0] if said else None
    nxt = waiting[0] if waiting else (order[-1] if order else None)

    def item(reason: str, answer: object) -> dict[str, object]:
        return {"reason": reason, "answer": answer}

    if done:
        satisfied = item(f"Every step of the plan has been done ({', '.join(m.name for m in order)}).", True)
    elif said:
        satisfied = item(f"{len(waiting)} step(s) of the plan are still open.", False)
    else:
        satisfied = item("Nobody has worked on the plan yet.", False)
    step = _plan_step(plan, nxt.name) if (plan and nxt) else ""
    instruction = f"{nxt.name}, please {step or _step(nxt, topic_of(task))}" if nxt else "Please continue."
    if last and nxt:
        instruction += f" Build on what {last} said."
    return {
        "is_request_satisfied": satisfied,
        "is_in_loop": item("Two answers were the same." if looping else "No answer has been repeated.", looping),
        "is_progress_being_made": item(
            f"{last} added a new contribution." if last and not looping else "Work is about to start." if not last
            else "The last answer repeated an earlier one.",
            not looping,
        ),
        "next_speaker": item(
            f"{nxt.name} {nxt.duty()}, the next open step of the plan." if nxt else "Nobody is left.",
            nxt.name if nxt else "",
        ),
        "instruction_or_question": item("What the next step of the plan asks for.", instruction),
    }


def write_final_answer(messages: Sequence[ChatMessage], task: str) -> str:
    """The final answer: what each participant contributed, in their words, in the order they spoke."""
    said = _said(messages)
    if not said:
        return f"The team did not get to work on {topic_of(task)}, so there is no answer yet."
    lines = [f"Here is the team's answer on {topic_of(task)}.", ""]
    for speaker, text in said:
        lines.append(f"- {speaker}: {gist(text, 2, 360)}")
    names = [speaker for speaker, _ in said]
    lines += ["", f"Together, {_joined(list(dict.fromkeys(names)))} have covered what the task asked."]
    return "\n".join(lines)


def _said(messages: Sequence[ChatMessage]) -> list[tuple[str, str]]:
    """(speaker, text) of every participant's answer, in order (the manager's own messages left out)."""
    return [(m.author_name, m.text.strip()) for m in messages
            if m.role == Role.ASSISTANT and m.author_name and not _is_manager(m) and m.text.strip()]


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _is_manager(message: ChatMessage) -> bool:
    return PLAN_HEADING in message.text or (message.author_name or "").lower().startswith("magentic")


def _first_user(messages: Sequence[ChatMessage]) -> str:
    return next((m.text for m in messages if m.role == Role.USER and m.text.strip()), "")


def _last_plan_index(messages: Sequence[ChatMessage]) -> int:
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].role == Role.ASSISTANT and f"\n{PLAN_HEADING}\n" in messages[index].text:
            return index
    return -1


def _since_last_plan(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    return list(messages[_last_plan_index(messages) + 1 :])


def _last_plan(messages: Sequence[ChatMessage]) -> str:
    index = _last_plan_index(messages)
    return messages[index].text.split(f"\n{PLAN_HEADING}\n", 1)[1] if index >= 0 else ""


def _plan_order(plan: str, team: list[Member]) -> list[Member]:
    """The members the plan gives a step, in the order it first names them (all of them, in the
    team's order, if it names nobody)."""
    first_step = {}
    for number, line in enumerate(plan.splitlines()):
        for member in team:
            if member.name not in first_step and re.match(rf"^\s*[-*\d.)]*\s*{re.escape(member.name)}\b", line):
                first_step[member.name] = number
    if not first_step:
        return list(team)
    return sorted((m for m in team if m.name in first_step), key=lambda m: (first_step[m.name], m.stage, m.position))


def _plan_step(plan: str, name: str) -> str:
    """Every step the plan gives `name`, joined (without the name)."""
    steps = []
    for line in plan.splitlines():
        found = re.match(rf"^\s*[-*\d.)]*\s*{re.escape(name)}\s*:\s*(.+)$", line)
        if found:
            steps.append(found.group(1).strip())
    return " Then ".join(steps)


def _names_in(text: str) -> list[str]:
    """Names a reader would look up: words with a capital or digit inside (BERT-base, GPT-2, ResNet-50)."""
    found = re.findall(r"\b[A-Za-z][\w]*(?:[-_][\w]+)*\b", text)
    names = [w for w in found if re.search(r"[A-Z].*[A-Z0-9]|\d", w[1:]) and not w.isdigit()]
    return list(dict.fromkeys(names))


def topic_of(task: str) -> str:
    """What `task` is about, in a dozen words at most: the words after "report on" / "about" in
    its first sentence, or that sentence without its leading verb ("Compare ...")."""
    first = (split_sentences(task) or [task])[0].rstrip(".?!")
    about = re.search(r"(?i)\b(?:on|about|regarding|of)\s+(the\s+.+)$", first) if re.match(r"(?i)^i\b|^we\b", first) else None
    text = about.group(1) if about else re.sub(
        r"(?i)^(?:please\s+)?(?:compare|explain|describe|find|estimate|write|research|investigate|analy[sz]e|summari[sz]e|look into|tell me about|what (?:is|are)|how (?:do|does|can)|give me)\s+", "", first
    )
    words = text.split()[:12]
    while len(words) > 1 and words[-1].lower().strip(",;:") in ("a", "an", "the", "and", "or", "of", "on", "to", "in", "for", "with"):
        words.pop()
    return " ".join(words).rstrip(",;:") or "the task"
