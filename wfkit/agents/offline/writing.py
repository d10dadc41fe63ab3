"""What the offline model writes: it recognises the task, then fills a matching template.

Tasks, in the order they are recognised:

- a **revision**: feedback follows an earlier draft -> the draft with the feedback applied;
- a **review**: the instructions make the agent a reviewer, or the prompt says "Review..." ->
  "Approved. ..." or "Needs changes:" with concrete issues;
- **release notes** or a product announcement -> a few sentences built from the brief's
  product, features, price and call to action;
- a **summary** -> the most telling sentences of the text;
- an **article** (blog post, essay...) on a topic -> a title and paragraphs, about the length asked;
- anything else -> a short, helpful, structured answer about the question's subject.

Wording varies with a hash of the conversation (`OfflineRequest.choose`), so different
inputs read differently while the same input always gets the same text.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable

from .reading import (
    BriefFacts,
    OfflineRequest,
    as_sentence,
    brief_text,
    content_words,
    count_words,
    first_lower,
    first_upper,
    join_list,
    labelled,
    read_brief,
    requested_sentences,
    requested_words,
    split_sentences,
    with_article,
)
from .reviewing import write_review
from .revising import revise

REVISION_WORDS = (
    r"\b(?:revis\w*|rewrit\w*|re-?draft\w*|improv\w*|polish\w*|incorporat\w*|regenerat\w*|refin\w*|"
    r"tighten\w*|edit (?:the|this|it)|update the (?:draft|copy|text|note))"
)
FEEDBACK_LABELS = ("human guidance", "guidance", "feedback", "reviewer feedback", "review feedback", "comments",
                   "changes requested", "requested changes", "edit instructions")
DRAFT_LABELS = ("previous draft", "current draft", "original draft", "draft", "previous version", "original")
_BOILERPLATE = re.compile(
    r"(?i)^(?:(?:please\s+)?(?:revise|rewrite|improve|edit|update|polish|refine)\b"
    r"(?!.*\b(?:more|less|shorter|longer)\b)"
    r"|(?:return|respond|reply|output|answer)\b.*\bonly\b|(?:please\s+)?incorporate the feedback)"
)


def recognise_task(request: OfflineRequest) -> str:
    """The name of the task the conversation asks for (see the module docstring)."""
    if _instructions_make_a_reviewer(request.instructions):
        return "review"
    if find_revision(request) is not None:
        return "revision"
    if re.match(r"(?i)\s*(?:please\s+)?(?:review|critique|evaluate|assess|proofread|grade)\b", request.prompt):
        return "review"
    if request.asks(r"release notes|launch (?:note|post|announcement)|announc|changelog|what's new|press release"
                    r"|\blaunch(?:es|ing)?\b|introduc(?:e|es|ing) (?:our|the|a)\b"):
        return "release_notes"
    if request.asks(r"\bsummar|tl;?dr|key (?:points|takeaways)|\bcondense|\brecap\b", in_instructions=False):
        return "summary"
    if request.asks(r"\b(?:article|blog(?: post)?|essay|post|story|newsletter|piece)\b"):
        return "article"
    return "answer"


def _instructions_make_a_reviewer(instructions: str) -> bool:
    return bool(
        re.search(r"(?i)\byou(?:'re| are)?\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:review(?:er)?|critic|editor|"
                  r"evaluator|judge|grader)\b", instructions)
        or re.match(r"(?i)\s*(?:review|critique|evaluate|assess)\b", instructions)
    )


def find_revision(request: OfflineRequest) -> tuple[str, str] | None:
    """(previous draft, feedback) if the conversation asks to revise a draft, else None."""
    text = request.follow_up
    draft = labelled(text, *DRAFT_LABELS)
    instructions = text
    if draft is None:
        # "Improve the following draft:\n\n<draft>\n\nMake it clearer." - the draft sits between.
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
        if len(paragraphs) >= 2 and paragraphs[0].endswith(":") and re.search(REVISION_WORDS, paragraphs[0], re.I):
            tail = paragraphs[-1:] if len(paragraphs) >= 3 else []
            draft = "\n\n".join(paragraphs[1 : len(paragraphs) - len(tail)])
            instructions = "\n\n".join([paragraphs[0], *tail])
    if draft is None:
        draft = request.previous_reply
    if not draft or not text.strip():
        return None
    feedback = labelled(text, *FEEDBACK_LABELS)
    if feedback is None:
        asked = [s for s in split_sentences(instructions.replace(draft, " ")) if not _BOILERPLATE.match(s)]
        feedback = " ".join(asked)
    signalled = re.search(REVISION_WORDS, text, re.I) or labelled(text, *FEEDBACK_LABELS)
    # A plain follow-up such as "Make it shorter" is feedback too, unless it asks a new question
    # or for a new task.
    new_task = re.search(r"(?i)\bsummar|\breview\b|\bwrite (?:a|an)\b", text) or text.rstrip().endswith("?")
    follow_up_edit = request.previous_reply and not new_task
    if not (signalled or follow_up_edit):
        return None
    return draft, feedback


# --- the writers ------------------------------------------------------------------------------


def write_reply(request: OfflineRequest) -> str:
    """The offline model's whole reply to `request`."""
    writers: dict[str, Callable[[OfflineRequest, BriefFacts], str]] = {
        "revision": write_revision,
        "review": write_review,
        "release_notes": write_release_notes,
        "summary": write_summary,
        "article": write_article,
        "answer": write_answer,
    }
    facts = read_brief(brief_text(request.first_prompt))
    return writers[recognise_task(request)](request, facts)


def write_revision(request: OfflineRequest, facts: BriefFacts) -> str:
    found = find_revision(request)
    assert found is not None
    draft, feedback = found
    if not feedback.strip():
        feedback = "Make it clearer and more engaging."
    return revise(draft, feedback, facts, request)


def write_release_notes(request: OfflineRequest, facts: BriefFacts) -> str:
    """Release notes from the brief: the product and what it does, what it has, the price, and a
    call to action last; merged into fewer sentences when the prompt asks for a number."""
    say = request.choose
    opener = say(["Meet", "Say hello to", "Introducing", "Here's"], "opener")
    product = facts.product_phrase
    first = f"{opener} {product}"
    does = join_list([first_lower(d) for d in facts.does])
    has = join_list([with_article(first_lower(h)) for h in facts.has])
    price_sentence = say(["It's yours for {p}.", "All this for just {p}.", "Available now for {p}."], "price")
    sentences = [as_sentence(first + (f": it {does}" if does else ""))]
    if has:
        has_sentence = say(["It comes with {x}.", "You also get {x}.", "On top of that, there's {x}."], "has")
        sentences.append(has_sentence.format(x=has))
    if facts.price:
        sentences.append(price_sentence.format(p=facts.price))
    limit = requested_sentences(request.prompt)
    if limit is not None and len(sentences) >= limit:
        # Too many for the sentences asked: one sentence of clauses, then the call to action.
        merged = first + (f": it {does}" if does else "")
        if has:
            merged += f" and comes with {has}" if does else f", with {has}"
        if facts.price:
            merged += f", all for {facts.price}"
        sentences = [as_sentence(merged)]
    elif request.asks(r"\bwarm|friendly|human"):
        sentences.insert(0, say(["Good news!", "We have something new for you.", "This one's for you."], "warm"))
    cta = facts.call_to_action or say(["Try it today and tell us what you think!", "Give it a try today!",
                                       "Check it out today!"], "cta")
    return " ".join([*sentences, cta])


def write_summary(request: OfflineRequest, facts: BriefFacts) -> str:
    """The source's most telling sentences (scored by how often their words recur), in order."""
    source = _text_to_summarise(request)
    sentences = split_sentences(source)
    bullets = request.asks(r"bullet|key points|takeaways|\blist\b", in_instructions=False)
    limit = requested_sentences(request.prompt) or (3 if bullets else 2)
    if len(sentences) <= limit:
        chosen = [re.sub(r"\s*\([^)]*\)", "", s) for s in sentences] or ["There is nothing to summarise yet."]
        chosen[0] = "In short: " + first_lower(chosen[0])
    else:
        frequency = Counter(w for s in sentences for w in content_words(s))
        # A sentence scores by how common its words are in the text, a little less when it is long.
        def score(i: int) -> float:
            words = content_words(sentences[i])
            return sum(frequency[w] for w in words) / (1 + count_words(sentences[i]) ** 0.5)

        best = sorted(range(len(sentences)), key=lambda i: (-score(i), i))[:limit]
        chosen = [sentences[i] for i in sorted(best)]
    if bullets:
        return "\n".join(f"- {s}" for s in chosen)
    return " ".join(chosen)


def _text_to_summarise(request: OfflineRequest) -> str:
    found = labelled(request.prompt, "text", "article", "document", "content", "input", "transcript", "notes")
    if found:
        return found
    paragraphs = [p for p in re.split(r"\n\s*\n", request.prompt.strip()) if p.strip()]
    if len(paragraphs) > 1:
        # A title line is not a sentence to pick: leave it out.
        return "\n\n".join(p for p in paragraphs[1:] if p.rstrip()[-1:] in ".!?\"'" or count_words(p) > 14)
    head, colon, rest = request.prompt.partition(":")
    if colon and count_words(rest) > count_words(head):
        return rest
    return request.previous_reply or request.prompt


def write_article(request: OfflineRequest, facts: BriefFacts) -> str:
    """A title and paragraphs about the topic, trimmed to about the number of words asked for."""
    topic = find_topic(request)
    say = request.choose
    paragraphs = [
        [say(["{T} shows up in more places than most people expect.",
              "Few subjects reward a closer look as much as {t}.",
              "If you have ever wondered how {t} really works, you are in good company."], "p1"),
         say(["This article walks through what it is, why it matters and how to get started.",
              "Here is a clear, practical tour of the essentials.",
              "Below, we look at the big ideas, a few common mistakes and some next steps."], "p2")],
        [say(["The first thing to know is that {t} is less about memorising facts than about a few core ideas.",
              "At its core, {t} comes down to a handful of principles that are easy to state and rewarding "
              "to apply."], "p3"),
         say(["Once those ideas click, the details start to make sense on their own.",
              "Those principles turn up again and again, which is why they are worth learning well."], "p4"),
         "Experts and beginners alike return to them whenever something new or puzzling comes up."],
        [say(["A good way to begin is to pick one small, concrete example of {t} and study it closely.",
              "The fastest progress comes from practice: try things, notice what happens, and adjust."], "p5"),
         say(["Examples make {t} far easier to grasp than definitions alone.",
              "Keep notes as you go; patterns you miss at first become obvious on a second look."], "p6"),
         "Talking it through with someone else is another quick way to find the gaps in your understanding."],
        [say(["One common mistake is to treat {t} as a single idea rather than a set of connected ones.",
              "It is easy to rush past the basics, only to find later that everything else depends on them."], "p7"),
         "A second trap is waiting until everything feels clear before trying anything; clarity usually comes "
         "from doing."],
        [say(["Consider a simple scenario.", "Picture a newcomer getting started."], "p9"),
         "Someone new to {t} sets aside twenty minutes a day for a month, one small question at a time.",
         "By the end, the vocabulary is familiar, the big picture holds together, and harder material feels "
         "within reach."],
        ["Looking ahead, {t} will keep changing, and that is part of what makes it interesting.",
         "New tools and ideas arrive every year, yet they tend to build on the same foundations.",
         "Anyone who understands those foundations will find each new development easier to follow."],
        [say(["In the end, {t} rewards curiosity: the more you explore it, the more useful it becomes.",
              "Start small, stay curious, and {t} will soon feel familiar rather than foreign."], "p8")],
    ]
    budget = requested_words(request.prompt) or 180
    # Drop the later sentences of the middle paragraphs, then whole middle paragraphs, until it fits.
    while sum(count_words(s) for p in paragraphs for s in p) > budget * 1.1 and len(paragraphs) > 2:
        longest = max(paragraphs[1:-1], key=len)
        if len(longest) > 1:
            longest.pop()
        else:
            paragraphs.remove(longest)
    title = say(["{T}: What You Need to Know", "A Practical Introduction to {T}", "Why {T} Matters",
                 "{T}, Explained"], "title")
    fill = {"t": topic, "T": first_upper(topic)}
    body = "\n\n".join(" ".join(s.format(**fill) for s in p) for p in paragraphs)
    return f"{_title_case(title.format(**fill))}\n\n{body}"


def find_topic(request: OfflineRequest) -> str:
    """The subject of the prompt: after "about" / "on", or a ``Topic:`` label, or its first words."""
    found = labelled(request.prompt, "topic", "subject")
    if not found:
        # The topic ends at the sentence's end, at ", in/with/for ...", or where a length is asked
        # ("in 200 words", ", 200 words", "(about 200 words)").
        match = re.search(r"(?i)\b(?:about|on|regarding|covering|titled|of)\s+(?:the (?:topic|subject) of\s+)?[\"']?"
                          r"(.+?)[\"']?(?:[.!?](?:\s|$)|\n|,\s*(?:in|with|for|using|aimed)\b|\s+in \d+"
                          r"|\s*[,(]?\s*(?:(?:about|around|roughly|under|at most)\s+)?\d+[ -]words?\b|$)",
                          request.prompt)
        found = match.group(1) if match else None
    if not found:
        words = re.sub(r"(?i)^\s*(?:please\s+)?(?:write|draft|create|compose)\s+(?:an?\s+)?", "", request.prompt)
        found = " ".join(words.split()[:6])
    return found.strip(" .\"'") or "this topic"


def _title_case(text: str) -> str:
    small = {"a", "an", "and", "the", "of", "to", "in", "on", "for", "or", "with", "at", "by"}
    words = text.split(" ")
    return " ".join(w if (i and w.lower() in small) or w[:1].isupper() else first_upper(w) for i, w in enumerate(words))


def write_answer(request: OfflineRequest, facts: BriefFacts) -> str:
    """A short, structured answer about the question's subject."""
    question = request.prompt.strip() or "your question"
    subject = subject_of(question)
    say = request.choose
    concise = request.asks(r"\bconcise|\bbrief\b|\bshort\b|one (?:line|sentence)")
    if re.match(r"(?i)\s*how\b", question):
        if concise:
            return (f"To {subject}, start with the simplest version that works, then add one step at a time, "
                    "checking each before the next.")
        lead = say([f"Here is a simple way to {subject}:", f"A practical path to {subject} looks like this:"],
                   "lead-how")
        points = ["Start with the simplest version that works, even if it is rough.",
                  "Add one step at a time, and check each step before the next.",
                  "Look back at what worked, then repeat with something slightly harder."]
    else:
        if concise:
            return (f"{first_upper(subject)} matters because the better you understand it, the easier related "
                    "decisions become, and what you learn carries over to everyday work and life.")
        lead = say([f"In short, {subject} is worth your attention, for three reasons:",
                    f"{first_upper(subject)} matters for a few reasons:",
                    f"Good question. Here is why {subject} matters:"], "lead")
        points = [f"It builds understanding: the better you know {subject}, the easier related decisions become.",
                  "It is practical: what you learn carries over to everyday work and life.",
                  "It keeps paying off: the basics come quickly, and there is more depth whenever you want it."]
    listed = "\n".join(f"{i}. {point}" for i, point in enumerate(points, 1))
    close = say(["Want me to go deeper on any of these?", "Happy to expand on any point.",
                 "Tell me which point you would like to explore next."], "close")
    return f"{lead}\n\n{listed}\n\n{close}"


def subject_of(question: str) -> str:
    """What a question is about, in at most eight words ("learning programming")."""
    text = question.strip().rstrip("?.! ")
    text = re.sub(
        r"(?i)^(?:(?:can|could|would) you\s+|please\s+)?(?:tell me (?:about|why)|explain(?: why| how)?|describe|"
        r"what (?:is|are)(?: the)?(?: importance| benefits?| value| role| point)?(?: of)?|"
        r"why (?:is|are|should \w+|do \w+)|"
        r"how (?:do|can|should|does) (?:i|we|you|one)|how to|give me|write)\s+",
        "",
        text,
    )
    words = text.split()[:8]
    # Cut short, a subject must not end mid-phrase ("reading files on"): drop the dangling small words.
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    return " ".join(words) or "this"


_DANGLING = {"a", "an", "the", "and", "or", "of", "on", "to", "in", "for", "with", "at", "by", "from", "into"}
