"""Lesson 3: the reference solution, under the learner's name (lesson_03.reveal() shows it once the
learner has run the check), and a known wrong answer the check must refuse.

The lesson's headless runs paste each over the learner's choose_resume and run the lesson, so both
use the lesson's own names. This file is read, never imported; its folder is hidden from
JupyterLab's file browser."""


def choose_resume(checkpoints):
    waiting = [cp for cp in checkpoints
               if RequestInfoExecutor.checkpoint_summary(cp).status == "awaiting human response"]
    chosen = waiting[-1]             # the newest pause: the revised draft waits there
    [request] = RequestInfoExecutor.pending_requests_from_checkpoint(chosen)
    responses = {request.request_id: "approve"}
    return chosen.checkpoint_id, responses


def first_pause(checkpoints):
    """A plausible mistake: the first pause found, an older point in the run's history."""
    for cp in checkpoints:
        pending = RequestInfoExecutor.pending_requests_from_checkpoint(cp)
        if pending:
            return cp.checkpoint_id, {pending[0].request_id: "approve"}
    return checkpoints[-1].checkpoint_id, {}


def newest_pause_unanswered(checkpoints):
    """A plausible mistake: the right checkpoint, but no answer for the question waiting there."""
    waiting = [cp for cp in checkpoints
               if RequestInfoExecutor.checkpoint_summary(cp).status == "awaiting human response"]
    return waiting[-1].checkpoint_id, {}


solution = choose_resume
wrong = first_pause, "Pick the NEWEST checkpoint"
wrong_2 = newest_pause_unanswered, "you supplied no answers"
