"""How the offline model reads a team: who takes part, what each one does, and who has spoken.

A manager's prompt lists the participants one a line, ``- Name: what they do`` (or ``Name:
what they do``). The offline model reads those lines, then sorts the team into the order a
sensible coordinator would call on them: people who gather facts first, people who compute or
analyse next, people who write the answer after them, and reviewers last. It tells these roles
apart by plain words in each description ("collects", "writes", "reviews"...), nothing more.

Who has spoken is read from the conversation: an assistant message's ``author_name``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..types import ChatMessage, Role

# Role words, earliest stage first. A description matching several takes the stage of the word it says first.
STAGES: tuple[tuple[str, str], ...] = (
    ("gather", r"research|gather|collect|find|search|look(?:s|ing)? up|background|information|facts?\b"),
    ("analyse", r"analy|code|coding|comput|calculat|data\b|math|solve|expert|engineer|estimat"),
    ("write", r"writ|synthes|compos|draft|summar|answer|polish|explain|author"),
    ("review", r"review|verif|check|critic|skeptic|clarif|edit|feedback|caveat|advocate|accessib|danger"),
)
UNKNOWN_STAGE = 1  # a description with no role word: call on it after the gatherers

_MEMBER_LINE = re.compile(r"^\s*(?:[-*•]\s*)?([A-Za-z_][\w.-]{0,63})\s*:\s*(.+?)\s*$")


@dataclass(frozen=True)
class Member:
    """One participant as the prompt describes it."""

    name: str
    description: str
    position: int  # where the prompt listed it

    @property
    def stage(self) -> int:
        """0 gathers, 1 analyses, 2 writes, 3 reviews (see `STAGES`): the role word that comes
        first in the description decides ("Synthesizes answers from gathered information" writes),
        then the name ("Researcher")."""
        for text in (self.description.lower(), self.name.lower()):
            found = [(match.start(), index) for index, (_, pattern) in enumerate(STAGES) if (match := re.search(pattern, text))]
            if found:
                stages = {stage for _, stage in found}
                if stages >= {1, 2}:  # "writes and executes code": writing code is analysis
                    return 1
                return min(found)[1]
        return UNKNOWN_STAGE

    @property
    def has_role_word(self) -> bool:
        """True when the description (or the name) says how this member works ("collects",
        "writes", "reviews"); False for a specialist described by subject alone ("Refunds,
        invoices and payments"), whom a coordinator calls on only when the task is about that."""
        return any(re.search(pattern, text) for text in (self.description.lower(), self.name.lower()) for _, pattern in STAGES)

    @property
    def role(self) -> str:
        """The stage's name: "gather", "analyse", "write" or "review"."""
        return STAGES[self.stage][0]

    def duty(self) -> str:
        """What this member does, as a verb phrase ("collects relevant background information")."""
        text = self.description.strip().rstrip(".")
        if not text or text.startswith("<"):
            return f"works on the part of the task {self.name} is named for"
        first = text.split()[0]
        if re.match(r"(?i)^(?:a|an|the)$", first):
            return f"is {text[0].lower()}{text[1:]}"
        if first.lower().endswith("s") and not first.lower().endswith("ss"):  # "Collects ...", "Writes ..."
            return text[0].lower() + text[1:]
        article = "an" if first[0].lower() in "aeiou" else "a"
        return f"is {article} {text[0].lower()}{text[1:]}"  # "Specialist in ..." -> "is a specialist in ..."


def read_team(text: str, names: Sequence[str] | None = None) -> list[Member]:
    """The participants listed in `text`, in the order a coordinator calls on them.

    With `names`, only lines for those names count (a prompt may hold other ``Word: ...``
    lines, such as "Task: ...").
    """
    members: list[Member] = []
    for line in text.splitlines():
        found = _MEMBER_LINE.match(line)
        if not found:
            continue
        name, description = found.groups()
        if names is not None and name not in names:
            continue
        if name.lower() in ("task", "note", "reason", "format", "answer", "question") or name in {m.name for m in members}:
            continue
        members.append(Member(name, description, len(members)))
    return sorted(members, key=lambda m: (m.stage, m.position))


def team_section(text: str, heading: str) -> str:
    """The lines of `text` after the first line containing `heading`, up to a blank line."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if heading.lower() in line.lower():
            block = []
            for following in lines[index + 1 :]:
                if not following.strip():
                    if block:
                        break
                    continue
                block.append(following)
            return "\n".join(block)
    return ""


def spoken(messages: Sequence[ChatMessage], names: Sequence[str]) -> list[tuple[str, str]]:
    """(speaker, text) of every answer by one of `names`, in order."""
    said = []
    for message in messages:
        if message.role == Role.ASSISTANT and message.author_name in names and message.text.strip():
            said.append((message.author_name, message.text.strip()))
    return said


def gist(text: str, sentences: int = 2, limit: int = 320) -> str:
    """The first `sentences` sentences of `text`, without headings or list marks, cut at `limit`."""
    from .reading import split_sentences

    lines = [re.sub(r"^\s*(?:[#>*-]+|\d+[.)])\s*", "", line).strip() for line in text.splitlines()]
    # A list item without a full stop still ends there: give it one, so it reads as a sentence.
    lines = [line if line[-1:] in ".!?" else line + "." for line in lines if line and not line.endswith(":") and not line.isupper()]
    body = " ".join(lines)
    picked = " ".join(split_sentences(body)[:sentences]) or body
    return picked if len(picked) <= limit else picked[: limit - 3].rsplit(" ", 1)[0] + "..."
