"""wfkit: learn how agent workflows work by running, watching and steering them in notebooks.

Everything a lesson needs is importable from here::

    from wfkit import Executor, WorkflowBuilder, WorkflowContext, handler

Names whose modules are heavy to import (SQLite storage; later agents and widgets) are loaded
on first use, so ``import wfkit`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

# The runtime first: the checkpoint package reuses its events.
from .core import *  # noqa: F403  (the runtime's public names)
from .core import __all__ as _core_names
from .checkpoint import (
    CheckpointStorage,
    FileCheckpointStorage,
    InMemoryCheckpointStorage,
    WorkflowCheckpoint,
    register_checkpoint_type,
)
from .agents import *  # noqa: F403  (chat types register their checkpoint names on import)
from .agents import __all__ as _agent_names
from .checkpoint.summary import PendingRequestDetails, WorkflowCheckpointSummary, get_checkpoint_summary
from .core.events import WorkflowEventSource
from .patterns import ExecutorStats, RunMetrics
# In both spellings: SequentialBuilder(participants=[...]) (today's) and SequentialBuilder().participants([...]).
from .orchestrations import ConcurrentBuilder, GroupChatBuilder, MagenticBuilder, SequentialBuilder
# The late-2025 names of the group chat and Magentic types (today's are in wfkit.orchestrations;
# where a name means another class today, as MagenticPlanReviewRequest does, this is the previews').
from .orchestrations.group_chat_types import GroupChatStateSnapshot, GroupChatTurn
from .orchestrations.magentic_manager import StandardMagenticManager
from .orchestrations.magentic_types import MagenticContext
from .orchestrations.magentic_late_2025 import (
    ORCH_MSG_KIND_INSTRUCTION,
    ORCH_MSG_KIND_NOTICE,
    ORCH_MSG_KIND_TASK_LEDGER,
    ORCH_MSG_KIND_USER_TASK,
    MagenticAgentDeltaEvent,
    MagenticAgentExecutor,
    MagenticAgentMessageEvent,
    MagenticCallbackEvent,
    MagenticCallbackMode,
    MagenticFinalResultEvent,
    MagenticOrchestratorMessageEvent,
    MagenticPlanReviewDecision,
    MagenticPlanReviewReply,
    MagenticPlanReviewRequest,
    MagenticWorkflow,
)
# Handoff in the late-2025 spelling (HandoffBuilder(...).set_coordinator(...), HandoffUserInputRequest)
# and today's resolve_agent_id; today's request type lives in wfkit.orchestrations, as in AF 1.x.
from .orchestrations import HandoffBuilder, HandoffUserInputRequest, resolve_agent_id
from .viz.export import WorkflowViz
from .history import Branch, OpenRequest, Prediction, RunHistory, StepChanges, StepDiff, Superstep, ValueChange, WaitingMessage
# Functional workflows (Agent Framework 1.x's @workflow / @step / RunContext).
from .functional import *  # noqa: F403
from .functional import __all__ as _functional_names
# Local evaluation of agents' answers (Agent Framework 1.x's evaluate_agent / evaluate_workflow).
from .evaluation import *  # noqa: F403
from .evaluation import __all__ as _evaluation_names

# Every wfkit exception is importable from here too (the runtime's and the agents' come in with
# the star imports above); `wfkit.errors` draws them all as one tree.
from .errors import (
    CheckpointEncodingError,
    CheckpointError,
    CheckpointFormatError,
    CheckpointGraphMismatchError,
    CheckpointNotFoundError,
    CheckpointRegistryError,
    CheckpointStorageError,
    EdgeConditionError,
    ExerciseNotSolvedError,
    ForkEditError,
    GraphvizNotFoundError,
    InvalidCheckpointIdError,
    NotAnsweredYetError,
    ObservabilityError,
    OrchestrationManagerError,
    PredictionError,
    SavedTestError,
)

# Public name -> module that defines it, imported when the name is first used.
_LAZY: dict[str, str] = {
    "SQLiteCheckpointStorage": "wfkit.checkpoint.storage.sqlite",
    # The previews had `from agent_framework import get_logger`; the rest of tracing is in
    # wfkit.observability, as it is in agent_framework.observability.
    "get_logger": "wfkit.observability.logs",
}

__all__ = [
    *_core_names,
    *_agent_names,
    *_functional_names,
    *_evaluation_names,
    "CheckpointEncodingError",
    "CheckpointError",
    "CheckpointFormatError",
    "CheckpointGraphMismatchError",
    "CheckpointNotFoundError",
    "CheckpointRegistryError",
    "CheckpointStorage",
    "CheckpointStorageError",
    "Branch",
    "ConcurrentBuilder",
    "GroupChatBuilder",
    "GroupChatStateSnapshot",
    "GroupChatTurn",
    "MagenticAgentDeltaEvent",
    "MagenticAgentExecutor",
    "MagenticAgentMessageEvent",
    "MagenticBuilder",
    "MagenticCallbackEvent",
    "MagenticCallbackMode",
    "MagenticContext",
    "MagenticFinalResultEvent",
    "MagenticOrchestratorMessageEvent",
    "MagenticPlanReviewDecision",
    "MagenticPlanReviewReply",
    "MagenticWorkflow",
    "MagenticPlanReviewRequest",
    "ORCH_MSG_KIND_INSTRUCTION",
    "ORCH_MSG_KIND_NOTICE",
    "ORCH_MSG_KIND_TASK_LEDGER",
    "ORCH_MSG_KIND_USER_TASK",
    "StandardMagenticManager",
    "OpenRequest",
    "Prediction",
    "RunHistory",
    "StepDiff",
    "ValueChange",
    "SequentialBuilder",
    "StepChanges",
    "Superstep",
    "WaitingMessage",
    "EdgeConditionError",
    "ExerciseNotSolvedError",
    "NotAnsweredYetError",
    "SavedTestError",
    "ForkEditError",
    "PredictionError",
    "ExecutorStats",
    "HandoffBuilder",
    "HandoffUserInputRequest",
    "FileCheckpointStorage",
    "GraphvizNotFoundError",
    "InMemoryCheckpointStorage",
    "InvalidCheckpointIdError",
    "ObservabilityError",
    "OrchestrationManagerError",
    "PendingRequestDetails",
    "RunMetrics",
    "WorkflowCheckpoint",
    "WorkflowCheckpointSummary",
    "WorkflowEventSource",
    "get_checkpoint_summary",
    "WorkflowViz",
    "register_checkpoint_type",
    "resolve_agent_id",
    *_LAZY,
]


# Submodules that pull in heavy libraries (ipywidgets), loaded on first use: `wfkit.notebook.run(...)`
# works after a plain `import wfkit`.
_LAZY_MODULES = ("notebook", "widgets")


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        return importlib.import_module(f"wfkit.{name}")
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module 'wfkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
