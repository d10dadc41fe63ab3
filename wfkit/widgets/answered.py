"""What each card was answered: kept for the run's static picture, in a person's words.

A card goes away once its answer is taken, which is right on a live page (what is still open
is what needs you). A page read later (an exported lesson, a saved notebook opened without a
kernel) needs the opposite: the story of the run, every question with the answer it got. So
when an answer is taken, the prompt keeps an `AnsweredRequest`: the card as it was (who asked,
which round, what changed, what was asked), the answer in words, and who gave it.

The words are the card's own vocabulary, whoever answered, so a page reads the same whether a
learner clicked or a lesson's ``answers=`` answered headless:

- a text answer: **Approved** (the card's approve answer, ``"approve"``), else **Revised** with
  the feedback;
- a yes/no answer: **Approved** or **Rejected**;
- a verdict (``ReviewResponse(feedback=..., approved=...)``, a plan review): **Approved** or
  **Revised** with the feedback (**Rejected** when the type has no room for feedback);
- a question for the user: **Replied** with the reply, or **Ended the conversation**;
- anything else (a form): **Sent** with the value.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..history.records import preview
from .request_html import readable, value_html
from .round_changes import texts_of
from .verdict import RequestVerdict, Verdict

if TYPE_CHECKING:
    from .request_card import RequestCard

# Who answered, when a click did (the other sources say themselves: see `AnsweredRequest.by`).
BY_CLICK = "by a click on the card"
BY_CODE = "in code"

# The colour of each kind of answer: the colours the graph uses for done, waiting and failed.
ANSWER_COLOURS = {
    "Approved": "#16a34a",
    "Revised": "#b45309",
    "Rejected": "#dc2626",
    "Replied": "#7c3aed",
    "Ended the conversation": "#64748b",
    "Sent": "#7c3aed",
}
ANSWER_MARKS = {"Approved": "&#10003;", "Revised": "&#8635;", "Rejected": "&#10007;"}


@dataclass(frozen=True)
class AnswerInWords:
    """An answer as a person says it: `verdict` ("Approved", "Revised", ...) and `text`, the
    feedback, reply or value that came with it ('' when there was none).

    >>> AnswerInWords("Revised", "Add an example.").line()
    'Revised: Add an example.'
    """

    verdict: str
    text: str = ""

    def line(self) -> str:
        """The answer on one line of plain text."""
        return f"{self.verdict}: {self.text}" if self.text else self.verdict


def answer_in_words(card: RequestCard | None, answer: Any) -> AnswerInWords:
    """What `answer` says, in the words of `card`'s buttons (see the module docstring). Without
    a card (a request answered as a run resumed from a checkpoint) it is what was sent."""
    if card is None:
        return AnswerInWords("Sent", _text_of(answer))
    if card.kind == "text" and isinstance(answer, str):
        if answer.strip().lower() == card.approve_answer.strip().lower():
            return AnswerInWords("Approved")
        return AnswerInWords("Revised", answer.strip())
    if card.kind == "yes/no" and isinstance(answer, bool):
        return AnswerInWords("Approved" if answer else "Rejected")
    if card.kind == "verdict" and card.verdict is not None:
        return _verdict_in_words(card.verdict, answer)
    if card.kind == "reply":  # text, a message, or messages ([]: `terminate()`)
        reply = _text_of(answer)
        return AnswerInWords("Replied", reply) if reply else AnswerInWords("Ended the conversation")
    return AnswerInWords("Sent", _text_of(answer))


def _verdict_in_words(verdict: Verdict | RequestVerdict, answer: Any) -> AnswerInWords:
    if isinstance(verdict, RequestVerdict):
        # The request built both answers itself: approving is the answer `approve()` makes.
        if answer == verdict.request_data.approve():
            return AnswerInWords("Approved")
        return AnswerInWords("Revised", _text_of(answer))
    approved = getattr(answer, verdict.verdict_field, None)
    feedback = getattr(answer, verdict.feedback_field, "") if verdict.feedback_field else ""
    feedback = feedback.strip() if isinstance(feedback, str) else ""
    if approved is True:
        return AnswerInWords("Approved", feedback)
    if approved is False:
        return AnswerInWords("Revised" if verdict.feedback_field else "Rejected", feedback)
    return AnswerInWords("Sent", _text_of(answer))


def _text_of(answer: Any) -> str:
    """The words an answer carries: the text itself, the text of its messages, or (for any
    other value) the value as one readable line."""
    if isinstance(answer, str):
        return answer.strip()
    # `type(...) is str` leaves out an enum's value ("revise" in a plan review's reply).
    texts = [text.strip() for _, text in texts_of(answer) if type(text) is str and text.strip()]
    if texts or isinstance(answer, list):
        return "\n".join(texts)
    return preview(answer, 200)


@dataclass(frozen=True)
class AnsweredRequest:
    """One request with the answer it got, as the run's static picture shows it.

    `asked_html` is the card as it was when answered (header, what changed, what was asked);
    `words` the answer (`answer_in_words`); `by` who gave it, completing "answered ...":
    "by a click on the card", "in code: run(..., answers=...)".
    """

    request_id: str
    asked_html: str
    words: AnswerInWords
    by: str

    @classmethod
    def from_card(cls, request_id: str, card: RequestCard | None, answer: Any, by: str = "") -> AnsweredRequest:
        """The record of `answer` to `card` (None: a request this view never showed a card for).
        A clicked card says so, whatever `by` says; otherwise `by` (default: "in code")."""
        if card is not None and card.answered:
            by = BY_CLICK
        if card is None:
            # Its question is in the checkpoint, not on this view: say where it comes from.
            asked = '<b>A request asked before this run resumed</b>'
        else:
            asked = card.asked_html()
        return cls(request_id, asked, answer_in_words(card, answer), by or BY_CODE)

    def static_html(self) -> str:
        """The card with its answer under it, as plain HTML."""
        words = self.words
        colour = ANSWER_COLOURS.get(words.verdict, "#334155")
        mark = ANSWER_MARKS.get(words.verdict, "&#8594;")
        said = f"<div>{value_html(words.text)}</div>" if words.text else ""
        answer = readable(
            f'<div class="wfkit-answer" style="margin-top:6px;padding-top:4px;border-top:1px dashed #cbd5e1">'
            f'<b style="color:{colour}">{mark} {html.escape(words.verdict)}</b>'
            f' <span style="color:#64748b;font-size:12px">(answered {html.escape(self.by)})</span>{said}</div>'
        )
        return (
            f'<div class="wfkit-answered-card" style="border:1px solid #cbd5e1;border-left:4px solid {colour};'
            f'padding:6px;margin:4px 0">{self.asked_html}{answer}</div>'
        )
