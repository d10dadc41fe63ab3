"""How the offline model reads a customer's message to a support desk: its issues, and what a desk
does about each.

A customer writes in the first person about what went wrong: "I was charged twice for order
1042, and the parcel still hasn't arrived." A support team splits such a message into its issues
and gives each one to the person whose job it is. The offline model does the same, as a person
skimming the message would:

- `is_customer_message` tells such a message from a task ("Compare ...", "Write a blog post");
- `customer_issues` cuts it into its issues, one clause each, in the order raised, and `restate`
  says one back in the second person ("you were charged twice for order 1042") or the third ("the
  customer was charged twice ...");
- `issue_words` is what an issue is about (`topic_words`, without its order number), so it can be
  matched with an agent's job (`support.issues_for`);
- `next_step` is what a specialist does about an issue, and `look_up` what it looks up first
  (check the payments, ask the carrier...), picked by the issue's words. Nothing is invented: no
  amounts, dates or order numbers that the customer did not give.
"""

from __future__ import annotations

import re

from .reading import split_sentences, topic_words

ORDER = re.compile(r"(?i)\b(?:order|ticket|case|invoice)\s*(?:number\s*)?#?\s*(\d{3,})")
_NUMBERED = re.compile(r"(?i)\b[a-z]+\s*(?:number\s*)?#?\s*\d{2,}")  # "order 1042": which order, not what about
_GREETING = re.compile(r"(?i)^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening))(?: there)?[,!.]*\s*")
_FIRST_PERSON = re.compile(r"(?i)(?:i|my|i'm|i've|i'd|we|our|we've|we're)\b")
_A_TASK = re.compile(r"(?i)\b(?:write|draft|compare|estimate|research|summari[sz]e|explain|blog|article|essay|report on)\b")
# Where one issue ends and the next begins: "..., and the parcel still hasn't arrived".
_NEXT_ISSUE = re.compile(r"(?i),?\s+(?:and|but|also|plus)\s+(?=(?:the|my|it|i|i'm|i've|now|there|they|we|our|its)\b)|;\s*")

# What a desk does about an issue, by what the issue is about: (its words, what to look up, what
# to do). `{order}` is "order 1042", or "your order" / "the order" when no number was given.
NEXT_STEPS: tuple[tuple[str, str, str], ...] = (
    (r"charg|refund|invoic|bill|pay|price|debit", "the payments taken for {order}",
     "I'll check the payments taken for {order} and refund any that should not be there"),
    (r"parcel|deliver|arriv|ship|track|packag|courier|carrier|\blate\b|\blost\b", "where the parcel for {order} is",
     "I'll ask the carrier where the parcel for {order} is and send you its tracking link"),
    (r"broken|damag|faulty|crack|defect|return|replac|wrong item", "what was sent for {order}",
     "I'll arrange a replacement for {order}, or a refund if you prefer"),
    (r"password|log ?in|sign ?in|account|locked", "the customer's account",
     "I'll send you a link to get back into your account"),
)
FALLBACK_STEP = ("the records of {order}", "I'll look into it and get back to you")

# First person -> second ("you") or third ("they") person; longer forms first.
_PERSONS = {
    "you": ((r"\bI am\b|\bI'm\b", "you're"), (r"\bI've\b", "you've"), (r"\bI'd\b", "you'd"), (r"\bI was\b", "you were"),
            (r"\bI\b", "you"), (r"(?i)\bmy\b", "your"), (r"(?i)\bme\b", "you"), (r"(?i)\bmyself\b", "yourself")),
    "they": ((r"\bI am\b|\bI'm\b", "the customer is"), (r"\bI've\b", "the customer has"), (r"\bI'd\b", "the customer would"),
             (r"\bI\b", "the customer"), (r"(?i)\bmy\b", "their"), (r"(?i)\bme\b", "them"), (r"(?i)\bmyself\b", "themselves")),
}


def is_customer_message(text: str) -> bool:
    """True when `text` reads as a customer telling a desk what went wrong: it starts in the first
    person (after a greeting) and asks for no piece of writing or research."""
    return bool(text.strip()) and _FIRST_PERSON.match(_GREETING.sub("", text)) is not None and not _A_TASK.search(text)


def customer_issues(text: str) -> list[str]:
    """The issues of a customer's message, one clause each, as written, in the order raised.
    Pleasantries ("Can you help?", "please") are no issue."""
    issues = []
    for sentence in split_sentences(_GREETING.sub("", text.strip())):
        for clause in _NEXT_ISSUE.split(sentence.strip().rstrip(".!?")):
            clause = re.sub(r"(?i),?\s*please$", "", clause.strip(" ,")).strip(" ,")
            if clause and issue_words(clause):
                issues.append(clause)
    return issues


def issue_words(text: str) -> set[str]:
    """What a customer's words are about (`topic_words`), leaving out order numbers."""
    return topic_words(_NUMBERED.sub(" ", text))


def restate(issue: str, person: str = "you") -> str:
    """The customer's words said back: ``restate("I was charged twice")`` -> "you were charged
    twice"; with ``person="they"``, "the customer was charged twice"."""
    for pattern, replacement in _PERSONS[person]:
        issue = re.sub(pattern, replacement, issue)
    return issue[:1].lower() + issue[1:]


def order_of(text: str) -> str | None:
    """The order number given in `text`, if any."""
    found = ORDER.search(text)
    return found.group(1) if found else None


def next_step(issue: str, order: str | None) -> str:
    """What a specialist does about `issue`, in the first person, without a full stop."""
    return _steps_for(issue)[1].format(order=f"order {order}" if order else "your order")


def look_up(issue: str, order: str | None) -> str:
    """What to look up first for `issue` ("the payments taken for order 1042")."""
    return _steps_for(issue)[0].format(order=f"order {order}" if order else "the order")


def _steps_for(issue: str) -> tuple[str, str]:
    for pattern, looked_up, action in NEXT_STEPS:
        if re.search(pattern, issue, re.IGNORECASE):
            return looked_up, action
    return FALLBACK_STEP
