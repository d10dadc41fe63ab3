"""`NotebookRun`: one workflow run in a notebook, driven by answers from code or from clicks.

A `NotebookRun` runs its workflow as a stream, keeps what happened (its events, outputs and
state, and a message for the learner) and hands every event to its view, a `RunView`, which
only draws. When the run pauses for answers, the view shows a card per request; a click on a
card comes back here (`answer`), waits in a queue while the workflow is busy, and continues the
run (``send_responses_streaming``) as soon as the workflow is free, so a click made while other
branches are still running is not lost.

A card answers *its own* run: the `WorkflowRun` this object drove (`workflow_run`), not
whichever run the workflow has made since. A later cell may run the same workflow again before
the card is clicked (in the browser, where a cell cannot wait for a click, it always can); the
click then continues the card's run, which becomes the workflow's latest run again.

At a pause, `settle` decides who answers: the ``answers`` given in code first; then, if the run
was told to wait for clicks, the learner; with neither, the run stays paused and its message
says which requests have no answer. `wfkit.notebook.run` makes the run, decides whether anyone
can click, and shows the view.

``import wfkit.notebook`` must not load ipywidgets (a run loads it when it makes its view), so
the few names this module takes from `wfkit.widgets` are imported in the methods that use them.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Mapping

import traitlets

from ..agents.pieces import JoinedOutputs
from ..core.events import FanInWaitingEvent, WorkflowEvent, WorkflowRunState, WorkflowStartedEvent
from ..errors import RequestResponseError
from ..history.records import one_line, preview
from ..history.run_history import steps_before_checkpoint
from .answers import AnswerSource, AnswerSpec, describe_unanswered

if TYPE_CHECKING:
    from ..checkpoint.storage.base import CheckpointStorage
    from ..core.run import WorkflowRun
    from ..core.workflow import Workflow
    from ..history.records import Superstep

__all__ = ["NotebookRun"]

PAUSED = WorkflowRunState.IDLE_WITH_PENDING_REQUESTS

WAITING_NOTE = "Waiting for your answer: use the buttons of the request card(s)."

# Who answered, for the view's record of each card (a click is told by the card itself).
BY_ANSWERS = "in code: run(..., answers=...)"
BY_SEND_RESPONSES = "in code: send_responses(...)"
BY_ANSWER = "in code: answer(...)"
BY_RESUME = "in code: resume(..., responses=...)"


def join_waiting_note(event: FanInWaitingEvent) -> str:
    """The sentence for a run that ended with a join still waiting."""
    target, waiting = event.target_id, ", ".join(repr(source) for source in event.waiting_for)
    return (
        f"Finished, but the join into {target!r} is still waiting for {waiting}, so {target!r} never ran "
        "(see the warning in the log)."
    )


class NotebookRun(traitlets.HasTraits):
    """A workflow run in a notebook: it drives the run, keeps its record, and shows it in `view`.

    `wfkit.notebook.run` makes one and returns it. The record follows the run: if a click on a
    card continues the run after the cell has finished, ``result.outputs`` and
    ``result.final_state`` follow.

    >>> result = NotebookRun(workflow)                                          # doctest: +SKIP
    >>> display(result.view)                                                    # doctest: +SKIP
    >>> (await result.start("Launch the grinder", answers=["approve"])).final_state   # doctest: +SKIP
    <WorkflowRunState.IDLE: 'IDLE'>
    """

    state = traitlets.Unicode("", help="name of the WorkflowRunState the latest run call is in ('' before any)")
    message = traitlets.Unicode("", help="why the run paused or failed, in a sentence ('' when it simply finished)")
    busy = traitlets.Bool(False, help="True while a run call is streaming")
    calls_ended = traitlets.Int(0, help="run calls ended so far, each counted once its cards are in step")

    # A function that always has an answer could keep a loop going forever; stop after this.
    max_answer_rounds = 100

    def __init__(self, workflow: Workflow, **view_options: Any) -> None:
        """`view_options` go to the `RunView`: ``title``, ``max_log_lines``,
        ``min_redraw_interval``, ``approve_answer``."""
        from ..widgets.run_view import RunView  # ipywidgets loads here (see the module docstring)

        super().__init__()
        self.workflow = workflow
        self.view = RunView(workflow, **view_options)
        self.view.on_answer(self.answer)
        # The view's status line draws these three facts; they are the run's, so they flow one way.
        for fact, drawn_as in (("state", "state"), ("message", "note"), ("busy", "busy")):
            traitlets.dlink((self, fact), (self.view, drawn_as))
        self.error: BaseException | None = None  # what the latest run call raised, if anything
        # A run resumed from a checkpoint: the steps that led there (from the checkpoints), which
        # the live graph starts from and the run explorer shows before the run's own.
        self.earlier_steps: list[Superstep] = []
        self.retired = False  # True once a newer run took this one's place
        self.workflow_run: WorkflowRun | None = None  # the run the cards answer (None before the start)
        self._events: list[WorkflowEvent] = []
        self._outputs = JoinedOutputs()
        self._open: set[str] = set()  # requests asked and not answered yet: a click may answer these
        self._queued: dict[str, Any] = {}  # answers clicked, not sent yet
        self._sending: set[str] = set()  # answers being sent right now
        self._call_ended = asyncio.Event()
        self._stop_waiting = asyncio.Event()  # set: the current run call waits for no click
        self._stop_reason = ""
        self._tasks: set[asyncio.Task[Any]] = set()  # continuations started by clicks
        self._home_loop: asyncio.AbstractEventLoop | None = None  # the loop the workflow runs in

    # --- the record --------------------------------------------------------------------------

    @property
    def events(self) -> list[WorkflowEvent]:
        """Every event of the run, continuations included."""
        return list(self._events)

    @property
    def outputs(self) -> list[Any]:
        """Every value the run yielded with ``ctx.yield_output``, in order. The run is streamed
        (to draw it live); the pieces of an agent's streamed answer are joined back into one
        `AgentResponse`, as ``workflow.run(message)`` would give it (see `wfkit.agents.pieces`)."""
        return list(self._outputs.items)

    @property
    def final_state(self) -> WorkflowRunState | None:
        """IDLE (finished), IDLE_WITH_PENDING_REQUESTS (paused), FAILED... (None before the start)."""
        return WorkflowRunState[self.state] if self.state else None

    @property
    def pending_requests(self) -> dict[str, Any]:
        """The requests still waiting for an answer, by request id."""
        return self.workflow_run.pending_requests if self.workflow_run is not None else {}

    def _record(self, event: WorkflowEvent) -> None:
        # The event is kept before `state` changes: whoever watches `state` (the run explorer
        # follows this run) then finds the event already there.
        self.view.handle(event)
        self._events.append(event)
        match event.type:
            case "request_info":
                self._open.add(event.request_id)
            case "status":
                self.state = event.state.name
            case "output":
                self._outputs.add(event.data)
            case "failed":
                self.message = f"The run failed: {event.details!r}"
            case "fan_in_waiting":
                # The log shows it as one warning among many lines; a run that "finished" without
                # running its join deserves a sentence where the learner looks first.
                self.message = f"{self.message} {join_waiting_note(event)}".strip()

    # --- running -----------------------------------------------------------------------------

    async def start(self, message: Any, *, answers: AnswerSpec = None, wait_for_clicks: bool = False) -> NotebookRun:
        """Start a new run with `message` and return when it has settled (see `settle`).

        At a pause, requests are answered from `answers` (a list in order, a dict by request
        id, or a function); then, if `wait_for_clicks`, the run waits for the cards to be
        clicked; otherwise it stops, paused, and says which requests have no answer.
        """
        self._start_afresh()
        await self._drive(lambda: self.workflow.run_stream(message), raise_errors=True)
        return await self.settle(answers, wait_for_clicks)

    async def resume(
        self,
        checkpoint_id: str,
        checkpoint_storage: CheckpointStorage | None = None,
        responses: Mapping[str, Any] | None = None,
        *,
        workflow: Workflow | None = None,
        answers: AnswerSpec = None,
        wait_for_clicks: bool = False,
    ) -> NotebookRun:
        """Continue from a checkpoint (in `workflow`, if a fresh one is given), as a new run.

        `responses` answers some of the checkpoint's requests at once; the others show up as
        cards again. The graph starts as the checkpoint's step left it: what ran before shows done.
        """
        resumed = workflow or self.workflow
        storage = checkpoint_storage or resumed.checkpoint_storage
        self._start_afresh(workflow, await steps_before_checkpoint(storage, checkpoint_id, resumed))
        for request_id, answer in (responses or {}).items():
            self.view.note_answer(request_id, answer, by=BY_RESUME)
        await self._drive(
            lambda: self.workflow.run_stream_from_checkpoint(checkpoint_id, checkpoint_storage, responses),
            raise_errors=True,
        )
        return await self.settle(answers, wait_for_clicks)

    async def send_responses(self, responses: Mapping[str, Any]) -> NotebookRun:
        """Answer pending requests in code (``{request_id: answer}``) and continue, in the same view."""
        await self.wait_until_quiet()
        self._queue(responses, by=BY_SEND_RESPONSES)
        await self._send_queued(raise_errors=True)
        return await self.settle(None, wait_for_clicks=False)

    def answer(self, request_id: str, answer: Any) -> None:
        """Answer one request (the cards call this on a click, from whatever thread the click
        came in on); the run continues as soon as the workflow is free. A second answer to the
        same request is ignored, and so is any answer once the run is retired."""
        from ..widgets.loops import call_in_loop

        # A workflow is touched from one event loop only: the click is handed over to it.
        call_in_loop(self._home_loop, self._take_answer, request_id, answer)

    def _take_answer(self, request_id: str, answer: Any) -> None:
        if self.retired:
            return  # a click on a card of a replaced run: the workflow belongs to the new run now
        if request_id in self._queued or request_id in self._sending or request_id not in self._open:
            return
        self._queue({request_id: answer}, by=BY_ANSWER)  # a card's click: the card says so itself
        self._send_soon()

    def _send_soon(self) -> None:
        from ..widgets.loops import start_task

        if self.busy:
            return  # the running call sends queued answers when it ends
        # Without any event loop (plain Python), settle() or send_responses() sends them.
        start_task(self._home_loop, lambda: self._send_queued(raise_errors=False), self._tasks)

    async def settle(self, answers: AnswerSpec, wait_for_clicks: bool) -> NotebookRun:
        """Continue until the run is finished or failed, or paused with nobody to answer."""
        source = AnswerSource(answers)
        rounds_answered = 0
        while True:
            await self.wait_until_quiet()
            if self.final_state is not PAUSED:
                break
            waiting = list(self.pending_requests.values())
            given = source.answers_for(waiting)
            if given and rounds_answered >= self.max_answer_rounds:
                self.message = (
                    f"Stopped answering after {self.max_answer_rounds} rounds: the answers keep the "
                    "workflow going. Check the answers function, or the workflow's condition for finishing."
                )
                break
            if given:
                rounds_answered += 1
                self._queue(given, by=BY_ANSWERS)
                await self._send_queued(raise_errors=True)
                continue
            if not wait_for_clicks:
                self.message = describe_unanswered(waiting)
                break
            if self._stop_reason:
                self.message = self._stop_reason
                break
            self.message = WAITING_NOTE
            await self._next_call_end_or_stop()
        return self

    async def wait_for_clicks(self) -> NotebookRun:
        """At a pause, wait until the cards' clicks have carried the run to its end (or to a
        pause with nobody to answer), or until `stop_waiting` is called; then return."""
        self._stop_waiting.clear()  # an earlier wait that was stopped does not stop this one
        self._stop_reason = ""
        return await self.settle(None, wait_for_clicks=True)

    async def wait_for_answers(self) -> None:
        """For a cell that needs this run's answers: wait until the run no longer waits for a
        person, where the cell can wait for a click; where it cannot (in the browser), stop the
        cell with `NotAnsweredYetError`, "answer the card above first, then run this cell again".
        With nobody to click (papermill, CI) return at once. See `wfkit.notebook.running`.

        >>> await result.wait_for_answers()    # doctest: +SKIP
        >>> result.outputs                     # doctest: +SKIP
        ['New: Launch the grinder. Pre-order today!']
        """
        from .running import wait_for_answers  # running.py knows the kernel, and imports this module

        await wait_for_answers(self)

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
        self._open.clear()
        running = [task for task in self._tasks if not task.done()]
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        self.view.retire(reason)
        self.message = reason

    async def wait_until_quiet(self) -> None:
        """Wait until no run call is streaming and no clicked answer is waiting to be sent."""
        while self.busy or self._queued:
            if self.busy:
                await self._call_ended.wait()
            else:
                await self._send_queued(raise_errors=False)

    def _start_afresh(self, workflow: Workflow | None = None, earlier_steps: list[Superstep] | None = None) -> None:
        """Forget the last run (and change `workflow`, if another one is given): a new run
        starts, afresh or from a checkpoint (after `earlier_steps`)."""
        if workflow is not None:
            self.workflow = workflow
        self.earlier_steps = earlier_steps or []
        self.workflow_run = None  # until the new run call has its run
        self._events, self.error = [], None
        self._outputs.clear()
        self._open.clear()
        self._queued.clear()
        self._stop_waiting.clear()
        self._stop_reason = ""
        self.state, self.message = "", ""
        self.view.reset(workflow, self.earlier_steps[-1].statuses if self.earlier_steps else None)

    # --- the plumbing ------------------------------------------------------------------------

    def _queue(self, answers: Mapping[str, Any], by: str) -> None:
        for request_id, answer in answers.items():
            self._queued[request_id] = answer
            self.view.note_answer(request_id, answer, by=by)

    async def _send_queued(self, raise_errors: bool) -> None:
        if self.busy or not self._queued:
            return
        answers, self._queued = dict(self._queued), {}
        self._sending = set(answers)
        try:
            await self._drive(
                lambda: self.workflow.send_responses_streaming(answers, run=self.workflow_run), raise_errors=True
            )
        except RequestResponseError as error:
            # Refused before anything ran: every request is still pending, so the cards open again.
            self.view.reopen(answers, str(error))
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
        unused = [request_id for request_id in answers if request_id in self.pending_requests]
        if unused:
            failure = self.message.rstrip(".") or "The run failed"
            self.view.reopen(unused, f"{failure}. The answer was not used: answer again.")

    async def _drive(self, make_stream: Callable[[], AsyncIterator[WorkflowEvent]], raise_errors: bool) -> None:
        """Stream one run call, recording every event and handing it to the view."""
        self._home_loop = asyncio.get_running_loop()  # clicks from other threads are handed over to it
        self.busy = True
        self.error = None
        self.message = ""  # what the last call said (waiting, paused...) is about to change
        try:
            async for event in make_stream():
                if isinstance(event, WorkflowStartedEvent):
                    # Every run call starts with this event, once the workflow has taken the
                    # call's run as its latest: the run this object's cards answer from now on.
                    self.workflow_run = self.workflow.latest_run
                self._record(event)
        except asyncio.CancelledError:
            self.state = WorkflowRunState.CANCELLED.name  # the stream ended the run mid-step
            raise
        except Exception as error:
            self.error = error
            self.message = f"{type(error).__name__}: {error}"
            if raise_errors:
                raise
        finally:
            self.busy = False
            self._call_finished()

    def _call_finished(self) -> None:
        self.view.flush()
        # Cards follow the workflow: answered ones go, refused ones stay (reopened).
        pending = self.pending_requests
        self._open = set(pending)
        self.view.show_requests(pending.values())
        ended, self._call_ended = self._call_ended, asyncio.Event()
        ended.set()
        self.calls_ended += 1
        if self._queued:
            self._send_soon()  # clicks that came in while the run was busy

    async def _next_call_end_or_stop(self) -> None:
        """Wait for the next run call to end (a click continued the run), or for `stop_waiting`."""
        waits = [asyncio.ensure_future(self._call_ended.wait()), asyncio.ensure_future(self._stop_waiting.wait())]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    def __repr__(self) -> str:
        # A few short lines: the outputs are on the view, readable, and in `result.outputs`.
        state = self.state or "not started"
        count = self._outputs.count
        lines = [
            f"NotebookRun: {state}, {count} output{'s' if count != 1 else ''}, "
            f"{len(self.pending_requests)} pending request(s), {len(self._events)} events"
        ]
        if count:
            lines.append(f"  last output: {preview(self._outputs.items[-1], 100)}")
        if self.message:
            lines.append(f"  {one_line(self.message, 300)}")
        return "\n".join(lines)
