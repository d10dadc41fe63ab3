"""Where answers come from when nobody clicks (papermill, CI, a test).

`run(..., answers=...)` accepts three shapes, because lessons need all three:

- a **list**: answers in the order the requests arrive (``["Shorter, please", "approve"]``);
- a **dict** by request id: for requests whose id is known in advance (``{"r1": "approve"}``);
- a **function** ``request -> answer``: decides from the request itself, returns ``None`` to
  leave it unanswered (``lambda request: "approve" if request.data.iteration > 1 else "More detail"``).

A dict given for a dataclass answer (papermill parameters are plain JSON) is turned into the
dataclass, with the fields the request determines (its id) filled in: the same rules an answer
form (`wfkit.widgets.forms`) follows. Words given where the request wants something else are
read as a person's click would be (`wfkit.widgets.verdict.answer_from_text`): ``"approve"``
approves a plan review, other text revises it with that feedback, and a reply to a question for
the user becomes that reply.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Sequence, Union

from ..core.state import PendingRequest

AnswerSpec = Union[Sequence[Any], Mapping[str, Any], Callable[[PendingRequest], Any], None]


class AnswerSource:
    """Answers for pending requests, taken from a list, a dict or a function.

    >>> source = AnswerSource(["Shorter, please", "approve"])
    >>> source.answers_for(workflow.pending_requests.values())   # doctest: +SKIP
    {'5f0c...': 'Shorter, please'}
    """

    def __init__(self, answers: AnswerSpec = None) -> None:
        if answers is not None and not isinstance(answers, (Sequence, Mapping)) and not callable(answers):
            raise TypeError(
                f"answers must be a list (in order), a dict {{request_id: answer}} or a function "
                f"request -> answer, got {type(answers).__name__}."
            )
        if isinstance(answers, str):
            raise TypeError("answers must be a list of answers, not one string: write answers=[...].")
        self.answers = answers
        self._next = 0  # how much of a list is used up

    @property
    def given(self) -> bool:
        """True if any answers were given at all."""
        return self.answers is not None

    def answers_for(self, requests: Iterable[PendingRequest]) -> dict[str, Any]:
        """Answers for those of `requests` this source has one for, by request id."""
        found = {}
        for request in requests:
            has_answer, answer = self._answer_for(request)
            if has_answer:
                found[request.request_id] = shape_answer(answer, request)
        return found

    def _answer_for(self, request: PendingRequest) -> tuple[bool, Any]:
        answers = self.answers
        if answers is None:
            return False, None
        if isinstance(answers, Mapping):
            return (True, answers[request.request_id]) if request.request_id in answers else (False, None)
        if isinstance(answers, Sequence):
            if self._next >= len(answers):
                return False, None
            self._next += 1
            return True, answers[self._next - 1]
        answer = answers(request)
        return (answer is not None), answer


def shape_answer(answer: Any, request: PendingRequest) -> Any:
    """A dict given where a dataclass is expected becomes that dataclass; words become the
    answer a card would send for them; anything else is kept."""
    if isinstance(answer, str):
        # The card's rules live beside the card, which loads ipywidgets: `import wfkit.notebook` must not.
        from ..widgets.verdict import answer_from_text

        return answer_from_text(answer, request.response_type, request.data, request.request_id)
    if not isinstance(answer, Mapping):
        return answer
    from ..widgets.forms import answer_from_mapping, is_dataclass_type

    if is_dataclass_type(request.response_type):
        return answer_from_mapping(request.response_type, answer, request.data, request.request_id)
    return answer


def describe_unanswered(requests: Iterable[PendingRequest]) -> str:
    """The message a run ends with when it paused and no answer was available. It names each
    request by who asks what, as the cards do; the ids, for code, are in ``result.pending_requests``."""
    listed = " and ".join(f"what {r.executor_id} asks (a {type(r.data).__name__})" for r in requests)
    return (
        f"The run is paused: no answer yet for {listed}. Answer on the card above, or pass answers "
        "to run(): a list in order, a dict {request_id: answer} (the ids are in result.pending_requests), "
        "or a function request -> answer."
    )
