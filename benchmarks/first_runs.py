"""Where the chain's time goes when it is timed the way the product side's script times it.

    python benchmarks/first_runs.py [--processes 9] [--floor BENCH_DIR]

Their ``shapes.py`` times the chain of 10 in a fresh interpreter: one untimed run, then the
median of the next ten. CPython 3.11 runs a function's bytecode unspecialized (slower) until
its 8th call, so in most of those ten runs the code wfkit runs once per run (making the run
and its engine, the start and end events) has not been specialized yet, while the code it runs
once per hop has (the warm-up alone made ten hops). Each fresh interpreter here measures the
same chain (built by ``shapes_wfkit.py``; each run is ``await workflow.run(0)``) four ways:

* **first runs**: one untimed run, then the median of the next ten: their figure;
* **setup warmed**: the same, after twelve untimed runs of *another* chain of 10 in the same
  interpreter, so the per-run code is already specialized (the hops are the same either way);
* **warm**: the median of 200 runs after those (everything specialized);
* **per hop**: the 2-node loop's µs per delivery (1,000 deliveries a run, so its per-run cost
  hardly counts), warm.

From these: per-run cost warm = warm - 10 x per hop, and what being unspecialized adds =
first runs - setup warmed. With ``--floor BENCH_DIR`` it also runs their ``floor_engine.py``
in as many fresh processes and prints the chain run time the 3x target allows (their scripts
divide both sides by the same hop count, so the ratio of run times is their ratio). Medians
over ``--processes`` fresh interpreters (default 9).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any, Awaitable, Callable

from common import check

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(HERE)
FLOOR_TARGET = 3.0


async def median_us(run: Callable[[], Awaitable[Any]], runs: int) -> float:
    """The median wall time of `runs` runs, in microseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


async def measure(setup_warmed: bool) -> dict[str, float]:
    """One fresh interpreter's figures (see the module docstring). Each run is only
    ``await workflow.run(0)``, as in their script; the outputs are checked once, untimed."""
    from shapes_wfkit import _build

    if setup_warmed:
        other = _build("chain")
        for _ in range(12):
            await other.run(0)
    chain = _build("chain")
    check("chain", (await chain.run(0)).get_outputs()[0])  # the one untimed run their script makes

    async def run_chain() -> Any:
        return await chain.run(0)

    figures = {"first_runs": await median_us(run_chain, 10)}
    if not setup_warmed:
        figures["warm"] = await median_us(run_chain, 200)
        loop = _build("loop")
        check("loop", (await loop.run(0)).get_outputs()[0])

        async def run_loop() -> Any:
            return await loop.run(0)

        figures["per_hop"] = await median_us(run_loop, 10) / 1000
    return figures


def fresh(*args: str, cwd: str = HERE) -> dict[str, Any]:
    """Run a script in a fresh interpreter with this checkout first on the path; its JSON line."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [CHECKOUT, HERE, os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=9, help="fresh interpreters of each kind (default 9)")
    parser.add_argument("--floor", metavar="BENCH_DIR", help="the folder with their floor_engine.py")
    parser.add_argument("--child", choices=["plain", "setup-warmed"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(asyncio.run(measure(args.child == "setup-warmed"))))
        return 0
    plain, warmed, floor = [], [], []
    for _ in range(args.processes):  # interleaved, so a slow spell of the machine hits every kind
        plain.append(fresh(__file__, "--child", "plain"))
        warmed.append(fresh(__file__, "--child", "setup-warmed"))
        if args.floor:
            floor.append(fresh("floor_engine.py", cwd=args.floor)["chain10"] * 9)  # their µs/hop x 9 hops
    median = statistics.median
    first, setup_warmed = median(p["first_runs"] for p in plain), median(w["first_runs"] for w in warmed)
    warm, per_hop = median(p["warm"] for p in plain), median(p["per_hop"] for p in plain)
    print(f"chain of 10, µs per run (median of {args.processes} fresh interpreters each):")
    print(f"  first runs (their way): {first:6.1f}")
    print(f"  setup warmed:           {setup_warmed:6.1f}   (first runs - setup warmed = {first - setup_warmed:.1f} µs unspecialized setup)")
    print(f"  warm:                   {warm:6.1f}   (warm - 10 x per hop = {warm - 10 * per_hop:.1f} µs per-run cost, warm)")
    print(f"  10 x per hop:           {10 * per_hop:6.1f}   (per hop {per_hop:.2f} µs, the loop's, warm)")
    if floor:
        allowed = FLOOR_TARGET * median(floor)
        print(f"floor chain {median(floor):.1f} µs per run: {FLOOR_TARGET:g}x allows {allowed:.1f}; first runs are {first / median(floor):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
