"""`RequestNumbers`: how the widgets name a run's requests, without their ids.

A request id is a UUID (``2a482913-8e0f-4df8-...``): it tells a program which request an
answer is for, and tells a person nothing. A person names a request by who asks and what:
"reviewer asks: ReviewRequest(...)", "answer to reviewer". That is enough while one request
is open. When two are open at once (two reviewers asked in parallel, an agent asking to run
two tools), the log and the cards add a short number, the order the request was asked in the
run: "request 2". The number stays with the request until the run ends, so its card, the log
line that asked it and the line of its answer all say the same.

The event log keeps one of these; a `RunView` lends its log's to the cards, so both agree.
"""

from __future__ import annotations


class RequestNumbers:
    """The requests of one run: their numbers, which are open, and which need their number shown.

    >>> numbers = RequestNumbers()
    >>> numbers.asked("3f2c...")       # the first request: alone, so no number shown
    1
    >>> numbers.asked("9a41...")       # a second one while the first is open: both get numbers
    2
    >>> numbers.label("3f2c..."), numbers.label("9a41...")
    ('request 1', 'request 2')
    """

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}  # request id -> its number, in the order asked
        self.open: set[str] = set()  # asked and not answered yet
        self.shown: set[str] = set()  # were open beside another one: their number is shown

    def asked(self, request_id: str) -> int:
        """Note that `request_id` was asked (again, if a refused answer reopened it); its number."""
        number = self.numbers.setdefault(request_id, len(self.numbers) + 1)
        self.open.add(request_id)
        if len(self.open) > 1:
            self.shown |= self.open
        return number

    def answered(self, request_id: str) -> None:
        """Note that `request_id` has its answer: it no longer shares the stage."""
        self.open.discard(request_id)

    def keep_open(self, request_ids: set[str] | list[str]) -> None:
        """Exactly these requests are open now (the workflow's pending ones, after a run call)."""
        for request_id in request_ids:
            self.asked(request_id)
        self.open &= set(request_ids)

    def label(self, request_id: str) -> str:
        """"request 2" if this request was ever open beside another one, else ""."""
        return f"request {self.numbers[request_id]}" if request_id in self.shown else ""

    def clear(self) -> None:
        """Forget every request: a new run numbers its own from 1."""
        self.numbers.clear()
        self.open.clear()
        self.shown.clear()
