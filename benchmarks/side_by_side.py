"""wfkit against another team's floor engine, timed side by side in alternating processes.

    python benchmarks/side_by_side.py BENCH_DIR [--pairs 5] [--af] [--commit REV]

BENCH_DIR is a folder holding two scripts that each print one JSON line of microseconds per
hop for the shapes chain10, fan50 and loop1000: ``floor_engine.py`` (a minimal superstep
engine) and ``shapes.py ENGINE`` (the same shapes on ``wfkit`` or, with ``af``, on
agent-framework-core). This script runs them one after another, floor then wfkit (then AF
with ``--af``), `--pairs` times, each in a fresh process, with this checkout's wfkit first on
the path. A slow spell of the machine then lands on both sides of a pair, so the ratio is
taken within each pair and the table shows the median of those ratios (and the median
µs/hop of each side).

``--commit REV`` also times wfkit as it was at commit REV of this repository (exported with
``git archive`` into a temporary folder) in each pair, after this checkout's: what a change
since REV cost or saved, measured side by side rather than against figures from another day
(the same code's ratio to the floor moves by more than the change between two commits).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(HERE)
SHAPES = {"chain10": "chain of 10", "fan50": "fan-out 50 / fan-in", "loop1000": "2-node loop, 1000 hops"}
FLOOR_TARGET = 3.0  # wfkit / floor, at most
AF_TARGET = 10.0  # AF / wfkit, at least


def timed(bench_dir: str, *args: str, wfkit_from: str = CHECKOUT) -> dict[str, Any]:
    """Run one script of `bench_dir` in a fresh interpreter, with the wfkit of `wfkit_from` first
    on the path; its JSON line."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [wfkit_from, os.environ.get("PYTHONPATH")])))
    done = subprocess.run(
        [sys.executable, *args], cwd=bench_dir, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {bench_dir}:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def export_wfkit(revision: str, into: str) -> str:
    """The `wfkit` package as it was at `revision`, written under `into`; the folder to put on the path."""
    archive = subprocess.run(
        ["git", "-C", CHECKOUT, "archive", "--format=tar", revision, "wfkit"], capture_output=True, check=False
    )
    if archive.returncode != 0:
        raise SystemExit(f"git archive {revision} failed: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12+ and 3.11.4+ take filter=
            tar.extractall(into, filter="data")
        else:
            tar.extractall(into)  # our own repository's files
    return into


def table(pairs: list[dict[str, dict[str, Any]]], with_af: bool, then: str | None = None) -> str:
    """The markdown table: median µs/hop per side, and the median of the per-pair ratios; with
    `then` (a revision), that revision's wfkit against the floor too."""
    head = "| shape | wfkit µs/hop | floor µs/hop | wfkit / floor |"
    rule = "| --- | ---: | ---: | ---: |"
    if then is not None:
        head += f" wfkit at {then} µs/hop | wfkit at {then} / floor |"
        rule += " ---: | ---: |"
    if with_af:
        head += " agent-framework-core µs/hop | AF / wfkit |"
        rule += " ---: | ---: |"
    lines = [head, rule]
    for shape, label in SHAPES.items():
        floor = [p["floor"][shape] for p in pairs]

        def against_floor(side: str) -> tuple[str, str]:
            times = [p[side][shape] for p in pairs]
            return f" {statistics.median(times):.2f} |", f" {statistics.median(w / f for w, f in zip(times, floor)):.2f}x |"

        median_now, ratio_now = against_floor("wfkit")
        line = f"| {label} |{median_now} {statistics.median(floor):.2f} |{ratio_now}"
        if then is not None:
            line += "".join(against_floor("then"))
        if with_af:
            af = [p["af"][shape] for p in pairs]
            wfkit = [p["wfkit"][shape] for p in pairs]
            line += f" {statistics.median(af):.1f} | {statistics.median(a / w for a, w in zip(af, wfkit)):.1f}x |"
        lines.append(line)
    return "\n".join(lines)


def pair_of_runs(args: argparse.Namespace, number: int, then: str | None) -> dict[str, dict[str, Any]]:
    """One round: the floor, this checkout's wfkit, wfkit at `--commit` (from `then`), AF."""
    pair = {"floor": timed(args.bench_dir, "floor_engine.py"), "wfkit": timed(args.bench_dir, "shapes.py", "wfkit")}
    if then is not None:
        pair["then"] = timed(args.bench_dir, "shapes.py", "wfkit", wfkit_from=then)
    if args.af:
        pair["af"] = timed(args.bench_dir, "shapes.py", "af")
    print(f"# pair {number} of {args.pairs}: " + json.dumps(pair), file=sys.stderr)
    return pair


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bench_dir", help="the folder with floor_engine.py and shapes.py")
    parser.add_argument("--pairs", type=int, default=5, help="floor/wfkit pairs of processes (default 5)")
    parser.add_argument("--af", action="store_true", help="time agent-framework-core in each pair too")
    parser.add_argument("--commit", metavar="REV", help="time wfkit as it was at commit REV in each pair too")
    args = parser.parse_args(argv)
    for script in ("floor_engine.py", "shapes.py"):
        if not os.path.isfile(os.path.join(args.bench_dir, script)):
            parser.error(f"{args.bench_dir} has no {script}; give the folder that holds floor_engine.py and shapes.py")
    with tempfile.TemporaryDirectory() as then_dir:
        then = export_wfkit(args.commit, then_dir) if args.commit else None
        pairs = [pair_of_runs(args, number, then) for number in range(1, args.pairs + 1)]
    print(table(pairs, args.af, args.commit))
    worst = max(statistics.median(p["wfkit"][s] / p["floor"][s] for p in pairs) for s in SHAPES)
    print(f"\nTarget wfkit/floor <= {FLOOR_TARGET:g}x on every shape: {'met' if worst <= FLOOR_TARGET else 'not met'} (highest {worst:.2f}x).")
    if args.af:
        lowest = min(statistics.median(p["af"][s] / p["wfkit"][s] for p in pairs) for s in SHAPES)
        print(f"Target AF/wfkit >= {AF_TARGET:g}x on every shape: {'met' if lowest >= AF_TARGET else 'not met'} (lowest {lowest:.1f}x).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
