"""Lesson 4 exercise: an interceptor that reviews the sub-workflow's drafts itself.

The learner writes an executor class that handles the child's review request and answers it with a
`RequestResponse`: "approve" for drafts of at most `LIMIT` words, otherwise "Make it shorter, please".
The check builds the lesson's parent workflow with it (``build_parent(interceptor=...)``), runs it,
and looks at what happened.
"""

from __future__ import annotations

from typing import Any, Callable

from wfkit import Executor, WorkflowRunState
from wfkit.teach import CheckResult, Exercise, report

exercise = Exercise.for_module(__name__, __file__)

LIMIT = 120


@exercise.checker
async def check(candidate: type, build_parent: Callable[..., Any], task: Any) -> CheckResult:
    """Run the lesson's parent workflow (`build_parent`, started with `task`) with `candidate` as the interceptor."""
    if not (isinstance(candidate, type) and issubclass(candidate, Executor)):
        return report(False, "Give the class itself (an Executor subclass), e.g. ShortDraftReviewer.")
    try:
        workflow = build_parent(interceptor=candidate("auto_review"))
        result = await workflow.run(task)
    except Exception as error:
        return report(False, f"The workflow failed with your reviewer: {type(error).__name__}: {error}")
    asked = result.get_request_info_events()
    if asked:
        return report(
            False,
            f"{len(asked)} question(s) still reached the caller, so nobody answered in code. Does your handler "
            "take the child's ReviewRequest, and send RequestResponse(verdict, request, request.request_id)?",
        )
    state = result.get_final_state()
    outputs = result.get_outputs()
    if state is not WorkflowRunState.IDLE or not outputs:
        return report(
            False,
            f"The run ended {state.name} with no published draft. Send the verdict back to the sub-workflow "
            "(your executor's only out-edge leads there) as a RequestResponse.",
        )
    final = outputs[-1]
    words = len(final.text.split())
    if words > LIMIT:
        return report(
            False,
            f"Your reviewer approved draft {final.iterations}, which has {words} words; the limit is {LIMIT}. "
            "Answer longer drafts with 'Make it shorter, please' instead of 'approve'.",
        )
    return report(
        True,
        f"Draft {final.iterations} ({words} words) was approved by your reviewer after "
        f"{final.iterations - 1} request(s) to shorten it; no person was asked.",
    )


reveal = exercise.reveal  # shows the reference solution, once the check has run
