"""How the offline model reads a conversation: who asks what, and the facts in a brief.

Nothing here understands language. It looks for the plain signals a person skimming the
prompt would use: labels such as ``BRIEF:`` or ``Human guidance:``, a price like ``$79``, the
words after "Introduce our ...", a request for "two sentences". That is enough to write text
that visibly follows the prompt, which is all a lesson needs from a model it runs offline.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Sequence

from ..types import ChatMessage, Role

# --- plain text helpers ------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[*]?[A-Z0-9])")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a single": 1, "single": 1}


def split_sentences(text: str) -> list[str]:
    """`text` cut into sentences (at ., ! or ? followed by a capital letter)."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def count_words(text: str) -> int:
    """How many words `text` has."""
    return len(re.findall(r"\b[\w'’-]+\b", text))


def content_words(text: str) -> set[str]:
    """The words of `text` that carry meaning (longer than three letters, lower case)."""
    return {w for w in re.findall(r"[a-z0-9][a-z0-9'-]+", text.lower()) if len(w) > 3 and w not in _STOPWORDS}


_STOPWORDS = set(
    "this that with from have will your about into they them their there what when which would could "
    "should also just more most make made very much some such than then these those been being were "
    "here over only other onto even each does done the and for are but not you can its it's our".split()
)


# Words too common in support conversations to say what a request is about.
_GENERIC = {
    "agent", "agents", "user", "users", "customer", "customers", "help", "helps", "handle", "handles", "request",
    "requests", "issue", "issues", "question", "questions", "inquiry", "inquiries", "need", "needs", "want", "like",
    "please", "specialist", "specialists", "support", "assist", "assistance", "message", "response", "respond",
    "provide", "appropriate", "based", "problem", "concise", "friendly", "clear", "helpful", "details", "tool",
    "call", "task", "tasks", "hello", "recent", "know",
}


def _stem(word: str) -> str:
    """A word without its ending, so that "refunds" meets "refund", "shipping" meets "shipped"
    and "ship", "charged" meets "charges", and "deliveries" meets "delivery"."""
    if word.endswith("ies") and len(word) > 5:
        word = word[:-3] + "y"
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            word = word[: -len(ending)]
            break
    else:
        if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            word = word[:-1]
    if len(word) > 4 and word[-1] in "ey":  # "charge" and "charg(ed)", "delivery" and "deliver(ed)"
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiou":  # "shipp(ing)" -> "ship"
        word = word[:-1]
    return word


def topic_words(text: str) -> set[str]:
    """What `text` is about: its meaningful words without their endings, leaving out words that
    every support conversation uses ("customer", "help", "request")."""
    spaced = text.replace("_", " ").replace("/", " ")
    return {_stem(w) for w in content_words(spaced) if w not in _GENERIC} - {_stem(w) for w in _GENERIC}


def first_upper(text: str) -> str:
    """`text` with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def first_lower(text: str) -> str:
    """`text` with its first letter in lower case, unless it starts a name or an acronym."""
    if len(text) > 1 and (text[1].isupper() or text.split(" ")[0] in ("I", "I'm")):
        return text
    return text[:1].lower() + text[1:]


def as_sentence(text: str, end: str = ".") -> str:
    """`text` with a capital first letter and a closing punctuation mark."""
    text = text.strip().rstrip(",;:")
    if not text:
        return ""
    return first_upper(text) + ("" if text[-1] in ".!?" else end)


def with_article(item: str) -> str:
    """`item` with "a" or "an" when it is one thing named by a number: "a 12-hour battery",
    "an 8-core chip" (but "40 grind settings", and anything else as it is)."""
    match = re.fullmatch(r"(\d+)-[a-z]+(?: [a-z-]+)*", item)
    if not match or item.endswith("s"):
        return item
    number = match.group(1)
    return ("an " if number.startswith("8") or number in ("11", "18") else "a ") + item


def join_list(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def labelled(text: str, *labels: str) -> str | None:
    """The text after the first ``Label:`` found (one of `labels`), up to the next blank line
    or the next ``Label:`` line; None if no label is there."""
    pattern = r"(?im)^[ \t*#-]*(?:%s)[ \t]*:[ \t]*" % "|".join(re.escape(label) for label in labels)
    match = re.search(pattern, text)
    if not match:
        match = re.search(r"(?i)\b(?:%s)[ \t]*:[ \t]*" % "|".join(re.escape(label) for label in labels), text)
    if not match:
        return None
    # Blank lines straight after the label are not the end of its text, and its first line is
    # never the next label ("Draft:\nSay hello to the mug: it ..." is one draft).
    rest = text[match.end():].lstrip()
    end = re.search(r"\n[ \t]*\n(?=[ \t*#-]*[A-Z][\w ]{1,30}:)|\n(?=[ \t*#-]*[A-Z][\w ]{1,30}:[ \t])", rest)
    return (rest[: end.start()] if end else rest).strip() or None


def requested_sentences(text: str) -> int | None:
    """The number of sentences a prompt asks for ("in two sentences"), if it asks."""
    match = re.search(r"(?i)\b(\d|one|two|three|four|five|six|a single|single)[ -]sentences?\b", text)
    if not match:
        return None
    word = match.group(1).lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def requested_words(text: str) -> int | None:
    """The length a prompt asks for ("a 300-word article", "in 150 words"), if it asks."""
    match = re.search(r"(?i)\b(\d{2,4})[ -]words?\b", text)
    return int(match.group(1)) if match else None


# --- the request ----------------------------------------------------------------------------


@dataclass
class OfflineRequest:
    """A conversation, read the way the offline model needs it.

    `prompt` is the last USER message; `first_prompt` the first, where a brief usually is.
    `follow_up` is what was said (by the user or in SYSTEM messages) after the model's latest
    reply, `previous_reply`: a request for a revision lives there. `everything` is every USER
    and SYSTEM text, to look facts up in.
    """

    instructions: str
    prompt: str
    first_prompt: str
    follow_up: str
    previous_reply: str | None
    everything: str
    key: str = field(repr=False)

    @classmethod
    def read(cls, messages: Sequence[ChatMessage], seed: int | str | None = None) -> OfflineRequest:
        """Read `messages`; `seed` changes the wording chosen, never the facts."""
        last_reply = max((i for i, m in enumerate(messages) if m.role == Role.ASSISTANT), default=-1)
        before = messages if last_reply < 0 else messages[:last_reply]
        users = [m.text for m in messages if m.role == Role.USER]
        first_reply = min((i for i, m in enumerate(messages) if m.role == Role.ASSISTANT), default=len(messages))
        # The original question, asked again after feedback, is not itself feedback: leave it out.
        # (Feedback given twice still counts: "make it shorter" may be meant twice.)
        original_questions = {m.text for m in messages[:first_reply] if m.role == Role.USER}
        after = [
            m.text
            for m in messages[last_reply + 1 :]
            if m.role == Role.SYSTEM or (m.role == Role.USER and m.text not in original_questions)
        ]
        if last_reply < 0:  # nothing answered yet: only the prompt can ask for changes
            after = users[-1:]
        fingerprint = "\n".join(f"{m.role.value}:{m.text}" for m in messages) + f"\nseed:{seed}"
        return cls(
            instructions="\n".join(m.text for m in before if m.role == Role.SYSTEM),
            prompt=users[-1] if users else "",
            first_prompt=users[0] if users else "",
            follow_up="\n\n".join(after),
            previous_reply=messages[last_reply].text if last_reply >= 0 else None,
            everything="\n".join(m.text for m in messages if m.role in (Role.USER, Role.SYSTEM)),
            key=hashlib.sha256(fingerprint.encode()).hexdigest(),
        )

    def choose(self, options: Sequence[str], slot: str) -> str:
        """One of `options`, picked by a hash of the conversation: the same conversation always
        gets the same choice, another conversation often a different one."""
        digest = hashlib.sha256(f"{self.key}:{slot}".encode()).digest()
        return options[int.from_bytes(digest[:4], "big") % len(options)]

    def asks(self, pattern: str, *, in_instructions: bool = True) -> bool:
        """True if the prompt (or the instructions) matches the regular expression `pattern`."""
        where = self.prompt + ("\n" + self.instructions if in_instructions else "")
        return re.search(pattern, where, re.IGNORECASE) is not None


# --- facts in a product brief ----------------------------------------------------------------

# An amount: "1,299" (commas only between groups of three digits, so the comma of "$79, 12-hour
# battery" is left out), "1299" or "4.50".
_AMOUNT = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
PRICE = re.compile(
    rf"(?:[$€£]\s?{_AMOUNT}|\b(?:USD|EUR|GBP)\s?{_AMOUNT}|\b{_AMOUNT}\s?(?:USD|EUR|GBP|dollars|euros|pounds)\b)"
    r"(?:\s?(?:/|per|a)\s?(?:month|mo|year|yr|user|seat|person))?",
    re.IGNORECASE,
)
_CURRENCIES = {"$": "USD", "usd": "USD", "dollars": "USD", "€": "EUR", "eur": "EUR", "euros": "EUR",
               "£": "GBP", "gbp": "GBP", "pounds": "GBP"}
_PERIODS = {"mo": "month", "yr": "year"}


def price_key(price: str) -> tuple[str, Decimal, str]:
    """What a price means, whatever its spelling: "$249", "249 dollars" and "$249.00" all give
    ``("USD", Decimal("249"), "")``, so two mentions of one price can be told apart from two prices."""
    text = price.lower()
    currency = next((code for mark, code in _CURRENCIES.items() if mark in text), "")
    amount = Decimal(re.search(_AMOUNT, text).group(0).replace(",", ""))  # type: ignore[union-attr]
    period = re.search(r"(?:/|per|\ba)\s?(month|mo|year|yr|user|seat|person)\b", text)
    unit = _PERIODS.get(period.group(1), period.group(1)) if period else ""
    return currency, amount, unit


def prices_in(text: str) -> list[str]:
    """Every price written in `text`, as written: ``prices_in("$79, or 79 dollars")`` -> ``["$79", "79 dollars"]``."""
    return [found.group(0).strip() for found in PRICE.finditer(text)]


def same_price(first: str, second: str) -> bool:
    """True if `first` and `second` are one price written two ways ("$249" and "$249.00")."""
    return price_key(first) == price_key(second)


CTA_VERBS = (
    r"pre-?order|order|buy|shop|sign up|subscribe|register|join|try|download|install|upgrade|update|"
    r"visit|book|grab|get|start|claim|reserve|learn more|check out|discover|explore|contact"
)
_PRODUCT_AFTER = (
    r"(?:(?:release notes|announcement|launch (?:note|post)|notes|copy|post) (?:for|about|on)|"
    r"introduc(?:e|es|ing)|launch(?:es|ing)?(?: of)?|announc(?:e|es|ing)|unveil(?:s|ing)?|"
    r"releas(?:e|es|ing)(?! notes)(?: of)?|meet|presenting|say hello to)"
)
_PRODUCT_STOP = (
    r"(?=\s+(?:that|which|who|with|for|at|priced|costing|featuring|including|to|is|are|now|in|on)\b"
    r"|\s*[,;:!?()]|\.(?:\s|$)|\s+[-–—]\s|\n|$)"
)


@dataclass
class BriefFacts:
    """What a product brief says: the product, what it does and has, its price, the call to action."""

    product: str | None = None
    does: list[str] = field(default_factory=list)  # verb phrases: "keeps coffee hot"
    has: list[str] = field(default_factory=list)  # noun phrases: "a 12-hour battery"
    price: str | None = None
    call_to_action: str | None = None

    @property
    def product_phrase(self) -> str:
        """The product as it reads inside a sentence: "Contoso Notes 2.0", "our smart mug"."""
        if not self.product:
            return "our latest release"
        words = self.product.split()
        if not any(word[:1].isupper() or word[:1].isdigit() for word in words):
            return f"our {self.product}"
        if words[-1].islower() and not re.match(r"(?i)(?:the|our|a|an)\b", self.product):
            return f"the {self.product}"  # a brand, then what it is: "the Ember smart mug"
        return self.product


def brief_text(prompt: str) -> str:
    """The brief inside a prompt: the text after ``BRIEF:`` (or a similar label), else all of it."""
    return labelled(prompt, "brief", "product brief", "details", "product details", "announcement") or prompt


def read_brief(text: str) -> BriefFacts:
    """The facts of a product brief, by the patterns described in this module's docstring."""
    facts = BriefFacts()
    facts.product = labelled(text, "product", "product name", "name") or _find_product(text)
    if facts.product and (count_words(facts.product) > 7 or not facts.product.strip()):
        facts.product = None
    price = labelled(text, "price", "pricing", "cost")
    found = PRICE.search(price or text)
    facts.price = found.group(0).strip() if found else (price.rstrip(".") if price else None)
    facts.call_to_action = _find_call_to_action(text)
    listed = labelled(text, "features", "key features", "highlights")
    if listed:
        facts.has = _split_items(listed)
    else:
        facts.does, facts.has = _find_features(text, facts.product)
    noise = [p for p in (facts.price, facts.call_to_action) if p]
    facts.has = [item for item in facts.has if not any(n.lower() in item.lower() for n in noise)]
    facts.does = [item for item in facts.does if not any(n.lower() in item.lower() for n in noise)]
    return facts


def _find_product(text: str) -> str | None:
    match = re.search(
        _PRODUCT_AFTER + r"\s+(?:our|the|a|an|its|their)?\s*(?:new\s+|all-new\s+)?(?P<p>.+?)" + _PRODUCT_STOP,
        text,
        re.IGNORECASE,
    )
    if match:
        return match.group("p").strip(" \"'")
    # A name in capitals (Contoso Notes) that does not start a sentence.
    match = re.search(r"(?<=[a-z,] )((?:[A-Z][\w-]+(?: [A-Z0-9][\w.-]*)*))", text)
    return match.group(1) if match else None


def _find_call_to_action(text: str) -> str | None:
    label = labelled(text, "cta", "call to action", "call-to-action")
    if label:
        return as_sentence(label.split("\n")[0], "!")
    match = re.search(r"(?i)\b(?:encourage|invite|ask|urge|tell)\b(?:\s+[\w-]+){0,4}?\s+to\s+([^.!?\n]+)", text)
    if match:
        action = match.group(1).strip()
        # "Encourage users to upgrade" -> "Upgrade today!", not a bare "Upgrade!".
        timed = re.search(r"(?i)\b(?:today|now|soon|tonight|this week)\b", action)
        return as_sentence(action + (" today" if count_words(action) <= 2 and not timed else ""), "!")
    for sentence in split_sentences(text):
        if re.match(rf"(?i)(?:{CTA_VERBS})\b", sentence):
            return as_sentence(sentence, "!")
    return None


def _find_features(text: str, product: str | None) -> tuple[list[str], list[str]]:
    does: list[str] = []
    has: list[str] = []
    for sentence in split_sentences(text):
        clause = re.search(r"(?i)\b(?:that|which)\s+([^.!?]+)", sentence)
        if clause and (not product or product.lower() in sentence.lower()):
            does.extend(_split_items(clause.group(1)))
        listing = re.search(
            r"(?i)\b(?:highlight(?:ing)?|featuring|features|with|includ(?:es|ing)|offers|supports|adds|brings|"
            r"mention)\s+(?:the\s+|its\s+)?([^.!?]+)",
            sentence,
        )
        if listing and not (clause and listing.start() > clause.start()):
            has.extend(_split_items(listing.group(1)))
        # "the smart mug: $79, 12-hour battery" lists the facts right after the name (the price
        # among them is taken out by read_brief, like any other price).
        after_name = product and re.search(re.escape(product) + r"\s*:\s*(.+)", sentence, re.IGNORECASE)
        if after_name:
            for item in _split_items(after_name.group(1)):
                (does if _is_verb_phrase(item) else has).append(item)
    return does[:3], has[:4]


def _is_verb_phrase(item: str) -> bool:
    # "keeps coffee hot" says what the product does, "a 12-hour battery" what it has. Without a
    # grammar to hand, a first word in -s (not -ss, -us or -is: "wireless", "bonus") will do.
    first, _, rest = item.partition(" ")
    return bool(rest) and re.fullmatch(r"[a-z]+[^su]s", first) is not None


def _split_items(text: str) -> list[str]:
    # Not at the comma inside a number ("$1,299").
    parts = re.split(r"(?i)\s*(?:,(?!\d{3}\b)|;|\band\b|\n[-*•]?)\s*", text.strip(" .-*•"))
    items = [p.strip(" .-*•") for p in parts]
    return [item for item in items if item and count_words(item) <= 10]
