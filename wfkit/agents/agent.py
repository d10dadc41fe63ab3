"""`ChatAgent`: a chat client plus standing instructions and a name.

An agent does not remember anything between runs: give `run` the conversation so far and it
answers it. (In a workflow, `AgentExecutor` keeps the conversation for it.)::

    writer = client.create_agent(instructions="You write warm release notes.", name="writer")
    response = await writer.run("Brief: the smart mug keeps coffee hot for 12 hours.")
    print(response.text)

Options given to `create_agent` (``tools=[get_weather]``, ``response_format=Verdict``,
``temperature=0.2``) go with every request; options given to `run` go with that one (its tools
are added to the agent's)::

    checker = client.create_agent(instructions="Detect spam.", response_format=DetectionResult)
    verdict = (await checker.run(email)).value          # a DetectionResult

An agent can be put straight into a workflow graph, ``WorkflowBuilder().add_edge(writer, ...)``:
the builder wraps it in an `AgentExecutor` whose id is the agent's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, AsyncIterator, Sequence

from ..checkpoint.registry import register_checkpoint_type
from .options import chat_options, merged_options, parse_value
from .types import AgentRunResponse, AgentRunResponseUpdate, ChatMessage, Role, as_messages

if TYPE_CHECKING:
    from .executor import AgentExecutor
    from .protocol import ChatClientProtocol


class ChatAgent:
    """An agent that answers with `chat_client`, guided by `instructions` (its system message)."""

    def __init__(
        self,
        chat_client: ChatClientProtocol,
        instructions: str | None = None,
        name: str | None = None,
        id: str | None = None,
        description: str | None = None,
        **options: Any,
    ) -> None:
        self.chat_client = chat_client
        self.instructions = instructions
        self.name = name
        # A fixed default (not a random uuid) so a workflow rebuilt in a new process has the
        # same executor ids, and its checkpoints still fit.
        self.id = id or name or "agent"
        self.description = description
        self.options = chat_options(options)
        if "response_format" in self.options:
            # Its parsed answers travel in AgentExecutorResponses, which checkpoints save.
            register_checkpoint_type(self.options["response_format"])
        self._executors: dict[str, AgentExecutor] = {}
        self._added_executor: AgentExecutor | None = None  # the one `WorkflowBuilder.add_agent` made

    def __repr__(self) -> str:
        return f"ChatAgent(name={self.name!r}, chat_client={type(self.chat_client).__name__})"

    def conversation_for(self, messages: str | ChatMessage | Sequence[str | ChatMessage] | None) -> list[ChatMessage]:
        """What the model is sent: the instructions as a SYSTEM message, then `messages`."""
        conversation = as_messages(messages)
        if self.instructions:
            conversation.insert(0, ChatMessage(Role.SYSTEM, text=self.instructions))
        return conversation

    @property
    def response_format(self) -> Any:
        """The pydantic model the agent answers in (``create_agent(response_format=...)``), or None."""
        return self.options.get("response_format")

    async def run(
        self, messages: str | ChatMessage | Sequence[str | ChatMessage] | None = None, **options: Any
    ) -> AgentRunResponse:
        """Answer `messages` (the conversation so far) in one go; with a ``response_format``, the
        parsed answer is the response's ``value``."""
        options = merged_options(self.options, options)
        response = await self.chat_client.get_response(self.conversation_for(messages), **options)
        for message in response.messages:
            message.author_name = message.author_name or self.name
        value = getattr(response, "value", None)
        if value is None and "response_format" in options:  # a client that is not wfkit's own
            value = parse_value(options["response_format"], response.text)
        return AgentRunResponse(messages=response.messages, response_id=response.response_id, value=value)

    async def run_stream(
        self, messages: str | ChatMessage | Sequence[str | ChatMessage] | None = None, **options: Any
    ) -> AsyncIterator[AgentRunResponseUpdate]:
        """Answer `messages`, yielding the answer piece by piece as the model writes it (put it
        back together, parsed too, with ``AgentRunResponse.from_updates(updates, agent.response_format)``)."""
        options = merged_options(self.options, options)
        async for update in self.chat_client.get_streaming_response(self.conversation_for(messages), **options):
            yield AgentRunResponseUpdate(
                contents=update.contents,
                role=update.role,
                author_name=update.author_name or self.name,
                response_id=update.response_id,
            )

    def _as_workflow_executor(self, default_id: str | None = None) -> AgentExecutor:
        """The `AgentExecutor` the workflow builder uses when this agent appears in an edge.

        The same executor is returned every time for the same id, because the builder asks once
        per edge and must see one executor, not several with the same id.
        """
        from .executor import AgentExecutor  # the executor module needs nothing from here

        if default_id is None and self._added_executor is not None:
            return self._added_executor
        executor_id = default_id or self.name or self.id
        if executor_id not in self._executors:
            self._executors[executor_id] = AgentExecutor(self, id=executor_id)
        return self._executors[executor_id]

    def _remember_workflow_executor(self, executor: AgentExecutor) -> None:
        """Stand for `executor` in later edges (called by `WorkflowBuilder.add_agent`)."""
        self._added_executor = executor
        self._executors[executor.id] = executor
