"""The reference solution of lesson_03 (its check must pass it) and a known wrong answer (the
check must refuse it). Hidden from the file browser; `lesson_03.reveal()` prints the solution
once the learner has run the check."""

from __future__ import annotations

from wfkit import RequestInfoExecutor


def solution(checkpoints: list) -> tuple[str, dict[str, str]]:
    """The newest checkpoint that waits for a person, and "approve" for the request it waits on."""
    waiting = [cp for cp in checkpoints if RequestInfoExecutor.checkpoint_summary(cp).status == "awaiting human response"]
    newest = max(waiting, key=lambda cp: cp.timestamp)
    [request] = RequestInfoExecutor.pending_requests_from_checkpoint(newest)
    return newest.checkpoint_id, {request.request_id: "approve"}


def wrong(checkpoints: list) -> tuple[str, dict[str, str]]:
    """Plausible but wrong: the first pause found, an older point in the run's history."""
    for cp in checkpoints:
        pending = RequestInfoExecutor.pending_requests_from_checkpoint(cp)
        if pending:
            return cp.checkpoint_id, {pending[0].request_id: "approve"}
    return checkpoints[-1].checkpoint_id, {}
