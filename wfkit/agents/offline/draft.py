"""A draft being revised: a title and blocks of sentences, and the facts stated in them.

`revising` edits drafts through this class. Two rules live here so that every edit keeps them:

- a fact the draft already states is never stated a second time. Asked to mention it, the draft
  brings it forward instead (`Draft.mention`): out of the clause it hides in, into a sentence of
  its own near the top. A price counts as stated when the same amount is written another way
  ("$249" and "249 dollars").
- a sentence already in the draft is not added again (`Draft.add_opening`, `Draft.add_before_ending`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from .reading import CTA_VERBS, PRICE, content_words, count_words, prices_in, same_price, split_sentences

_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
# Words a sentence cannot end on: what is left of "It comes with a 12-hour battery." once the
# battery is taken out is no sentence at all.
_DANGLING = set("with and for at of to the a an get gets comes costs is are it's yours just only all from "
                "also now priced costing featuring including plus".split())
# The note the model writes when it has no edit for the feedback (see `revising.revise`).
MODEL_NOTE = re.compile(r"^Note: the (?:offline model could not apply|text already says)\b[^\n]*(?:\n\s*\n|$)")


def is_call_to_action(sentence: str) -> bool:
    """True for sentences such as "Pre-order today!" or "Sign up now."."""
    return re.match(rf"(?i)[\W_]*(?:{CTA_VERBS})\b", sentence) is not None


def same_sentence(first: str, second: str) -> bool:
    """True if two sentences differ only in case, spacing and final punctuation."""
    def plain(text: str) -> str:
        return " ".join(text.lower().split()).rstrip(".!?")
    return plain(first) == plain(second)


@dataclass
class Block:
    """A paragraph (`lines` are its sentences) or a list (`lines` are its items)."""

    lines: list[str]
    is_list: bool = False

    def render(self) -> str:
        """The block as text: sentences joined by spaces, or one ``- item`` per line."""
        return "\n".join(f"- {line}" for line in self.lines) if self.is_list else " ".join(self.lines)


@dataclass
class Draft:
    """A piece of writing being revised: an optional title and its blocks."""

    title: str | None
    blocks: list[Block] = field(default_factory=list)
    # Facts `mention` was asked for that the draft already states as plainly as it can.
    already_stated: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> Draft:
        """Read `text`: a short first line without a full stop is its title, blank lines part blocks."""
        # The model's own note about an earlier revision is not part of the copy.
        text = MODEL_NOTE.sub("", text.strip())
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
        """The draft as text again."""
        parts = ([f"{self.title}"] if self.title else []) + [b.render() for b in self.blocks if b.lines]
        return "\n\n".join(parts)

    @property
    def prose(self) -> list[Block]:
        """The paragraphs (not the lists); an empty one is made if there are none, to write into."""
        paragraphs = [b for b in self.blocks if not b.is_list and b.lines]
        if not paragraphs:
            self.blocks.append(Block([]))
            paragraphs = [self.blocks[-1]]
        return paragraphs

    def sentences(self) -> list[str]:
        """Every sentence and list item, in order."""
        return [line for block in self.blocks for line in block.lines]

    def has_sentence(self, sentence: str) -> bool:
        """True if the draft already says `sentence`, word for word."""
        return any(same_sentence(sentence, line) for line in self.sentences())

    def add_opening(self, sentence: str) -> None:
        """Put `sentence` first, unless the draft already has it."""
        if not self.has_sentence(sentence):
            self.prose[0].lines.insert(0, sentence)

    def add_before_ending(self, sentence: str) -> None:
        """Add `sentence` at the end, but before a closing call to action, which stays last."""
        if self.has_sentence(sentence):
            return
        lines = self.prose[-1].lines
        lines.insert(len(lines) - 1 if lines and is_call_to_action(lines[-1]) else len(lines), sentence)

    def contains(self, text: str) -> bool:
        """True if `text` appears in the draft (ignoring case)."""
        return text.lower() in self.render().lower()

    # --- facts --------------------------------------------------------------------------------

    def where_stated(self, fact: str) -> tuple[Block, int, str] | None:
        """(block, index of the sentence, the fact as the sentence writes it) for the first sentence
        that states `fact`, or None. A price matches the same amount written any way; any other
        fact matches a sentence that has all its meaningful words."""
        for block in self.blocks:
            for i, line in enumerate(block.lines):
                written = _written_in(line, fact)
                if written:
                    return block, i, written
        return None

    def mention(self, fact: str, sentences: Sequence[str]) -> None:
        """Make the draft say `fact`, stated once. `sentences` are ways to say it on its own
        ("The price? Just $79."); one of them is used.

        If the draft lacks the fact, a sentence is added before the ending. If it has it, the fact
        is brought forward instead: taken out of the clause it sits in, and given one of
        `sentences` just after the opening. If it already has a sentence of its own there, that
        sentence is reworded, so the revision still shows. When none of that changes anything,
        `fact` is noted in `already_stated`."""
        found = self.where_stated(fact)
        fresh = [s for s in sentences if not self.has_sentence(s)] or list(sentences)
        if found is None:
            self.add_before_ending(fresh[0])
            return
        before = self.render()
        self._bring_forward(*found, fresh)
        if self.render() == before:
            self.already_stated.append(fact)

    def _bring_forward(self, block: Block, index: int, written: str, fresh: list[str]) -> None:
        sentence = block.lines[index]
        if block.is_list:
            # A list item is in plain view already: it moves to the top of its list.
            block.lines.insert(0, block.lines.pop(index))
            return
        lead_block, lead = self.prose[0], self.opening_index()
        near_top = block is lead_block and index <= lead + 1
        rest = take_out(sentence, written) if written.lower() in sentence.lower() else sentence
        if rest == sentence:
            # Woven into the sentence ("the 12-hour battery lasts all day"): the sentence moves up.
            if not near_top:
                del block.lines[index]
                lead_block.lines.insert(min(lead + 1, len(lead_block.lines)), sentence)
        elif rest is not None:
            block.lines[index] = rest
            lead_block.lines.insert(lead + 1, fresh[0])
        elif near_top:
            block.lines[index] = fresh[0]  # already on its own near the top: say it another way
        else:
            del block.lines[index]
            lead_block.lines.insert(min(lead + 1, len(lead_block.lines)), fresh[0])

    def opening_index(self) -> int:
        """Which sentence of the first paragraph opens the draft: the first one longer than a
        greeting ("Good news, friends!" comes before it)."""
        lines = self.prose[0].lines
        return next((i for i, line in enumerate(lines) if count_words(line) > 4), 0)


def _written_in(sentence: str, fact: str) -> str | None:
    if PRICE.fullmatch(fact.strip()):
        return next((p for p in prices_in(sentence) if same_price(p, fact)), None)
    if fact.lower() in sentence.lower():
        start = sentence.lower().index(fact.lower())
        return sentence[start : start + len(fact)]
    words = content_words(fact)
    return fact if words and words <= content_words(sentence) else None


def take_out(sentence: str, phrase: str) -> str | None:
    """`sentence` without `phrase` and the words that joined it in ("and", ", all for").

    Only an item of a list or a closing clause is taken out, never the subject of the sentence:
    when `phrase` sits anywhere else, `sentence` comes back unchanged. None means that what is
    left would not stand as a sentence: the sentence was about `phrase` alone.

    >>> take_out("Meet Brew, with 40 settings and a quiet motor, all for $249.", "$249")
    'Meet Brew, with 40 settings and a quiet motor.'
    """
    escaped = r"(?:(?:a|an|the)\s+)?" + re.escape(phrase)  # "a 12-hour battery" goes with its "a"
    joining = r"(?:all|and|just|only|now|priced|costing|costs|with|for|at|from|is|plus)"
    # (pattern, what replaces it), tried in order.
    positions = [
        (rf",?\s+and\s+{escaped}\b", ""),  # the last item of a list: "A and B"
        (rf",\s*{escaped}(?=\s*(?:,|\band\b))", ""),  # an item in the middle: "A, B and C"
        (rf"(\b(?:with|including|featuring|plus)\s+|:\s+){escaped}(?:,\s*|\s+and\s+)", r"\1"),  # the first item
        (rf"(?:,\s*(?:{joining}\s+)*|\s+(?:{joining}\s+)+){escaped}(?=\s*(?:[.!?]\s*)?$|,)", ""),  # a last clause
    ]
    for pattern, replacement in positions:
        rest, found = re.subn(pattern, replacement, sentence, count=1, flags=re.IGNORECASE)
        if found:
            break
    else:
        return sentence
    rest = re.sub(r"\s+([,.!?:;])", r"\1", " ".join(rest.split()))
    rest = re.sub(r"[,:;]+(?=[.!?]?$)", "", rest)
    words = rest.rstrip(".!?").split()
    if len(words) < 3 or words[-1].lower().strip(",:;") in _DANGLING:
        return None
    return rest if rest[-1:] in ".!?" else rest + "."
