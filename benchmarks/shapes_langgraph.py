"""The three benchmark shapes as LangGraph `StateGraph`s.

LangGraph passes a shared state instead of messages, so a "hop" is one node run:

* chain: START -> n0 -> ... -> n9 -> END, each node adds 1 to ``value``;
* fan: source -> 50 parallel workers -> one collector that waits for all of them (a join edge,
  ``add_edge([workers...], "collector")``); workers append to ``items`` through a list reducer;
* loop: a <-> b with a conditional edge on each side that goes to END at 1000 node runs.

Nodes are ``async def`` (the graphs run with ``ainvoke``, as wfkit and AF run async handlers;
a sync node would be pushed to a thread pool under ``ainvoke``). No checkpointer is attached.
"""

from __future__ import annotations

import operator
from importlib import metadata
from typing import Annotated, Any, Awaitable, Callable, TypedDict

from common import CHAIN_LENGTH, FAN_WIDTH, LOOP_HOPS, LOOP_MAX_ITERATIONS
from langgraph.graph import END, START, StateGraph

NAME = "langgraph"


def version() -> str:
    return metadata.version("langgraph")


class ChainState(TypedDict):
    value: int


class FanState(TypedDict):
    value: int
    items: Annotated[list[int], operator.add]
    collected: list[int]


class LoopState(TypedDict):
    count: int


async def _add_one(state: ChainState) -> dict[str, Any]:
    return {"value": state["value"] + 1}


async def _source(state: FanState) -> dict[str, Any]:
    return {"value": state["value"]}


def _worker(index: int) -> Callable[[FanState], Awaitable[dict[str, Any]]]:
    async def work(state: FanState) -> dict[str, Any]:
        return {"items": [state["value"] + index + 1]}

    return work


async def _collector(state: FanState) -> dict[str, Any]:
    return {"collected": list(state["items"])}


async def _hop(state: LoopState) -> dict[str, Any]:
    return {"count": state["count"] + 1}


def _next_or_end(target: str) -> Callable[[LoopState], str]:
    def route(state: LoopState) -> str:
        return END if state["count"] >= LOOP_HOPS else target

    return route


def _build(shape: str) -> Any:
    if shape == "chain":
        graph = StateGraph(ChainState)
        names = [f"n{i}" for i in range(CHAIN_LENGTH)]
        for name in names:
            graph.add_node(name, _add_one)
        graph.add_edge(START, names[0])
        for a, b in zip(names, names[1:]):
            graph.add_edge(a, b)
        graph.add_edge(names[-1], END)
        return graph.compile()
    if shape == "fan":
        graph = StateGraph(FanState)
        graph.add_node("source", _source)
        workers = [f"worker{i}" for i in range(FAN_WIDTH)]
        for i, name in enumerate(workers):
            graph.add_node(name, _worker(i))
            graph.add_edge("source", name)
        graph.add_node("collector", _collector)
        graph.add_edge(workers, "collector")  # a join: runs once, after every worker
        graph.add_edge(START, "source")
        graph.add_edge("collector", END)
        return graph.compile()
    if shape == "loop":
        graph = StateGraph(LoopState)
        graph.add_node("a", _hop)
        graph.add_node("b", _hop)
        graph.add_edge(START, "a")
        graph.add_conditional_edges("a", _next_or_end("b"), ["b", END])
        graph.add_conditional_edges("b", _next_or_end("a"), ["a", END])
        return graph.compile()
    raise ValueError(f"unknown shape {shape!r}")


def make(shape: str) -> Callable[[], Awaitable[Any]]:
    """Compile the graph once; return a coroutine function that runs it once with input 0."""
    graph = _build(shape)
    config = {"recursion_limit": LOOP_MAX_ITERATIONS}

    async def run_once() -> Any:
        if shape == "chain":
            return (await graph.ainvoke({"value": 0}, config))["value"]
        if shape == "fan":
            return (await graph.ainvoke({"value": 0, "items": []}, config))["collected"]
        return (await graph.ainvoke({"count": 0}, config))["count"]

    return run_once
