"""What every framework's version of the three shapes must do, and how a run is checked.

A *hop* is one delivery of one message to one node (one handler / node-function call):

* ``chain``: 10 executors in a row; the input ``0`` is delivered to the first, each adds 1 and
  passes it on, the last yields ``10``.  Hops = 10 deliveries.
* ``fan``: one source fans out to 50 workers, whose results fan in to one collector that
  receives a list of 50 items.  Hops = 1 (source) + 50 (workers) + 1 (collector) = 52.
* ``loop``: two nodes A and B send a counter back and forth; every delivery adds 1 and the
  1000th delivery yields ``1000``.  Hops = 1000 deliveries (500 to A, 500 to B).

Each framework module (``shapes_wfkit``, ``shapes_af``, ``shapes_langgraph``) provides
``make(shape) -> async () -> result`` where ``result`` is the run's output normalised to:
an ``int`` for ``chain`` and ``loop``, a ``list`` of the collected items for ``fan``.
"""

from __future__ import annotations

from typing import Any

CHAIN_LENGTH = 10
FAN_WIDTH = 50
LOOP_HOPS = 1000

SHAPES = ("chain", "fan", "loop")

HOPS = {
    "chain": CHAIN_LENGTH,
    "fan": 1 + FAN_WIDTH + 1,
    "loop": LOOP_HOPS,
}

DESCRIPTIONS = {
    "chain": f"chain of {CHAIN_LENGTH} (hops={HOPS['chain']})",
    "fan": f"fan-out {FAN_WIDTH} / fan-in (hops={HOPS['fan']})",
    "loop": f"2-node loop (hops={HOPS['loop']})",
}

# Every worker in the fan shape returns (input + its index + 1), so the collected list is
# checkable item by item: with input 0 it is a permutation of 1..FAN_WIDTH.
FAN_EXPECTED = sorted(range(1, FAN_WIDTH + 1))

# Supersteps needed by the loop, with room to spare; every framework gets the same bound.
LOOP_MAX_ITERATIONS = LOOP_HOPS + 50


class BrokenRun(AssertionError):
    """A framework's run did not produce the expected result: never time a broken run."""


def check(shape: str, result: Any) -> None:
    """Raise `BrokenRun` unless `result` is the right answer for `shape` (run with input 0)."""
    if shape == "chain":
        ok = result == CHAIN_LENGTH
        want = CHAIN_LENGTH
    elif shape == "fan":
        ok = isinstance(result, list) and len(result) == FAN_WIDTH and sorted(result) == FAN_EXPECTED
        want = f"a list of {FAN_WIDTH} items, 1..{FAN_WIDTH}"
    elif shape == "loop":
        ok = result == LOOP_HOPS
        want = LOOP_HOPS
    else:
        raise ValueError(f"unknown shape {shape!r}")
    if not ok:
        shown = repr(result)
        if len(shown) > 200:
            shown = shown[:200] + "..."
        raise BrokenRun(f"{shape}: expected {want}, got {shown}")


def single_output(outputs: list[Any], shape: str) -> Any:
    """The one output a run must yield; more or fewer is a broken run."""
    if len(outputs) != 1:
        raise BrokenRun(f"{shape}: expected exactly one workflow output, got {len(outputs)}: {outputs!r:.200}")
    return outputs[0]
