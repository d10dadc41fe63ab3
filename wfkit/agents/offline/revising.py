"""How the offline model revises a draft so that the feedback visibly shows.

The feedback is matched against a table of common requests ("mention the price", "make it
shorter", "more engaging", "add a call to action"...). Each match applies one small edit to the
draft (a `Draft`: a title plus blocks of sentences, so edits can add, drop or reshape sentences).

Two promises hold for every edit:

- it never states a fact twice. Asked to mention a price the draft already gives, it brings the
  price forward into a sentence of its own instead of adding "Price: $249." (see `Draft.mention`);
- it never writes a placeholder such as "[price]". When the conversation does not give a fact,
  the edit writes a sentence that does not need it, or leaves it out.

Feedback that leaves the text unchanged gets a short note on the first line, so a learner can
see that the model read it: either the text already says what was asked, or this offline model
has no edit for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .draft import Block, Draft, is_call_to_action
from .reading import (
    PRICE,
    BriefFacts,
    OfflineRequest,
    as_sentence,
    content_words,
    count_words,
    first_lower,
    first_upper,
    prices_in,
    same_price,
)

_FILLER = re.compile(r"(?i)\b(?:really|very|truly|just|actually|simply|incredibly) ")
# What feedback may ask to mention that only the conversation can supply: with no such fact
# in it, there is nothing true to write.
_KINDS_OF_FACT = re.compile(
    r"(?i)(?:the\s+|its\s+|our\s+)?(?:product\s+)?(?:name|date|release date|launch date|deadline|link|url|"
    r"website|address|phone(?: number)?|email(?: address)?|location|venue|discount|offer|version(?: number)?)"
)


@dataclass
class Revision:
    """What an edit may look at: the draft, the facts of the brief, the feedback, the request."""

    draft: Draft
    facts: BriefFacts
    feedback: str
    request: OfflineRequest

    def pick(self, options: list[str], slot: str) -> str:
        """One of `options`, chosen by the conversation (see `OfflineRequest.choose`)."""
        return self.request.choose(options, "revise:" + slot)

    def in_turn(self, options: list[str], slot: str) -> list[str]:
        """All of `options`, starting from the one `pick` would choose: edits that must not repeat
        a sentence go down this list to the first one the draft does not have yet."""
        start = options.index(self.pick(options, slot))
        return options[start:] + options[:start]

    @property
    def about_a_product(self) -> bool:
        """True if the conversation is about a product (release notes, a launch), not a topic."""
        # The brief and the instructions say so; the feedback ("mention the price") does not.
        asked = self.request.first_prompt + "\n" + self.request.instructions
        return re.search(r"(?i)release notes|\blaunch|announc|introduc|\bproduct\b", asked) is not None

    def fresh(self, options: list[str], slot: str) -> str | None:
        """The first of `in_turn(options)` that the draft does not say yet, or None."""
        return next((o for o in self.in_turn(options, slot) if not self.draft.has_sentence(o)), None)


# --- the edits ----------------------------------------------------------------------------------


def mention_price(rev: Revision, match: re.Match[str]) -> None:
    """The price, stated once: added if missing, brought forward if already there, corrected if
    the feedback names a new one; without any price to hand, a sentence on cost with no number."""
    written = prices_in(rev.draft.render())
    asked = prices_in(rev.feedback)
    # A price in the feedback is the newest word on it; then the brief's; then the draft's own.
    price = asked[0] if asked else rev.facts.price or (written[0] if written else None)
    if price is None:
        # Nobody said what it costs: say something true about cost, without a number.
        options = (["Pricing details are on the product page.", "Ask us about pricing: we're happy to help."]
                   if rev.about_a_product else ["Prices vary, so compare the current options before you commit."])
        sentence = rev.fresh(options, "no-price")
        if sentence:
            rev.draft.add_before_ending(sentence)
        return
    for old in written:
        if not same_price(old, price):  # a different price is a mistake to correct, not a second fact
            for block in rev.draft.blocks:
                block.lines[:] = [line.replace(old, price) for line in block.lines]
    templates = ["It's yours for {p}.", "All of this costs just {p}.", "The price? Just {p}."]
    rev.draft.mention(price, rev.in_turn([t.format(p=price) for t in templates], "price"))


def _names_a_price(text: str) -> bool:
    return PRICE.search(text) is not None


def shorten(rev: Revision, match: re.Match[str]) -> None:
    """Fewer words: drop greetings and sentences that carry no fact, then filler words, then a clause."""
    before = count_words(rev.draft.render())
    for block in rev.draft.prose:
        if len(block.lines) > 2:
            # Keep the ending, the sentences that carry a fact, and the opening unless it is a
            # mere greeting ("Good news, friends!"); the rest is what readers can do without.
            last = len(block.lines) - 1
            block.lines[:] = [
                line for i, line in enumerate(block.lines)
                if i == last or _carries_a_fact(rev, line) or (i == 0 and count_words(line) > 4)
            ]
    if len(rev.draft.blocks) > 3:
        rev.draft.blocks[:] = [rev.draft.blocks[0], *rev.draft.blocks[-2:]]
    for block in rev.draft.blocks:
        block.lines[:] = [re.sub(_FILLER, "", sentence) for sentence in block.lines]
    if count_words(rev.draft.render()) == before:
        # Nothing to drop: cut a clause from the longest sentence instead.
        block = max(rev.draft.prose, key=lambda b: max((count_words(s) for s in b.lines), default=0))
        if block.lines:
            i = max(range(len(block.lines)), key=lambda j: count_words(block.lines[j]))
            block.lines[i] = _without_a_clause(block.lines[i])


def _carries_a_fact(rev: Revision, sentence: str) -> bool:
    items = rev.facts.has + rev.facts.does
    return _names_a_price(sentence) or any(item.lower() in sentence.lower() for item in items)


def _without_a_clause(sentence: str) -> str:
    """`sentence` without its last clause that names no price (the price is what readers look
    for); unchanged if every clause is needed."""
    end = sentence[-1] if sentence[-1:] in ".!?" else "."
    pieces = re.split(r"(;\s|,\s|\s(?=with\s))", sentence.rstrip(".!?"))
    clauses, joins = pieces[0::2], pieces[1::2]
    for i in range(len(clauses) - 1, 0, -1):
        if _names_a_price(clauses[i]):
            continue
        kept = clauses[0] + "".join(j + c for k, (j, c) in enumerate(zip(joins, clauses[1:]), 1) if k != i)
        if count_words(kept) >= 5:
            return kept + end
    return sentence


def expand(rev: Revision, match: re.Match[str]) -> None:
    """One more concrete sentence, built on the brief's first feature when there is one."""
    if rev.facts.has:
        detail = first_lower(rev.facts.has[0])
        options = [f"Take {detail}: it is the kind of detail you notice every single day.",
                   f"Consider {detail}: small on paper, and something you notice every day."]
    elif rev.facts.does:
        options = [f"In everyday use, it {first_lower(rev.facts.does[0])}, and that is what you notice first."]
    else:
        options = ["To make it concrete: even a small, everyday use shows the difference straight away.",
                   "For a concrete example, picture a first try on a small, real task: the difference shows "
                   "within minutes."]
    sentence = rev.fresh(options, "expand")
    if sentence:
        rev.draft.add_before_ending(sentence)


def make_engaging(rev: Revision, match: re.Match[str]) -> None:
    """A hook first, and an exclamation mark at the end."""
    rev.draft.add_opening(rev.pick(["Ready for something new?", "Here's something worth getting excited about.",
                                    "Guess what?"], "hook"))
    last = rev.draft.prose[-1].lines
    if last and last[-1].endswith("."):
        last[-1] = last[-1][:-1] + "!"


def make_warm(rev: Revision, match: re.Match[str]) -> None:
    """A friendly opening sentence."""
    rev.draft.add_opening(rev.pick(["We're so happy to share this with you.", "Good news, friends!",
                                    "We made this with you in mind."], "warm"))


def make_formal(rev: Revision, match: re.Match[str]) -> None:
    """No contractions ("it's" -> "it is") and no exclamation marks."""
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
    """A call to action at the end, or a stronger one if the draft already ends with one."""
    block = rev.draft.prose[-1]
    if not (block.lines and is_call_to_action(block.lines[-1])):
        block.lines.append(rev.facts.call_to_action or rev.pick(["Try it today!", "Get started now!"], "cta-new"))
        return
    # The draft already ends with one: make that one stronger rather than add a second.
    cta = block.lines[-1]
    if not re.search(r"(?i)\b(?:today|now|tonight|this week|soon)\b", cta):
        block.lines[-1] = cta.rstrip(".!") + " today!"
    elif not cta.endswith("!"):
        block.lines[-1] = cta.rstrip(".") + "!"
    elif len(block.lines) > 1:
        # On a line of its own, the call to action is the last thing the eye lands on.
        block.lines.pop()
        rev.draft.blocks.insert(rev.draft.blocks.index(block) + 1, Block([cta]))


def make_clearer(rev: Revision, match: re.Match[str]) -> None:
    """Plain words, long sentences split in two, and the point stated first."""
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
    """The middle of the first paragraph (or the brief's features) as a bulleted list."""
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


def add_headline(rev: Revision, match: re.Match[str] | None) -> None:
    """A title naming the product."""
    name = first_upper(rev.facts.product) if rev.facts.product else None
    options = ([f"{name} is here", f"Introducing {name}", f"Say hello to {name}"] if name
               else ["What's New", "Something New for You", "Fresh Off the Press"])
    rev.draft.title = rev.pick(options, "headline")


def add_benefit(rev: Revision, match: re.Match[str]) -> None:
    """A sentence on what it means for the reader."""
    rev.draft.add_before_ending(rev.pick([
        "What it means for you: less hassle, and more time for the things that matter.",
        "The upshot for you: it just works, so you can get on with your day.",
    ], "benefit"))


def add_emoji(rev: Revision, match: re.Match[str]) -> None:
    """An emoji at the end of the first sentence."""
    first = rev.draft.prose[0].lines
    if first:
        first[0] = first[0] + " " + rev.pick(["🎉", "✨", "🚀"], "emoji")


def remove_mention(rev: Revision, match: re.Match[str]) -> None:
    """Every sentence about what the feedback asks to leave out is dropped."""
    words = content_words(match.group("x"))
    for block in rev.draft.blocks:
        block.lines[:] = [line for line in block.lines if not (words & content_words(line))]


def add_statement(rev: Revision, match: re.Match[str]) -> None:
    """"Say that it ships in March": the statement, unless the draft already makes it."""
    statement = as_sentence(match.group("x"))
    rev.draft.mention(match.group("x").strip(), [statement])


def add_mention(rev: Revision, match: re.Match[str]) -> None:
    """"Highlight the battery": the brief's words for it, stated once (see `Draft.mention`)."""
    topic = match.group("x").strip()
    if _KINDS_OF_FACT.fullmatch(topic):
        mention_a_kind_of_fact(rev, topic)
        return
    # Prefer the brief's own words for the thing to mention ("12-hour battery" for "the battery").
    fact = next((item for item in rev.facts.has + rev.facts.does if content_words(topic) & content_words(item)),
                topic)
    if fact in rev.facts.does:
        options = [f"Best of all, it {first_lower(fact)}.", f"Above all, it {first_lower(fact)}."]
    else:
        has_a_determiner = re.match(r"(?i)(?:a|an|the|our|its|your|their)\b", fact) or fact[:1].isupper()
        named = fact if has_a_determiner else f"the {fact}"
        options = [t.format(x=first_lower(named)) for t in
                   ["Don't miss {x}.", "Special mention goes to {x}.", "Worth highlighting: {x}."]]
    rev.draft.mention(fact, rev.in_turn(options, "mention"))


def mention_a_kind_of_fact(rev: Revision, kind: str) -> None:
    """Feedback names a kind of fact ("mention the product name", "add the date"): only the
    product's name can be known here, from the brief; for anything else nothing true can be written."""
    name = rev.facts.product
    if not name or not re.search(r"(?i)\bname\b", kind):
        return
    if not rev.draft.contains(name):
        rev.draft.add_opening(f"Introducing {rev.facts.product_phrase}.")
    elif not (rev.draft.title and name.lower() in rev.draft.title.lower()):
        add_headline(rev, None)


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
    before = revision.draft.render()
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
    if text == before and revision.feedback:
        asked = " ".join(revision.feedback.split())
        if revision.draft.already_stated:
            note = f'Note: the text already says what "{asked}" asks for, so it is unchanged.'
        else:
            note = f'Note: the offline model could not apply "{asked}" to this text, so it is unchanged.'
        text = f"{note}\n\n{text}"
    return text
