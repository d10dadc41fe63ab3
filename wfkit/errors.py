"""Every exception wfkit raises, in one module, so you can see at a glance which one to catch.

Catch `WorkflowError` to catch them all, or one branch of the tree to catch one kind. A name
in parentheses is a built-in exception the class derives from as well, so code written for
plain Python catches it too (``except ValueError`` catches a `CheckpointFormatError`)::

    WorkflowError                                     anything wfkit raises on purpose
    ├── HandlerSignatureError (TypeError)             a @handler or @executor is declared wrongly
    ├── WorkflowValidationError (ValueError)          build() found a graph that cannot run
    │   └── TypeCompatibilityError                    an edge joins executors with no type in common
    ├── WorkflowTypeError (TypeError)                 a value its WorkflowContext[...] does not allow
    ├── WorkflowRoutingError                          a message to an executor with no edge to it
    ├── EdgeConditionError                            an edge's condition or selection function failed
    ├── WorkflowRunError (RuntimeError)               not allowed now (say, while it is already running)
    ├── RequestResponseError (ValueError)             an answer that fits no pending request
    ├── RunKeywordsError (ValueError)                 run keywords for an executor the workflow lacks
    ├── ExecutorTimeoutError (TimeoutError)           a handler ran past its with_timeout limit
    ├── WorkflowTimeoutError (TimeoutError)           a run went past its with_run_timeout limit
    ├── LoopLimitError                                a loop went round max_rounds times
    ├── FanInFailedError                              too few sources of a join succeeded (min_successes)
    ├── SubWorkflowError                              a sub-workflow failed, or was misused
    ├── WorkflowFailedError                           the run ended in failure: __cause__ says why
    ├── CheckpointError
    │   ├── CheckpointNotFoundError (LookupError)     no checkpoint with that id
    │   ├── CheckpointFormatError (ValueError)        saved data that cannot be read back
    │   ├── CheckpointEncodingError (TypeError)       a value that cannot be saved
    │   ├── CheckpointRegistryError (ValueError)      one checkpoint name for two classes
    │   ├── InvalidCheckpointIdError (ValueError)     an id that is not a safe file name
    │   ├── CheckpointStorageError (OSError)          the folder or disk refused: read-only, full
    │   └── CheckpointGraphMismatchError (ValueError) restored into a different graph
    ├── ChatClientError
    │   ├── MissingCredentialsError (ValueError)      no API key or endpoint
    │   ├── ModelNotFoundError                        unknown model or deployment (HTTP 404)
    │   ├── AuthenticationFailedError                 key or token rejected (HTTP 401, 403)
    │   ├── RateLimitedError                          too many requests (HTTP 429)
    │   ├── ModelConnectionError (ConnectionError)    the server could not be reached
    │   ├── ModelResponseError                        an answer that is not the chat API's JSON
    │   ├── ScriptedRepliesExhaustedError             an offline client ran out of replies
    │   └── ReplayMismatchError (LookupError)         no recorded reply for this request
    ├── AgentOptionsError (TypeError)                 an agent given arguments it cannot use as given
    ├── UnansweredToolCallError (ValueError)          an agent run again before its tool question was answered
    ├── OrchestrationManagerError (ValueError)        a group chat or Magentic manager chose what cannot be done
    ├── ObservabilityError (ValueError)               tracing set up with an option wfkit cannot honour
    ├── GraphvizNotFoundError                         Graphviz's `dot` program is missing
    ├── EvaluatorSignatureError (TypeError)           an @evaluator with a parameter no item can fill
    ├── EvalNotPassedError                            raise_for_status() on an evaluation that did not pass
    ├── ExerciseNotSolvedError (AssertionError)       an exercise's check failed, in a headless run
    ├── NotAnsweredYetError (RuntimeError)            a cell needs answers a card above still waits for
    ├── SavedTestError (ValueError)                   a run that cannot be saved as a test, and why
    ├── PredictionError (ValueError)                  a prediction names an executor or arrow the workflow lacks
    └── ForkEditError (ValueError)                    a fork's edit names a key or executor the step lacks

When something raises during a run (one of these, or any exception of your own in a
handler), `Workflow.run` raises `WorkflowFailedError` *from* it: the original exception is
the failed-run error's `__cause__`, so it is never lost.

Every message says what happened, where (executor id, request id, file) and how to fix it,
because the person reading it is usually a learner in the middle of a lesson.

One class here is not an error: `RunStopped` derives from `BaseException`, outside the tree. A
functional workflow's run raises it to stop the workflow function where it stands (at a
question nobody has answered yet) and catches it again; your ``except Exception`` lets it pass.

This module imports nothing from the rest of wfkit, so any module can import it, and
importing it costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotations only: importing them for real would make a cycle
    from .core.events import WorkflowErrorDetails, WorkflowEvent


class WorkflowError(Exception):
    """Base class of every error wfkit raises on purpose."""


# --- while you write and build a workflow ---------------------------------------------------


class HandlerSignatureError(WorkflowError, TypeError):
    """A `@handler` or `@executor` function is declared in a way wfkit cannot dispatch to, or a
    `@workflow` or `@step` function in a way wfkit cannot call.

    Raised when the class (or function) is defined, so the mistake shows up at the line that
    made it rather than in the middle of a run.
    """


class WorkflowValidationError(WorkflowError, ValueError):
    """`WorkflowBuilder.build()` found a graph that cannot run as written."""


class TypeCompatibilityError(WorkflowValidationError):
    """An edge connects an executor to one that accepts none of the types it sends."""


# --- while it runs --------------------------------------------------------------------------


class WorkflowTypeError(WorkflowError, TypeError):
    """A handler sent or yielded a value its `WorkflowContext[...]` annotation does not allow."""


class WorkflowRoutingError(WorkflowError):
    """A handler addressed a message to an executor it has no edge to."""


class EdgeConditionError(WorkflowError):
    """An edge's condition, a switch-case predicate or a selection function raised, or (a
    selection function) returned something that is not a list of target ids.

    The message names the edge (source -> target) and the function. When the function raised,
    its exception is this error's ``__cause__``.
    """


class WorkflowRunError(WorkflowError, RuntimeError):
    """A workflow was asked to do something its current run state does not allow."""


class RequestResponseError(WorkflowError, ValueError):
    """An answer given to `send_responses` does not fit any pending request.

    Nothing runs when this is raised, and every request stays pending.
    """


class RunKeywordsError(WorkflowError, ValueError):
    """``workflow.run(..., function_invocation_kwargs=..., client_kwargs=...)`` was given keywords
    it cannot hand on: for an executor id the workflow does not have, or not as a dict.

    Raised by the call itself, before the run starts or changes.
    """


# Why a time limit could not stop a handler, and what to do: a limit stops an `async def` handler
# at its next `await`, so a handler that never awaits (a blocking call) or catches the
# cancellation runs on until it ends; wfkit can only notice afterwards.
NOT_STOPPABLE = (
    "A blocking call inside an async def handler (time.sleep, a synchronous HTTP request) holds the whole "
    "event loop, so nothing can stop it: use await asyncio.sleep(...) or an async client, or make the "
    "executor a plain def, which runs in a worker thread. A handler that catches asyncio.CancelledError "
    "must raise it again."
)


class ExecutorTimeoutError(WorkflowError, TimeoutError):
    """A handler ran longer than the timeout set with `WorkflowBuilder.with_timeout`."""

    @classmethod
    def after(
        cls, executor_id: str, seconds: float, *, has_retry: bool = False, has_fallback: bool = False
    ) -> ExecutorTimeoutError:
        """The error for `executor_id` stopped after `seconds`. The advice offers only what the
        executor lacks: a retry or a fallback it already has is not suggested again."""
        missing = " or ".join(name for name, there in (("a retry", has_retry), ("a fallback", has_fallback)) if not there)
        advice = f", or add {missing} for it" if missing else ""
        return cls(
            f"Executor '{executor_id}' took longer than {seconds:g} s. Raise the limit with "
            f"with_timeout({executor_id!r}, seconds=...){advice}."
        )

    @classmethod
    def overran(cls, executor_id: str, seconds: float, took: float) -> ExecutorTimeoutError:
        """The error for `executor_id`, which ran `took` seconds although its limit could stop it
        at `seconds`: it blocked the event loop, or caught the cancellation."""
        return cls(
            f"Executor '{executor_id}' ran {took:.2f} s, past its limit of {seconds:g} s, because it did not "
            f"let the limit stop it. {NOT_STOPPABLE}"
        )


class WorkflowTimeoutError(WorkflowError, TimeoutError):
    """A run took longer than the limit set with `WorkflowBuilder.with_run_timeout`.

    The run is stopped in the superstep that was going on: that step's work is dropped, the
    checkpoint of the last finished step stays loadable, and the workflow is free for a new run.
    """

    @classmethod
    def after(cls, limit: float, superstep: int, running: list[str]) -> WorkflowTimeoutError:
        """The error for a run stopped at `limit` seconds in `superstep`, delivering to `running`."""
        return cls(
            f"The run took longer than its limit of {limit:g} s (with_run_timeout) and was stopped in "
            f"superstep {superstep}, which was delivering to {', '.join(repr(i) for i in running)}; that "
            "step's work was dropped. Raise the limit with with_run_timeout(seconds=...), or give the slow "
            "executors a with_timeout(...) with a retry or fallback."
        )

    @classmethod
    def overran(cls, limit: float, superstep: int, running: list[str], took: float) -> WorkflowTimeoutError:
        """The error for a run whose `superstep` ended at `took` seconds, past `limit`, because a
        handler did not let the limit stop it. The step had finished, so its work is kept."""
        return cls(
            f"The run took {took:.2f} s, past its limit of {limit:g} s (with_run_timeout): superstep "
            f"{superstep}, delivering to {', '.join(repr(i) for i in running)}, did not let the limit stop "
            f"it, and was stopped when it ended (its work is kept). {NOT_STOPPABLE}"
        )


class LoopLimitError(WorkflowError):
    """A loop went round `max_rounds` times without its `until` condition becoming true."""


class FanInFailedError(WorkflowError):
    """Fewer sources of a join (`add_fan_in_edges(..., min_successes=n)`) succeeded than it needs.

    Raised once every source has either sent or failed for good: the message names the join's
    target, how many succeeded, which sources failed and with what error.
    """


class SubWorkflowError(WorkflowError):
    """A sub-workflow failed, or was used in a way it cannot support.

    When the child workflow failed, the exception that ended the child's run is this error's
    ``__cause__``.
    """


class WorkflowFailedError(WorkflowError):
    """A run ended in failure: raised by `Workflow.run`, `send_responses`, `run_from_checkpoint`
    and a `WorkflowAgent`'s `run`.

    It is raised *from* the exception that ended the run, so the real cause is one step away::

        try:
            await workflow.run(message)
        except WorkflowFailedError as error:
            if isinstance(error.__cause__, ExecutorTimeoutError):
                print("too slow:", error.__cause__)

    (``except ExecutorTimeoutError:`` around `run` would catch nothing: the run raises this
    error, whatever the cause, and the cause hangs off it.)

    - `cause`: the exception that ended the run, the very object a handler raised, the same
      as ``__cause__``. None when wfkit itself stopped the run (too many supersteps), or when
      the failure was read back from saved data and no exception object exists any more.
    - `details`: the cause written down as text: type name, message, executor id, traceback.
    - `events`: every event of the run, in order.

    Streams (`run_stream`) do not raise: they end with a `WorkflowFailedEvent` whose
    ``details.exception`` is the same exception.
    """

    def __init__(self, details: WorkflowErrorDetails, events: list[WorkflowEvent], message: str | None = None) -> None:
        super().__init__(message or repr(details))
        self.details = details
        self.events = events

    @property
    def cause(self) -> BaseException | None:
        """The exception that ended the run (see the class docstring), or None."""
        return self.details.exception


# --- saving and restoring runs --------------------------------------------------------------


class CheckpointError(WorkflowError):
    """Base class of every checkpoint error."""


class CheckpointNotFoundError(CheckpointError, LookupError):
    """No checkpoint with the asked-for id is in the storage."""

    checkpoint_id: str = ""

    @classmethod
    def for_id(cls, checkpoint_id: str, existing_ids: list[str], where: str) -> CheckpointNotFoundError:
        """The error for `checkpoint_id`, listing a few ids that do exist so a typo is easy to spot."""
        if existing_ids:
            shown = ", ".join(existing_ids[:5])
            more = f" (and {len(existing_ids) - 5} more)" if len(existing_ids) > 5 else ""
            hint = f"Existing ids: {shown}{more}. Use list_checkpoint_ids() to see them all."
        else:
            hint = "It holds no checkpoints yet: did the run use with_checkpointing(...) with this storage?"
        error = cls(f"No checkpoint {checkpoint_id!r} in {where}. {hint}")
        error.checkpoint_id = checkpoint_id
        return error


class CheckpointFormatError(CheckpointError, ValueError):
    """Saved checkpoint data cannot be read back: a truncated or edited file, or an unknown type name."""


class CheckpointEncodingError(CheckpointError, TypeError):
    """A value cannot be saved in a checkpoint, usually because its type is not registered."""


class CheckpointRegistryError(CheckpointError, ValueError):
    """`register_checkpoint_type` was asked to give one name to two different classes."""


class InvalidCheckpointIdError(CheckpointError, ValueError):
    """A checkpoint id that is not a safe file name (it could point outside the storage folder)."""


class CheckpointStorageError(CheckpointError, OSError):
    """The place checkpoints are kept refused to read or write: a read-only folder, a full disk.

    Raised *from* the `OSError` (or SQLite error) that said so. A save that fails this way
    leaves the checkpoint saved before it intact.
    """


class CheckpointGraphMismatchError(CheckpointError, ValueError):
    """A checkpoint is being restored into a workflow whose graph differs from the one that saved it."""


# --- not an error ---------------------------------------------------------------------------


class RunStopped(BaseException):
    """Stops a functional workflow's function where it stands; its run catches it. Not an error.

    Raised by `RunContext.request_info` for a question nobody has answered yet (the run then
    waits for the answer), and by anything that touches a run that has already paused or ended
    (a branch of an ``asyncio.gather`` still going when another branch asked a question). It is
    a `BaseException`, so ``except Exception`` in your code lets it through to the run.
    """


# --- talking to a model ---------------------------------------------------------------------
# Every chat client raises one of these instead of the HTTP library's own error, so a learner
# reads "the deployment 'gpt-4o' was not found at https://..." rather than a stack of httpx
# frames. Inside a workflow they end the run like any other handler error.


class ChatClientError(WorkflowError):
    """Base class of the errors a chat client raises on purpose."""


class MissingCredentialsError(ChatClientError, ValueError):
    """A real client was created without the settings it needs (an API key, an endpoint...).

    Raised by the constructor, before any request is made.
    """


class ModelNotFoundError(ChatClientError):
    """The server does not know the model or deployment name (HTTP 404)."""


class AuthenticationFailedError(ChatClientError):
    """The server rejected the key or token (HTTP 401 or 403)."""


class RateLimitedError(ChatClientError):
    """The server asked us to slow down (HTTP 429), even after the client's own retries."""


class ModelConnectionError(ChatClientError, ConnectionError):
    """The server could not be reached, did not answer in time, or hung up in the middle of a
    streamed answer."""


class ModelResponseError(ChatClientError):
    """The server answered, but not with what the chat API promises: a body that is not JSON, JSON
    without ``choices[0].message``, or an empty ``choices`` list.

    Usually a `base_url` that points at something other than an OpenAI-compatible ``/v1``
    endpoint (a web page, a proxy's error page), or a server that filtered the answer away.
    """


class ScriptedRepliesExhaustedError(ChatClientError):
    """`OfflineChatClient(replies=[...])` was asked for more replies than it was given."""


class ReplayMismatchError(ChatClientError, LookupError):
    """`ReplayChatClient` got a request it has no recording for."""


class AgentOptionsError(WorkflowError, TypeError):
    """An agent, or a request to a chat client, was given arguments it cannot use as given.

    Usually the two spellings of AF mixed in a way that has no single meaning: today's
    ``Agent(client, chat_client=...)``, or one option given twice with two values
    (``temperature=0.2`` beside ``options={"temperature": 0.7}``). Also raised for an AF
    feature wfkit leaves out (``middleware=``), rather than ignoring it.
    """


class UnansweredToolCallError(WorkflowError, ValueError):
    """An agent was run again while a tool call of its conversation still waits for the caller:
    an approval (``approval_mode="always_require"``) or the result of a declaration-only tool.
    The message names the call and the answer to add."""


class OrchestrationManagerError(WorkflowError, ValueError):
    """The manager of a group chat or of a Magentic team answered with something the
    orchestration cannot act on: a participant that is not in the team, or a reply that is not
    the JSON it asked for. The message quotes the answer and lists the participants."""


# --- watching runs with OpenTelemetry --------------------------------------------------------


class ObservabilityError(WorkflowError, ValueError):
    """`setup_observability` (or `configure_otel_providers`) was asked for something wfkit cannot
    do as asked: an exporter whose package is missing, or a destination wfkit does not send to.

    Raised at the setup call, never during a run: a run is not stopped by its tracing.
    """


# --- drawing a workflow ---------------------------------------------------------------------


class GraphvizNotFoundError(WorkflowError):
    """Graphviz's `dot` program (or the `graphviz` Python package) is not installed."""


# --- evaluation ---------------------------------------------------------------------------------


class EvaluatorSignatureError(WorkflowError, TypeError):
    """An ``@evaluator`` function has a parameter without a default whose name is none of the
    item's fields (``query``, ``response``, ``conversation``, ...), so nothing could be passed to it.
    Raised where the function is decorated; the message lists the names it may use."""


class EvalNotPassedError(WorkflowError):
    """``EvalResults.raise_for_status()`` found items that failed or whose check raised; the
    message gives the counts, the checks' reasons and the agents that did not pass."""


# --- teaching -----------------------------------------------------------------------------------


class ExerciseNotSolvedError(WorkflowError, AssertionError):
    """An exercise's check failed where ``WFKIT_CHECKS_RAISE=1`` asks it to raise (a lesson's
    headless runs set it, so a check that refuses the reference solution, or passes the wrong
    answer, is seen)."""


class PredictionError(WorkflowError, ValueError):
    """A prediction of the next step (`RunExplorer.predict`) names an executor or an arrow the
    workflow does not have, or there is no next step to predict. The message names what was
    wrong and lists the ids (or arrows) there are."""


class NotAnsweredYetError(WorkflowError, RuntimeError):
    """A cell needs the answers a run's card still waits for, and the cell cannot wait for the
    click (in the browser, JupyterLite, a click reaches the kernel only once the cell has ended):
    `NotebookRun.wait_for_answers` stops the cell with this. Answer the card, then run the cell
    again.

    A notebook shows its message alone, not a traceback: nothing is wrong with the code; the
    cell came too early.
    """

    def _render_traceback_(self) -> list[str]:
        # IPython (the kernels of JupyterLab and JupyterLite alike) shows these lines in place
        # of the traceback when an exception has this method.
        return [f"{type(self).__name__}: {self}"]


class SavedTestError(WorkflowError, ValueError):
    """A run cannot be saved as a test (`RunHistory.save_test`): its factory cannot be imported,
    or a value it needs cannot be written as Python. The message names which, and what to change."""


class ForkEditError(WorkflowError, ValueError):
    """A fork was asked to edit what the step's checkpoint does not have (a shared-state key, an
    executor, a key of its state) or to put in a value a checkpoint cannot hold. The message
    names the edit and what there is; nothing was saved or run. `edit` names the edit refused
    as the explorer's form does (``shared:n``, ``writer:tone``; "" when it is not one key)."""

    def __init__(self, message: str, edit: str = "") -> None:
        super().__init__(message)
        self.edit = edit
