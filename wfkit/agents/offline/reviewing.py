"""How the offline model reviews a draft: approve it, or list concrete issues.

The checks are the ones an editor would run on short marketing copy: is it empty, too long,
are its sentences too long, does it name the product and the price the brief gave, does it
end with a call to action, does it shout. A draft that passes them all is approved.
The reply starts with "Approved" or "Needs changes", so code can tell the two apart (only an
approval contains the word "approve").
"""

from __future__ import annotations

import json
import re

from .reading import BriefFacts, OfflineRequest, count_words, labelled, split_sentences
from .revising import is_call_to_action

LONG_DRAFT_WORDS = 220
LONG_SENTENCE_WORDS = 35


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


def find_issues(draft: str, facts: BriefFacts, wants_call_to_action: bool = False) -> list[str]:
    """Concrete problems with `draft`, each phrased as the fix to make."""
    words = count_words(draft)
    if words == 0:
        return ["The draft is empty: write the text first."]
    issues = []
    if words > LONG_DRAFT_WORDS:
        issues.append(f"It runs to {words} words; cut it to under {LONG_DRAFT_WORDS // 2} so readers finish it.")
    sentences = split_sentences(draft)
    for sentence in sentences:
        if count_words(sentence) > LONG_SENTENCE_WORDS:
            start = " ".join(sentence.split()[:6])
            issues.append(f"Split the long sentence that starts \"{start}...\" ({count_words(sentence)} words).")
            break
    if facts.product and facts.product.lower() not in draft.lower():
        issues.append(f"Name the product ({facts.product}) so readers know what this is about.")
    if facts.price and facts.price.lower() not in draft.lower():
        issues.append(f"Mention the price ({facts.price}); the brief gives it and readers will ask.")
    if (wants_call_to_action or facts.call_to_action) and not any(is_call_to_action(s) for s in sentences[-2:]):
        example = facts.call_to_action or "Try it today!"
        issues.append(f"End with a clear call to action, such as \"{example}\"")
    if draft.count("!") > 2:
        issues.append(f"Use at most one exclamation mark (there are {draft.count('!')}); let the facts excite.")
    return issues


def write_review(request: OfflineRequest, facts: BriefFacts) -> str:
    """A review: "Approved." with a reason, or "Needs changes:" and a numbered list of issues."""
    draft = draft_under_review(request)
    issues = find_issues(draft, facts, request.asks(r"call to action|\bcta\b|release notes|launch|announc"))
    if request.asks(r"\bjson\b"):
        return json.dumps({"approved": not issues, "feedback": " ".join(issues) or "Clear and ready to publish."})
    if not issues:
        reason = request.choose(
            [
                "It is clear, the right length and ends with a call to action.",
                "It reads well, keeps to the point and gives readers a next step.",
                "The message is clear and the tone fits; ready to publish.",
            ],
            "approve",
        )
        return f"Approved. {reason}"
    listed = "\n".join(f"{i}. {issue}" for i, issue in enumerate(issues, 1))
    return f"Needs changes:\n{listed}"
