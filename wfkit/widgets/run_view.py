"""`RunView`: graph, log and approval cards together, driving one workflow's runs.

This is what a lesson shows. It runs the workflow as a stream and hands every event to the
three views; when the run pauses for answers, the cards appear. A click on a card queues
that answer and continues the run (`send_responses_streaming`) as soon as the workflow is
free, so a click made while other branches are still running is not lost.

`run()` also decides what to do at a pause when answers are given in code (`answers=`), and
whether to wait for a click at all (`wait_for_clicks`); see `wfkit.notebook.run`.
"""

from __future__ import annotations

import asyncio
import html
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Mapping

import ipywidgets as widgets
import traitlets

from ..core.events import (
    FanInWaitingEvent,
    RequestInfoEvent,
    WorkflowEvent,
    WorkflowFailedEvent,
    WorkflowOutputEvent,
    WorkflowRunState,
    WorkflowStatusEvent,
    short_repr,
)
from ..errors import RequestResponseError
from .answers import AnswerSource, AnswerSpec, describe_unanswered
from .approval import ApprovalPrompt
from .event_log import EventLog
from .fallback import with_static_html
from .graph_view import GraphView
from .loops import call_in_loop, running_loop, start_task
from .request_html import readable, value_html
from .throttle import Throttle

if TYPE_CHECKING:
    from ..checkpoint.storage.base import CheckpointStorage
    from ..core.workflow import Workflow

# What each run state means, in words, for the status line.
STATE_WORDS = {
    "": "not started",
    "STARTED": "starting",
    "IN_PROGRESS": "running",
    "IN_PROGRESS_PENDING_REQUESTS": "running, with questions waiting",
    "IDLE": "finished",
    "IDLE_WITH_PENDING_REQUESTS": "paused: waiting for answers",
    "FAILED": "failed",
    "CANCELLED": "cancelled",
}

# Ended states get the colours the graph uses for failed, waiting and done executors.
STATE_COLOURS = {"FAILED": "#dc2626", "IDLE_WITH_PENDING_REQUESTS": "#7c3aed", "IDLE": "#16a34a"}

PAUSED = WorkflowRunState.IDLE_WITH_PENDING_REQUESTS

WAITING_NOTE = "Waiting for your answer: use the buttons of the request card(s)."


def join_waiting_note(event: FanInWaitingEvent) -> str:
    """The status-line sentence for a run that ended with a join still waiting."""
    target, waiting = event.target_id, ", ".join(repr(source) for source in event.waiting_for)
    return (
        f"Finished, but the join into {target!r} is still waiting for {waiting}, so {target!r} never ran "
        "(see the warning in the log)."
    )


class RunView(widgets.VBox):
    """A workflow's live graph, event log, approval cards and outputs, and the runs behind them.

    >>> view = RunView(workflow)                          # doctest: +SKIP
    >>> display(view)                                     # doctest: +SKIP
    >>> await view.run("Launch the grinder", answers=["approve"])   # doctest: +SKIP
    <WorkflowRunState.IDLE: 'IDLE'>
    """

    state = traitlets.Unicode("", help="name of the WorkflowRunState the latest run call is in")
    note = traitlets.Unicode("", help="a sentence for the learner: why the run paused, what failed")
    busy = traitlets.Bool(False, help="True while a run call is streaming")
    output_count = traitlets.Int(0, help="outputs yielded so far")

    # A function that always has an answer could keep a loop going forever; stop after this.
    max_answer_rounds = 100

    def __init__(
        self,
        workflow: Workflow,
        *,
        title: str | None = None,
        max_log_lines: int = 500,
        min_redraw_interval: float = 0.1,
        approve_answer: str = "approve",
        **kwargs: Any,
    ) -> None:
        self.workflow = workflow
        self.title = title or workflow.name or "Workflow run"
        self.events: list[WorkflowEvent] = []
        self.outputs: list[Any] = []
        self.error: BaseException | None = None
        self.graph = GraphView(workflow, min_redraw_interval=min_redraw_interval)
        self.event_log = EventLog(max_lines=max_log_lines, min_redraw_interval=max(min_redraw_interval, 0.2))
        self.prompts = ApprovalPrompt(approve_answer=approve_answer)
        self.prompts.on_answer(self.answer)
        self.status = widgets.HTML()
        self.output_box = widgets.HTML()
        self._output_throttle = Throttle(self._draw_outputs, min_redraw_interval)
        self._queued: dict[str, Any] = {}  # answers clicked, not sent yet
        self._sending: set[str] = set()  # answers being sent right now
        self._drive_ended = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._stop_waiting = asyncio.Event()  # set: the current run call waits for no click
        self._stop_reason = ""
        self.retired = False  # True once a newer run took this view's place
        self._home_loop = running_loop()
        # The graph and the cards side by side, one above the other on a narrow page. The graph
        # takes the room the cards leave (a big graph keeps its labels readable that way).
        self.graph.layout = widgets.Layout(flex="1 1 360px", min_width="300px")
        side = widgets.VBox([self.prompts, self.output_box], layout=widgets.Layout(flex="0 1 420px", min_width="300px"))
        middle = widgets.HBox([self.graph, side], layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__(children=[self.status, middle, self.event_log], **kwargs)
        self.add_class("wfkit-run-view")
        self._draw_status()
        self._draw_outputs()

    # --- the state of the latest run ---------------------------------------------------------

    @property
    def final_state(self) -> WorkflowRunState | None:
        """The state the latest run call ended in (None before the first run)."""
        return WorkflowRunState[self.state] if self.state else None

    # --- running ---------------------------------------------------------------------------

    async def run(self, message: Any, *, answers: AnswerSpec = None, wait_for_clicks: bool = False) -> WorkflowRunState:
        """Start a new run with `message`; return the state it settles in.

        At a pause, requests are answered from `answers` (a list in order, a dict by request
        id, or a function); then, if `wait_for_clicks`, the run waits for the cards to be
        clicked; otherwise it stops, paused, and says which requests have no answer.
        """
        self.reset()
        await self._drive(lambda: self.workflow.run_stream(message), raise_errors=True)
        return await self.settle(AnswerSource(answers), wait_for_clicks)

    async def resume(
        self,
        checkpoint_id: str,
        checkpoint_storage: CheckpointStorage | None = None,
        responses: Mapping[str, Any] | None = None,
        *,
        workflow: Workflow | None = None,
        answers: AnswerSpec = None,
        wait_for_clicks: bool = False,
    ) -> WorkflowRunState:
        """Continue from a checkpoint in this view (in `workflow`, if a fresh one is given).

        `responses` answers some of the checkpoint's requests at once; the others show up as
        cards again.
        """
        self.reset(workflow)
        for request_id, answer in (responses or {}).items():
            self.event_log.note(f"answer for request {request_id}: {short_repr(answer)}")
        await self._drive(
            lambda: self.workflow.run_stream_from_checkpoint(checkpoint_id, checkpoint_storage, responses),
            raise_errors=True,
        )
        return await self.settle(AnswerSource(answers), wait_for_clicks)

    async def send_responses(self, responses: Mapping[str, Any]) -> WorkflowRunState:
        """Answer requests from code (``{request_id: answer}``) and continue in this view."""
        await self.wait_until_quiet()
        self._queue(responses)
        await self._send_queued(raise_errors=True)
        return await self.settle(AnswerSource(), wait_for_clicks=False)

    def answer(self, request_id: str, answer: Any) -> None:
        """Answer one request (the cards call this on a click, from whatever thread the click
        came in on); the run continues as soon as the workflow is free. A second answer to the
        same request is ignored."""
        call_in_loop(self._home_loop, self._take_answer, request_id, answer)

    def _take_answer(self, request_id: str, answer: Any) -> None:
        if self.retired:
            return  # a click on a card of a replaced run: the workflow belongs to the new run now
        if request_id in self._queued or request_id in self._sending or request_id not in self.prompts.requests:
            return
        self._queue({request_id: answer})
        self._send_soon()

    def _send_soon(self) -> None:
        if self.busy:
            return  # the running call sends queued answers when it ends
        # Without any event loop (plain Python), settle() or send_responses() sends them.
        start_task(self._home_loop, lambda: self._send_queued(raise_errors=False), self._tasks)

    async def settle(self, answers: AnswerSource, wait_for_clicks: bool) -> WorkflowRunState:
        """Continue until the run is finished or failed, or paused with nobody to answer."""
        rounds_answered = 0
        while True:
            await self.wait_until_quiet()
            if self.final_state is not PAUSED:
                break
            waiting = list(self.workflow.pending_requests.values())
            given = answers.answers_for(waiting)
            if given and rounds_answered >= self.max_answer_rounds:
                self.note = (
                    f"Stopped answering after {self.max_answer_rounds} rounds: the answers keep the "
                    "workflow going. Check the answers function, or the workflow's condition for finishing."
                )
                break
            if given:
                rounds_answered += 1
                self._queue(given)
                await self._send_queued(raise_errors=True)
                continue
            if not wait_for_clicks:
                self.note = describe_unanswered(waiting)
                break
            if self._stop_reason:
                self.note = self._stop_reason
                break
            self.note = WAITING_NOTE
            await self._next_run_call_end_or_stop()
        return self.final_state or WorkflowRunState.STARTED

    def stop_waiting(self, reason: str) -> None:
        """Make the running call stop waiting for clicks (now, or at its next pause) and say
        `reason`; the run stays paused, and a later click still continues it. The notebook
        calls this when the learner sends another cell to run."""
        self._stop_reason = reason
        self._stop_waiting.set()

    async def retire(self, reason: str) -> None:
        """Give way to a newer run of the same workflow: stop waiting, cancel a continuation
        still running, and replace the cards with `reason`. Clicks are ignored from now on."""
        self.retired = True
        self.stop_waiting(reason)
        self._queued.clear()
        running = [task for task in self._tasks if not task.done()]
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        self.prompts.retire(reason)
        self.note = reason

    async def wait_until_quiet(self) -> None:
        """Wait until no run call is streaming and no clicked answer is waiting to be sent."""
        while self.busy or self._queued:
            if self.busy:
                await self._next_run_call_end()
            else:
                await self._send_queued(raise_errors=False)

    def reset(self, workflow: Workflow | None = None) -> None:
        """Clear the views for a new run (of `workflow`, if another one is given)."""
        if workflow is not None:
            self.workflow = workflow
        self.events, self.outputs, self.error = [], [], None
        self._queued.clear()
        self._stop_waiting.clear()
        self._stop_reason = ""
        self.graph.reset(workflow)
        self.event_log.clear()
        self.prompts.clear()  # a new run: its rounds count from 1 again
        self.state, self.note, self.output_count = "", "", 0

    # --- events ----------------------------------------------------------------------------

    def handle(self, event: WorkflowEvent) -> None:
        """Pass one event to the graph, the log, the cards and the outputs."""
        self.events.append(event)
        self.graph.handle(event)
        self.event_log.handle(event)
        if isinstance(event, RequestInfoEvent):
            self.prompts.add(event)
        elif isinstance(event, WorkflowStatusEvent):
            self.state = event.state.name
        elif isinstance(event, WorkflowOutputEvent):
            self.outputs.append(event.data)
            self.output_count = len(self.outputs)
        elif isinstance(event, WorkflowFailedEvent):
            self.note = f"The run failed: {event.details!r}"
        elif isinstance(event, FanInWaitingEvent):
            # The log shows it as one warning among many lines; a run that "finished" without
            # running its join deserves a sentence where the learner looks first.
            self.note = f"{self.note} {join_waiting_note(event)}".strip()

    # --- the plumbing ------------------------------------------------------------------------

    def _queue(self, answers: Mapping[str, Any]) -> None:
        for request_id, answer in answers.items():
            self._queued[request_id] = answer
            self.event_log.note(f"answer for request {request_id}: {short_repr(answer)}")

    async def _send_queued(self, raise_errors: bool) -> None:
        if self.busy or not self._queued:
            return
        answers, self._queued = dict(self._queued), {}
        self._sending = set(answers)
        try:
            await self._drive(lambda: self.workflow.send_responses_streaming(answers), raise_errors=True)
        except RequestResponseError as error:
            # Refused before anything ran: every request is still pending, so the cards open again.
            self.prompts.reopen(answers, str(error))
            if raise_errors:
                raise
        except Exception:
            self._reopen_unused(answers)
            if raise_errors:
                raise
        else:
            self._reopen_unused(answers)
        finally:
            self._sending = set()

    def _reopen_unused(self, answers: Mapping[str, Any]) -> None:
        """Open again the cards of answers the run failed to use.

        When the handler of an answer raises (or the run fails in the same step), the workflow
        puts the request back on its pending list: the answer was taken but not used. Its card
        opens again, saying what failed, so the learner can answer anew.
        """
        unused = [request_id for request_id in answers if request_id in self.workflow.pending_requests]
        if unused:
            failure = self.note.rstrip(".") or "The run failed"
            self.prompts.reopen(unused, f"{failure}. The answer was not used: answer again.")

    async def _drive(self, make_stream: Callable[[], AsyncIterator[WorkflowEvent]], raise_errors: bool) -> None:
        """Stream one run call into the views."""
        self._home_loop = running_loop()  # clicks from other threads are handed over to this loop
        self.busy = True
        self.error = None
        self.note = ""  # what the last call said (waiting, paused...) is about to change
        try:
            async for event in make_stream():
                self.handle(event)
        except asyncio.CancelledError:
            self.state = WorkflowRunState.CANCELLED.name  # the stream ended the run mid-step
            raise
        except Exception as error:
            self.error = error
            self.note = f"{type(error).__name__}: {error}"
            if raise_errors:
                raise
        finally:
            self.busy = False
            self._run_call_ended()

    def _run_call_ended(self) -> None:
        self.graph.flush()
        self.event_log.flush()
        self._output_throttle.flush()
        # Cards follow the workflow: answered ones go, refused ones stay (reopened).
        self.prompts.show_only(self.workflow.pending_requests.values())
        ended, self._drive_ended = self._drive_ended, asyncio.Event()
        ended.set()
        if self._queued:
            self._send_soon()  # clicks that came in while the run was busy

    async def _next_run_call_end(self) -> None:
        await self._drive_ended.wait()

    async def _next_run_call_end_or_stop(self) -> None:
        """Wait for the next run call to end (a click continued the run), or for `stop_waiting`."""
        waits = [asyncio.ensure_future(self._drive_ended.wait()), asyncio.ensure_future(self._stop_waiting.wait())]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    # --- drawing -----------------------------------------------------------------------------

    @traitlets.observe("state", "note", "busy")
    def _status_changed(self, change: dict[str, Any]) -> None:
        self._draw_status()

    @traitlets.observe("output_count")
    def _outputs_changed(self, change: dict[str, Any]) -> None:
        self._output_throttle.request()

    def _draw_status(self) -> None:
        words = STATE_WORDS.get(self.state, self.state.lower())
        state = f' <code style="font-size:11px">{self.state}</code>' if self.state else ""
        note = f'<div style="margin-top:2px">{html.escape(self.note)}</div>' if self.note else ""
        colour = STATE_COLOURS.get(self.state, "#334155")
        self.status.value = (
            f'<div class="wfkit-status" style="line-height:1.45"><b>{html.escape(self.title)}</b>: '
            f'<span style="color:{colour};font-weight:600">{words}</span>{state}{note}</div>'
        )

    def _draw_outputs(self) -> None:
        self.output_box.value = self.outputs_html()

    def outputs_html(self) -> str:
        """The run's outputs (the last 20) as readable HTML."""
        if not self.outputs:
            return ""
        shown = self.outputs[-20:]
        items = "".join(f'<div class="wfkit-output">{value_html(output)}</div>' for output in shown)
        more = f" (the last {len(shown)} of {len(self.outputs)})" if len(self.outputs) > len(shown) else ""
        return readable(f"<div><b>Output</b>{more}:</div>{items}")

    def static_html(self) -> str:
        """Everything the view shows, as plain HTML, for pages that cannot run widgets."""
        return (
            f"<div>{self.status.value}{self.graph.static_html()}{self.prompts.static_html()}"
            f"{self.outputs_html()}{self.event_log.static_html()}</div>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return with_static_html(super()._repr_mimebundle_(**kwargs), self.static_html())
