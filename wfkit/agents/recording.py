"""Record a real model's replies once, then replay them anywhere (CI, a train, a classroom).

    # once, with a key: every request and reply is written to the file as it happens
    client = RecordingChatClient(OpenAIChatClient(), "recordings/lesson3.json")

    # afterwards, offline: the same requests get the recorded replies
    client = ReplayChatClient("recordings/lesson3.json")

The file is plain JSON (never pickle), one entry per request: the request's messages as
role and text, a hash of them that replay matches on, and the reply's text. It is readable
and diff-able, so a recording can be reviewed and committed like any other lesson file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import defaultdict, deque
from pathlib import Path
from typing import Any, AsyncIterator

from ..errors import ChatClientError, ReplayMismatchError
from .protocol import BaseChatClient, ChatClientProtocol
from .offline.client import word_pieces
from .types import ChatMessage, ChatResponse, ChatResponseUpdate, Role, _preview

FORMAT_VERSION = 1

# Requests recorded by this process, per file. Recording a request again replaces what an
# earlier run recorded for it, but keeps every reply recorded in this run (a loop may ask twice).
_recorded_now: dict[Path, set[str]] = defaultdict(set)


def request_key(messages: list[ChatMessage]) -> str:
    """A short hash of a request's messages (roles and contents): what replay matches on."""
    data = [[m.role.value, [_content_key(c) for c in m.contents]] for m in messages]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _content_key(content: Any) -> Any:
    return [type(content).__name__, {k: str(v) for k, v in sorted(vars(content).items())}]


class RecordingChatClient(BaseChatClient):
    """Passes every request to `inner` and writes (request, reply) to the JSON file `path`."""

    def __init__(self, inner: ChatClientProtocol, path: str | os.PathLike[str]) -> None:
        self.inner = inner
        self.path = Path(path)
        self.model_id = getattr(inner, "model_id", None)

    @property
    def entries(self) -> list[dict[str, Any]]:
        """What the file holds now (several clients may record into one file, one per workflow build)."""
        return _load(self.path)["recordings"] if self.path.exists() else []

    def __repr__(self) -> str:
        return f"RecordingChatClient({self.inner!r}, path={str(self.path)!r}, recorded={len(self.entries)})"

    async def _complete(self, messages: list[ChatMessage], options: dict[str, Any]) -> ChatResponse:
        response = await self.inner.get_response(messages, **options)
        self._record(messages, response.text)
        return response

    async def _complete_stream(
        self, messages: list[ChatMessage], options: dict[str, Any]
    ) -> AsyncIterator[ChatResponseUpdate]:
        pieces = []
        async for update in self.inner.get_streaming_response(messages, **options):
            pieces.append(update.text)
            yield update
        self._record(messages, "".join(pieces))

    def _record(self, messages: list[ChatMessage], reply: str) -> None:
        key = request_key(messages)
        entries = self.entries
        fresh = _recorded_now[self.path.resolve()]
        if key not in fresh:
            entries = [entry for entry in entries if entry["key"] != key]
            fresh.add(key)
        entries.append(
            {
                "key": key,
                "messages": [{"role": m.role.value, "text": m.text} for m in messages],
                "reply": reply,
            }
        )
        _save(self.path, {"version": FORMAT_VERSION, "model_id": self.model_id, "recordings": entries})


class ReplayChatClient(BaseChatClient):
    """Answers each request with the reply recorded for the same messages in the JSON file `path`.

    A request recorded several times gets its replies in the order they were recorded (the
    last one again after that), so a loop that asks the same thing twice replays faithfully.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(
                f"No recording at {self.path}. Record one first with "
                f"RecordingChatClient(OpenAIChatClient(), {str(self.path)!r}), or set WFKIT_RECORD={self.path} "
                "with a key set and run the lesson once."
            )
        data = _load(self.path)
        self.model_id = data.get("model_id") or "replay"
        self.recorded = len(data["recordings"])
        self._replies: dict[str, deque[str]] = defaultdict(deque)
        for entry in data["recordings"]:
            self._replies[entry["key"]].append(entry["reply"])

    def __repr__(self) -> str:
        return f"ReplayChatClient(path={str(self.path)!r}, recorded={self.recorded})"

    def reply_to(self, messages: list[ChatMessage]) -> str:
        """The recorded reply for `messages`; `ReplayMismatchError` if there is none."""
        replies = self._replies.get(request_key(messages))
        if not replies:
            last = next((m.text for m in reversed(messages) if m.role == Role.USER), "")
            raise ReplayMismatchError(
                f"{self.path} has no recorded reply for this request (key {request_key(messages)}, "
                f"{len(messages)} messages, last user message {_preview(last, 70)}). The prompt or the "
                f"instructions changed since it was recorded. Re-record: set WFKIT_RECORD={self.path} and "
                "an API key, and run the lesson again (or use RecordingChatClient directly)."
            )
        return replies.popleft() if len(replies) > 1 else replies[0]

    async def _complete(self, messages: list[ChatMessage], options: dict[str, Any]) -> ChatResponse:
        message = ChatMessage(Role.ASSISTANT, text=self.reply_to(messages))
        return ChatResponse(messages=[message], model_id=self.model_id)

    async def _complete_stream(
        self, messages: list[ChatMessage], options: dict[str, Any]
    ) -> AsyncIterator[ChatResponseUpdate]:
        for piece in word_pieces(self.reply_to(messages)):
            yield ChatResponseUpdate(text=piece, role=Role.ASSISTANT)


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ChatClientError(f"{path} is not valid JSON ({error}); record it again.") from None
    if not isinstance(data, dict) or not isinstance(data.get("recordings"), list):
        raise ChatClientError(f"{path} is not a wfkit recording (no 'recordings' list); record it again.")
    return data


def _save(path: Path, data: dict[str, Any]) -> None:
    # Written to a temporary file and renamed, so an interrupted run never leaves half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(data, file, indent=2, ensure_ascii=False)
    os.replace(temporary, path)
