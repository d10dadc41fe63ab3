"""How a run's events become the lines of its log: one line for each thing that happened.

`describe_event` (in `event_text`) words one event. A run says some things more than once,
in several events, and the log says each once (`LogLines`):

- an agent's answer comes as streamed pieces, then as the whole answer, and often again as a
  workflow output (a handoff's every piece is an output too; the previews' Magentic reports
  each piece and the answer twice): all of it is one line, "writer writes: ..." while it
  streams, "writer answered: ..." once it is whole, filed under "output" when it is an output;
- an executor that fails for good and hands its work to a fallback is one line of the kind
  "fallback": what failed, and who took over;
- a run paused for answers continues with a second "started" event: the log says "run resumed
  with your answer", since it is the same run;
- a request is named by who asks what, never by its id; when two are open at once, each gets
  its number ("request 2", see `request_numbers`), on its line and on its answer's.

Every event is counted in `events`, whether it writes a line or joins one, so the log's count
is the run's (``len(result.events)``). Lines that are not events (the answers given) are not.

Each line also knows what a click on it points at: its `executor_id`, the `sources` its
message came from (an executor's call), the superstep it happened in (`step`), and its
`serial`, the number that names it on the page (``data-pick="line:12"``).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from ..agents.types import AgentResponseUpdate
from ..core.events import WorkflowEvent, WorkflowRunState
from ..history.records import one_line
from .event_text import answer_line, describe_event, fallback_line, reply_text, request_line, text_of
from .inline_code import text_html
from .request_numbers import RequestNumbers

# A line longer than this is cut when shown (a streamed answer keeps growing).
LINE_LIMIT = 300

# How much of a streamed answer a line keeps: a little more than it shows, so a cut is
# always a cut, however much spacing the start of the answer had.
KEPT_CHARACTERS = 2 * LINE_LIMIT


def _same_words(text: str) -> str:
    # Pieces joined and a whole answer space their paragraphs differently; the words are the same.
    return " ".join(text.split())


class LogLine:
    """One line of the log: when (seconds since the log started), its kind and its text.

    The text is a `head` ("writer writes: ") and a `body`. A line keeps at most `KEPT_CHARACTERS`
    of its text (a streamed answer can be long: see `extend`); `length` says how long it really is.
    `executor_id` and `sources` say whose line it is and where its message came from, `step` the
    superstep it happened in (0 before the first), `serial` its number in the log (set when added).
    """

    __slots__ = ("seconds", "kind", "head", "body", "executor_id", "length", "sources", "step", "serial")

    def __init__(
        self,
        seconds: float,
        kind: str,
        text: str,
        executor_id: str | None = None,
        head: str = "",
        sources: tuple[str, ...] = (),
        step: int = 0,
    ) -> None:
        self.seconds, self.kind, self.executor_id = seconds, kind, executor_id
        self.sources, self.step, self.serial = sources, step, 0
        self.head, self.body, self.length = head, "", len(head)
        self.extend(text)

    def concerns(self, executor_id: str) -> bool:
        """True if the line is about `executor_id`: its own, or a message it sent."""
        return self.executor_id == executor_id or executor_id in self.sources

    @property
    def text(self) -> str:
        """The line's text (a long one only as far as it is kept)."""
        return self.head + self.body

    def extend(self, more: str) -> None:
        """Add the next streamed piece of an answer to this line.

        Only the first `KEPT_CHARACTERS` are kept, the rest only counted: the line shows no more,
        and the whole answer comes once more in the agent's final event. Kept whole, a long answer
        streamed in thousands of pieces would grow the line without limit and make every piece
        slower to add than the one before.
        """
        room = KEPT_CHARACTERS - len(self.head) - len(self.body)
        if room > 0:
            self.body += more[:room]
        self.length += len(more)

    def rewrite(self, kind: str, head: str, body: str | None = None) -> None:
        """Say the line anew (an answer finished streaming, a failure found its fallback): a new
        kind and head, and a new body if given."""
        old_length = self.length - len(self.head)
        self.kind, self.head, self.length = kind, head, len(head)
        if body is None:
            self.length += old_length
            return
        self.body = ""
        self.extend(body)

    def html(self) -> str:
        """The line as a row of the log's grid: time, kind, text (one line, cut if very long)."""
        # Short markup: the look lives once in the log's style sheet, not in each of hundreds of lines.
        text = one_line(self.text, LINE_LIMIT)
        if len(text) < self.length:  # cut: say how much there is, so a growing answer shows it grows
            text += f" ({self.length:,} characters)"
        pick = f' data-pick="line:{self.serial}"' if self.serial else ""  # a line in a log: a click names it
        return (
            f'<div{pick}><i>{self.seconds:.2f}s</i><b class="k-{self.kind}">{self.kind}</b>'
            f"<span>{text_html(text)}</span></div>"
        )


class LogLines:
    """The lines of one run's log, written from its events by the rules in the module docstring.

    Keeps the last `max_lines`; `events` counts every event written, `dropped` the lines forgotten.
    `numbers` names the run's requests (a `RunView` shares it with its cards).
    """

    def __init__(self, max_lines: int = 500, numbers: RequestNumbers | None = None) -> None:
        self.max_lines = max_lines
        self.lines: deque[LogLine] = deque(maxlen=max_lines)
        self.numbers = numbers if numbers is not None else RequestNumbers()
        self.clear()

    def clear(self) -> None:
        """Forget every line and everything the rules remember: a new run starts."""
        self.lines.clear()
        self.numbers.clear()
        self.added = 0  # lines ever added: the next line's serial is one more
        self.step = 0  # the superstep the run is in, for the lines written now
        self.events = 0  # events written, each once, whether into a line of its own or not
        self.event_lines = 0  # lines the events wrote (the answers noted are lines of their own)
        self.dropped = 0
        self._paused = False  # the last state was "paused for answers": a "started" resumes
        self._answers_given = 0  # answers noted since the pause
        self._resumed_line: LogLine | None = None  # "run resumed", until its first step confirms it
        # executor id -> its answer while it streams, and the type of event whose pieces it joins
        self._writing: dict[str, tuple[LogLine, str]] = {}
        # executor id -> its last answer (its line, its words), which outputs and reports may repeat
        self._answered: dict[str, tuple[LogLine, str]] = {}
        self._final: tuple[LogLine, str] | None = None  # a Magentic team's final answer, likewise
        self._echoed: dict[str, str] = {}  # executor id -> the output pieces repeating its answer so far
        self._streamed_outputs: dict[str, LogLine] = {}  # executor id -> an output streaming on its own
        self._failed: dict[str, LogLine] = {}  # executor id -> its failure line, in this superstep
        self._asked: dict[str, tuple[LogLine, str, Any]] = {}  # request id -> (its line, who asks, what)

    # --- writing -----------------------------------------------------------------------------

    def add(self, event: WorkflowEvent, seconds: float) -> None:
        """Write `event`: as a line of its own, or into the line it belongs to."""
        self.events += 1
        lines_before = len(self.lines) + self.dropped
        if event.type == "superstep_started":
            self.step = event.iteration
        if not self._joined(event, seconds):
            kind, text = describe_event(event)
            sources = tuple(getattr(event, "source_executor_ids", ()) or ())
            self._append(LogLine(seconds, kind, text, getattr(event, "executor_id", None), sources=sources))
        self.event_lines += len(self.lines) + self.dropped - lines_before

    def note_answer(self, request_id: str, answer: Any, seconds: float, executor_id: str | None = None) -> None:
        """Write the answer given to `request_id` (an answer is not an event: it starts the next run call)."""
        if request_id in self._asked:
            executor_id = self._asked[request_id][1]
        label = self.numbers.label(request_id)
        self.numbers.answered(request_id)
        self._answers_given += 1
        self._append(LogLine(seconds, "answer", answer_line(executor_id, answer, label), executor_id))

    def note(self, text: str, kind: str, seconds: float) -> None:
        """Write a line that is not an event."""
        self._append(LogLine(seconds, kind, text))

    def relabel_requests(self) -> None:
        """Give each request line the number its request needs now (see `request_numbers`)."""
        for request_id, (line, executor_id, asked) in self._asked.items():
            label = self.numbers.label(request_id)
            if label:
                line.rewrite(line.kind, "", request_line(executor_id, asked, label))

    def _append(self, line: LogLine) -> None:
        if len(self.lines) == self.max_lines:
            self.dropped += 1
        self.added += 1
        line.serial, line.step = self.added, self.step
        self.lines.append(line)

    def numbered(self, serial: int) -> LogLine | None:
        """The kept line whose `serial` is given (None if it was dropped, or never was)."""
        index = serial - (self.added - len(self.lines)) - 1
        return self.lines[index] if 0 <= index < len(self.lines) else None

    # --- the rules ---------------------------------------------------------------------------

    def _joined(self, event: WorkflowEvent, seconds: float) -> bool:
        """Apply the rule `event` falls under, if any. True if the rule wrote the event (into a
        line of its own, or into the line it repeats); False: write its line as it comes."""
        match event.type:
            case "started" if self._paused:
                self._resumed(seconds)
                return True
            case "status":
                self._paused = event.state is WorkflowRunState.IDLE_WITH_PENDING_REQUESTS
                self._answers_given = 0 if self._paused else self._answers_given
            case "superstep_started":
                self._failed.clear()
                if event.iteration == 1 and self._resumed_line is not None:
                    self._resumed_line.rewrite("run", "", "run started")  # it counts from 1: a new run
                self._resumed_line = None
            case "executor_invoked":
                for memory in (self._writing, self._answered, self._echoed, self._streamed_outputs):
                    memory.pop(event.executor_id, None)  # a new call: what it says next is new
            case "agent_run_update" | "magentic_agent_delta":
                return self._piece(_speaker(event), text_of(event.data), event.type, seconds)
            case "agent_run":
                return self._whole_answer(event.executor_id, text_of(event.data), seconds)
            case "magentic_agent_message":
                return self._repeats_answer(event.agent_id, getattr(event.message, "text", "") or "")
            case "magentic_final_result":
                kind, text = describe_event(event)
                line = LogLine(seconds, kind, text)
                self._final = (line, _same_words(getattr(event.message, "text", "") or ""))
                self._append(line)
                return True
            case "output" | "intermediate":
                return self._output(event, seconds)
            case "executor_failed":
                kind, text = describe_event(event)
                self._failed[event.executor_id] = LogLine(seconds, kind, text, event.executor_id)
                self._append(self._failed[event.executor_id])
                return True
            case "executor_fallback" if event.executor_id in self._failed:
                failure = self._failed.pop(event.executor_id)
                failure.rewrite("fallback", "", fallback_line(event))
                return True
            case "request_info":
                self._request(event, seconds)
                return True
        return False

    def _resumed(self, seconds: float) -> None:
        given = self._answers_given
        with_what = "" if not given else " with your answer" if given == 1 else f" with your {given} answers"
        # A run that paused continues with a "started" event of its own. Its steps go on counting;
        # a new run's count from 1 again, and then the first step puts "run started" back.
        self._resumed_line = LogLine(seconds, "run", f"run resumed{with_what}")
        self._append(self._resumed_line)
        self._paused = False

    def _piece(self, executor_id: str, text: str, event_type: str, seconds: float) -> bool:
        if executor_id in self._writing:
            line, joins = self._writing[executor_id]
            if event_type == joins:  # the previews' Magentic reports each piece twice, in two types
                line.extend(text)
            return True
        line = LogLine(seconds, "agent", text, executor_id, head=f"{executor_id} writes: ")
        self._writing[executor_id] = (line, event_type)
        self._answered.pop(executor_id, None)
        self._append(line)
        return True

    def _whole_answer(self, executor_id: str, text: str, seconds: float) -> bool:
        line = self._writing.pop(executor_id, (None, ""))[0]
        if line is None:  # not streamed: the whole answer is its first word
            line = LogLine(seconds, "agent", "", executor_id)
            self._append(line)
        line.rewrite("agent", f"{executor_id} answered: ", text)
        self._answered[executor_id] = (line, _same_words(text))
        return True

    def _repeats_answer(self, speaker: str, text: str) -> bool:
        answered = self._answer_of(speaker)
        return answered is not None and answered[1] == _same_words(text)

    def _answer_of(self, speaker: str) -> tuple[LogLine, str] | None:
        # A team names its members without the prefix of an inlined workflow ("chat/billing").
        if speaker in self._answered:
            return self._answered[speaker]
        return next((a for eid, a in self._answered.items() if eid.endswith("/" + speaker)), None)

    def _output(self, event: WorkflowEvent, seconds: float) -> bool:
        source, data = event.source_executor_id, event.data
        said = reply_text(data)
        if said is None:
            return False
        answered = self._answer_of(source)
        if answered is not None and self._repeats(source, data, said, answered[1]):
            line = answered[0]
            if line.kind != "output" and event.type == "output":
                line.rewrite("output", f"{source} answered (an output): ")
            return True
        if source in self._writing:  # pieces yielded while the answer streams: the same pieces
            return True
        if self._final is not None and _same_words(said) == self._final[1]:
            self._final[0].kind = "output"
            return True
        if isinstance(data, AgentResponseUpdate):  # an answer streamed as an output only: one line
            if source in self._streamed_outputs:
                self._streamed_outputs[source].extend(said)
                return True
            line = LogLine(seconds, "output", said, source, head=f"output from {source}: ")
            self._streamed_outputs[source] = line
            self._append(line)
            return True
        return False

    def _repeats(self, source: str, data: Any, said: str, words: str) -> bool:
        """Does this output say the answer `source` gave (`words`)? Streamed pieces do while
        they, joined, are the start of it."""
        if not isinstance(data, AgentResponseUpdate):
            return _same_words(said) == words
        echoed = self._echoed[source] = self._echoed.get(source, "") + said
        return words.startswith(_same_words(echoed))

    def _request(self, event: WorkflowEvent, seconds: float) -> None:
        request_id, executor_id = event.request_id, event.source_executor_id
        self.numbers.asked(request_id)
        line = LogLine(seconds, "request", request_line(executor_id, event.data), executor_id)
        self._asked[request_id] = (line, executor_id, event.data)
        self._append(line)
        self.relabel_requests()


def _speaker(event: WorkflowEvent) -> str:
    return getattr(event, "executor_id", None) or getattr(event, "agent_id", None) or ""
