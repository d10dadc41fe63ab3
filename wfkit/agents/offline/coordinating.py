"""The offline model as a group chat's manager: who speaks next, and when the chat is done.

A group chat's manager (see `wfkit.orchestrations.group_chat_manager`) ends its prompt with
the participants, one a line, and asks for one JSON object: ``terminate``, ``reason``,
``next_speaker`` and ``final_message``. The offline model answers it the way a careful
coordinator would:

- it calls on each participant once, in the order their descriptions suggest (gatherers,
  then analysts, then writers, then reviewers: see `team`), so nobody repeats a turn;
- once everyone has spoken, the task has been answered: it ends the chat, and its final
  message quotes what the last writer (or last speaker) said, and who helped.

On a support desk (the task is a customer's message, see `desk`) it calls the triage agent
first, then only the specialists whose job the customer's issues touch, in the order raised,
and its final message is the desk's reply to the customer.

Its reasons name the participant's described job, so a learner can see why it chose.
"""

from __future__ import annotations

import json
from typing import Sequence

from ..types import ChatMessage, Role
from .desk import desk_summary, desk_team, is_customer_message, restate
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
    task = user_task(messages)
    at_the_desk = is_customer_message(task)
    # On a support desk only the members with a part in the customer's message are called.
    issues = {member.name: found for member, found in desk_team(team, task)} if at_the_desk else {}
    called = [_member(team, name) for name in issues] if at_the_desk else team
    have_spoken = {speaker for speaker, _ in said}
    waiting = [member for member in called if member.name not in have_spoken]
    if waiting:
        chosen = waiting[0]
        reason = _why(chosen, said)
        if issues.get(chosen.name):
            reason += f" It is about this: {restate(issues[chosen.name][0])}."
        return json.dumps({"terminate": False, "reason": reason, "next_speaker": chosen.name, "final_message": None})
    if at_the_desk:
        reason = f"Every issue the customer raised has been taken up ({', '.join(m.name for m in called)}), so the chat can end."
        return json.dumps({"terminate": True, "reason": reason, "next_speaker": None, "final_message": desk_summary(said, task)})
    return json.dumps(
        {"terminate": True, "reason": _why_done(team), "next_speaker": None, "final_message": _final(team, said)}
    )


def _why(chosen: Member, said: list[tuple[str, str]]) -> str:
    if not said:
        return f"Nobody has spoken yet; {chosen.name} {chosen.duty()}, which the task needs first."
    last = said[-1][0]
    return f"{last} has had their turn; next the task needs {chosen.name}, who {chosen.duty()}."


def _why_done(team: list[Member]) -> str:
    names = [member.name for member in team]
    return f"Every participant ({', '.join(names)}) has contributed, so the task is answered."


def _final(team: list[Member], said: list[tuple[str, str]]) -> str:
    writers = [speaker for speaker, _ in said if _member(team, speaker).role == "write"]
    author = writers[-1] if writers else said[-1][0]
    answer = next(text for speaker, text in reversed(said) if speaker == author)
    helpers = [member.name for member in team if member.name != author]
    thanks = f" with input from {', '.join(helpers)}" if helpers else ""
    return f"{author}'s answer{thanks}: {gist(answer, 3, 480)}"


def _member(team: list[Member], name: str) -> Member:
    return next(member for member in team if member.name == name)


def user_task(messages: Sequence[ChatMessage]) -> str:
    """The first user message: the task the team works on."""
    return next((m.text for m in messages if m.role == Role.USER and m.text.strip()), "")
