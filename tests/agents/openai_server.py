"""A small OpenAI-compatible chat server for tests, on 127.0.0.1 and a free port.

It speaks just enough of the chat completions API for the real `openai` package to talk to
it: ``POST /v1/chat/completions`` (OpenAI) and
``POST /openai/deployments/{deployment}/chat/completions?api-version=...`` (Azure), answering
in plain JSON or, with ``"stream": true``, as server-sent events ending in ``data: [DONE]``.

It checks keys, tokens, models and deployments the way a real server does (so a wrong value
gets a real 401 or 404), can be told to fail the next requests with any status, to wait before
answering (`delay`, for timeouts) or to answer with tool calls (`tool_calls`), notes when a
client hangs up in the middle of a streamed answer (`hung_up`), and records every request so
tests can assert what the client sent.

It can also misbehave the way broken or half-compatible servers do: answer with any body at all
(`answer_next_with`, for malformed JSON or an empty ``choices`` list), stop with a chosen
``finish_reason`` (`finish_reason`), or hang up in the middle of a streamed answer, before its
``data: [DONE]`` line (`cut_stream_after`, optionally with HTTP/1.1 chunked encoding as most
real servers stream, `chunked_stream`).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlparse

AZURE_PATH = re.compile(r"^/openai/deployments/(?P<deployment>[^/]+)/chat/completions$")


@dataclass
class RecordedRequest:
    """One request the server received."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])


@dataclass
class FakeOpenAIServer:
    """The server's settings and what it saw. Start it with `start()`, stop with `stop()`."""

    api_keys: set[str] = field(default_factory=lambda: {"sk-test"})
    bearer_tokens: set[str] = field(default_factory=lambda: {"entra-token"})
    models: set[str] = field(default_factory=lambda: {"gpt-test"})
    deployments: set[str] = field(default_factory=lambda: {"chat-deployment"})
    reply: Callable[[list[dict[str, Any]]], str] = lambda messages: f"Echo: {messages[-1]['content']}"
    requests: list[RecordedRequest] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)  # statuses to answer the next requests with
    delay: float = 0.0  # seconds to wait before answering; stop() ends the wait
    # Calls to answer with instead of text: {"id": ..., "name": ..., "arguments": "<JSON text>"}.
    tool_calls: list[dict[str, str]] = field(default_factory=list)
    # Like tool_calls, but for one request each: the first request gets the first list, and so
    # on; once they are used up the server answers with text (the end of a tool loop).
    tool_call_rounds: list[list[dict[str, str]]] = field(default_factory=list)
    hung_up: threading.Event = field(default_factory=threading.Event)  # a client left mid-stream
    # (content type, body) to answer the next requests with, whatever they asked: see answer_next_with.
    raw_answers: list[tuple[str, str]] = field(default_factory=list)
    finish_reason: str = "stop"  # why the model says it stopped, when it answers in text
    # Hang up a streamed answer after this many text pieces: no finish_reason, no `data: [DONE]`.
    cut_stream_after: int | None = None
    # Stream with HTTP/1.1 chunked encoding, so a cut stream is also a broken HTTP body.
    chunked_stream: bool = False
    _stopping: threading.Event = field(default_factory=threading.Event)
    _httpd: ThreadingHTTPServer | None = None

    def start(self) -> FakeOpenAIServer:
        server = self

        class Handler(_Handler):
            fake = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def port(self) -> int:
        assert self._httpd is not None, "start() the server first"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """What OpenAIChatClient(base_url=...) takes."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def endpoint(self) -> str:
        """What AzureOpenAIChatClient(endpoint=...) takes."""
        return f"http://127.0.0.1:{self.port}/"

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next `times` requests with HTTP `status`."""
        self.failures.extend([status] * times)

    def answer_next_with(self, body: str | dict[str, Any], content_type: str = "application/json") -> None:
        """Answer the next request with HTTP 200 and exactly this body (a dict is sent as JSON)."""
        self.raw_answers.append((content_type, body if isinstance(body, str) else json.dumps(body)))


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAIServer
    protocol_version = "HTTP/1.0"  # one request per connection: the body ends when it closes

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        url = urlparse(self.path)
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        request = RecordedRequest(
            path=url.path,
            query={key: values[0] for key, values in parse_qs(url.query).items()},
            headers={key.lower(): value for key, value in self.headers.items()},
            body=body,
        )
        self.fake.requests.append(request)
        if self.fake._stopping.wait(self.fake.delay):
            return  # stopped while waiting: the client has long given up
        problem = self._problem(request)
        if problem:
            self._error(*problem)
        elif self.fake.raw_answers:
            self._raw(*self.fake.raw_answers.pop(0))
        elif body.get("stream"):
            self._stream(request)
        else:
            self._complete(request)

    def _problem(self, request: RecordedRequest) -> tuple[int, str, str] | None:
        fake = self.fake
        if fake.failures:
            status = fake.failures.pop(0)
            return status, f"Failing with {status} as the test asked.", "test_failure"
        azure = AZURE_PATH.match(request.path)
        if azure:
            if "api-version" not in request.query:
                return 404, "Resource not found", "404"
            key = request.headers.get("api-key")
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            if key not in fake.api_keys and token not in fake.bearer_tokens:
                return 401, "Access denied due to invalid subscription key or wrong API endpoint.", "401"
            if azure.group("deployment") not in fake.deployments:
                return 404, "The API deployment for this resource does not exist.", "DeploymentNotFound"
            return None
        if request.path != "/v1/chat/completions":
            return 404, f"Unknown path {request.path}", "not_found"
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in fake.api_keys:
            return 401, "Incorrect API key provided.", "invalid_api_key"
        if request.body.get("model") not in fake.models:
            return 404, f"The model `{request.body.get('model')}` does not exist.", "model_not_found"
        return None

    def _error(self, status: int, message: str, code: str) -> None:
        data = json.dumps({"error": {"message": message, "type": "invalid_request_error", "code": code}}).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _raw(self, content_type: str, body: str) -> None:
        data = body.encode()
        self.send_response(200)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _model(self, request: RecordedRequest) -> str:
        azure = AZURE_PATH.match(request.path)
        return azure.group("deployment") if azure else request.body["model"]

    def _calls(self) -> list[dict[str, str]]:
        if self.fake.tool_call_rounds:
            return self.fake.tool_call_rounds.pop(0)
        return self.fake.tool_calls

    def _complete(self, request: RecordedRequest) -> None:
        calls = self._calls()
        message: dict[str, Any] = {"role": "assistant", "content": None if calls else self.fake.reply(request.messages)}
        finish = "tool_calls" if calls else self.fake.finish_reason
        if calls:
            message["tool_calls"] = [
                {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": c["arguments"]}}
                for c in calls
            ]
        data = json.dumps(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": 0,
                "model": self._model(request),
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, request: RecordedRequest) -> None:
        calls = self._calls()
        if calls:
            deltas = [{"role": "assistant", "content": None}]
            for index, call in enumerate(calls):
                # As OpenAI streams a call: id and name first, then the arguments a few characters at a time.
                start = {"index": index, "id": call["id"], "type": "function",
                         "function": {"name": call["name"], "arguments": ""}}
                deltas.append({"tool_calls": [start]})
                arguments = call["arguments"]
                deltas += [{"tool_calls": [{"index": index, "function": {"arguments": arguments[i : i + 4]}}]}
                           for i in range(0, len(arguments), 4)]
        else:
            words = re.findall(r"\S+\s*", self.fake.reply(request.messages))
            deltas = [{"role": "assistant", "content": ""}] + [{"content": word} for word in words]
        deltas.append({})
        cut = self.fake.cut_stream_after
        if cut is not None:
            deltas = deltas[: cut + 1]  # the role piece and `cut` more, then the server hangs up
        if self.fake.chunked_stream:
            self.protocol_version = "HTTP/1.1"
            self.close_connection = True
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        if self.fake.chunked_stream:
            self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        try:
            for i, delta in enumerate(deltas):
                last = cut is None and i == len(deltas) - 1
                finish = ("tool_calls" if calls else self.fake.finish_reason) if last else None
                chunk = {
                    "id": "chatcmpl-test",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": self._model(request),
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
                }
                self._send_event(f"data: {json.dumps(chunk)}\n\n")
            if cut is None:
                self._send_event("data: [DONE]\n\n")
                if self.fake.chunked_stream:
                    self.wfile.write(b"0\r\n\r\n")  # the end of a chunked body; a cut stream never sends it
        except (BrokenPipeError, ConnectionResetError):
            self.fake.hung_up.set()

    def _send_event(self, event: str) -> None:
        data = event.encode()
        if self.fake.chunked_stream:
            data = b"%x\r\n%s\r\n" % (len(data), data)
        self.wfile.write(data)
        self.wfile.flush()
