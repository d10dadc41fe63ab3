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
from dataclasses import dataclass, field

from .reading import BriefFacts, OfflineRequest, count_words, join_list, labelled, split_sentences
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


def check_draft(draft: str, facts: BriefFacts, wants_call_to_action: bool = False) -> DraftCheck:
    """Run the editor's checks on `draft`. The product, price and call-to-action checks run only
    when the brief gives them (or, for the call to action, the prompt asks for one)."""
    check = DraftCheck()
    words = count_words(draft)
    if words == 0:
        check.issues.append("The draft is empty: write the text first.")
        return check
    check.add(words <= LONG_DRAFT_WORDS, "is the right length",
              f"It runs to {words} words; cut it to under {LONG_DRAFT_WORDS // 2} so readers finish it.")
    sentences = split_sentences(draft)
    too_long = next((s for s in sentences if count_words(s) > LONG_SENTENCE_WORDS), "")
    check.add(not too_long, "keeps its sentences short",
              f"Split the long sentence that starts \"{' '.join(too_long.split()[:6])}...\" "
              f"({count_words(too_long)} words).")
    if facts.product:
        check.add(facts.product.lower() in draft.lower(), "names the product",
                  f"Name the product ({facts.product}) so readers know what this is about.")
    if facts.price:
        check.add(facts.price.lower() in draft.lower(), f"gives the price ({facts.price})",
                  f"Mention the price ({facts.price}); the brief gives it and readers will ask.")
    if wants_call_to_action or facts.call_to_action:
        example = facts.call_to_action or "Try it today!"
        check.add(any(is_call_to_action(s) for s in sentences[-2:]), "ends with a call to action",
                  f"End with a clear call to action, such as \"{example}\"")
    check.add(draft.count("!") <= 2, "uses exclamation marks sparingly",
              f"Use at most one exclamation mark (there are {draft.count('!')}); let the facts excite.")
    return check


def write_review(request: OfflineRequest, facts: BriefFacts) -> str:
    """A review: "Approved." with the checks it passed, or "Needs changes:" and a numbered list of issues."""
    draft = draft_under_review(request)
    check = check_draft(draft, facts, request.asks(r"call to action|\bcta\b|release notes|launch|announc"))
    if request.asks(r"\bjson\b"):
        feedback = " ".join(check.issues) or "Clear and ready to publish."
        return json.dumps({"approved": not check.issues, "feedback": feedback})
    if not check.issues:
        closing = request.choose(["Ready to publish.", "Good to go.", "Nice work."], "approve")
        return f"Approved. It {join_list(check.passed)}. {closing}"
    listed = "\n".join(f"{i}. {issue}" for i, issue in enumerate(check.issues, 1))
    return f"Needs changes:\n{listed}"
