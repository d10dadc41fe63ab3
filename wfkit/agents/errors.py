"""What can go wrong when an agent talks to a model, as exceptions that say how to fix it.

Every chat client raises one of these instead of the HTTP library's own error, so a learner
reads "the deployment 'gpt-4o' was not found at https://..." rather than a stack of httpx
frames. They are all `WorkflowError`s: inside a workflow they end the run with a
`WorkflowFailedEvent` that carries the same message.
"""

from __future__ import annotations

from ..core.errors import WorkflowError


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
    """The server could not be reached, or did not answer in time."""


class ScriptedRepliesExhaustedError(ChatClientError):
    """`OfflineChatClient(replies=[...])` was asked for more replies than it was given."""


class ReplayMismatchError(ChatClientError, LookupError):
    """`ReplayChatClient` got a request it has no recording for."""
