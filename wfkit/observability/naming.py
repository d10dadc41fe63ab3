"""The names wfkit gives its spans and their attributes, in Agent Framework's two spellings.

Tracing tools group and search spans by name and by attribute key, so wfkit uses the names
Agent Framework uses for the same moments of a run. AF renamed a few between its previews and
1.x, so there are two sets, `SEED` and `TODAY`, and the call that turned tracing on picks one:
``setup_observability()`` (the previews' call) names spans as the previews did,
``configure_otel_providers()`` / ``enable_instrumentation()`` (1.x's calls) as 1.x does.

=====================  ==============================  =======================================
moment                 seed era (b251007, b251104)     today (1.x)
=====================  ==============================  =======================================
a run                  ``workflow.run``                ``invoke_workflow`` (+ `` <name>``)
a handler call         ``executor.process``            ``executor.process <executor id>``
a message sent         ``message.send``                ``message.send``
a superstep            ``workflow.superstep``          ``workflow.superstep`` (wfkit's own)
=====================  ==============================  =======================================

AF has no span per superstep: wfkit adds one, because supersteps are what its lessons teach.
"""

from __future__ import annotations

from dataclasses import dataclass

# Attribute keys and span events that both eras spell the same way.
WORKFLOW_ID = "workflow.id"
WORKFLOW_DESCRIPTION = "workflow.description"
WORKFLOW_STARTED = "workflow.started"  # span events on the run span
WORKFLOW_COMPLETED = "workflow.completed"
WORKFLOW_ERROR = "workflow.error"
EXECUTOR_ID = "executor.id"
EXECUTOR_TYPE = "executor.type"
MESSAGE_TYPE = "message.type"  # on an executor span: "standard", or "response" (an answer)
MESSAGE_PAYLOAD_TYPE = "message.payload_type"
MESSAGE_DESTINATION = "message.destination_executor_id"
MESSAGE_SEND_SPAN = "message.send"
ERROR_TYPE = "error.type"
ERROR_MESSAGE = "error.message"

# wfkit's own: a span per superstep.
SUPERSTEP_SPAN = "workflow.superstep"
SUPERSTEP_ITERATION = "superstep.iteration"
SUPERSTEP_MESSAGES = "superstep.message_count"


@dataclass(frozen=True)
class Dialect:
    """The names one era of AF gives to what differs (see the table in the module docstring)."""

    name: str
    run_span: str
    workflow_name_key: str
    name_in_run_span: bool  # "invoke_workflow my-flow" rather than "invoke_workflow"
    operation: str | None  # the gen_ai.operation.name of a run span, if the era sets one
    executor_id_in_span: bool  # "executor.process writer" rather than "executor.process"
    errors_in_full: bool  # the error's message on spans always, not only with sensitive data on

    def run_span_name(self, workflow_name: str | None) -> str:
        """The name of the span of a run of a workflow named `workflow_name` (None: unnamed)."""
        if self.name_in_run_span and workflow_name:
            return f"{self.run_span} {workflow_name}"
        return self.run_span

    def executor_span_name(self, executor_id: str) -> str:
        """The name of the span of one handler call of `executor_id`."""
        return f"executor.process {executor_id}" if self.executor_id_in_span else "executor.process"


OPERATION_KEY = "gen_ai.operation.name"

SEED = Dialect(
    name="seed",
    run_span="workflow.run",
    workflow_name_key="workflow.name",
    name_in_run_span=False,
    operation=None,
    executor_id_in_span=False,
    errors_in_full=True,
)

TODAY = Dialect(
    name="today",
    run_span="invoke_workflow",
    workflow_name_key="gen_ai.workflow.name",
    name_in_run_span=True,
    operation="invoke_workflow",
    executor_id_in_span=True,
    errors_in_full=False,
)
