"""Functional workflows: a workflow written as one async function (Agent Framework 1.x's
``@workflow``, ``@step`` and ``RunContext``), run by wfkit offline and seen like any run.

Read in this order:

- `workflow.py`: ``@workflow`` and ``run()``; how a paused run goes on by *replay*;
- `step.py`: ``@step``, a call whose result the run keeps;
- `context.py`: the `RunContext` a function asks questions and keeps state with;
- `memory.py`: what a run remembers between two ``run()`` calls, and how a call is recognised;
- `run.py`: one run from its first event to its last, and what happens at a pause;
- `streaming.py`: its events as they happen, and one run at a time;
- `saving.py`: that memory as a checkpoint, and back;
- `calling.py`: which parameter gets the input and which the context;
- `events.py`: the one event of its own, a step that was replayed instead of run;
- `agent.py`: a functional workflow used as an agent.
"""

from .agent import FunctionalWorkflowAgent
from ..errors import RunStopped
from .context import RunContext, get_run_context
from .events import ExecutorBypassedEvent
from .step import Step, step
from .workflow import FunctionalWorkflow, workflow

__all__ = [
    "ExecutorBypassedEvent",
    "FunctionalWorkflow",
    "FunctionalWorkflowAgent",
    "RunContext",
    "RunStopped",
    "Step",
    "get_run_context",
    "step",
    "workflow",
]
