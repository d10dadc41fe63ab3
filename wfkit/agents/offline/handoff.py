"""The offline model in a handoff workflow: when it hands off, and how a specialist answers.

An agent in a handoff workflow is given ``handoff_to_<name>`` tools. The offline model decides
as a person skimming the request would:

1. **Whose request is it?** The words of the user's latest message are compared with what each
   participant does (its name, its description and instructions, and what the asking agent's own
   instructions say about it, "for billing issues call handoff_to_billing_agent") and with what
   the asking agent does itself. Sentences about routing ("hand off to ...") are left out of an
   agent's own words: a triage agent that *names* billing is not a billing agent. If another
   participant fits strictly better, the model says so in a sentence and calls its handoff
   tool; a tie keeps the conversation. A participant who already spoke since the user's message
   is not handed to again, so a conversation never goes round in circles.
2. **Otherwise it answers in its role**, read from its instructions ("You process refund
   requests"): a triage agent asks what the issue is about, naming its specialists; a
   specialist takes the request on (quoting an order number if there is one), reports what its
   tools returned, and thanks are answered with "You're welcome". Told to go on by itself
   (autonomous mode), it works through one more aspect of the request per turn, and hands back
   when its instructions say to return control.

The same conversation always gets the same reply. Outside a handoff workflow (no handoff tools,
no handoff in the conversation) this module stays out of the way.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ..tools import FunctionTool, ToolMode
from ..types import ChatMessage, FunctionCallContent, Role
from .customer import customer_issues, issue_words, order_of
from .reading import OfflineRequest, first_upper, join_list, prices_in, topic_words
from .support import THANKS, is_router, issues_for, noted_order, own_words, role_of, sentences, subject_of, take_on
from .tool_use import answered_tools, tool_calls_for

HANDOFF_PREFIX = "handoff_to_"
NOTICE = "I'm handing you over to {target}, who can take it from here."
_NOTICE = re.compile(r"\bhanding you over to\b")
_AUTONOMOUS = re.compile(r"(?i)did not respond|continue assisting autonomously")
_HAND_BACK = re.compile(r"(?i)return control|hand (?:it |this )?back|when (?:you are |you're )?done")
_TASK = re.compile(r"(?i)\s*(?:please\s+)?(?:perform|research|investigate|explore|analy[sz]e|study|compare|review|"
                   r"write|draft|create|build|plan|summari[sz]e|find out)\b")
_ASPECTS = (
    "what it is and the problem it solves",
    "its main building blocks and how they fit together",
    "typical ways people use it in practice",
    "its limits and the trade-offs to keep in mind",
    "how to get started with it",
)


def is_handoff_conversation(messages: list[ChatMessage], tools: list[FunctionTool]) -> bool:
    """True when the agent has handoff tools, or the conversation went through a handoff."""
    return any(t.name.startswith(HANDOFF_PREFIX) for t in tools) or any(
        m.role == Role.ASSISTANT and _NOTICE.search(m.text) for m in messages
    )


def handoff_turn(messages: list[ChatMessage], options: dict[str, Any], seed: Any = None) -> ChatMessage | None:
    """The offline model's reply in a handoff workflow, or None outside one (see the module)."""
    tools: list[FunctionTool] = list(options.get("tools") or [])
    if not is_handoff_conversation(messages, tools):
        return None
    request = OfflineRequest.read(messages, seed)
    handoffs = [t for t in tools if t.name.startswith(HANDOFF_PREFIX)]
    others = [t for t in tools if not t.name.startswith(HANDOFF_PREFIX)]
    results = [(name, result) for name, result in answered_tools(messages) if not name.startswith(HANDOFF_PREFIX)]
    if results:
        return _say(_report(results, request))
    asked, since = _last_request(messages)
    target = _hand_back(handoffs, request, since) or _best_target(handoffs, asked, request.instructions, since)
    if target is not None and options.get("tool_choice") != "none":
        digest = hashlib.sha256(f"{request.key}:{target.name}".encode()).hexdigest()[:8]
        notice = NOTICE.format(target=target.name[len(HANDOFF_PREFIX):])
        return ChatMessage(Role.ASSISTANT, [notice, FunctionCallContent(f"call_{digest}_handoff", target.name, "{}")])
    mode = options.get("tool_choice", ToolMode.AUTO)
    calls = []
    if not _AUTONOMOUS.search(request.prompt) and not THANKS.search(asked):
        # A tool already called is called again only when the user gives something new (a number, a price).
        called = {c.name for m in messages for c in m.contents if isinstance(c, FunctionCallContent)}
        fresh = [t for t in others if t.name not in called or re.search(r"\d", asked)]
        calls = tool_calls_for(fresh, mode, asked, request.instructions)
    if calls:
        return ChatMessage(Role.ASSISTANT, contents=[_with_order_number(call, asked, request.everything) for call in calls])
    return _say(_role_reply(request, asked, handoffs, since))


def _with_order_number(call: FunctionCallContent, asked: str, everything: str) -> FunctionCallContent:
    """A support tool's ``order_number`` (or ``order_id``...) is the order the user named, and its
    ``amount`` the price they named ("to be confirmed" if none)."""
    order = order_of(asked) or order_of(everything)
    arguments = json.loads(call.arguments or "{}")
    if order:
        arguments.update({key: order for key in arguments if re.search(r"(?i)(?:number|_id|^id)$", key)})
    prices = prices_in(asked) or prices_in(everything)
    for key in [key for key in arguments if re.search(r"(?i)amount|price|total|cost", key)]:
        arguments[key] = prices[0] if prices else "to be confirmed"
    return FunctionCallContent(call.call_id, call.name, json.dumps(arguments))


# --- whose request is it -------------------------------------------------------------------------


def _last_request(messages: list[ChatMessage]) -> tuple[str, list[ChatMessage]]:
    """The user's latest real message (not an autonomous-mode nudge), and what came after it."""
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if message.role == Role.USER and not _AUTONOMOUS.search(message.text):
            return message.text, messages[index + 1 :]
    return "", list(messages)


def _best_target(tools: list[FunctionTool], asked: str, instructions: str, since: list[ChatMessage]) -> FunctionTool | None:
    if not tools or not asked:
        return None
    prompt = issue_words(asked)  # "order 1234" says which order, not what the request is about
    spoke = {m.author_name for m in since if m.role == Role.ASSISTANT}
    handoffs_so_far = sum(1 for m in since if m.role == Role.ASSISTANT and _NOTICE.search(m.text))
    if handoffs_so_far >= 2 * len(tools) + 2:  # a safety net: a turn of the user never hands off forever
        return None
    # A router (a triage or coordinator agent) does not do the work itself: anything that fits
    # someone else goes to them. An agent that was just handed the request keeps it if any of it
    # is its own, unless someone else fits clearly better (the router chose it for a reason).
    mine = 0 if is_router(instructions) else len(prompt & own_words(instructions))
    if mine and any(m.role == Role.ASSISTANT and _NOTICE.search(m.text) for m in since):
        mine += 1
    best, best_key = None, (mine, -1)
    for tool in tools:
        target = tool.name[len(HANDOFF_PREFIX):]
        if target in spoke:
            continue
        about = " ".join(s for s in sentences(instructions) if tool.name in s or target in s)
        profile = topic_words(target) | own_words(getattr(tool, "target_profile", "") or "") | topic_words(about)
        if not tool.description.startswith("Handoff to the "):
            profile |= own_words(tool.description)
        matched = prompt & profile
        score = len(matched)
        latest = max((asked.lower().rfind(w) for w in matched), default=-1)
        key = (score, latest)
        if score > mine and key > best_key:
            best, best_key = tool, key
    return best


def _hand_back(tools: list[FunctionTool], request: OfflineRequest, since: list[ChatMessage]) -> FunctionTool | None:
    """Hand back when the instructions say to return control and the work is done: after one
    answer, or after three when they ask for several."""
    if not tools or not _HAND_BACK.search(request.instructions) or not _AUTONOMOUS.search(request.prompt):
        return None
    needed = 3 if re.search(r"(?i)multiple|several|at least|across", request.instructions) else 1
    mine = _my_answers(since)
    return tools[0] if len(mine) >= needed else None


def _my_answers(since: list[ChatMessage]) -> list[ChatMessage]:
    """The answers given in the current run of nudges (the agent's own: they follow the last handoff)."""
    last_notice = max((i for i, m in enumerate(since) if m.role == Role.ASSISTANT and _NOTICE.search(m.text)), default=-1)
    return [m for m in since[last_notice + 1 :] if m.role == Role.ASSISTANT and m.text]


# --- answering in one's role ---------------------------------------------------------------------


def _say(text: str) -> ChatMessage:
    return ChatMessage(Role.ASSISTANT, [text])


def _report(results: list[tuple[str, Any]], request: OfflineRequest) -> str:
    done = " ".join(_as_sentence(result) for _, result in results)
    close = request.choose(["Is there anything else I can help you with?", "Anything else I can do for you?",
                            "Let me know if there's anything else."], "handoff-close")
    return f"All set. {done} {close}"


def _as_sentence(result: Any) -> str:
    text = str(result).strip()
    return first_upper(text) + ("" if text[-1:] in ".!?" else ".")


def _role_reply(request: OfflineRequest, asked: str, handoffs: list[FunctionTool], since: list[ChatMessage]) -> str:
    if THANKS.search(asked) and not _AUTONOMOUS.search(request.prompt):
        return request.choose(["You're welcome! I'm glad we could sort this out. If anything else comes up, just "
                               "reach out.", "You're welcome! Have a great day, and reach out any time."], "thanks")
    role = role_of(request.instructions) or "help with this"
    subject = subject_of(asked)
    if re.search(r"(?i)^summari[sz]e", role):
        said = [m.text for m in since if m.role == Role.ASSISTANT and m.text and not _NOTICE.search(m.text)]
        covered = [found.group(1) for text in said for found in re.finditer(r"(?:this time|To start),? ([^.:]+)", text)]
        if covered:
            return f"Here is a short summary of {subject}: the work so far covered {join_list(covered)}."
        points = "; ".join(text.split(". ")[0].rstrip(".") for text in said[-3:]) or "nothing yet"
        return f"Here is a short summary of {subject}: {points}."
    if _AUTONOMOUS.search(request.prompt) and handoffs and is_router(request.instructions):
        helpers = join_list(sorted({m.author_name for m in since if m.role == Role.ASSISTANT and m.author_name}))
        return request.choose([f"That completes {subject}: {helpers} each took their part.",
                               f"Everything asked for on {subject} is done; {helpers} have each finished."], "done")
    if _AUTONOMOUS.search(request.prompt):
        step = len(_my_answers(since))
        aspect = _ASPECTS[min(step, len(_ASPECTS) - 1)]
        return (f"Continuing on {subject}: this time, {aspect}. I'll keep notes on what I find so the next step "
                f"builds on it.")
    noted = noted_order(asked, request.everything, subject)
    if handoffs and is_router(request.instructions):  # nobody fits yet: find out where this belongs
        names = [t.name[len(HANDOFF_PREFIX):].replace("_agent", "").replace("_", " ") for t in handoffs]
        topics = join_list(names).rsplit(" and ", 1)
        topics = " or ".join(topics)
        if request.previous_reply is not None:  # asked once already: ask more directly
            return f"Thanks.{noted} So I can pass this to the right specialist: is it about {topics}?"
        return (f"Hello! I'm happy to help with {subject}.{noted} Could you tell me a little more about what "
                f"happened, for example whether it is about {topics}?")
    opener = request.choose(["Thanks for the details.", "Thanks, I can take this on.", "Happy to help."], "opener")
    if _TASK.match(asked):  # a piece of work, not a problem to solve: start on it
        return f"{opener} I {role}, so I'll take on {subject}. To start, {_ASPECTS[0]}: I'll look at that first."
    return _take_on(request, opener, role)


def _take_on(request: OfflineRequest, opener: str, role: str) -> str:
    """A specialist takes on the issues of the customer's first message that are its own (all of
    them, if none is): what it will do, or a question for the order number it needs. Once the
    customer has answered its question, it goes straight to what it will do."""
    issues = customer_issues(request.first_prompt)
    mine = issues_for(request.instructions, issues) or issues or [request.first_prompt]
    answered = request.previous_reply is not None and not _NOTICE.search(request.previous_reply)
    said = take_on(role, mine, order_of(request.everything), introduce=not answered)
    said = f"{'Thank you.' if answered else opener} {said}"
    return said if said.endswith("?") else f"{said} Is there anything else I can help you with?"
