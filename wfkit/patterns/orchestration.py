"""The Sequential and Concurrent builders moved to `wfkit.orchestrations`; their names stay
importable from here (and from `wfkit.patterns`) for code written before the move."""

from ..orchestrations.concurrent import Aggregate, ConcurrentBuilder, Dispatch, RequestToConversation, prompt_and_answers
from ..orchestrations.request_info import AgentRequestInfoResponse
from ..orchestrations.sequential import ConversationEnd, ConversationStart, PassConversation, SequentialBuilder

__all__ = [
    "Aggregate",
    "AgentRequestInfoResponse",
    "ConcurrentBuilder",
    "ConversationEnd",
    "ConversationStart",
    "Dispatch",
    "PassConversation",
    "RequestToConversation",
    "SequentialBuilder",
    "prompt_and_answers",
]
