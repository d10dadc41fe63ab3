"""The offline model on a support desk: a customer's message, who handles which part, what they do.

A customer writes in the first person about what went wrong: "I was charged twice for order
1042, and the parcel still hasn't arrived." A support team splits such a message into its issues
and gives each one to the person whose job it is. The offline model does the same, by plain word
matching, as a person skimming the message would:

- `customer_issues` cuts the message into its issues, one clause each, in the order raised, and
  `restate` says one back in the second person ("you were charged twice for order 1042") or the
  third ("the customer was charged twice ...");
- `topic_words` gives the words that say what a text is about, `own_words` what an agent does
  (its description or instructions, without its sentences about routing), and `issues_for` the
  issues that share a word with an agent's job: "charged" meets "charges", "parcel" meets "parcels";
- `desk_reply` is an agent's turn on such a message: a triage agent (`is_router`) greets the
  customer, names the issues and brings in the specialists; a specialist takes the issues that
  are its own and says what it will do about each (`next_step`: check the payments, ask the
  carrier...). It invents no facts: it only restates what the customer said;
- `desk_team`, `desk_facts`, `desk_plan` and `desk_summary` are what a manager (a group chat's
  or a Magentic one) makes of the message: triage first, then the specialist of each issue in the
  order the customer raised them (a specialist with no issue is not called), and a reply to the
  customer built from what the specialists said.

The offline agents of a handoff workflow (`handoff`) use the same words to decide whom to pass
a customer to.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..types import ChatMessage, Role
from .reading import content_words, first_upper, join_list, split_sentences
from .team import Member

ORDER_NUMBER = re.compile(r"(?i)\b(?:order|ticket|case|invoice)\s*(?:number\s*)?#?\s*(\d{3,})")
_NUMBERED = re.compile(r"(?i)\b[a-z]+\s*(?:number\s*)?#?\s*\d{2,}")
# Words too common in support conversations to say whose issue it is.
GENERIC_WORDS = {
    "agent", "agents", "user", "users", "customer", "customers", "help", "helps", "handle", "handles", "request",
    "requests", "issue", "issues", "question", "questions", "inquiry", "inquiries", "need", "needs", "want", "like",
    "please", "specialist", "specialists", "support", "assist", "assistance", "message", "response", "respond",
    "provide", "appropriate", "based", "problem", "concise", "friendly", "clear", "helpful", "details", "tool",
    "call", "task", "tasks", "hello", "recent", "know", "still", "sort", "thanks", "thank", "soon", "asap",
}
# A sentence about passing work on, not about doing it: "Route billing questions to billing."
ROUTING = re.compile(r"(?i)handoff|hand(?:s|ing)? (?:it |you |this )?(?:off|over|back)|\broute|\brouting\b|transfer|"
                     r"delegat|escalat|return control|\w+_\w+")
# Words that make an agent a router: it finds out whose a request is, and does not do the work.
ROUTER = re.compile(r"(?i)\b(?:coordinat\w*|triage|dispatch\w*|router|frontline|front desk|receptionist|greets?)\b")
_ROLE = re.compile(r"(?i)\byou (handle|process|manage|resolve|summari[sz]e|answer|deal with|help with|take care of|track)"
                   r"\s+(.+?)[.;,]?$")
_CUSTOMER = re.compile(r"(?i)^\s*(?:(?:hi|hello|hey|good (?:morning|afternoon|evening))(?: there)?[,!.]*\s*)?"
                       r"(?:i|my|i'm|i've|i'd|we|our|we've|we're)\b")
_A_TASK = re.compile(r"(?i)\b(?:write|draft|compare|estimate|research|summari[sz]e|explain|blog|article|essay|report on)\b")
_GREETING = re.compile(r"(?i)^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening))(?: there)?[,!.]*\s*")
# Where one issue ends and the next begins: "..., and the parcel still hasn't arrived".
_NEXT_ISSUE = re.compile(r"(?i),?\s+(?:and|but|also|plus)\s+(?=(?:the|my|it|i|i'm|i've|now|there|they|we|our|its)\b)|;\s*")

# What a desk does about an issue, by what it is about: (words, what to look up, what it will do).
# `{order}` is "order 1042", or "your order" when the customer gave no number.
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

# First person -> second ("you") or third ("they") person, longest forms first.
_PERSONS = {
    "you": ((r"\bI am\b|\bI'm\b", "you're"), (r"\bI've\b", "you've"), (r"\bI'd\b", "you'd"), (r"\bI was\b", "you were"),
            (r"\bI\b", "you"), (r"(?i)\bmy\b", "your"), (r"(?i)\bme\b", "you"), (r"(?i)\bmyself\b", "yourself")),
    "they": ((r"\bI am\b|\bI'm\b", "the customer is"), (r"\bI've\b", "the customer has"), (r"\bI'd\b", "the customer would"),
             (r"\bI\b", "the customer"), (r"(?i)\bmy\b", "their"), (r"(?i)\bme\b", "them"), (r"(?i)\bmyself\b", "themselves")),
}
_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five"}


# --- words ---------------------------------------------------------------------------------------


def stem(word: str) -> str:
    """A word without its ending, so that "charged", "charges" and "charge" meet, and "deliveries"
    meets "delivery" and "delivered"."""
    if word.endswith("ies") and len(word) > 5:
        word = word[:-3] + "y"
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            word = word[: -len(ending)]
            break
    else:
        if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            word = word[:-1]
    if len(word) > 4 and word[-1] in "ey":
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiou":  # "shipp" -> "ship"
        word = word[:-1]
    return word


def topic_words(text: str) -> set[str]:
    """The stemmed words that say what `text` is about (common support words left out)."""
    spaced = text.replace("_", " ").replace("/", " ")
    return {stem(w) for w in content_words(spaced) if w not in GENERIC_WORDS} - {stem(w) for w in GENERIC_WORDS}


def issue_words(text: str) -> set[str]:
    """`topic_words` of what a customer wrote, without order numbers: "order 1042" says which
    order, not what the message is about."""
    return topic_words(_NUMBERED.sub(" ", text))


def sentences(text: str) -> list[str]:
    """`text` cut at sentence ends and line breaks."""
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def own_words(text: str) -> set[str]:
    """What a profile (a description, instructions) says an agent does itself: its sentences about
    routing are left out, so a triage agent that *names* billing is no billing agent."""
    return topic_words(" ".join(s for s in sentences(text) if not ROUTING.search(s)))


# --- agents --------------------------------------------------------------------------------------


def is_router(profile: str) -> bool:
    """True when the first sentences of `profile` make the agent a triage or coordinator agent."""
    return ROUTER.search(" ".join(sentences(profile)[:2])) is not None


def role_of(instructions: str) -> str:
    """What the agent does, from its instructions, as a verb phrase: "handle billing",
    "process refund requests", "work as a research specialist"."""
    for sentence in sentences(instructions):
        if ROUTING.search(sentence):
            continue
        does = _ROLE.search(sentence)
        if does:
            return f"{does.group(1).lower()} {_clause(does.group(2))}"
        role = re.search(r"(?i)\byou(?:'re| are)\s+(?:an?\s+|the\s+)?(.+?)[.;,]?$", sentence)
        if role:
            return f"work as {_article(_clause(role.group(1)))}"
    return "help with this"


def has_desk_job(instructions: str) -> bool:
    """True when the instructions give the agent a desk job: routing, or handling something."""
    return is_router(instructions) or any(_ROLE.search(s) for s in sentences(instructions) if not ROUTING.search(s))


def _clause(text: str) -> str:
    return re.split(r"(?i)\s+(?:that|who|which|and ask|and help|using)\b|[.;:]", text.strip())[0].strip()


def _article(noun: str) -> str:
    if re.match(r"(?i)(?:the|a|an|our|your)\b", noun):
        return noun
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


# --- the customer's message ----------------------------------------------------------------------


def is_customer_message(text: str) -> bool:
    """True when `text` reads as a customer telling a desk what went wrong: it starts in the first
    person (after a greeting) and asks for no piece of writing or research."""
    return bool(text.strip()) and _CUSTOMER.match(text) is not None and _A_TASK.search(text) is None


def customer_issues(text: str) -> list[str]:
    """The issues of a customer's message, one clause each, as written, in the order raised.
    Pleasantries ("Can you help?") are no issue."""
    issues = []
    for sentence in split_sentences(_GREETING.sub("", text.strip())):
        for clause in _NEXT_ISSUE.split(sentence.strip().rstrip(".!?")):
            clause = re.sub(r"(?i),?\s*please$", "", clause.strip(" ,")).strip(" ,")
            if clause and issue_words(clause):
                issues.append(clause)
    return issues


def restate(issue: str, person: str = "you") -> str:
    """The customer's words said back: ``restate("I was charged twice")`` -> "you were charged
    twice"; ``person="they"`` -> "the customer was charged twice"."""
    for pattern, replacement in _PERSONS[person]:
        issue = re.sub(pattern, replacement, issue)
    return issue[:1].lower() + issue[1:]


def issues_for(profile: str, issues: Sequence[str]) -> list[str]:
    """The `issues` that share a word with what `profile` says the agent does."""
    mine = own_words(profile)
    return [issue for issue in issues if issue_words(issue) & mine]


def order_of(text: str) -> str | None:
    """The order number the customer gave in `text`, if any."""
    found = ORDER_NUMBER.search(text)
    return found.group(1) if found else None


def next_step(issue: str, order: str | None) -> str:
    """What a specialist does about `issue`, as a sentence in the first person (no full stop)."""
    return _step_for(issue)[1].format(order=f"order {order}" if order else "your order")


def _step_for(issue: str) -> tuple[str, str]:
    for pattern, look_up, action in NEXT_STEPS:
        if re.search(pattern, issue, re.IGNORECASE):
            return look_up, action
    return FALLBACK_STEP


def customer_text(messages: Sequence[ChatMessage]) -> str:
    """The customer's first message in a conversation (a manager's instructions do not count)."""
    return next((m.text for m in messages if m.role == Role.USER and m.text.strip()
                 and not (m.author_name or "").startswith("magentic")), "")


# --- an agent's turn -----------------------------------------------------------------------------


def desk_reply(messages: Sequence[ChatMessage], instructions: str, instruction: str = "") -> str | None:
    """A desk agent's turn on a customer's message (see the module), or None when the conversation
    is no customer's message or the agent has no desk job. `instruction` is a manager's request to
    this agent, if any; a step a plan reviewer added to it is taken up."""
    task = customer_text(messages)
    if not is_customer_message(task) or not has_desk_job(instructions):
        return None
    issues = customer_issues(task)
    order = order_of(" ".join(m.text for m in messages if m.role == Role.USER))
    if is_router(instructions):
        return _greeting(issues, order)
    teammates = [m.author_name for m in messages if m.role == Role.ASSISTANT and m.author_name
                 and not m.author_name.startswith("magentic") and m.text.strip()]
    thanks = f"Thanks, {teammates[-1]}. " if teammates else ""
    role = role_of(instructions)
    mine = issues_for(instructions, issues)
    if not mine:
        return f"{thanks}I {role}, and nothing in this message is mine, so I'll leave it to the others."
    said = [f"{thanks}I {role}, so {'these are' if len(mine) > 1 else 'this part is'} mine: "
            f"{join_list([restate(issue) for issue in mine])}."]
    said += [f"{first_upper(next_step(issue, order))}." for issue in mine]
    asked = re.search(r"(?i)as the reviewer asked,\s*([^.]+)", instruction)
    if asked:
        said.append(f"And, as the plan's reviewer asked, I'll {asked.group(1).strip()}.")
    said.append("I'll email you as soon as it's done.")
    return " ".join(said)


def _greeting(issues: list[str], order: str | None) -> str:
    noted = f" I've noted order {order}." if order else ""
    said = [restate(issue) for issue in issues]
    if len(said) > 1:
        listed = f" I see {_NUMBERS.get(len(said), len(said))} things here: {join_list(said)}."
        return f"Hello, and thank you for getting in touch.{noted}{listed} I'll bring in the right specialist for each."
    listed = f" I see: {said[0]}." if said else ""
    return f"Hello, and thank you for getting in touch.{noted}{listed} I'll bring in the right specialist for it."


# --- what a manager makes of it ------------------------------------------------------------------


def desk_team(team: Sequence[Member], task: str) -> list[tuple[Member, list[str]]]:
    """The members a manager calls on for a customer's message, each with its issues: the routers
    first, then each specialist in the order the customer raised its first issue. A specialist
    with no issue is left out; if no specialist has one, everyone is called, in the team's order."""
    issues = customer_issues(task)
    routers = [(member, []) for member in team if is_router(f"{member.name}. {member.description}")]
    specialists = [(member, issues_for(member.description or member.name, issues)) for member in team
                   if not is_router(f"{member.name}. {member.description}")]
    matched = sorted((pair for pair in specialists if pair[1]), key=lambda pair: issues.index(pair[1][0]))
    return [*routers, *(matched or specialists)]  # type: ignore[list-item]


def desk_facts(task: str) -> str:
    """A Magentic manager's fact sheet for a customer's message."""
    issues = customer_issues(task)
    order = order_of(task)
    where = f"order {order}" if order else "the order"
    lines = ["Given in the task:", *([f"- Order {order}."] if order else [])]
    lines += [f"- {first_upper(restate(issue, 'they'))}." for issue in issues]
    lookups = list(dict.fromkeys(_step_for(issue)[0].format(order=where) for issue in issues))
    lines += ["", "To look up:", *(f"- {first_upper(item)}." for item in lookups)]
    lines += ["", "To work out:", "- Who on the team takes each issue, and what we tell the customer."]
    lines += ["", "Assumptions:", "- What the customer says happened is right until the records show otherwise."]
    return "\n".join(lines)


def desk_plan(task: str, team: Sequence[Member], feedback: str = "") -> str:
    """A Magentic manager's plan for a customer's message: one step per member `desk_team` calls
    on, and a step for a plan reviewer's `feedback`, given to the member it names or whose job it
    fits best (else the last one)."""
    called = desk_team(team, task)
    steps = []
    for member, issues in called:
        if not issues:
            steps.append(f"- {member.name}: greet the customer and say who takes each issue (as the one who {member.duty()}).")
        else:
            work = join_list([f"sort out that {restate(issue, 'they')}" for issue in issues])
            steps.append(f"- {member.name}: {work} (as the one who {member.duty()}).")
    if feedback.strip() and called:
        asked = re.sub(r"(?i)^please\s+", "", feedback.strip().rstrip(".!"))
        owner = _owner_of(asked, [member for member, _ in called])
        steps.append(f"- {owner.name}: as the reviewer asked, {asked[:1].lower() + asked[1:]}.")
    return "\n".join(steps)


def _owner_of(feedback: str, members: Sequence[Member]) -> Member:
    named = [m for m in members if re.search(rf"(?i)\b{re.escape(m.name)}\b", feedback)]
    if named:
        return named[0]
    wanted = topic_words(feedback)
    best = max(members, key=lambda m: len(wanted & own_words(m.description or m.name)))
    return best if wanted & own_words(best.description or best.name) else members[-1]


def desk_summary(said: Sequence[tuple[str, str]], task: str) -> str:
    """The reply to the customer a manager writes once the desk has spoken: what each specialist
    will do, in their own words, credited."""
    order = order_of(task)
    about = f" about order {order}" if order else ""
    steps = [(speaker, _promise(text)) for speaker, text in said]
    steps = [(speaker, promise) for speaker, promise in steps if promise]
    if not steps:
        return f"Hello, and thank you for your patience. We have your message{about} and will get back to you."
    lines = [f"Hello, and thank you for your patience. Here is what we are doing{about}:"]
    lines += [f"- {speaker}: {promise}" for speaker, promise in steps]
    lines.append("You'll get an email as each one is done.")
    return "\n".join(lines)


def _promise(text: str) -> str:
    """What a specialist said it will do: its sentences "I'll ..." (not "I'll leave it ...",
    "I'll bring in ...", "I'll email you ...")."""
    found = [s for s in split_sentences(text) if re.match(r"(?i)(?:and, .*?, )?i'll\b", s)
             and not re.search(r"(?i)\bI'll (?:leave|bring in|email you)\b", s)]
    return " ".join(found)
