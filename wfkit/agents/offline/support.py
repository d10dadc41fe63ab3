"""The offline model as a support agent: who it is, what the customer is asking about, and a
reply in its role.

Support agents are given instructions such as "You handle billing: refunds, invoices and
charges." or "You are a shipping specialist." The offline model reads the role out of the
first such sentence (`role_of`), and what the customer's message is about ("your order",
`subject_of`), then answers as that agent would: it takes the request on, notes the order
number if the customer gave one, and says what happens next. A triage agent (a router: "You
triage customer messages", "You are frontline support") asks what the problem is about
instead. Thanks get "You're welcome".

When the customer's message raises issues (see `customer`), a specialist takes the ones that
are its own (`issues_for`: they share a word with its job) and says what it will do about each
(`take_on`); one called about nothing of its own says so.

It invents nothing: no amounts, no dates, no order numbers that were not in the conversation.
Handoff workflows use the same reading (`handoff`); a group chat or a Magentic team of support
agents uses `support_reply` for each agent's turn.
"""

from __future__ import annotations

import re

from .customer import customer_issues, is_customer_message, issue_words, next_step, order_of, restate
from .reading import OfflineRequest, first_upper, join_list, topic_words

# Sentences about passing work on: not what an agent does itself.
ROUTING = re.compile(r"(?i)handoff|hand(?:s|ing)? (?:it |you |this )?(?:off|over|back)|\broute|\brouting\b|transfer|"
                     r"delegat|escalat|return control|\w+_\w+")
ROUTER = re.compile(r"(?i)\b(?:coordinat\w*|triage|dispatch\w*|router|frontline|front desk|receptionist)\b")
THANKS = re.compile(r"(?i)\b(?:thanks|thank you|that's (?:all|everything)|that is all|bye|goodbye)\b")
# "You handle ...": the verbs of an agent that owns a kind of request.
_OWNS = re.compile(r"(?i)\byou (handle|process|manage|resolve|summari[sz]e|answer|deal with|help with|take care of|track)"
                   r"\s+(.+?)[.;,]?$")
_SUPPORT_VERBS = ("handle", "process", "manage", "resolve", "deal with", "take care of", "track")


def sentences(text: str) -> list[str]:
    """The sentences (and lines) of `text`."""
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def role_of(instructions: str) -> str | None:
    """What the agent does, as "I ..." would go on: "handle billing", "work as a research
    specialist"; None when the instructions do not say."""
    for sentence in sentences(instructions):
        if ROUTING.search(sentence):
            continue
        does = _OWNS.search(sentence)
        if does:
            return f"{does.group(1).lower()} {_clause(does.group(2))}"
        role = re.search(r"(?i)\byou(?:'re| are)\s+(?:an?\s+|the\s+)?(.+?)[.;,]?$", sentence)
        if role:
            return f"work as {_article(_clause(role.group(1)))}"
    return None


def own_words(profile: str) -> set[str]:
    """What a profile (instructions, a description) says the agent does itself: its sentences
    about routing are left out, so a triage agent that *names* billing is no billing agent."""
    return topic_words(" ".join(s for s in sentences(profile) if not ROUTING.search(s)))


def issues_for(profile: str, issues: list[str]) -> list[str]:
    """The customer's `issues` that share a word with what `profile` says the agent does."""
    mine = own_words(profile)
    return [issue for issue in issues if issue_words(issue) & mine]


def take_on(role: str, issues: list[str], order: str | None, *, introduce: bool = True) -> str:
    """A specialist takes `issues` on: which they are (unless it has said so already, `introduce`),
    then what it will do about each, or, with no order number to look things up by, a question."""
    said = [f"I {role}, so {'these are' if len(issues) > 1 else 'this part is'} mine: "
            f"{join_list([restate(issue) for issue in issues])}."] if introduce else []
    if order is None:
        return " ".join([*said, "Could you give me the order number, so I can look it up?"])
    return " ".join([*said, *(f"{first_upper(next_step(issue, order))}." for issue in issues)])


def is_router(instructions: str) -> bool:
    """True when the agent's first sentences make it a triage or coordinator agent."""
    return ROUTER.search(" ".join(sentences(instructions)[:2])) is not None


def subject_of(asked: str) -> str:
    """What the customer's message is about, as the agent would say it back: "your order"."""
    found = re.search(r"(?i)\b(?:with|about|regarding|on|for)\s+(my|our|the|a|an)?\s*([^.!?,;]+)", asked)
    if not found or len(found.group(2).split()) > 6:
        return "this request"
    owner = {"my": "your ", "our": "your "}.get((found.group(1) or "").lower(), "")
    return owner + found.group(2).strip()


def noted_order(asked: str, everything: str, subject: str) -> str:
    """" I've noted order 1042." when the customer named an order (in this message, else earlier)
    that the reply does not already name in its `subject`; "" otherwise."""
    order = order_of(asked) or order_of(everything)
    return f" I've noted order {order}." if order and order not in subject else ""


def support_reply(request: OfflineRequest) -> str | None:
    """A support agent's reply to the customer's latest message, or None if the instructions
    make it no support agent (no "You handle ..." / "You triage ..." sentence)."""
    instructions, asked = request.instructions, request.prompt
    role = role_of(instructions)
    owns = role is not None and role.startswith(_SUPPORT_VERBS)
    if not owns and not is_router(instructions):
        return None
    if THANKS.search(asked):
        return "You're welcome! If anything else comes up, just reach out."
    subject = subject_of(asked)
    noted = noted_order(asked, request.everything, subject)
    if not owns:  # a triage agent: find out what kind of problem it is
        return (f"Hello! I'm happy to help with {subject}.{noted} So the right person picks it up: is it about a "
                "payment, a delivery, or something else?")
    issues = customer_issues(request.first_prompt) if is_customer_message(request.first_prompt) else []
    if issues:
        mine = issues_for(instructions, issues)
        if not mine:
            return f"I {role}, and nothing in this message is mine, so I'll leave it to the others."
        reviewer = re.search(r"(?i)as the reviewer asked,\s*([^.]+)", asked)  # a step a plan's reviewer added
        extra = f" And, as the plan's reviewer asked, I'll {reviewer.group(1).strip()}." if reviewer else ""
        return take_on(role, mine, order_of(request.everything)) + extra
    opener = request.choose(["Thanks for the details.", "Thanks, I can take this on.", "Happy to help."], "opener")
    return (f"{opener} I {role}, so I'll take care of {subject} for you.{noted} I'll look into it now and "
            "confirm once it's sorted.")


def _clause(text: str) -> str:
    return re.split(r"(?i)\s+(?:that|who|which|and ask|and help|using)\b|[.;:]", text.strip())[0].strip()


def _article(noun: str) -> str:
    if re.match(r"(?i)(?:the|a|an|our|your)\b", noun):
        return noun
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun
