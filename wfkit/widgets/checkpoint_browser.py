"""`CheckpointBrowser`: look through a workflow's checkpoints and resume from any of them.

The table lists every checkpoint of the workflow (time, superstep, status, pending requests).
Pick one to see its details; its pending requests appear as cards. A click on a card resumes
from that checkpoint with that answer; **Resume from here** resumes without answers (the
requests are asked again). Either way the run continues below, in the browser's own
`RunView`, and the table refreshes when it stops. One resume runs at a time: from the click
until its run stops, the cards and the button are locked.
"""

from __future__ import annotations

import asyncio
import html
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Mapping, Union

import ipywidgets as widgets
import traitlets

from ..checkpoint.summary import WorkflowCheckpointSummary, checkpoint_summary
from ..core.workflow import Workflow
from ..errors import WorkflowRunError
from .approval import ApprovalPrompt
from .fallback import with_static_html
from .loops import running_loop, start_task
from .request_html import readable, value_html
from .run_view import RunView

if TYPE_CHECKING:
    from ..checkpoint.model import WorkflowCheckpoint
    from ..checkpoint.storage.base import CheckpointStorage

WorkflowSource = Union[Workflow, Callable[[], Workflow]]


def short_time(timestamp: str) -> str:
    """``2025-01-31T09:15:02.123456+00:00`` -> ``09:15:02.123`` in local time."""
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return timestamp
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


class CheckpointBrowser(widgets.VBox):
    """The checkpoints of one workflow in `storage`, with "resume from here".

    `workflow` is the workflow to resume in, or a function that builds a fresh one for each
    resume (as a new process would)::

        browser = CheckpointBrowser(storage, release_notes_workflow)
        await browser.refresh()
        display(browser)
    """

    selected = traitlets.Unicode(None, allow_none=True, help="id of the checkpoint whose details are shown")
    resuming = traitlets.Bool(False, help="True from the start of a resume (the click) until its run stops")

    def __init__(
        self,
        storage: CheckpointStorage,
        workflow: WorkflowSource,
        *,
        workflow_id: str | None = None,
        **view_options: Any,
    ) -> None:
        self.storage = storage
        self._factory: Callable[[], Workflow] | None = None if isinstance(workflow, Workflow) else workflow
        first = workflow if isinstance(workflow, Workflow) else workflow()
        self.workflow_id = workflow_id or first.id
        self.checkpoints: list[WorkflowCheckpoint] = []
        self.summaries: dict[str, WorkflowCheckpointSummary] = {}
        self.table = widgets.HTML()
        self.picker = widgets.Select(options=[], rows=6, description="checkpoint", layout=widgets.Layout(width="420px"))
        widgets.link((self.picker, "value"), (self, "selected"))
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.resume_button = widgets.Button(description="Resume from here", button_style="primary", disabled=True)
        self.refresh_button.on_click(lambda _: self._in_background(self.refresh))
        self.resume_button.on_click(lambda _: self._resume_clicked())
        self.details = widgets.HTML()
        self.requests = ApprovalPrompt()
        self.requests.on_answer(self._answer_clicked)
        self.run_view = RunView(first, **view_options)
        self.run_view.observe(self._run_busy_changed, "busy")
        self._tasks: set[asyncio.Task[Any]] = set()
        self._home_loop = running_loop()
        super().__init__(
            children=[
                widgets.HTML(f"<b>Checkpoints of</b> <code>{html.escape(self.workflow_id)}</code>"),
                self.table,
                widgets.HBox([self.picker, widgets.VBox([self.refresh_button, self.resume_button])]),
                self.details,
                self.requests,
                self.run_view,
            ]
        )
        self.add_class("wfkit-checkpoint-browser")
        self._draw_table()
        self._in_background(self.refresh)

    # --- reading the storage ---------------------------------------------------------------

    async def refresh(self) -> None:
        """Read the checkpoints again (a run just saved new ones)."""
        self._home_loop = running_loop() or self._home_loop
        self.checkpoints = await self.storage.list_checkpoints(self.workflow_id)
        self.summaries = {cp.checkpoint_id: checkpoint_summary(cp) for cp in self.checkpoints}
        keep = self.selected if self.selected in self.summaries else None
        self.picker.options = [(self.row_label(i, cp), cp.checkpoint_id) for i, cp in enumerate(self.checkpoints, 1)]
        self.picker.value = keep
        self._draw_table()
        self._show_selected()

    def row_label(self, number: int, checkpoint: WorkflowCheckpoint) -> str:
        """One line of the picker: "#3  09:15:02.123  step 2  awaiting human response"."""
        summary = self.summaries[checkpoint.checkpoint_id]
        return f"#{number}  {short_time(checkpoint.timestamp)}  step {summary.iteration_count}  {summary.status}"

    # --- showing ---------------------------------------------------------------------------

    def table_html(self) -> str:
        """Every checkpoint as a row: number, time, superstep, status, pending requests."""
        if not self.checkpoints:
            return "<i>No checkpoints yet. Build the workflow with .with_checkpointing(storage) and run it.</i>"
        head = "".join(f'<th style="text-align:left;padding:2px 8px">{name}</th>' for name in
                       ("#", "time", "superstep", "status", "pending requests", "id"))
        rows = []
        for number, cp in enumerate(self.checkpoints, 1):
            summary = self.summaries[cp.checkpoint_id]
            mark = "background:#ede9fe;" if cp.checkpoint_id == self.selected else ""
            cells = (number, short_time(cp.timestamp), summary.iteration_count, summary.status,
                     len(summary.pending_requests), cp.checkpoint_id[:8])
            rows.append(f'<tr style="{mark}">' + "".join(
                f'<td style="text-align:left;padding:2px 8px">{html.escape(str(cell))}</td>' for cell in cells
            ) + "</tr>")
        style = "border-collapse:collapse;font-size:12px;line-height:1.4"
        return f'<table style="{style}"><tr>{head}</tr>{"".join(rows)}</table>'

    def details_html(self, summary: WorkflowCheckpointSummary) -> str:
        """What one checkpoint holds: where the run was, and what it waits for."""
        targets = ", ".join(summary.targets) or "none"
        count = len(summary.pending_requests)
        asks = (
            f"{count} pending request(s), shown below: answer one to resume with that answer."
            if count
            else "No pending requests."
        )
        return readable(
            f"<div><b>Checkpoint</b> <code>{html.escape(summary.checkpoint_id)}</code> "
            f"saved {html.escape(short_time(summary.timestamp))}, after superstep {summary.iteration_count}: "
            f"<b>{html.escape(summary.status)}</b></div>"
            f"<div>Messages waiting for: {html.escape(targets)}. {asks}</div>"
            f"<details><summary>Executor states</summary>{value_html(summary.executor_states)}</details>"
        )

    @traitlets.observe("selected")
    def _selected_changed(self, change: dict[str, Any]) -> None:
        self._draw_table()
        self._show_selected()

    def _show_selected(self) -> None:
        summary = self.summaries.get(self.selected or "")
        self._lock_controls()
        self.details.value = self.details_html(summary) if summary else ""
        self.requests.show_only(summary.pending_requests if summary else [])

    def _draw_table(self) -> None:
        self.table.value = self.table_html()

    # --- resuming --------------------------------------------------------------------------

    async def resume(self, checkpoint_id: str | None = None, responses: Mapping[str, Any] | None = None) -> Any:
        """Resume from `checkpoint_id` (default: the selected one) in the view below, answering
        `responses` at once; return the state the run settles in. Refused while another resume
        is starting or running: two runs in one view would mix their outputs."""
        checkpoint_id = checkpoint_id or self.selected
        if not checkpoint_id:
            raise ValueError("Choose a checkpoint first (or pass checkpoint_id=...).")
        if self._busy:
            raise WorkflowRunError(f"{self._busy_reason()} Await it, then call resume() again.")
        self.resuming = True
        return await self._resume_claimed(checkpoint_id, responses)

    async def _resume_claimed(self, checkpoint_id: str, responses: Mapping[str, Any] | None) -> Any:
        """The resume itself, once `resuming` is set (by `resume`, or by a click)."""
        try:
            workflow = self._factory() if self._factory is not None else None
            return await self.run_view.resume(checkpoint_id, self.storage, responses, workflow=workflow)
        finally:
            self.requests.show_only([])  # fresh cards: the same checkpoint may be answered differently next time
            self.resuming = False
            await self.refresh()

    def _resume_clicked(self) -> None:
        self._start_resume({})

    def _answer_clicked(self, request_id: str, answer: Any) -> None:
        self._start_resume({request_id: answer})

    def _start_resume(self, responses: dict[str, Any]) -> None:
        """Resume from the selected checkpoint in the background, unless a resume is already
        starting or running; a refused answer's card opens again and says why."""
        refusal = ""
        if self._busy:
            refusal = f"{self._busy_reason()} Wait for it to stop, then answer."
        elif self.selected:
            # Claimed here, in the click handler: the task starts later, and a click on a
            # second card can come in before it has run a single line.
            self.resuming = True
            checkpoint_id = self.selected
            if not self._in_background(lambda: self._resume_claimed(checkpoint_id, responses)):
                self.resuming = False
                refusal = "No event loop runs here to resume in: call `await browser.resume(...)` yourself."
        if refusal:
            self.requests.reopen(responses, refusal)

    @property
    def _busy(self) -> bool:
        """True while a resume is starting or running, here or in the view below."""
        return self.resuming or self.run_view.busy

    def _busy_reason(self) -> str:
        if self.resuming:
            return "The browser is already resuming from a checkpoint."
        return "A run is still going below."

    @traitlets.observe("resuming")
    def _resuming_changed(self, change: dict[str, Any]) -> None:
        self._lock_controls()

    def _run_busy_changed(self, change: dict[str, Any]) -> None:
        self._lock_controls()
        if not change["new"]:
            self._in_background(self.refresh)  # a continuation clicked below saved new checkpoints

    def _lock_controls(self) -> None:
        self.resume_button.disabled = self._busy or self.selected not in self.summaries
        self.requests.locked = self._busy

    def _in_background(self, make_coroutine: Callable[[], Any]) -> bool:
        # Clicks may come in on another thread (a kernel subshell): the work goes to the loop
        # the browser's runs live in. Without a loop (plain Python), call `await ...` yourself.
        return start_task(self._home_loop, lambda: self._report_errors(make_coroutine()), self._tasks)

    async def _report_errors(self, coro: Any) -> None:
        try:
            await coro
        except Exception as error:  # nobody awaits a click's task: show what went wrong
            self.run_view.note = f"{type(error).__name__}: {error}"

    def static_html(self) -> str:
        """The table, the chosen checkpoint and the run, as plain HTML."""
        return self.table.value + self.details.value + self.run_view.static_html()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return with_static_html(super()._repr_mimebundle_(**kwargs), self.static_html())

