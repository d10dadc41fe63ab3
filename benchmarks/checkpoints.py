"""Checkpoint cost of wfkit, Microsoft Agent Framework and LangGraph, side by side.

    python benchmarks/checkpoints.py [--repeats N] [--warmup N] [--rounds N] [--json out.json]
                                     [--frameworks wfkit,af,langgraph]

Two measurements, each printed as a markdown table:

1. checkpoints: the chain of 10 (common.py) run with file-based checkpoint storage in a temporary
   folder, and without any, taking turns. Per run: checkpoints written and their bytes; per
   superstep: bytes (mean) and the extra milliseconds of the median checkpointed run over the
   median plain run.
2. pause + resume: a 2-step workflow whose second step asks a human. Timed: the run up to the
   paused state with its checkpoint saved; building a fresh workflow (and storage object); the
   resume from the saved checkpoint with the answer up to the final output.

Every run's output is checked, so a broken run is never timed. A framework that is not installed
shows as "not installed". See benchmarks/README.md ("Checkpoints").
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from checkpoints_common import ANSWER, check_paused, check_resumed  # noqa: E402
from common import CHAIN_LENGTH, BrokenRun, check  # noqa: E402
from run import NOT_INSTALLED, machine_notes, parse_list, split, wfkit_commit  # noqa: E402

# key -> (module, top-level packages whose absence means "not installed", label)
FRAMEWORKS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "wfkit": ("checkpoints_wfkit", ("wfkit",), "wfkit"),
    "af": ("checkpoints_af", ("agent_framework",), "agent-framework-core"),
    "langgraph": ("checkpoints_langgraph", ("langgraph",), "langgraph"),
}

SUPERSTEPS = CHAIN_LENGTH  # one node run per superstep in all three frameworks


def load(key: str) -> tuple[Any, str | None]:
    """(the framework's checkpoint module, None) or (None, what is missing)."""
    module_name, packages, _ = FRAMEWORKS[key]
    try:
        return importlib.import_module(module_name), None
    except ModuleNotFoundError as error:
        name = error.name or ""
        if any(name == p or name.startswith(p + ".") for p in packages):
            return None, name
        raise


def now() -> int:
    return time.perf_counter_ns()


def ms(samples_ns: list[int]) -> float:
    return statistics.median(samples_ns) / 1e6


# --- 1. bytes and milliseconds per superstep ---------------------------------------------------


async def measure_chain(modules: dict[str, Any], repeats: int, warmup: int, rounds: int, root: str) -> dict[str, Any]:
    """Time the plain and the checkpointed chain in turns; count what each checkpointed run wrote.

    Per framework, a batch is: `warmup` untimed runs of each, then `count` pairs (a plain run, a
    checkpointed run), each timed alone. After each checkpointed run (not timed) the checkpoints
    it wrote are counted and measured, then deleted, so every run writes into an empty store.
    """
    benches: dict[str, tuple[Any, Any]] = {}
    errors: dict[str, str] = {}
    data: dict[str, dict[str, list[int]]] = {}
    for key, module in modules.items():
        try:
            plain = await module.make_chain(None)
            checkpointed = await module.make_chain(tempfile.mkdtemp(prefix=f"chain-{key}-", dir=root))
            check("chain", await plain.run())
            check("chain", await checkpointed.run())
            if (await checkpointed.written())[0] == 0:
                raise BrokenRun("chain: no checkpoint was written")
            await checkpointed.clear()
        except Exception as error:  # shown under the table; the others still run
            errors[key] = _describe(error)
            continue
        benches[key] = (plain, checkpointed)
        data[key] = {"plain": [], "checkpointed": [], "checkpoints": [], "bytes": []}
    gc.collect()
    gc.freeze()
    try:
        for count in split(repeats, rounds):
            for key, (plain, checkpointed) in list(benches.items()):
                samples = data[key]
                try:
                    for _ in range(warmup):
                        check("chain", await plain.run())
                        check("chain", await checkpointed.run())
                        await checkpointed.clear()
                    for _ in range(count):
                        start = now()
                        result = await plain.run()
                        samples["plain"].append(now() - start)
                        check("chain", result)
                        start = now()
                        result = await checkpointed.run()
                        samples["checkpointed"].append(now() - start)
                        check("chain", result)
                        written, size = await checkpointed.written()
                        samples["checkpoints"].append(written)
                        samples["bytes"].append(size)
                        await checkpointed.clear()
                except Exception as error:
                    errors[key] = _describe(error)
                    del benches[key]
    finally:
        gc.unfreeze()
        for plain, checkpointed in benches.values():
            await plain.close()
            await checkpointed.close()
    results: dict[str, Any] = {}
    for key, module in modules.items():
        if key in errors:
            results[key] = {"error": errors[key]}
            continue
        samples = data[key]
        plain_ms, checkpointed_ms = ms(samples["plain"]), ms(samples["checkpointed"])
        bytes_per_run = statistics.mean(samples["bytes"])
        results[key] = {
            "storage": module.STORAGE,
            "repeats": len(samples["plain"]),
            "supersteps": SUPERSTEPS,
            "checkpoints_per_run": statistics.mean(samples["checkpoints"]),
            "bytes_per_run": bytes_per_run,
            "bytes_per_superstep": bytes_per_run / SUPERSTEPS,
            "bytes_per_checkpoint": bytes_per_run / statistics.mean(samples["checkpoints"]),
            "median_run_ms_without": plain_ms,
            "median_run_ms_with": checkpointed_ms,
            "min_run_ms_without": min(samples["plain"]) / 1e6,
            "min_run_ms_with": min(samples["checkpointed"]) / 1e6,
            "overhead_ms_per_superstep": (checkpointed_ms - plain_ms) / SUPERSTEPS,
        }
    return results


# --- 2. pause + resume round trip --------------------------------------------------------------


async def measure_pause_resume(
    modules: dict[str, Any], repeats: int, warmup: int, rounds: int, root: str
) -> dict[str, Any]:
    """Time pause, fresh build and resume, frameworks taking turns.

    One cycle: build the pausing workflow (not timed); run it until it asks the human (timed:
    "pause", which includes saving the checkpoints); find the checkpoint id (not timed); build a
    fresh workflow and storage object (timed: "build"); resume it from the checkpoint with the
    answer until the output (timed: "resume"); delete the checkpoints (not timed).
    """
    benches: dict[str, Any] = {}
    errors: dict[str, str] = {}
    data: dict[str, dict[str, list[int]]] = {}

    async def cycle(bench: Any, samples: dict[str, list[int]] | None) -> None:
        await bench.build_pausing()
        start = now()
        paused = await bench.pause()
        pause_ns = now() - start
        check_paused(paused)
        checkpoint_id = await bench.checkpoint_id(paused)
        start = now()
        await bench.build_fresh()
        build_ns = now() - start
        start = now()
        output = await bench.resume(checkpoint_id, paused, ANSWER)
        resume_ns = now() - start
        check_resumed(output)
        await bench.clear()
        if samples is not None:
            samples["pause"].append(pause_ns)
            samples["build"].append(build_ns)
            samples["resume"].append(resume_ns)
            samples["total"].append(pause_ns + build_ns + resume_ns)

    for key, module in modules.items():
        try:
            bench = await module.make_pause_resume(tempfile.mkdtemp(prefix=f"hitl-{key}-", dir=root))
            await cycle(bench, None)
        except Exception as error:
            errors[key] = _describe(error)
            continue
        benches[key] = bench
        data[key] = {"pause": [], "build": [], "resume": [], "total": []}
    gc.collect()
    gc.freeze()
    try:
        for count in split(repeats, rounds):
            for key, bench in list(benches.items()):
                try:
                    for _ in range(warmup):
                        await cycle(bench, None)
                    for _ in range(count):
                        await cycle(bench, data[key])
                except Exception as error:
                    errors[key] = _describe(error)
                    del benches[key]
    finally:
        gc.unfreeze()
        for bench in benches.values():
            await bench.close()
    results: dict[str, Any] = {}
    for key, module in modules.items():
        if key in errors:
            results[key] = {"error": errors[key]}
            continue
        samples = data[key]
        results[key] = {
            "storage": module.STORAGE,
            "repeats": len(samples["pause"]),
            "pause_ms": ms(samples["pause"]),
            "build_ms": ms(samples["build"]),
            "resume_ms": ms(samples["resume"]),
            "round_trip_ms": ms(samples["total"]),
            "min_round_trip_ms": min(samples["total"]) / 1e6,
        }
    return results


def _describe(error: Exception) -> str:
    if isinstance(error, BrokenRun):
        return f"BROKEN: {error}"
    return f"{type(error).__name__}: {error}"


# --- reporting ---------------------------------------------------------------------------------


def _row(label: str, framework: dict[str, Any], result: dict[str, Any] | None, cells: Any, width: int) -> str:
    if not framework.get("installed"):
        first = f"{NOT_INSTALLED} (no module {framework['missing']})"
        return f"| {label} | " + " | ".join([first] + ["n/a"] * (width - 1)) + " |"
    if result is None:
        return f"| {label} | " + " | ".join(["not run"] * width) + " |"
    if "error" in result:
        return f"| {label} | " + " | ".join([result["error"].split(":")[0]] + ["n/a"] * (width - 1)) + " |"
    return f"| {label} | " + " | ".join(cells(result)) + " |"


def render(report: dict[str, Any]) -> str:
    frameworks = report["frameworks"]
    lines = [
        f"Checkpoints on the chain of {CHAIN_LENGTH} ({SUPERSTEPS} supersteps; storage as named below the tables):",
        "",
        "| framework | checkpoints/run | bytes/run | bytes/superstep (mean) | run ms, no checkpoints "
        "| run ms, checkpoints | overhead ms/superstep |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    chain = report["chain"]
    for key, fw in frameworks.items():
        lines.append(_row(fw["label"], fw, chain.get(key), lambda r: [
            f"{r['checkpoints_per_run']:g}",
            f"{r['bytes_per_run']:,.0f}",
            f"{r['bytes_per_superstep']:,.0f}",
            f"{r['median_run_ms_without']:.3f}",
            f"{r['median_run_ms_with']:.3f}",
            f"{r['overhead_ms_per_superstep']:.3f}",
        ], 6))
    lines += [
        "",
        "Pause + resume (2 steps, the second asks a human; resumed in a freshly built workflow):",
        "",
        "| framework | pause ms (run → paused, checkpoint saved) | build fresh ms | resume ms (→ final output) "
        "| round trip ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    hitl = report["pause_resume"]
    for key, fw in frameworks.items():
        lines.append(_row(fw["label"], fw, hitl.get(key), lambda r: [
            f"{r['pause_ms']:.3f}", f"{r['build_ms']:.3f}", f"{r['resume_ms']:.3f}", f"{r['round_trip_ms']:.3f}",
        ], 4))
    lines.append("")
    failures = [
        f"- {fw['label']} / {part}: {report[part][key]['error']}"
        for part in ("chain", "pause_resume")
        for key, fw in frameworks.items()
        if "error" in report[part].get(key, {})
    ]
    if failures:
        lines += ["Failures (not timed):", *failures, ""]
    lines.append("Storage: " + "; ".join(
        f"{fw['label']}: {fw['storage']}" for fw in frameworks.values() if fw.get("installed")) + ".")
    commit = report.get("wfkit_commit")
    versions = ", ".join(
        f"{fw['label']} {fw['version']}" + (f" (commit {commit})" if fw["label"] == "wfkit" and commit else "")
        if fw.get("installed") else f"{fw['label']} {NOT_INSTALLED}"
        for fw in frameworks.values()
    )
    m = report["machine"]
    lines.append(f"Versions: {versions}.")
    lines.append(
        f"Machine: {m['cpu'] or 'unknown CPU'}, {m['cpus_usable']} usable cores, {m['implementation']} "
        f"{m['python']}, {m['platform']}."
    )
    lines.append(
        f"Medians of {report['repeats']} timed runs (or cycles) per framework, in {report['rounds']} rounds, "
        f"each batch after {report['warmup']} warm-up runs; all frameworks in one process, taking turns."
    )
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=50, help="timed runs per measurement (default 50); median")
    parser.add_argument("--warmup", type=int, default=3, help="untimed, checked runs before each batch (default 3)")
    parser.add_argument("--rounds", type=int, default=5, help="batches taking turns across frameworks (default 5)")
    parser.add_argument("--json", metavar="PATH", help="also write every number to this JSON file")
    parser.add_argument(
        "--frameworks", default=",".join(FRAMEWORKS), help="comma-separated subset of wfkit,af,langgraph"
    )
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.rounds < 1 or args.warmup < 0:
        parser.error("--repeats and --rounds must be at least 1, --warmup at least 0")

    keys = parse_list(args.frameworks, list(FRAMEWORKS), "framework")
    report: dict[str, Any] = {"frameworks": {}}
    modules: dict[str, Any] = {}
    for key in keys:
        label = FRAMEWORKS[key][2]
        module, missing = load(key)
        if module is None:
            report["frameworks"][key] = {"label": label, "installed": False, "missing": missing}
            print(f"# {label}: {NOT_INSTALLED} (no module {missing})", file=sys.stderr)
            continue
        modules[key] = module
        report["frameworks"][key] = {
            "label": label, "installed": True, "version": module.version(), "storage": module.STORAGE
        }
        print(f"# {label} {module.version()}", file=sys.stderr)

    async def measure_all() -> tuple[dict[str, Any], dict[str, Any]]:
        with tempfile.TemporaryDirectory(prefix="wfkit-bench-checkpoints-") as root:
            print(f"# chain with checkpoints: {args.repeats} timed pairs each...", file=sys.stderr)
            chain = await measure_chain(modules, args.repeats, args.warmup, args.rounds, root)
            print(f"# pause + resume: {args.repeats} timed cycles each...", file=sys.stderr)
            hitl = await measure_pause_resume(modules, args.repeats, args.warmup, args.rounds, root)
            return chain, hitl

    report["chain"], report["pause_resume"] = asyncio.run(measure_all())
    report.update(
        machine=machine_notes(),
        repeats=args.repeats,
        warmup=args.warmup,
        rounds=len(split(args.repeats, args.rounds)),
        supersteps=SUPERSTEPS,
        wfkit_commit=wfkit_commit(),
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2)
    print(render(report))
    failed = any("error" in report[part].get(key, {}) for part in ("chain", "pause_resume") for key in modules)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
