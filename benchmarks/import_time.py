"""How long a cold ``import wfkit`` takes, and that it pulls in neither ipywidgets nor openai.

    python benchmarks/import_time.py [--runs N]

Each run is a fresh interpreter: ``python -X importtime -c "import wfkit"``. Python then writes
one line per module it imports to stderr, with the time spent in the module itself and the
*cumulative* time including every import it triggered. The figure taken is the cumulative time
on the ``wfkit`` line: exactly the work ``import wfkit`` adds on top of interpreter start-up.

Why this and not "time ``python -c 'import wfkit'`` minus ``python -c pass``": that difference
subtracts two noisy wall-clock times of whole processes (start-up, site, shutdown), so on a busy
2-core machine it wobbles by more than it measures, and it can even go negative. ``-X importtime``
times the import alone, inside the process, and its own bookkeeping costs a few microseconds per
module. "Cold" means a new process each run, with nothing of wfkit in memory yet; the bytecode
caches (``__pycache__``) and the OS file cache are warm, as they are for a learner after the
first lesson. The median of ``--runs`` runs (default 15) is reported, with the minimum and maximum.

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

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MUST_NOT_BE_IMPORTED = ("ipywidgets", "openai")


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


def heavy_modules_after_import() -> list[str]:
    """Which of MUST_NOT_BE_IMPORTED a fresh ``import wfkit`` leaves in sys.modules."""
    probe = f"import json, sys, wfkit; print(json.dumps([m for m in {MUST_NOT_BE_IMPORTED!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters to time (default 15)")
    args = parser.parse_args(argv)
    times_ms = [import_time_us() / 1000 for _ in range(max(1, args.runs))]
    present = heavy_modules_after_import()
    loaded = "none loaded" if not present else f"LOADED: {', '.join(present)}"
    print(
        f"import wfkit: median {statistics.median(times_ms):.1f} ms (min {min(times_ms):.1f}, "
        f"max {max(times_ms):.1f}, {len(times_ms)} fresh processes, python {sys.version.split()[0]}); "
        f"{' and '.join(MUST_NOT_BE_IMPORTED)}: {loaded}"
    )
    return 1 if present else 0


if __name__ == "__main__":
    sys.exit(main())
