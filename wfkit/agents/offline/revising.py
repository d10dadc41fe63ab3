"""How the offline model revises a draft so that the feedback visibly shows.

The feedback is matched against a table of common requests ("mention the price", "make it
shorter", "more engaging", "add a call to action"...). Each match applies one small edit to the
draft, which is held as a title plus blocks of sentences so edits can add, drop or reshape
sentences. Feedback that matches nothing is acknowledged in a note on the first line, so a
learner always sees that the revision took the feedback in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .reading import (
    CTA_VERBS,
    PRICE,
    BriefFacts,
    OfflineRequest,
    as_sentence,
    content_words,
    count_words,
    first_lower,
    first_upper,
    split_sentences,
)

_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_FILLER = re.compile(r"(?i)\b(?:really|very|truly|just|actually|simply|incredibly) ")


@dataclass
class Block:
    """A paragraph (`lines` are its sentences) or a list (`lines` are its items)."""

    lines: list[str]
    is_list: bool = False

    def render(self) -> str:
        return "\n".join(f"- {line}" for line in self.lines) if self.is_list else " ".join(self.lines)


@dataclass
class Draft:
    """A piece of writing being revised: an optional title and its blocks."""

    title: str | None
    blocks: list[Block] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> Draft:
        chunks = [c.strip() for c in re.split(r"\n\s*\n", text.strip()) if c.strip()]
        title = None
        first = chunks[0] if chunks else ""
        if len(chunks) > 1 and "\n" not in first and first[-1:] not in ".!?" and count_words(first) <= 14:
            title = first.strip("#* ")
            chunks = chunks[1:]
        blocks = []
        for chunk in chunks:
            lines = [line for line in chunk.split("\n") if line.strip()]
            if all(_BULLET.match(line) for line in lines):
                blocks.append(Block([_BULLET.sub("", line).strip() for line in lines], is_list=True))
            else:
                blocks.append(Block(split_sentences(chunk)))
        return cls(title, blocks)

    def render(self) -> str:
        parts = ([f"{self.title}"] if self.title else []) + [b.render() for b in self.blocks if b.lines]
        return "\n\n".join(parts)

    @property
    def prose(self) -> list[Block]:
        return [b for b in self.blocks if not b.is_list and b.lines] or self._new_block()

    def _new_block(self) -> list[Block]:
        self.blocks.append(Block([]))
        return [self.blocks[-1]]

    def sentences(self) -> list[str]:
        return [line for block in self.blocks for line in block.lines]

    def add_opening(self, sentence: str) -> None:
        self.prose[0].lines.insert(0, sentence)

    def add_before_ending(self, sentence: str) -> None:
        """Add `sentence` at the end, but before a closing call to action, which stays last."""
        lines = self.prose[-1].lines
        lines.insert(len(lines) - 1 if lines and is_call_to_action(lines[-1]) else len(lines), sentence)

    def contains(self, text: str) -> bool:
        return text.lower() in self.render().lower()


def is_call_to_action(sentence: str) -> bool:
    """True for sentences such as "Pre-order today!" or "Sign up now."."""
    return re.match(rf"(?i)[\W_]*(?:{CTA_VERBS})\b", sentence) is not None


@dataclass
class Revision:
    """What an edit may look at: the draft, the facts of the brief, the feedback, the request."""

    draft: Draft
    facts: BriefFacts
    feedback: str
    request: OfflineRequest

    def pick(self, options: list[str], slot: str) -> str:
        return self.request.choose(options, "revise:" + slot)

    @property
    def subject(self) -> str:
        return self.facts.product_phrase if self.facts.product else "it"


# --- the edits ----------------------------------------------------------------------------------


def mention_price(rev: Revision, match: re.Match[str]) -> None:
    price = rev.facts.price
    if price is None:
        rev.draft.add_before_ending("It's available now for [price].")
    elif not rev.draft.contains(price):
        rev.draft.add_before_ending(
            rev.pick(["It's yours for {p}.", "All of this costs just {p}.", "The price? Just {p}."], "price")
            .format(p=price)
        )
    else:
        rev.draft.add_before_ending(f"Price: {price}.")


def shorten(rev: Revision, match: re.Match[str]) -> None:
    before = count_words(rev.draft.render())
    for block in rev.draft.prose:
        if len(block.lines) > 2:
            block.lines[:] = [block.lines[0], block.lines[-1]]
    if len(rev.draft.blocks) > 3:
        rev.draft.blocks[:] = [rev.draft.blocks[0], *rev.draft.blocks[-2:]]
    for block in rev.draft.blocks:
        block.lines[:] = [re.sub(_FILLER, "", sentence) for sentence in block.lines]
    if count_words(rev.draft.render()) == before:
        # Nothing to drop: cut the last clause of the longest sentence instead.
        block = max(rev.draft.prose, key=lambda b: max((count_words(s) for s in b.lines), default=0))
        if block.lines:
            i = max(range(len(block.lines)), key=lambda j: count_words(block.lines[j]))
            head = re.split(r"(?:;|,| and comes with| with) (?=[^;,]*$)", block.lines[i])[0]
            if count_words(head) >= 5:
                end = block.lines[i][-1:] if block.lines[i][-1:] in ".!?" else "."
                block.lines[i] = as_sentence(head.rstrip(".!"), end)


def expand(rev: Revision, match: re.Match[str]) -> None:
    detail = (rev.facts.has or rev.facts.does or [None])[0]
    if detail:
        sentence = f"Take {first_lower(detail)}: it is the kind of detail you notice every single day."
    else:
        sentence = "To make it concrete: even a small, everyday use shows the difference straight away."
    rev.draft.add_before_ending(sentence)


def make_engaging(rev: Revision, match: re.Match[str]) -> None:
    rev.draft.add_opening(rev.pick(["Ready for something new?", "Here's something worth getting excited about.",
                                    "Guess what?"], "hook"))
    last = rev.draft.prose[-1].lines
    if last and last[-1].endswith("."):
        last[-1] = last[-1][:-1] + "!"


def make_warm(rev: Revision, match: re.Match[str]) -> None:
    rev.draft.add_opening(rev.pick(["We're so happy to share this with you.", "Good news, friends!",
                                    "We made this with you in mind."], "warm"))


def make_formal(rev: Revision, match: re.Match[str]) -> None:
    swaps = {"it's": "it is", "you're": "you are", "we're": "we are", "don't": "do not", "can't": "cannot",
             "here's": "here is", "that's": "that is", "won't": "will not"}
    for block in rev.draft.blocks:
        for i, line in enumerate(block.lines):
            for short, full in swaps.items():
                line = re.sub(rf"(?i)\b{re.escape(short)}\b", lambda m, full=full: _same_case(m.group(0), full), line)
            block.lines[i] = line.replace("!", ".")


def _same_case(original: str, replacement: str) -> str:
    return first_upper(replacement) if original[:1].isupper() else replacement


def add_call_to_action(rev: Revision, match: re.Match[str]) -> None:
    lines = rev.draft.prose[-1].lines
    if lines and is_call_to_action(lines[-1]):
        lines[-1] = lines[-1].rstrip(".!") + rev.pick([" - today!", " now!", " while it lasts!"], "cta")
    else:
        lines.append(rev.facts.call_to_action or rev.pick(["Try it today!", "Get started now!"], "cta-new"))


def make_clearer(rev: Revision, match: re.Match[str]) -> None:
    plain = {r"\butili[sz]e\b": "use", r"\bleverage\b": "use", r"\bin order to\b": "to",
             r"\bfunctionality\b": "features", r"\bat this point in time\b": "now"}
    for block in rev.draft.prose:
        new_lines = []
        for line in block.lines:
            for wordy, simple in plain.items():
                line = re.sub(wordy, simple, line, flags=re.IGNORECASE)
            # Long sentences joined by "; " or ", and " become two.
            parts = re.split(r"; |, and |, but ", line, maxsplit=1)
            if count_words(line) > 18 and len(parts) == 2 and min(map(count_words, parts)) >= 4:
                new_lines += [as_sentence(parts[0]), as_sentence(parts[1])]
            else:
                new_lines.append(line)
        block.lines[:] = new_lines
    # The point first: open with the conclusion, as plain writing advice says.
    sentences = rev.draft.sentences()
    if len(sentences) > 3 and not sentences[0].startswith("In short"):
        point = re.sub(r"(?i)^(?:in the end|finally|overall|in conclusion|all in all),\s*", "", sentences[-1])
        rev.draft.add_opening(f"In short: {first_lower(point).rstrip('.!')}.")


def make_bullets(rev: Revision, match: re.Match[str]) -> None:
    block = rev.draft.prose[0]
    index = rev.draft.blocks.index(block)
    if len(block.lines) >= 3:
        first, middle, last = block.lines[0], block.lines[1:-1], block.lines[-1]
        rev.draft.blocks[index : index + 1] = [Block([first]), Block(middle, is_list=True), Block([last])]
        return
    items = [first_upper(i) for i in rev.facts.does + rev.facts.has] or [
        first_upper(part) for part in re.split(r"; |, ", block.lines[0].rstrip(".!"))[1:]
    ]
    if not items:
        return
    if rev.facts.does + rev.facts.has and ": " in block.lines[0]:
        # "Meet X: it does A and has B." -> "Meet X:" and the list says the rest.
        block.lines[0] = block.lines[0].split(": ", 1)[0] + ":"
    # The list goes before a closing call to action, which stays last.
    closing = [block.lines.pop()] if len(block.lines) > 1 and is_call_to_action(block.lines[-1]) else []
    rev.draft.blocks[index + 1 : index + 1] = [Block(items, is_list=True), *([Block(closing)] if closing else [])]


def add_headline(rev: Revision, match: re.Match[str]) -> None:
    name = rev.facts.product or "What's new"
    rev.draft.title = rev.pick([f"{first_upper(name)} is here", f"Introducing {first_upper(name)}",
                                f"Say hello to {first_upper(name)}"], "headline")


def add_benefit(rev: Revision, match: re.Match[str]) -> None:
    rev.draft.add_before_ending(rev.pick([
        "What it means for you: less hassle, and more time for the things that matter.",
        "The upshot for you: it just works, so you can get on with your day.",
    ], "benefit"))


def add_emoji(rev: Revision, match: re.Match[str]) -> None:
    first = rev.draft.prose[0].lines
    if first:
        first[0] = first[0] + " " + rev.pick(["🎉", "✨", "🚀"], "emoji")


def remove_mention(rev: Revision, match: re.Match[str]) -> None:
    words = content_words(match.group("x"))
    for block in rev.draft.blocks:
        block.lines[:] = [line for line in block.lines if not (words & content_words(line))]


def add_statement(rev: Revision, match: re.Match[str]) -> None:
    rev.draft.add_before_ending(as_sentence(match.group("x")))


def add_mention(rev: Revision, match: re.Match[str]) -> None:
    topic = match.group("x").strip()
    # Prefer the brief's own words for the thing to mention ("12-hour battery" for "the battery").
    for item in rev.facts.has + rev.facts.does:
        if content_words(topic) & content_words(item):
            topic = item
            break
    if not re.match(r"(?i)(?:a|an|the|our|its|your|their)\b", topic) and not topic[:1].isupper():
        topic = "the " + topic
    template = rev.pick(["Don't miss {x}.", "Special mention goes to {x}.", "Worth highlighting: {x}."], "mention")
    rev.draft.add_before_ending(template.format(x=first_lower(topic)))


Edit = Callable[[Revision, "re.Match[str]"], None]

# (pattern in the feedback, edit). Every pattern that matches applies its edit, in this order.
EDITS: list[tuple[str, Edit]] = [
    (r"\bpric|\bcost|how much|" + PRICE.pattern, mention_price),
    (r"\bshort|concise|tighten|\btrim|\bcut\b(?! out)|\bbrief(?:er)?\b|fewer words|wordy|too long", shorten),
    (r"\blonger\b|expand|more detail|elaborate|more depth|examples?\b", expand),
    (r"clear|clarity|simpl|plain|readab|easier to (?:read|follow)|jargon", make_clearer),
    (r"engag|excit|punch|energ|enthusias|\bfun\b|playful|lively|upbeat|catchy|\bhook", make_engaging),
    (r"\bwarm|friendl|human|personal|approachable", make_warm),
    (r"formal|professional|serious|corporate", make_formal),
    (r"call to action|\bcta\b", add_call_to_action),
    (r"bullet|\blist\b|scannable|skim", make_bullets),
    (r"\btitle|headline|heading", add_headline),
    (r"benefit|customers?\b|why it matters|\bvalue\b", add_benefit),
    (r"emoji", add_emoji),
    (r"\b(?:remove|drop|delete|cut out|don't mention|do not mention|leave out|omit)\s+(?:the\s+)?(?P<x>[^.,;!?]+)",
     remove_mention),
    (r"\b(?:say|state|note|mention|add|explain|tell (?:them|readers|people))\s+that\s+(?P<x>[^.;!?]+)", add_statement),
    (r"\b(?:mention|include|add|highlight|emphasi[sz]e|stress|feature|focus on|talk about|point out|spotlight)\s+"
     r"(?:the\s+|its\s+|our\s+|a\s+)?(?P<x>[^.,;!?]+)", add_mention),
]


def revise(draft_text: str, feedback: str, facts: BriefFacts, request: OfflineRequest) -> str:
    """`draft_text` with every edit the feedback asks for applied."""
    revision = Revision(Draft.parse(draft_text), facts, feedback.strip(), request)
    applied: list[str] = []
    for pattern, edit in EDITS:
        match = re.search(pattern, revision.feedback, re.IGNORECASE)
        if match is None:
            continue
        # "mention the price" is the price edit's job; the generic "mention X" edit skips it.
        if "x" in match.groupdict() and any(re.search(p, match.group("x"), re.IGNORECASE) for p in applied):
            continue
        edit(revision, match)
        applied.append(pattern)
    text = revision.draft.render()
    if text.strip() == draft_text.strip() and revision.feedback:
        note = " ".join(revision.feedback.split())
        text = f"[Revised to address: {note}]\n\n{text}"
    return text
