"""How the offline model reviews a draft: approve it, or list concrete issues.

A reviewer checks what its instructions ask it to check. The checks come in aspects, the ones
an editor runs on short marketing copy:

- **price**: does the draft give a price, one price, the brief's price, and only once?
- **tone**: no pile of exclamation marks, no hype words, no shouting, nothing rude or pushy;
- **length**: within the word limit (the instructions', the brief's, or a default), the number
  of sentences asked for, no sentence that runs on;
- **completeness**: does it name the product, and end with a call to action when one is wanted?

"You are a reviewer who checks tone" runs the tone checks only, so three reviewers with three
jobs give three different verdicts on one draft. Instructions that name no aspect ("You are an
editor") get every check.

The reply starts with "Approved" or "Needs changes", so code can tell the two apart (only an
approval contains the word "approve").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable

from .draft import is_call_to_action
from .reading import (
    BriefFacts,
    OfflineRequest,
    brief_text,
    count_words,
    join_list,
    labelled,
    prices_in,
    read_brief,
    requested_sentences,
    requested_words,
    same_price,
    split_sentences,
)

LONG_DRAFT_WORDS = 220  # the default word limit: about what a reader finishes without skimming
LONG_SENTENCE_WORDS = 35
EXCLAMATION_LIMIT = 2
HYPE_WORDS = re.compile(
    r"(?i)\b(?:amazing|awesome|incredible|unbelievable|revolutionary|game[- ]chang\w*|groundbreaking|"
    r"mind-?blowing|world-class|ultimate|insane|epic|magical|unprecedented|next-level|must-have|"
    r"life-changing|jaw-dropping|unmatched|best ever)\b"
)
PUSHY = re.compile(r"(?i)\b(?:hurry|act now|don't miss out|what are you waiting for|you must|last chance|"
                   r"before it's too late|only fools)\b")
RUDE = re.compile(r"(?i)\b(?:stupid|idiot\w*|dumb|lazy|shut up|ridiculous|pathetic)\b")
SHOUTED = re.compile(r"\b[A-Z]{4,}\b")


def draft_under_review(request: OfflineRequest) -> str:
    """The text to review: a labelled draft in the prompt, else the model's last reply in the
    conversation (a reviewer that follows a writer), else the prompt itself."""
    found = labelled(request.prompt, "draft", "text", "copy", "release notes", "article", "response", "content")
    if found:
        return found
    if request.previous_reply and not request.follow_up.strip():
        return request.previous_reply
    paragraphs = [p for p in re.split(r"\n\s*\n", request.prompt.strip()) if p.strip()]
    if len(paragraphs) > 1 and paragraphs[0].rstrip().endswith(":"):
        return "\n\n".join(paragraphs[1:])
    return request.previous_reply or request.prompt


@dataclass
class DraftCheck:
    """What the checks found: `issues`, each phrased as the fix to make, and `passed`, what the
    draft does right. Every check that runs adds to exactly one of the two, so an approval that
    lists `passed` never claims a check that did not run."""

    issues: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)

    def add(self, ok: bool, passed: str, issue: str) -> None:
        """Record one check: what the draft does right if it passed, else the fix to make."""
        if ok:
            self.passed.append(passed)
        else:
            self.issues.append(issue)


@dataclass
class Review:
    """Everything a check may look at: the draft, the brief it was written from, and the
    reviewer's own job (`instructions`, which may set a word limit)."""

    draft: str
    brief: BriefFacts
    asked: str  # what the writer was asked: a length or a sentence count may be in it
    instructions: str
    wants_call_to_action: bool = False
    focused: bool = False  # True when the instructions name the aspects to check


# --- the aspects --------------------------------------------------------------------------------


def check_price(review: Review, check: DraftCheck) -> None:
    """One price, the brief's, stated once. A reviewer whose job is price also wants a price
    when the brief gives none (or at least a word on where to find it)."""
    written = prices_in(review.draft)
    distinct: list[str] = []
    for price in written:
        if not any(same_price(price, seen) for seen in distinct):
            distinct.append(price)
    expected = review.brief.price
    if not written:
        if expected:
            check.issues.append(f"Mention the price ({expected}); the brief gives it and readers will ask.")
        elif review.focused:
            check.add(re.search(r"(?i)\bpric", review.draft) is not None, "says where to find the price",
                      "Say what it costs, or where readers can find the price: the draft never mentions it.")
        return
    if len(distinct) > 1:
        check.issues.append(f"It gives {len(distinct)} different prices ({join_list(distinct)}); keep the right one.")
    elif expected and not same_price(written[0], expected):
        check.issues.append(f"It says {written[0]}, but the brief says {expected}; use the brief's price.")
    elif len(written) > 1:
        check.issues.append(f"It states the price {len(written)} times ({join_list(written)}); once is enough.")
    else:
        whose = "the brief's" if expected else "one"
        check.passed.append(f"gives {whose} price ({written[0]}) just once")


def check_tone(review: Review, check: DraftCheck) -> None:
    """Calm and polite: few exclamation marks, no hype, no capitals shouting, no pressure."""
    draft = review.draft
    marks = draft.count("!")
    hype = sorted({w.lower() for w in HYPE_WORDS.findall(draft)})
    shouted = sorted(set(SHOUTED.findall(draft)))
    pushy = sorted({w.lower() for w in PUSHY.findall(draft)} | {w.lower() for w in RUDE.findall(draft)})
    issues = [
        marks > EXCLAMATION_LIMIT
        and f"Use at most {EXCLAMATION_LIMIT} exclamation marks (there are {marks}); let the facts excite.",
        hype and f"Cut the hype words ({join_list(hype)}); say what it does instead.",
        shouted and f"Write {join_list(shouted)} in lower case: capitals read as shouting.",
        pushy and f"Drop \"{join_list(pushy)}\": invite readers rather than push or scold them.",
    ]
    check.issues.extend(issue for issue in issues if issue)
    if not any(issues):
        marks_said = {0: "no exclamation marks", 1: "one exclamation mark"}.get(marks, f"{marks} exclamation marks")
        details = f": {marks_said}, no hype words, no shouting and nothing pushy" if review.focused else ""
        check.passed.append("keeps a calm and polite tone" + details)


def check_length(review: Review, check: DraftCheck) -> None:
    """Within the word limit and the number of sentences asked for; no sentence runs on."""
    words = count_words(review.draft)
    limit = word_limit(review)
    within = f"is {words} words, within the {limit}-word limit"
    check.add(words <= limit, within if review.focused else f"is the right length ({words} words)",
              f"It runs to {words} words, over the {limit}-word limit; cut it to {limit} or fewer.")
    sentences = split_sentences(review.draft)
    most = requested_sentences(review.instructions) or requested_sentences(review.asked)
    if most is not None:
        check.add(len(sentences) <= most, f"keeps to {most} sentence{'s' * (most > 1)}",
                  f"It has {len(sentences)} sentences; {most} {'were' if most > 1 else 'was'} asked for.")
    too_long = next((s for s in sentences if count_words(s) > LONG_SENTENCE_WORDS), "")
    check.add(not too_long, "keeps its sentences short",
              f"Split the long sentence that starts \"{' '.join(too_long.split()[:6])}...\" "
              f"({count_words(too_long)} words).")


def word_limit(review: Review) -> int:
    """The most words the draft may have: the reviewer's own limit ("under 50 words"), else
    what the writer was asked for with a tenth to spare, else `LONG_DRAFT_WORDS`."""
    own = requested_words(review.instructions) or _stated_limit(review.instructions)
    if own:
        return own
    asked = requested_words(review.asked)
    return round(asked * 1.1) if asked else LONG_DRAFT_WORDS


def _stated_limit(text: str) -> int | None:
    match = re.search(r"(?i)\b(?:word limit|limit)\s*(?:of|is|:)?\s*(\d{1,4})\b", text)
    return int(match.group(1)) if match else None


def check_completeness(review: Review, check: DraftCheck) -> None:
    """It names the product the brief gives, and ends with a call to action when one is wanted."""
    product, sentences = review.brief.product, split_sentences(review.draft)
    if product:
        check.add(product.lower() in review.draft.lower(), "names the product",
                  f"Name the product ({product}) so readers know what this is about.")
    if review.wants_call_to_action or review.brief.call_to_action:
        example = review.brief.call_to_action or "Try it today!"
        check.add(any(is_call_to_action(s) for s in sentences[-2:]), "ends with a call to action",
                  f"End with a clear call to action, such as \"{example}\"")


Check = Callable[[Review, DraftCheck], None]

# (aspect, what in the instructions asks for it, its checks), in the order an editor reads.
ASPECTS: list[tuple[str, str, Check]] = [
    ("length", r"\blength|too long|word (?:count|limit)|\b\d+[ -]words?\b|brevity", check_length),
    ("completeness", r"call to action|\bcta\b|product name|names? the product|complete", check_completeness),
    ("price", r"\bpric|\bcost", check_price),
    ("tone", r"\btone\b|\bvoice\b|\bhype\b|polite|\bstyle\b|wording", check_tone),
]


def aspects_asked(instructions: str) -> list[str]:
    """The aspects `instructions` name ("a reviewer who checks tone" -> ["tone"]); [] for none."""
    return [name for name, pattern, _ in ASPECTS if re.search(pattern, instructions, re.IGNORECASE)]


def check_draft(review: Review, aspects: list[str]) -> DraftCheck:
    """Run the checks of `aspects` on the draft (every aspect when `aspects` is empty)."""
    check = DraftCheck()
    if count_words(review.draft) == 0:
        check.issues.append("The draft is empty: write the text first.")
        return check
    for name, _, run_checks in ASPECTS:
        if not aspects or name in aspects:
            run_checks(review, check)
    return check


def write_review(request: OfflineRequest, facts: BriefFacts) -> str:
    """A review: "Approved." and what the draft does right, or "Needs changes" and a numbered
    list of fixes. A reviewer with a job ("checks price") says which aspect it looked at.
    (`facts`, the brief as the other writers read it, is read again here without the draft.)"""
    draft = draft_under_review(request)
    # The brief is what the writer was given; when the draft is inside the prompt, leave it out,
    # or the draft would be checked against itself.
    asked = request.first_prompt.replace(draft, "")
    # The reviewer's job is in its instructions, and in a review request's words before the draft.
    job = request.instructions + ("\n" + request.prompt.split(draft)[0] if draft and draft in request.prompt else "")
    aspects = aspects_asked(job)
    review = Review(draft, read_brief(brief_text(asked)), asked, request.instructions,
                    request.asks(r"call to action|\bcta\b|release notes|launch|announc"), focused=bool(aspects))
    check = check_draft(review, aspects)
    if request.asks(r"\bjson\b"):
        feedback = " ".join(check.issues) or "Clear and ready to publish."
        return json.dumps({"approved": not check.issues, "feedback": feedback})
    listed = "\n".join(f"{i}. {issue}" for i, issue in enumerate(check.issues, 1))
    if aspects:
        if check.issues:
            return f"Needs changes ({', '.join(aspects)}):\n{listed}"
        return f"Approved on {join_list(aspects)}: it {join_list(check.passed)}."
    if check.issues:
        return f"Needs changes:\n{listed}"
    closing = request.choose(["Ready to publish.", "Good to go.", "Nice work."], "approve")
    return f"Approved. It {join_list(check.passed)}. {closing}"
