"""Per-hop overhead of wfkit, Microsoft Agent Framework and LangGraph on three tiny workflows.

    python benchmarks/run.py [--repeats N] [--warmup N] [--rounds N] [--json out.json]
                             [--shapes chain,fan,loop] [--frameworks wfkit,af,langgraph,floor]
                             [--isolate] [--profile SHAPE]

Prints a markdown table of microseconds per hop (median run time / hops), the AF/wfkit ratio
and wfkit's ratio to the floor (shapes_floor.py: a minimal superstep engine doing the same
work per hop, the lower bound wfkit is measured against). Frameworks that are not installed
show as "not installed"; wfkit alone needs nothing beyond its own dependencies. Every run's
output is checked, so a broken run is never timed.
See benchmarks/README.md for what a hop is and how the numbers are taken.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from common import DESCRIPTIONS, HOPS, SHAPES, BrokenRun, check  # noqa: E402

# key -> (module with the shapes, top-level package whose absence means "not installed", label)
FRAMEWORKS: dict[str, tuple[str, str, str]] = {
    "wfkit": ("shapes_wfkit", "wfkit", "wfkit"),
    "af": ("shapes_af", "agent_framework", "agent-framework-core"),
    "langgraph": ("shapes_langgraph", "langgraph", "langgraph"),
    "floor": ("shapes_floor", "shapes_floor", "floor"),
}

NOT_INSTALLED = "not installed"
TARGET_RATIO = 10.0  # AF / wfkit, at least, on every shape
FLOOR_TARGET = 3.0  # wfkit / floor, at most, on every shape
FLOOR_STRETCH = 2.0  # ... and the stretch goal


# --- measuring -----------------------------------------------------------------------------


def load(key: str) -> Any:
    """The framework's shapes module, or None if the framework itself is not importable."""
    module_name, package, _ = FRAMEWORKS[key]
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and (error.name == package or error.name.startswith(package + ".")):
            return None
        raise


def summarize(shape: str, samples_ns: list[int]) -> dict[str, Any]:
    hops = HOPS[shape]
    median_us = statistics.median(samples_ns) / 1000
    return {
        "hops": hops,
        "repeats": len(samples_ns),
        "median_run_us": median_us,
        "min_run_us": min(samples_ns) / 1000,
        "max_run_us": max(samples_ns) / 1000,
        "per_hop_us": median_us / hops,
        "min_per_hop_us": min(samples_ns) / 1000 / hops,
    }


def split(total: int, parts: int) -> list[int]:
    """`total` timed runs spread over `parts` rounds as evenly as possible."""
    parts = max(1, min(parts, total))
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


async def measure(
    modules: dict[str, Any], shapes: list[str], repeats: int, warmup: int, rounds: int
) -> dict[str, dict[str, Any]]:
    """Time every (framework, shape) pair; return per-framework, per-shape summaries.

    Each workflow is built once and run once, checked, before anything is timed. The `repeats`
    timed runs are then spread over `rounds` rounds; a round visits every framework and shape
    in turn, one after another, never concurrently, so a slow spell of the machine lands on all
    frameworks alike instead of on whichever ran then. Each batch of timed runs follows
    `warmup` untimed runs of the same workflow, so it starts with warm caches rather than with
    what the previous framework left in them. Every run's result is checked.

    Garbage collection: after building, the heap (all imported frameworks) is collected once
    and frozen (`gc.freeze`), so a full collection during a timed run scans only what the runs
    themselves allocate, not whichever other framework happens to be imported. Collection stays
    enabled while timing: a framework that allocates more pays for it.
    """
    runs: dict[tuple[str, str], Any] = {}
    errors: dict[tuple[str, str], str] = {}
    samples: dict[tuple[str, str], list[int]] = {}

    def fail(pair: tuple[str, str], error: Exception) -> None:
        if isinstance(error, BrokenRun):
            errors[pair] = f"BROKEN: {error}"
        else:  # shown under the table; the other pairs still run
            errors[pair] = f"{type(error).__name__}: {error}"
        runs.pop(pair, None)

    for key, module in modules.items():
        for shape in shapes:
            try:
                run_once = module.make(shape)
                check(shape, await run_once())
            except Exception as error:
                fail((key, shape), error)
            else:
                runs[key, shape] = run_once
                samples[key, shape] = []
    gc.collect()
    gc.freeze()
    clock = time.perf_counter_ns
    try:
        for count in split(repeats, rounds):
            for pair, run_once in list(runs.items()):
                shape = pair[1]
                try:
                    for _ in range(warmup):
                        check(shape, await run_once())
                    for _ in range(count):
                        start = clock()
                        result = await run_once()
                        elapsed = clock() - start
                        check(shape, result)
                        samples[pair].append(elapsed)
                except Exception as error:
                    fail(pair, error)
    finally:
        gc.unfreeze()
    results: dict[str, dict[str, Any]] = {key: {} for key in modules}
    for key in modules:
        for shape in shapes:
            if (key, shape) in errors:
                results[key][shape] = {"error": errors[key, shape]}
            else:
                results[key][shape] = summarize(shape, samples[key, shape])
    return results


def run_in_process(keys: list[str], shapes: list[str], repeats: int, warmup: int, rounds: int) -> dict[str, Any]:
    report: dict[str, Any] = {"frameworks": {}}
    modules: dict[str, Any] = {}
    for key in keys:
        _, _, label = FRAMEWORKS[key]
        module = load(key)
        if module is None:
            report["frameworks"][key] = {"label": label, "installed": False}
            print(f"# {label}: {NOT_INSTALLED}", file=sys.stderr)
            continue
        print(f"# {label} {module.version()}", file=sys.stderr)
        modules[key] = module
        report["frameworks"][key] = {"label": label, "installed": True, "version": module.version()}
    print(
        f"# measuring {', '.join(shapes)}: {repeats} timed runs each, in {len(split(repeats, rounds))} rounds...",
        file=sys.stderr,
    )
    results = asyncio.run(measure(modules, shapes, repeats, warmup, rounds))
    for key, shapes_done in results.items():
        report["frameworks"][key]["shapes"] = shapes_done
    return report


def run_isolated(keys: list[str], shapes: list[str], repeats: int, warmup: int, rounds: int) -> dict[str, Any]:
    """Each framework in a fresh interpreter (same Python), so none sees another's imports."""
    report: dict[str, Any] = {"frameworks": {}}
    for key in keys:
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "part.json")
            command = [
                sys.executable, os.path.abspath(__file__), "--frameworks", key, "--shapes", ",".join(shapes),
                "--repeats", str(repeats), "--warmup", str(warmup), "--rounds", str(rounds),
                "--json", out, "--quiet",
            ]
            subprocess.run(command, check=False)
            if not os.path.exists(out):
                _, _, label = FRAMEWORKS[key]
                report["frameworks"][key] = {"label": label, "installed": True, "shapes": {
                    shape: {"error": "the benchmark subprocess failed"} for shape in shapes}}
                continue
            with open(out, encoding="utf-8") as handle:
                report["frameworks"].update(json.load(handle)["frameworks"])
    return report


# --- reporting -----------------------------------------------------------------------------


def machine_notes() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "cpus_usable": usable,
    }


def wfkit_commit() -> str | None:
    """The repo commit wfkit was measured at ("+dirty" if wfkit/ has uncommitted edits), if known."""
    root = os.path.dirname(HERE)
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "wfkit"], cwd=root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def cell(framework: dict[str, Any] | None, shape: str) -> str:
    if framework is None:
        return "not run"
    if not framework.get("installed"):
        return NOT_INSTALLED
    result = framework["shapes"].get(shape)
    if result is None:
        return "not run"
    if "error" in result:
        return result["error"].split(":")[0]  # BROKEN / the exception's name; details below the table
    return f"{result['per_hop_us']:.2f}"


def per_hop(framework: dict[str, Any] | None, shape: str) -> float | None:
    if not framework or not framework.get("installed"):
        return None
    result = framework["shapes"].get(shape) or {}
    return result.get("per_hop_us")


def ratio_of(top: dict[str, Any] | None, bottom: dict[str, Any] | None, shape: str) -> float | None:
    """per_hop(top) / per_hop(bottom) on one shape, None if either is missing."""
    t, b = per_hop(top, shape), per_hop(bottom, shape)
    return t / b if t is not None and b else None


def render(report: dict[str, Any], shapes: list[str]) -> str:
    frameworks = report["frameworks"]
    wf, af, lg, fl = (frameworks.get(key) for key in ("wfkit", "af", "langgraph", "floor"))
    lines = [
        "| shape | wfkit µs/hop | agent-framework-core µs/hop | langgraph µs/hop | floor µs/hop "
        "| AF/wfkit ratio | wfkit / floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    ratios: list[float] = []
    floor_ratios: list[float] = []
    for shape in shapes:
        row = [DESCRIPTIONS[shape], cell(wf, shape), cell(af, shape), cell(lg, shape), cell(fl, shape)]
        for found, kept in ((ratio_of(af, wf, shape), ratios), (ratio_of(wf, fl, shape), floor_ratios)):
            if found is not None:
                kept.append(found)
            row.append("n/a" if found is None else f"{found:.1f}x")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    errors = [
        f"- {fw['label']} / {shape}: {result['error']}"
        for fw in frameworks.values()
        if fw.get("installed")
        for shape, result in fw["shapes"].items()
        if "error" in result
    ]
    if errors:
        lines += ["Failures (not timed):", *errors, ""]
    commit = report.get("wfkit_commit")
    versions = ", ".join(
        f"{fw['label']} {fw['version'] if fw.get('installed') else NOT_INSTALLED}"
        + (f" (commit {commit})" if fw["label"] == "wfkit" and commit and fw.get("installed") else "")
        for fw in frameworks.values()
        if "version" in fw or not fw.get("installed")
    )
    m = report["machine"]
    lines.append(f"Versions: {versions}.")
    lines.append(
        f"Machine: {m['cpu'] or 'unknown CPU'}, {m['cpus_usable']} usable cores, {m['implementation']} "
        f"{m['python']}, {m['platform']}."
    )
    lines.append(
        f"Median of {report['repeats']} timed runs per shape, in {report['rounds']} rounds, each batch after "
        f"{report['warmup']} warm-up runs; "
        f"µs/hop = median wall time of one run / hops; {report['mode']}."
    )
    if len(ratios) == len(shapes) and ratios:
        verdict = "met" if min(ratios) >= TARGET_RATIO else "MISSED"
        lines.append(f"Target AF/wfkit >= {TARGET_RATIO:.0f}x on every shape: {verdict} (lowest {min(ratios):.1f}x).")
    if len(floor_ratios) == len(shapes) and floor_ratios:
        worst = max(floor_ratios)
        verdict = "met" if worst <= FLOOR_TARGET else "MISSED"
        stretch = "met" if worst <= FLOOR_STRETCH else "not met"
        lines.append(
            f"Target wfkit/floor <= {FLOOR_TARGET:.0f}x on every shape: {verdict} (highest {worst:.1f}x); "
            f"stretch <= {FLOOR_STRETCH:.0f}x: {stretch}."
        )
    return "\n".join(lines)


# --- profiling wfkit -----------------------------------------------------------------------


def profile_wfkit(shape: str, runs: int, top: int) -> None:
    """cProfile `runs` runs of one wfkit shape and print the top functions by own time."""
    import cProfile
    import pstats

    module = load("wfkit")
    if module is None:
        sys.exit("wfkit is not installed")
    run_once = module.make(shape)

    async def many() -> None:
        for _ in range(runs):
            check(shape, await run_once())

    asyncio.run(many())  # warm up (and check) outside the profile
    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(many())
    profiler.disable()
    print(f"# cProfile of {runs} wfkit runs of {shape!r} ({HOPS[shape] * runs} hops)")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


# --- command line --------------------------------------------------------------------------


def parse_list(text: str, allowed: tuple[str, ...] | list[str], what: str) -> list[str]:
    items = [item.strip() for item in text.split(",") if item.strip()]
    unknown = [item for item in items if item not in allowed]
    if unknown:
        raise SystemExit(f"unknown {what}: {', '.join(unknown)} (choose from {', '.join(allowed)})")
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=50, help="timed runs per shape (default 50); the median is kept")
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed, checked runs before each batch of timed runs (default 3)"
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="spread the timed runs over this many rounds across frameworks (default 5)"
    )
    parser.add_argument("--json", metavar="PATH", help="also write every number to this JSON file")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated subset of chain,fan,loop")
    parser.add_argument(
        "--frameworks", default=",".join(FRAMEWORKS), help="comma-separated subset of wfkit,af,langgraph,floor"
    )
    parser.add_argument("--isolate", action="store_true", help="run each framework in its own subprocess")
    parser.add_argument("--profile", metavar="SHAPE", choices=SHAPES, help="cProfile wfkit on one shape instead")
    parser.add_argument("--profile-runs", type=int, default=200, help="runs to profile (default 200)")
    parser.add_argument("--quiet", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.rounds < 1 or args.warmup < 0:
        parser.error("--repeats and --rounds must be at least 1, --warmup at least 0")

    if args.profile:
        profile_wfkit(args.profile, args.profile_runs, top=25)
        return 0

    shapes = parse_list(args.shapes, SHAPES, "shape")
    keys = parse_list(args.frameworks, list(FRAMEWORKS), "framework")
    runner = run_isolated if args.isolate else run_in_process
    report = runner(keys, shapes, args.repeats, args.warmup, args.rounds)
    report.update(
        machine=machine_notes(),
        repeats=args.repeats,
        warmup=args.warmup,
        rounds=len(split(args.repeats, args.rounds)),
        mode="one subprocess per framework" if args.isolate else "all frameworks in one process, taking turns",
        hops=HOPS,
        wfkit_commit=wfkit_commit(),
    )
    if "wfkit" in report["frameworks"] and "af" in report["frameworks"]:
        report["af_over_wfkit"] = {
            shape: (a / w)
            for shape in shapes
            if (a := per_hop(report["frameworks"]["af"], shape)) is not None
            and (w := per_hop(report["frameworks"]["wfkit"], shape))
        }
    if "wfkit" in report["frameworks"] and "floor" in report["frameworks"]:
        report["wfkit_over_floor"] = {
            shape: found
            for shape in shapes
            if (found := ratio_of(report["frameworks"]["wfkit"], report["frameworks"]["floor"], shape)) is not None
        }
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2)
    if not args.quiet:
        print(render(report, shapes))
    failed = any(
        "error" in result
        for fw in report["frameworks"].values()
        if fw.get("installed")
        for result in fw["shapes"].values()
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
