"""How long a cold ``import wfkit`` takes, and that it pulls in neither ipywidgets nor openai.

    python benchmarks/import_time.py [--runs N]

Two figures, each from fresh interpreters ("cold": nothing of wfkit in memory yet; the bytecode
caches and the OS file cache are warm, as they are for a learner after the first lesson; one
untimed ``import wfkit`` first writes the bytecode caches, even under PYTHONDONTWRITEBYTECODE):

* **in-process**: ``python -X importtime -c "import wfkit"``. Python writes one line per module
  it imports to stderr, with the time spent in the module itself and the *cumulative* time
  including every import it triggered. The figure is the cumulative time on the ``wfkit`` line:
  the import alone, inside the process. Median of ``--runs`` runs (default 15), with min and max.
* **whole-process**: the wall time of a whole ``python -c "import wfkit"`` process (start-up,
  import, shutdown: what a learner waits for) minus that of a bare ``python -c pass``, each the
  median of ``--runs`` processes. The two kinds are interleaved, alternating which goes first,
  so a slow spell of the machine hits both. Besides the import it counts what the in-process
  figure cannot see, such as tearing wfkit's modules and objects down again at exit. The
  target is under 150 ms. It subtracts two noisy wall times, so on a busy machine it wobbles
  more than the in-process figure; raise ``--runs`` for a steadier number.

A second fresh interpreter runs ``import wfkit`` and lists which of ipywidgets and openai are in
``sys.modules`` afterwards: the core must import neither (widgets and the OpenAI client load on
first use). Exit code 1 if either is there, else 0. Prints one line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MUST_NOT_BE_IMPORTED = ("ipywidgets", "openai")
WHOLE_PROCESS_TARGET_MS = 150.0


def import_time_us() -> int:
    """Microseconds ``import wfkit`` takes in a brand-new interpreter (cumulative, from -X importtime)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import wfkit"],
        cwd=REPO, capture_output=True, text=True, check=True,
    )
    for line in done.stderr.splitlines():
        # "import time:  self [us] | cumulative | imported package", nested names indented.
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[2].strip() == "wfkit" and parts[1].strip().isdigit():
            return int(parts[1])
    raise RuntimeError(f"no 'wfkit' line in the -X importtime output:\n{done.stderr[-2000:]}")


def warm_caches() -> None:
    """One untimed ``import wfkit`` that may write bytecode caches, so the timed runs find them.

    Without this, a fresh checkout run with PYTHONDONTWRITEBYTECODE=1 (set in some containers
    and CI images) would compile wfkit from source in every timed process.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-c", "import wfkit"], cwd=REPO, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
    )


def wall_ms(code: str) -> float:
    """Wall milliseconds of one fresh ``python -c CODE`` process, from spawn to exit."""
    start = time.perf_counter_ns()
    subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    return (time.perf_counter_ns() - start) / 1e6


def whole_process_ms(runs: int) -> tuple[float, float]:
    """Median wall ms of ``python -c "import wfkit"`` and of ``python -c pass``, interleaved."""
    with_import: list[float] = []
    bare: list[float] = []
    for i in range(runs):
        pair = ((with_import, "import wfkit"), (bare, "pass"))
        for samples, code in pair if i % 2 == 0 else reversed(pair):
            samples.append(wall_ms(code))
    return statistics.median(with_import), statistics.median(bare)


def heavy_modules_after_import() -> list[str]:
    """Which of MUST_NOT_BE_IMPORTED a fresh ``import wfkit`` leaves in sys.modules."""
    probe = f"import json, sys, wfkit; print(json.dumps([m for m in {MUST_NOT_BE_IMPORTED!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters to time (default 15)")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    warm_caches()
    times_ms = [import_time_us() / 1000 for _ in range(runs)]
    with_import, bare = whole_process_ms(runs)
    whole = with_import - bare
    verdict = "met" if whole < WHOLE_PROCESS_TARGET_MS else "MISSED"
    present = heavy_modules_after_import()
    loaded = "none loaded" if not present else f"LOADED: {', '.join(present)}"
    print(
        f"import wfkit: in-process (-X importtime, cumulative) median {statistics.median(times_ms):.1f} ms "
        f"(min {min(times_ms):.1f}, max {max(times_ms):.1f}); whole-process over a bare interpreter "
        f"{whole:.1f} ms (median {with_import:.1f} ms for python -c 'import wfkit' - {bare:.1f} ms for "
        f"python -c pass; target < {WHOLE_PROCESS_TARGET_MS:.0f} ms: {verdict}); {runs} fresh processes each, "
        f"python {sys.version.split()[0]}; {' and '.join(MUST_NOT_BE_IMPORTED)}: {loaded}"
    )
    return 1 if present else 0


if __name__ == "__main__":
    sys.exit(main())
