"""The exceptions wfkit raises.

Every message says what happened, where (executor id, request id, file) and how to fix it,
because the person reading it is usually a learner in the middle of a lesson.
"""

from __future__ import annotations


class WorkflowError(Exception):
    """Base class of every error wfkit raises on purpose."""


class HandlerSignatureError(WorkflowError, TypeError):
    """A `@handler` or `@executor` function is declared in a way wfkit cannot dispatch to.

    Raised when the class (or function executor) is defined, so the mistake shows up at
    the line that made it rather than in the middle of a run.
    """


class WorkflowValidationError(WorkflowError, ValueError):
    """`WorkflowBuilder.build()` found a graph that cannot run as written."""


class TypeCompatibilityError(WorkflowValidationError):
    """An edge connects an executor to one that accepts none of the types it sends."""


class WorkflowTypeError(WorkflowError, TypeError):
    """A handler sent or yielded a value its `WorkflowContext[...]` annotation does not allow."""


class WorkflowRoutingError(WorkflowError):
    """A handler addressed a message to an executor it has no edge to."""


class WorkflowRunError(WorkflowError, RuntimeError):
    """A workflow was asked to do something its current run state does not allow."""


class RequestResponseError(WorkflowError, ValueError):
    """An answer given to `send_responses` does not fit any pending request.

    Nothing runs when this is raised, and every request stays pending.
    """
