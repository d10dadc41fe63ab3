"""The offline model as a group chat's manager: who speaks next, and when the chat is done.

A group chat's manager (see `wfkit.orchestrations.group_chat_manager`) ends its prompt with
the participants, one a line, and asks for one JSON object: ``terminate``, ``reason``,
``next_speaker`` and ``final_message``. The offline model answers it the way a careful
coordinator would:

- it calls on each participant once, in the order their descriptions suggest (gatherers,
  then analysts, then writers, then reviewers: see `team`), so nobody repeats a turn;
- a specialist described by subject alone ("billing: Refunds, invoices and payments") is
  called on only if the task is about that subject, when another specialist's subject fits
  the task: a charge on a card is billing's, not shipping's. If no specialist fits, a triage
  member (one named or described as triage, a router...) asks what it is about; without one,
  all speak;
- once everyone needed has spoken, the task has been answered: it ends the chat, and its final
  message quotes what the last writer (or last speaker) said, and who helped; for a customer's
  message, the desk's reply to the customer, with each specialist's answer (see `desk`).

Its reasons name the participant's described job (and the task's words that fit it), so a
learner can see why it chose.
"""

from __future__ import annotations

import json
from typing import Sequence

from ..types import ChatMessage, Role
from .customer import is_customer_message
from .desk import desk_summary, fitting_words, needed_members
from .team import Member, gist, read_team, spoken, team_section

# What a group chat manager's prompt holds (the JSON keys it asks for).
DECISION_KEYS = ('"terminate"', '"next_speaker"', '"final_message"')


def is_group_chat_decision(prompt: str) -> bool:
    """True when `prompt` asks for a group chat manager's decision."""
    return all(key in prompt for key in DECISION_KEYS)


def decide_next_speaker(messages: Sequence[ChatMessage], prompt: str) -> str:
    """The manager's JSON decision for the conversation `messages`, whose last prompt is `prompt`."""
    team = read_team(team_section(prompt, "participants") or prompt)
    if not team:
        return json.dumps(
            {"terminate": True, "reason": "The prompt lists no participants to call on.", "next_speaker": None,
             "final_message": "No participant was listed, so nobody could work on the task."}
        )
    said = spoken(messages, [member.name for member in team])
    have_spoken = {speaker for speaker, _ in said}
    task = user_task(messages)
    needed, not_needed = needed_members(team, task)
    waiting = [member for member in needed if member.name not in have_spoken]
    if waiting:
        chosen = waiting[0]
        return json.dumps(
            {"terminate": False, "reason": _why(chosen, said, fitting_words(chosen, task)), "next_speaker": chosen.name,
             "final_message": None}
        )
    final = desk_summary(said, task) if is_customer_message(task) else _final(team, said)
    return json.dumps({"terminate": True, "reason": _why_done(needed, not_needed), "next_speaker": None, "final_message": final})


def _why(chosen: Member, said: list[tuple[str, str]], fitting: list[str]) -> str:
    job = f"{chosen.name} {chosen.duty()}" if chosen.has_role_word else f'{chosen.name}\'s job is "{chosen.description}"'
    fit = f", and the task mentions {', '.join(repr(word) for word in fitting)}" if fitting else ""
    if not said:
        return f"Nobody has spoken yet; {job}{fit}."
    return f"{said[-1][0]} has had their turn; next: {job}{fit}."


def _why_done(needed: list[Member], not_needed: list[Member]) -> str:
    names = ", ".join(member.name for member in needed)
    done = f"Every participant ({names}) has contributed" if not not_needed else f"{names} answered"
    skipped = ""
    if not_needed:
        skipped = f"; {', '.join(member.name for member in not_needed)} had nothing to add yet, as the task does not say it is about their work"
    return f"{done}{skipped}, so the task is answered."


def _final(team: list[Member], said: list[tuple[str, str]]) -> str:
    writers = [speaker for speaker, _ in said if _member(team, speaker).role == "write"]
    author = writers[-1] if writers else said[-1][0]
    answer = next(text for speaker, text in reversed(said) if speaker == author)
    helpers = list(dict.fromkeys(speaker for speaker, _ in said if speaker != author))
    thanks = f" with input from {', '.join(helpers)}" if helpers else ""
    return f"{author}'s answer{thanks}: {gist(answer, 3, 480)}"


def _member(team: list[Member], name: str) -> Member:
    return next(member for member in team if member.name == name)


def user_task(messages: Sequence[ChatMessage]) -> str:
    """The first user message: the task the team works on."""
    return next((m.text for m in messages if m.role == Role.USER and m.text.strip()), "")
