"""Lesson 3 exercise: pick the checkpoint to resume from, and the answer that finishes the run.

The learner writes ``choose_resume(checkpoints) -> (checkpoint_id, responses)``. The check makes
a release-notes run that paused twice (a first draft, a revision after feedback), hands the
learner its checkpoints, then really resumes a freshly built workflow with the learner's choice
and looks at how the run ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from wfkit import (
    Executor,
    InMemoryCheckpointStorage,
    Never,
    RequestInfoExecutor,
    RequestInfoMessage,
    RequestResponse,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowRunState,
    handler,
)
from wfkit.teach import CheckResult, Exercise, report

exercise = Exercise.for_module(__name__, __file__)

FIRST_DRAFT = "Meet the Contoso grinder: 40 settings, $249. Order today!"
REVISED_DRAFT = "Meet the Contoso grinder, friends: 40 settings and a quiet motor, $249. Order today!"


# --- a small release-notes workflow (no model: the drafts are fixed) ----------------------------


@dataclass
class _Review(RequestInfoMessage):
    draft: str = ""
    iteration: int = 0


class _Writer(Executor):
    @handler
    async def first(self, brief: str, ctx: WorkflowContext[_Review]) -> None:
        await ctx.send_message(_Review(draft=FIRST_DRAFT, iteration=1))

    @handler
    async def answer(self, answer: RequestResponse[_Review, str], ctx: WorkflowContext[_Review | str]) -> None:
        if answer.data.strip().lower() == "approve":
            await ctx.send_message(answer.original_request.draft)
        else:
            await ctx.send_message(_Review(draft=REVISED_DRAFT, iteration=2))


class _Publish(Executor):
    @handler
    async def publish(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)


def _build(storage: Any):
    writer, review, publish = _Writer("writer"), RequestInfoExecutor("human_review"), _Publish("publish")
    return (
        WorkflowBuilder(name="lesson03_check", start_executor=writer, checkpoint_storage=storage)
        .add_edge(writer, review)
        .add_edge(review, writer)
        .add_edge(writer, publish)
        .build()
    )


async def _history(storage: Any) -> list:
    """Run until the second pause: first draft, feedback, revised draft waiting for a person."""
    first = await _build(storage).run("the grinder")
    [ask] = first.get_request_info_events()
    newest = (await storage.list_checkpoints(workflow_name="lesson03_check"))[-1]
    await _build(storage).run(checkpoint_id=newest.checkpoint_id, responses={ask.request_id: "friendlier"})
    return await storage.list_checkpoints(workflow_name="lesson03_check")


@exercise.checker
async def check(candidate: Callable[[list], tuple[str, dict]]) -> CheckResult:
    """Resume a fresh workflow with the candidate's (checkpoint_id, responses); it must finish
    with the revised draft published and no question asked again."""
    storage = InMemoryCheckpointStorage()
    checkpoints = await _history(storage)
    try:
        checkpoint_id, responses = candidate(list(checkpoints))
    except Exception as error:
        return report(False, f"choose_resume raised {type(error).__name__}: {error}")
    by_id = {cp.checkpoint_id: cp for cp in checkpoints}
    if checkpoint_id not in by_id:
        return report(False, f"{checkpoint_id!r} is not the id of one of the checkpoints you were given.")
    number = checkpoints.index(by_id[checkpoint_id]) + 1
    status = RequestInfoExecutor.checkpoint_summary(by_id[checkpoint_id]).status
    if status != "awaiting human response":
        return report(
            False,
            f"Checkpoint #{number} is '{status}': no question is open there, so resuming it replays part of the "
            "run instead of finishing it. Choose a checkpoint whose status is 'awaiting human response'.",
        )
    if not responses:
        return report(
            False,
            f"Checkpoint #{number} waits for a person, but you supplied no answers, so resuming it would only "
            "ask the question again. Put {request_id: 'approve'} in responses.",
        )
    try:
        result = await _build(storage).run(checkpoint_id=checkpoint_id, responses=responses)
    except Exception as error:
        return report(False, f"Resuming checkpoint #{number} ({status}) failed: {type(error).__name__}: {error}")
    state = result.get_final_state()
    if state is not WorkflowRunState.IDLE:
        return report(
            False,
            f"Resuming checkpoint #{number} ({status}) ended {state.name}, still waiting for "
            f"{len(result.get_request_info_events())} answer(s). Choose a checkpoint that is "
            "'awaiting human response' and answer its pending request.",
        )
    published = result.get_outputs()
    if published != [REVISED_DRAFT]:
        return report(
            False,
            f"The run finished, but it published {published!r}: the first draft. Checkpoint #{number} is an "
            "older pause, from before the reviewer's feedback. Pick the NEWEST checkpoint that is awaiting a "
            "human response.",
        )
    return report(True, f"Checkpoint #{number} of {len(checkpoints)} was the right one: the revised draft is published.")


reveal = exercise.reveal  # shows the reference solution, once the check has run
