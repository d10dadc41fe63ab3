"""The offline model as a member of a Magentic team, answering the manager's instruction.

The manager's instruction ("CoderAgent, please work through the numbers for ...") says which
part of the task is this member's. The reply depends on that part (the roles of `team`):

- **gather**: notes on each thing the task names (ResNet-50, GPT-2...) and the figures the task
  itself gives;
- **analyse**: how each thing the task asks to work out (compare, estimate, recommend) is done,
  building on the notes before it;
- **write**: the answer, drawing each earlier member's first point together;
- **review**: what holds in the answer so far, and what to watch.

It only ever restates the task and the team's own words; it invents no numbers. Wording varies
with a hash of the conversation, so two members never say the same thing, and the same run
always says the same.
"""

from __future__ import annotations

import hashlib
import re
from typing import Sequence

from ..types import ChatMessage, Role
from .reading import split_sentences
from .team import STAGES, gist

_NOTES = (
    "published benchmarks give a typical figure to start from, and I kept the source with it",
    "the most often cited numbers agree within a small range, so I noted the range rather than one value",
    "it is the natural baseline: the other figures read best relative to it",
    "reported numbers depend on the setup, so I noted the setup each figure assumes",
)
_WAYS = (
    "I put every item on the same basis (same hardware, same duration) so the results compare fairly",
    "I used the figures gathered so far and showed each step, so anyone can redo the sums",
    "I kept the assumptions explicit, so a different input changes the result in an obvious way",
)


def contribute(messages: Sequence[ChatMessage], task: str, instruction: str, seed: object = None) -> str:
    """A member's reply to `instruction` (the manager's), working on `task`."""
    role = _role(instruction, "\n".join(m.text for m in messages if m.role == Role.SYSTEM))
    others = [(m.author_name or "a teammate", m.text) for m in messages
              if m.role == Role.ASSISTANT and m.author_name and not m.author_name.startswith("magentic") and "\nPlan:\n" not in m.text]
    pick = _chooser(f"{task}|{instruction}|{seed}")
    names = _named_things(task)
    givens = [s for s in split_sentences(task) if re.search(r"\d", s)]
    asks = [s for s in split_sentences(task) if re.search(r"(?i)\b(compare|estimate|calculate|recommend|rank|provide)\b", s)]
    if role == "gather":
        lines = ["Here is what I gathered:"]
        start = _NOTES.index(pick(_NOTES, "notes"))  # one note each, in turn: no two alike
        lines += [f"- {name}: {_NOTES[(start + i) % len(_NOTES)]}." for i, name in enumerate(names[:4])] or [f"- On {gist(task, 1, 160)}: {pick(_NOTES, 'topic')}."]
        lines += [f"- Given in the task: {s}" for s in givens[:3]]
        return "\n".join(lines)
    if role == "analyse":
        base = f"Building on {others[-1][0]}'s notes" if others else "Working from the task"
        lines = [f"{base}, here is the analysis:"]
        start = _WAYS.index(pick(_WAYS, "ways"))
        lines += [f"- {s.rstrip('.')}: {_WAYS[(start + i) % len(_WAYS)]}." for i, s in enumerate(asks[:3])] or [f"- {gist(task, 1, 160)}: {pick(_WAYS, 'task')}."]
        if names:
            lines.append(f"- Result: {', '.join(names[:-1]) + ' and ' + names[-1] if len(names) > 1 else names[0]} now sit side by side in one table, ready to compare.")
        return "\n".join(lines)
    if role == "review":
        checked = ", ".join(name for name, _ in others) or "the team"
        return (f"I checked what {checked} wrote. It answers the task as asked. One thing to watch: "
                f"{pick(('state the assumptions next to each figure', 'say which figures are estimates', 'keep the units the same throughout'), 'watch')}.")
    points = [f"{name} found: {gist(text, 1, 200)}" for name, text in others]
    lines = [f"Answer: {gist(task, 1, 200)}"]
    lines += [f"- {point}" for point in points] or [f"- {pick(_WAYS, 'answer')}."]
    if asks:
        lines.append(f"Recommendation: follow the comparison above; it covers what the task asked ({asks[-1].rstrip('.').lower()}).")
    return "\n".join(lines)


def _role(instruction: str, instructions: str) -> str:
    lower = instruction.lower()
    for role, phrase in (("gather", "gather"), ("analyse", "work through"), ("write", "write the answer"), ("review", "check the answer")):
        if phrase in lower:
            return role
    for text in (instructions.lower(), lower):
        found = [(m.start(), name) for name, pattern in STAGES if (m := re.search(pattern, text))]
        if found:
            return min(found)[1]
    return "write"


def _named_things(text: str) -> list[str]:
    found = re.findall(r"\b[A-Za-z][\w]*(?:[-_][\w]+)*\b", text)
    names = [w for w in found if re.search(r"[A-Z].*[A-Z0-9]|\d", w[1:]) and not w.isdigit()]
    return list(dict.fromkeys(names))


def _chooser(key: str):
    def pick(options: Sequence[str], slot: str) -> str:
        digest = hashlib.sha256(f"{key}|{slot}".encode()).digest()
        return options[digest[0] % len(options)]

    return pick


# --- a turn in a group chat ---------------------------------------------------------------------

_CAVEATS = (
    "say when it is not the right choice, so nobody applies it everywhere",
    "define the one or two terms a beginner may not know",
    "add a short example, which makes the points concrete",
)


def chime_in(messages: Sequence[ChatMessage], instructions: str, seed: object = None) -> str | None:
    """A group chat turn taken after a teammate spoke: build on (or review) what they said.

    Only when the conversation ends with a named teammate's answer (nobody asked this model
    anything new); else None, and the model answers the conversation as it always does.
    """
    talk = [m for m in messages if m.role != Role.SYSTEM]
    if not talk or talk[-1].role != Role.ASSISTANT or not talk[-1].author_name or not talk[-1].text.strip():
        return None
    task = next((m.text for m in talk if m.role == Role.USER and m.text.strip()), "")
    if not task:
        return None
    said = [(m.author_name, m.text) for m in talk if m.role == Role.ASSISTANT and m.author_name and m.text.strip()]
    job = re.search(r"(?i)your (?:job|role|task) is to (.+)", instructions)
    role = _role(job.group(1) if job else "", instructions)
    pick = _chooser(f"{task}|{instructions}|{len(said)}|{seed}")
    last_name, last_text = said[-1]
    points = [p for p in (_points(text) for _, text in said) for p in p]
    if role == "review":
        return (f"I read {last_name}'s answer. It covers {len(_points(last_text)) or 'the main'} point(s) and answers "
                f"the question. One thing to add: {pick(_CAVEATS, 'caveat')}.")
    lines = [f"Building on what {', '.join(dict.fromkeys(name for name, _ in said))} said, here is the answer:"]
    lines += [f"- {point}" for point in list(dict.fromkeys(points))[:4]]
    lines.append(f"In short: {gist(task, 1, 160).rstrip('?.!')}? {pick(('Yes, for the reasons above.', 'The points above are the ones that matter most.', 'Start with the first point; the rest follow from it.'), 'close')}")
    return "\n".join(lines)


def _points(text: str) -> list[str]:
    """The points of an answer: its list items, else its sentences (at most four)."""
    items = [re.sub(r"^\s*(?:[-*]|\d+[.)])\s*", "", line).strip() for line in text.splitlines() if re.match(r"^\s*(?:[-*]|\d+[.)])\s+", line)]
    items = [item.split(":")[0] if ":" in item[:40] else item for item in items]
    items = [item for item in items if item]
    return items[:4] or [s for s in split_sentences(text) if not s.endswith(":")][:2]
