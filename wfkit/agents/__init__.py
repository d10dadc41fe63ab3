"""Agents and chat models: the LLM side of a workflow.

- `types`: messages (`Message`, `Role`) and responses, streamed or whole.
- `contents`: what a message holds (`Content`: text, tool calls and results, approvals).
- `stream`: `ResponseStream`, what ``run(..., stream=True)`` gives: updates, then the whole answer.
- `pieces`: `JoinedOutputs`, a run's outputs with each agent's streamed pieces joined (for readers).
- `protocol`: what a chat client is (`ChatClientProtocol`) and the base class of ours.
- `agent`: `Agent`, a client with instructions and a name (`ChatAgent`, its seed-era spelling).
- `sessions`: `AgentSession` and context providers (`InMemoryHistoryProvider`): memory between runs.
- `tools`: `tool`, `FunctionTool` and `ToolMode`: python functions an agent may call
  (`ai_function` and `AIFunction`, their seed-era names).
- `options`: the request options wfkit acts on (tools, tool_choice, response_format).
- `function_calling`: the loop that runs the tools a model calls and gives it the results.
- `user_input`: where that loop stops for the caller: approvals, and tools only the caller runs.
- `executor`: `AgentExecutor`, an agent as a workflow node, with its request and response.
- `openai_client`: `OpenAIChatClient` and `AzureOpenAIChatClient`, for real models.
- `offline`: `OfflineChatClient`, a deterministic model for lessons and CI.
- `recording`: record a real model's replies to JSON, replay them offline.
- `select`: `chat_client()`, which picks one of the above from the environment.

Both of AF's spellings work: today's (`Agent`, `Message`, `AgentResponse`, ``run(stream=True)``,
``options={...}``) and the seed era's (`ChatAgent`, `ChatMessage`, `AgentRunResponse`, `run_stream`,
options as keywords). Each pair of names is one class, or a thin translation onto it.

Its errors (`ChatClientError` and the rest) live with every other wfkit error in `wfkit.errors`,
and are importable from here too.

Importing this package does not import `openai`; creating a real client does.
"""

from ..errors import (
    AgentOptionsError,
    AuthenticationFailedError,
    ChatClientError,
    MissingCredentialsError,
    ModelConnectionError,
    ModelNotFoundError,
    ModelResponseError,
    RateLimitedError,
    ReplayMismatchError,
    ScriptedRepliesExhaustedError,
    UnansweredToolCallError,
)
from .agent import Agent, ChatAgent
from .events import AgentRunEvent, AgentRunUpdateEvent
from .executor import AgentExecutor, AgentExecutorRequest, AgentExecutorResponse
from .offline import OfflineChatClient
from .openai_client import AzureOpenAIChatClient, OpenAIChatClient
from .protocol import AgentProtocol, BaseChatClient, ChatClientProtocol, SupportsChatGetResponse
from .recording import RecordingChatClient, ReplayChatClient
from .select import chat_client
from .pieces import JoinedOutputs
from .stream import ResponseStream
from .sessions import AgentSession, ContextProvider, HistoryProvider, InMemoryHistoryProvider, SessionContext
from .tools import AIFunction, FunctionTool, HostedCodeInterpreterTool, ToolMode, ai_function, tool
from .types import (
    AgentResponse,
    AgentResponseUpdate,
    AgentRunResponse,
    AgentRunResponseUpdate,
    ChatMessage,
    ChatResponse,
    ChatResponseUpdate,
    Content,
    Contents,
    FunctionApprovalRequestContent,
    FunctionApprovalResponseContent,
    FunctionCallContent,
    FunctionResultContent,
    Message,
    Role,
    TextContent,
)

__all__ = [
    "AIFunction",
    "Agent",
    "AgentExecutor",
    "AgentExecutorRequest",
    "AgentExecutorResponse",
    "AgentOptionsError",
    "AgentProtocol",
    "AgentResponse",
    "AgentResponseUpdate",
    "AgentRunEvent",
    "AgentRunResponse",
    "AgentRunResponseUpdate",
    "AgentRunUpdateEvent",
    "AgentSession",
    "AuthenticationFailedError",
    "AzureOpenAIChatClient",
    "BaseChatClient",
    "ChatAgent",
    "ChatClientError",
    "ChatClientProtocol",
    "ChatMessage",
    "ChatResponse",
    "ChatResponseUpdate",
    "Content",
    "Contents",
    "ContextProvider",
    "FunctionApprovalRequestContent",
    "FunctionApprovalResponseContent",
    "FunctionCallContent",
    "FunctionResultContent",
    "FunctionTool",
    "HistoryProvider",
    "HostedCodeInterpreterTool",
    "InMemoryHistoryProvider",
    "Message",
    "MissingCredentialsError",
    "ModelConnectionError",
    "ModelNotFoundError",
    "ModelResponseError",
    "OfflineChatClient",
    "OpenAIChatClient",
    "RateLimitedError",
    "RecordingChatClient",
    "ReplayChatClient",
    "ReplayMismatchError",
    "JoinedOutputs",
    "ResponseStream",
    "Role",
    "ScriptedRepliesExhaustedError",
    "SessionContext",
    "SupportsChatGetResponse",
    "TextContent",
    "ToolMode",
    "UnansweredToolCallError",
    "WorkflowAgent",
    "ai_function",
    "chat_client",
    "tool",
]

from .workflow_agent import WorkflowAgent  # noqa: E402  (needs the types above)
