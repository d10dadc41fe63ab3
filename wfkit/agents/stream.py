"""`ResponseStream`: a streamed answer you can read piece by piece, then have whole.

Today's AF streams with the same call that answers at once, ``run(..., stream=True)``, and
hands back one object for both uses::

    stream = agent.run("Tell me a fun fact.", stream=True)
    async for update in stream:                   # the pieces, as the model writes them
        print(update.text, end="")
    response = await stream.get_final_response()  # all of it, put back together

`get_final_response` reads whatever the loop did not (all of it, without a loop), so the whole
answer is there even if you only want that. Leaving the loop early and closing the stream
(``await stream.close()``, or ``async with stream:``) hangs up on the model at once.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Callable, Generator, Generic, Sequence, TypeVar

UpdateT = TypeVar("UpdateT")
FinalT = TypeVar("FinalT")


class ResponseStream(Generic[UpdateT, FinalT]):
    """The pieces of an answer (`updates`), and `finalizer`, which puts the pieces back together.

    Iterating it yields each piece once; every piece seen is kept, so `get_final_response` can
    hand the finalizer all of them.
    """

    def __init__(self, updates: AsyncIterator[UpdateT], finalizer: Callable[[Sequence[UpdateT]], FinalT]) -> None:
        self._updates = updates
        self._finalizer = finalizer
        self.updates: list[UpdateT] = []  # every piece read so far
        self._finished = False
        self._final: FinalT | None = None

    def __aiter__(self) -> ResponseStream[UpdateT, FinalT]:
        return self

    async def __anext__(self) -> UpdateT:
        if self._finished:
            raise StopAsyncIteration
        try:
            update = await self._updates.__anext__()
        except StopAsyncIteration:
            self._finished = True
            raise
        self.updates.append(update)
        return update

    async def get_final_response(self) -> FinalT:
        """The whole answer: the pieces not read yet are read first, then all are put together."""
        if self._final is None:
            async for _ in self:
                pass
            self._final = self._finalizer(self.updates)
        return self._final

    async def close(self) -> None:
        """Stop reading: the model's stream (and its connection) is closed now, not at garbage
        collection."""
        self._finished = True
        closing = getattr(self._updates, "aclose", None)
        if closing is not None:
            await closing()

    aclose = close  # so contextlib.aclosing(stream) works too, as it does on an async generator

    async def __aenter__(self) -> ResponseStream[UpdateT, FinalT]:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()

    def __await__(self) -> Generator[Any, None, ResponseStream[UpdateT, FinalT]]:
        # AF lets ``stream = await agent.run(..., stream=True)`` stand for the stream itself.
        async def itself() -> ResponseStream[UpdateT, FinalT]:
            return self

        return itself().__await__()

    def __repr__(self) -> str:
        state = "finished" if self._finished else "open"
        return f"ResponseStream({len(self.updates)} updates read, {state})"

