"""A run's history, superstep by superstep: what ran, what was waiting, what changed, and the
forks that resume an older step with other answers.

- `records`: the plain data (`Superstep`, `WaitingMessage`, `OpenRequest`, `StepChanges`);
- `statuses`: the one rule for an executor's status (idle, running, waiting, done, failed),
  which the live graph follows too;
- `from_events`: the steps a run's events (and checkpoints) record;
- `from_checkpoints`: the steps and branches a checkpoint storage records, in any session;
- `step_diff`: `StepDiff`, what differs between any two steps (`RunHistory.diff`);
- `prediction`: `check_prediction`, a learner's guess at what a step does, checked, and a
  `Prediction` that says why each executor ran or did not (the explorer's ``predict=True``);
- `run_history`: `RunHistory`, which holds the branches and makes forks, and
  `steps_before_checkpoint`, the steps a run resumed from a checkpoint goes on from.

The notebook's explorer (`wfkit.notebook.explore`) draws a `RunHistory`; this package itself
imports no widgets.
"""

from .prediction import Prediction, check_prediction
from .records import OpenRequest, StepChanges, Superstep, WaitingMessage
from .run_history import Branch, RunHistory, steps_before_checkpoint
from .step_diff import StepDiff, ValueChange

__all__ = [
    "Branch",
    "OpenRequest",
    "Prediction",
    "RunHistory",
    "StepChanges",
    "StepDiff",
    "Superstep",
    "ValueChange",
    "WaitingMessage",
    "check_prediction",
    "steps_before_checkpoint",
]
