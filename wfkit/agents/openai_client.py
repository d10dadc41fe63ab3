"""Chat clients for real models: OpenAI, any OpenAI-compatible server, and Azure OpenAI.

Both are thin layers over the `openai` package's async clients. They add three things a
learner needs: settings read from the environment, wfkit's message types in and out, and
errors that say what to do::

    client = OpenAIChatClient()                       # OPENAI_API_KEY, OPENAI_MODEL
    client = OpenAIChatClient(base_url="http://localhost:11434/v1", api_key="local", model_id="llama3.2")
    client = AzureOpenAIChatClient(credential=AzureCliCredential())  # AZURE_OPENAI_* settings

`openai` is imported when a client is created, not when wfkit is imported, so lessons that
run offline never load it. Retries and timeouts are the openai client's own (`max_retries`,
`timeout`), passed through.

A server's answer is checked before it is believed: a body that is not the chat API's JSON, or
has no choices, raises `ModelResponseError`; a streamed answer cut off before its end raises
`ModelConnectionError` rather than passing part of an answer off as the whole; an answer the
model itself stopped early (the token limit, a content filter) comes with a warning.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
import time
import warnings
from typing import Any, AsyncIterator, Awaitable, Callable

from ..core.blocking import run_blocking
from ..errors import (
    AuthenticationFailedError,
    ChatClientError,
    MissingCredentialsError,
    ModelConnectionError,
    ModelNotFoundError,
    ModelResponseError,
    RateLimitedError,
)
from .protocol import BaseChatClient
from .types import (
    ChatMessage,
    ChatResponse,
    ChatResponseUpdate,
    FunctionCallContent,
    FunctionResultContent,
    Role,
    TextContent,
)

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_AZURE_API_VERSION = "2024-10-21"
DEFAULT_TIMEOUT = 60.0  # seconds; the openai package's own default (10 minutes) looks like a hang in a notebook
AZURE_SCOPE = "https://cognitiveservices.azure.com/.default"
OFFLINE_HINT = "Without keys, wfkit.chat_client() uses the offline client (OfflineChatClient), so lessons still run."
BODY_PREVIEW = 200  # characters of a malformed answer shown in the error: enough to recognise a web page


def _env(*names: str) -> str | None:
    """The first of these environment variables that is set and not empty."""
    return next((os.environ[name] for name in names if os.environ.get(name)), None)


class _OpenAIChatClientBase(BaseChatClient):
    """What both clients share: sending a conversation through an openai async client."""

    _client: Any
    server: str  # the URL we talk to, for error messages
    _model_kind = "model"  # what model_id names, in error messages ("deployment" for Azure)

    async def _complete(self, messages: list[ChatMessage], options: dict[str, Any]) -> ChatResponse:
        try:
            # The raw body rather than the openai package's object: given a web page or JSON of
            # another shape, the package passes on a JSONDecodeError, a plain string or a
            # half-empty object; reading the body here lets us say what went wrong.
            raw = await self._client.chat.completions.with_raw_response.create(**self._request(messages, options))
            body = raw.text  # already read: only a streamed answer is read as it comes
        except Exception as error:
            raise self._explain(error) from error
        return self._read_completion(body)

    def _read_completion(self, body: str) -> ChatResponse:
        """The wfkit response for a chat completion's JSON text, checked field by field::

            {"id": ..., "model": ..., "choices": [{"message": {"content": "Hi", "tool_calls": [...]},
                                                   "finish_reason": "stop"}]}
        """
        try:
            data = json.loads(body)
        except json.JSONDecodeError as error:
            raise self._malformed(body, "a body that is not JSON") from error
        choices = data.get("choices") if isinstance(data, dict) else None
        if choices == []:
            raise ModelResponseError(
                f"{self._where()} returned no choices: the answer's \"choices\" list is empty, so there is no "
                "message to read. Some servers do that when a content filter removed the answer. Rephrase the "
                "prompt and run it again; if it keeps happening, check the server's logs (or the content filter "
                "of an Azure deployment)."
            )
        choice = choices[0] if isinstance(choices, list) and isinstance(choices[0], dict) else {}
        message = choice.get("message")
        if not isinstance(message, dict):
            raise self._malformed(body, 'JSON without "choices[0].message"')
        contents = self._read_message(message, body)
        warn_if_stopped_early(choice.get("finish_reason"), self._where())
        reply = ChatMessage(Role.ASSISTANT, contents=contents)
        return ChatResponse(messages=[reply], response_id=data.get("id"), model_id=data.get("model"))

    def _read_message(self, message: dict[str, Any], body: str) -> list[Any]:
        """The text and tool calls of a completion's message (`body` is the whole answer, for errors)."""
        content = message.get("content")
        calls = message.get("tool_calls") or []
        if "content" not in message and not calls:
            raise self._malformed(body, 'a "choices[0].message" with neither "content" nor "tool_calls"')
        if content is not None and not isinstance(content, str):
            raise self._malformed(body, 'a "choices[0].message.content" that is not text')
        if not (isinstance(calls, list) and all(_is_tool_call(call) for call in calls)):
            raise self._malformed(
                body, '"choices[0].message.tool_calls" that are not {"id", "function": {"name", "arguments"}} '
                "with text values"
            )
        contents: list[Any] = [TextContent(content)] if content else []
        for call in calls:
            function = call["function"]
            contents.append(FunctionCallContent(call.get("id") or "", function["name"], function["arguments"]))
        return contents

    async def _complete_stream(
        self, messages: list[ChatMessage], options: dict[str, Any]
    ) -> AsyncIterator[ChatResponseUpdate]:
        # A tool call arrives in pieces: its id and name, then its arguments a few characters at
        # a time, each piece tagged with the call's index. They are put together here and the
        # whole calls yielded last, as `_complete` returns them.
        calls: dict[int, dict[str, str]] = {}
        response_id = None
        # A whole answer's last chunk says why the model stopped, then `data: [DONE]` follows. The
        # openai package stops reading quietly when the body ends without them, so a stream with
        # no finish_reason was cut off: the connection closed mid-answer.
        finish_reason = None
        received = 0  # characters of text and tool arguments, to say how far a cut stream got
        stream = None
        try:
            stream = await self._client.chat.completions.create(**self._request(messages, options), stream=True)
            async with stream:  # closes the HTTP response even when the caller stops reading early
                async for chunk in stream:
                    response_id = chunk.id
                    choice = chunk.choices[0] if chunk.choices else None  # none in a usage-only chunk
                    finish_reason = (choice and choice.finish_reason) or finish_reason
                    delta = choice.delta if choice else None
                    for piece in (delta and delta.tool_calls) or []:
                        call = calls.setdefault(piece.index, {"id": "", "name": "", "arguments": ""})
                        call["id"] = piece.id or call["id"]
                        if piece.function:
                            call["name"] += piece.function.name or ""
                            call["arguments"] += piece.function.arguments or ""
                            received += len(piece.function.arguments or "")
                    if delta and delta.content:
                        received += len(delta.content)
                        yield ChatResponseUpdate(text=delta.content, role=Role.ASSISTANT, response_id=chunk.id)
        except Exception as error:
            if stream is not None and _is_connection_error(error):
                raise self._stream_ended_early(received, error) from error  # a broken body: cut as well
            raise self._explain(error) from error
        if finish_reason is None:
            raise self._stream_ended_early(received)
        warn_if_stopped_early(finish_reason, self._where())
        if calls:
            contents = [FunctionCallContent(c["id"], c["name"], c["arguments"]) for _, c in sorted(calls.items())]
            yield ChatResponseUpdate(contents=contents, role=Role.ASSISTANT, response_id=response_id)

    def _request(self, messages: list[ChatMessage], options: dict[str, Any]) -> dict[str, Any]:
        return {"model": self.model_id, "messages": to_openai_messages(messages), **to_openai_options(options)}

    async def close(self) -> None:
        """Close the HTTP connections (optional; they close when the program ends)."""
        await self._client.close()

    # --- errors a learner can act on -------------------------------------------------------

    def _where(self) -> str:
        """The server and model, as error messages name them."""
        return f"{self.server} ({self._model_kind} {self.model_id!r})"

    def _malformed(self, text: str, what: str) -> ModelResponseError:
        """The error for an answer that is not the chat API's JSON, showing how it began."""
        shown = repr(text[:BODY_PREVIEW])
        if len(text) > BODY_PREVIEW:
            shown += f" ... ({len(text)} characters in all)"
        return ModelResponseError(
            f"{self._where()} answered with {what} instead of an OpenAI chat completion. It began: {shown}. "
            "Check that the address points to an OpenAI-compatible endpoint, which usually ends in /v1 "
            f"(http://localhost:11434/v1, say), not to a web page or a proxy. {self._address_advice()}"
        )

    def _stream_ended_early(self, received: int, cause: BaseException | None = None) -> ModelConnectionError:
        """The error for a streamed answer that stopped before the server said it was finished."""
        how = f" ({type(cause.__cause__ or cause).__name__}: {cause.__cause__ or cause})" if cause else ""
        return ModelConnectionError(
            f"The streamed answer from {self._where()} ended early after {received} characters{how}: it stopped "
            "before the finish_reason and `data: [DONE]` that end a whole answer, so the connection was probably "
            "closed mid-answer (a server restarting, a proxy's timeout), and the text streamed so far is not the "
            "whole answer. Run it again; if it keeps happening, check the server's logs, or use get_response() instead of streaming."
        )

    def _explain(self, error: Exception) -> Exception:
        """A `ChatClientError` that says what to do about an openai error; other errors unchanged."""
        import openai

        if isinstance(error, json.JSONDecodeError):  # a streamed event whose data is not JSON
            return self._malformed(error.doc, "a streamed event that is not JSON")
        if not isinstance(error, openai.OpenAIError):
            return error
        detail = _server_detail(error)
        if isinstance(error, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return AuthenticationFailedError(f"{self._auth_advice(error.status_code)}{detail}")
        if isinstance(error, openai.NotFoundError):
            return ModelNotFoundError(f"{self._not_found_advice()}{detail}")
        if isinstance(error, openai.RateLimitError):
            retries = self._client.max_retries
            after = f", even after {retries} automatic retries" if retries else ""
            return RateLimitedError(
                f"{self.server} is limiting requests (HTTP 429){after}. Wait a minute and run it again, or "
                f"lower the request rate (fewer agents running at once, shorter prompts), or check your quota.{detail}"
            )
        if isinstance(error, openai.APITimeoutError):
            return ModelConnectionError(
                f"{self.server} did not answer within {self._client.timeout} seconds. Try again, or give "
                "the client more time: timeout=120."
            )
        if isinstance(error, openai.APIConnectionError):
            cause = error.__cause__ or error
            return ModelConnectionError(
                f"Could not connect to {self.server} ({type(cause).__name__}: {cause}). Is the server "
                f"running, and is the address right? {self._address_advice()}"
            )
        if isinstance(error, openai.APIStatusError) and error.status_code >= 500:
            retries = self._client.max_retries
            after = f" (the client already tried {retries + 1} times)" if retries else ""
            return ChatClientError(
                f"{self.server} answered with HTTP {error.status_code}: the problem is on the server's side and "
                f"usually passes. Wait a moment and run it again{after}.{detail}"
            )
        if isinstance(error, openai.APIStatusError):
            return ChatClientError(
                f"{self.server} answered with HTTP {error.status_code}: it did not accept the request. Check the "
                f"options you passed (temperature=..., max_tokens=...) and the messages.{detail}"
            )
        return ChatClientError(f"The request to {self.server} failed: {error}")

    def _auth_advice(self, status: int) -> str:
        raise NotImplementedError

    def _not_found_advice(self) -> str:
        raise NotImplementedError

    def _address_advice(self) -> str:
        raise NotImplementedError


def _is_connection_error(error: Exception) -> bool:
    import openai

    return isinstance(error, openai.APIConnectionError)


def _is_tool_call(call: Any) -> bool:
    """Whether `call` has the shape of a tool call in a chat completion (the id may be missing)."""
    function = call.get("function") if isinstance(call, dict) else None
    return (
        isinstance(function, dict)
        and isinstance(function.get("name"), str)
        and isinstance(function.get("arguments"), str)
        and isinstance(call.get("id") or "", str)
    )


# Why a model stops before it has finished, and what to do about it.
STOPPED_EARLY = {
    "length": "it reached the token limit (max_tokens, or the model's context window), so it may end "
    "mid-sentence. Pass a larger max_tokens=..., or ask for a shorter answer.",
    "content_filter": "the server's content filter stopped it, so part of it may be missing. Rephrase the "
    "prompt, or check the content filter settings of the server or deployment.",
}


def warn_if_stopped_early(finish_reason: str | None, where: str) -> None:
    """Warn when the model stopped for a reason other than having finished (`STOPPED_EARLY`).

    A warning, not an error: a cut-off answer may still be all the learner needs.
    """
    if finish_reason in STOPPED_EARLY:
        message = f"The answer from {where} is incomplete: {STOPPED_EARLY[finish_reason]}"
        warnings.warn(message, UserWarning, stacklevel=2)


def _server_detail(error: Any) -> str:
    """What the server itself said about the error, when it said something."""
    body = getattr(error, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    message = message or getattr(error, "message", "") or ""
    return f" (The server said: {message})" if message else ""


class OpenAIChatClient(_OpenAIChatClientBase):
    """A chat client for OpenAI, or any server that speaks the OpenAI chat API (`base_url`).

    Settings not given are read from the environment: ``OPENAI_API_KEY``, ``OPENAI_MODEL`` (or
    ``OPENAI_CHAT_MODEL_ID``; default ``gpt-4o-mini``) and ``OPENAI_BASE_URL``.
    """

    def __init__(
        self,
        model_id: str | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        organization: str | None = None,
    ) -> None:
        api_key = api_key or _env("OPENAI_API_KEY")
        if not api_key:
            raise MissingCredentialsError(
                "OpenAIChatClient needs an API key: set the OPENAI_API_KEY environment variable (in a .env "
                "file, say) or pass api_key=... . A local OpenAI-compatible server that needs no key still "
                f"wants a placeholder: api_key='local'. {OFFLINE_HINT}"
            )
        from openai import AsyncOpenAI

        self.model_id = model_id or _env("OPENAI_MODEL", "OPENAI_CHAT_MODEL_ID") or DEFAULT_OPENAI_MODEL
        self._client = AsyncOpenAI(
            api_key=api_key,
            base_url=base_url or _env("OPENAI_BASE_URL"),
            organization=organization,
            timeout=timeout,
            max_retries=max_retries,
        )
        self.server = str(self._client.base_url).rstrip("/")

    def __repr__(self) -> str:
        return f"OpenAIChatClient(model_id={self.model_id!r}, base_url={self.server!r})"

    def _auth_advice(self, status: int) -> str:
        return (
            f"{self.server} rejected the API key (HTTP {status}). Check OPENAI_API_KEY (or the api_key you "
            "passed): it may be mistyped, revoked, or meant for another server."
        )

    def _not_found_advice(self) -> str:
        return (
            f"The model {self.model_id!r} was not found at {self.server} (HTTP 404). Check OPENAI_MODEL (or "
            "model_id=...) against the models your account or server offers; if you set base_url, check it "
            "too (it usually ends in /v1)."
        )

    def _address_advice(self) -> str:
        return "Check OPENAI_BASE_URL (or base_url=...)."


class AzureOpenAIChatClient(_OpenAIChatClientBase):
    """A chat client for a model deployed in Azure OpenAI (Azure AI Foundry).

    Settings not given are read from the environment: ``AZURE_OPENAI_ENDPOINT``,
    ``AZURE_OPENAI_CHAT_DEPLOYMENT_NAME``, ``AZURE_OPENAI_API_KEY`` and ``AZURE_OPENAI_API_VERSION``.
    Instead of a key, pass an Entra ID token (`ad_token`), a function that returns one
    (`ad_token_provider`), or a `credential` such as azure-identity's ``AzureCliCredential()``.
    """

    _model_kind = "deployment"

    def __init__(
        self,
        deployment_name: str | None = None,
        endpoint: str | None = None,
        api_key: str | None = None,
        api_version: str | None = None,
        ad_token: str | None = None,
        ad_token_provider: Callable[[], str | Awaitable[str]] | None = None,
        credential: Any = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
    ) -> None:
        endpoint = endpoint or _env("AZURE_OPENAI_ENDPOINT")
        deployment_name = deployment_name or _env("AZURE_OPENAI_CHAT_DEPLOYMENT_NAME", "AZURE_OPENAI_DEPLOYMENT_NAME")
        missing = [
            f"{what} ({variable}, or {argument}=...)"
            for what, variable, argument, value in [
                ("an endpoint", "AZURE_OPENAI_ENDPOINT", "endpoint", endpoint),
                ("a deployment name", "AZURE_OPENAI_CHAT_DEPLOYMENT_NAME", "deployment_name", deployment_name),
            ]
            if not value
        ]
        if credential is not None and ad_token_provider is None:
            ad_token_provider = token_provider(credential)
        if not (api_key or ad_token or ad_token_provider):
            api_key = _env("AZURE_OPENAI_API_KEY")
        if not (api_key or ad_token or ad_token_provider):
            missing.append(
                "credentials (AZURE_OPENAI_API_KEY, or api_key=..., or credential=AzureCliCredential() after "
                "`az login`)"
            )
        if missing:
            raise MissingCredentialsError(
                f"AzureOpenAIChatClient needs {'; '.join(missing)}. Set the environment variables (in a .env "
                f"file, say) or pass the arguments. {OFFLINE_HINT}"
            )
        from openai import AsyncAzureOpenAI

        self.model_id = self.deployment_name = deployment_name
        self.api_version = api_version or _env("AZURE_OPENAI_API_VERSION") or DEFAULT_AZURE_API_VERSION
        self._client = AsyncAzureOpenAI(
            azure_endpoint=endpoint,
            api_version=self.api_version,
            api_key=api_key if not (ad_token or ad_token_provider) else None,
            azure_ad_token=ad_token,
            azure_ad_token_provider=ad_token_provider if not ad_token else None,
            timeout=timeout,
            max_retries=max_retries,
        )
        self.server = endpoint.rstrip("/")

    def __repr__(self) -> str:
        return f"AzureOpenAIChatClient(deployment_name={self.deployment_name!r}, endpoint={self.server!r})"

    def _auth_advice(self, status: int) -> str:
        return (
            f"Azure OpenAI at {self.server} rejected the credentials (HTTP {status}). Check AZURE_OPENAI_API_KEY; "
            "with a credential, run `az login` again and check that your account has the 'Cognitive Services "
            "OpenAI User' role on the resource."
        )

    def _not_found_advice(self) -> str:
        return (
            f"No deployment named {self.deployment_name!r} at {self.server} (HTTP 404). Check "
            "AZURE_OPENAI_CHAT_DEPLOYMENT_NAME: it is the name you gave the deployment in the Azure portal, "
            f"which may differ from the model's name. Check AZURE_OPENAI_API_VERSION ({self.api_version}) too."
        )

    def _address_advice(self) -> str:
        return "Check AZURE_OPENAI_ENDPOINT (or endpoint=...), e.g. https://my-resource.openai.azure.com/."


def token_provider(credential: Any, scope: str = AZURE_SCOPE) -> Callable[[], Awaitable[str]]:
    """Turn a credential (anything with ``get_token(scope).token``, such as azure-identity's
    ``AzureCliCredential``) into the token function the openai client calls before each request.

    A token is reused until five minutes before it expires. A blocking ``get_token`` (the
    CLI credential starts a program) runs in a thread, so other agents keep going meanwhile.
    """
    cached: Any = None

    async def get_token() -> str:
        nonlocal cached
        if cached is not None and getattr(cached, "expires_on", 0) - 300 > time.time():
            return cached.token
        if inspect.iscoroutinefunction(credential.get_token):
            cached = await credential.get_token(scope)
        else:
            cached = await run_blocking(credential.get_token, scope)
        return cached.token

    return get_token


# --- wfkit messages -> OpenAI's JSON -------------------------------------------------------------


def to_openai_messages(messages: list[ChatMessage]) -> list[dict[str, Any]]:
    """The chat API's message dicts for `messages` (tool calls and results included)."""
    converted: list[dict[str, Any]] = []
    for message in messages:
        results = [c for c in message.contents if isinstance(c, FunctionResultContent)]
        for result in results:
            converted.append({"role": "tool", "tool_call_id": result.call_id, "content": _as_text(result.result)})
        if results:
            continue
        entry: dict[str, Any] = {"role": message.role.value, "content": message.text}
        calls = [c for c in message.contents if isinstance(c, FunctionCallContent)]
        if calls:
            entry["tool_calls"] = [
                {
                    "id": call.call_id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": _as_text(call.arguments or {})},
                }
                for call in calls
            ]
        converted.append(entry)
    return converted


def to_openai_options(options: dict[str, Any]) -> dict[str, Any]:
    """`options` with wfkit's tools, tool mode and response format in the chat API's shapes."""
    options = dict(options)
    tools = options.pop("tools", None)
    mode = options.pop("tool_choice", None)
    response_format = options.pop("response_format", None)
    if tools:
        options["tools"] = [
            {"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}
            for t in tools
        ]
        if mode is not None and mode.required_function_name:
            options["tool_choice"] = {"type": "function", "function": {"name": mode.required_function_name}}
        elif mode is not None:
            options["tool_choice"] = mode.mode
    if response_format is not None:
        # The openai package's own conversion (what its `parse()` uses): a strict JSON schema
        # named after the model, so the server keeps the answer to exactly those fields.
        from openai.lib._parsing._completions import type_to_response_format_param

        options["response_format"] = type_to_response_format_param(response_format)
    return options


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    return json.dumps(value, default=str)
