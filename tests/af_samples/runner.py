"""Run one ported AF sample in isolation and capture what it prints.

Used by `test_af_samples.py`; also handy by hand::

    .venv/bin/python -m tests.af_samples.runner b251104/control-flow/edge_condition
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import inspect
import io
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SAMPLES_DIR = Path(__file__).parent
ERAS = ("b251007", "b251104")
TIMEOUT_SECONDS = 60.0


def sample_ids() -> list[str]:
    """Every ported sample, as `era/folder/name` (the file's path without `.py`)."""
    return sorted(
        path.relative_to(SAMPLES_DIR).with_suffix("").as_posix()
        for era in ERAS
        for path in (SAMPLES_DIR / era).rglob("*.py")
    )


@dataclass
class SampleRun:
    """What a sample's `main()` printed and returned."""

    sample_id: str
    stdout: str
    returned: Any


def run_sample(
    sample_id: str,
    workdir: Path,
    timeout: float = TIMEOUT_SECONDS,
    edits: Sequence[tuple[str, str]] = (),
) -> SampleRun:
    """Import the port as a fresh module and run its `main()` with the cwd in `workdir`.

    The era's folder is copied to `workdir/af_samples/<era>` first, so files a sample writes next
    to itself (checkpoints, visualizations) land in `workdir`, and a sample that imports its
    sibling (`af_samples.<era>.agents....`) finds the copy. `edits` are `(old, new)` replacements
    made in that copy only (each `old` must occur exactly once): how a test applies an upstream fix.
    """
    era = sample_id.split("/", 1)[0]
    copy_root = workdir / "af_samples"
    shutil.copytree(SAMPLES_DIR / era, copy_root / era, dirs_exist_ok=True)
    path = copy_root / f"{sample_id}.py"
    _apply_edits(path, edits)
    module_name = "af_sample_" + re.sub(r"\W", "_", sample_id)
    old_cwd, old_path = os.getcwd(), list(sys.path)
    stdout = io.StringIO()
    _forget_modules(module_name)
    try:
        os.chdir(workdir)
        sys.path.insert(0, str(workdir))
        with contextlib.redirect_stdout(stdout):
            spec = importlib.util.spec_from_file_location(module_name, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module  # dataclasses and type hints look the module up
            spec.loader.exec_module(module)
            main = getattr(module, entry_point(path))
            if inspect.iscoroutinefunction(main):
                returned = asyncio.run(asyncio.wait_for(main(), timeout))
            else:
                returned = main()
    except BaseException as exc:
        exc.add_note(f"--- stdout of {sample_id} ---\n{stdout.getvalue()[-4000:]}")
        raise
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path
        _forget_modules(module_name)
    return SampleRun(sample_id, stdout.getvalue(), returned)


def _apply_edits(path: Path, edits: Sequence[tuple[str, str]]) -> None:
    text = path.read_text()
    for old, new in edits:
        if text.count(old) != 1:
            raise ValueError(f"{path.name}: the edit's old text occurs {text.count(old)} times, not once: {old!r}")
        text = text.replace(old, new)
    path.write_text(text)


def entry_point(path: Path) -> str:
    """The function the sample's `if __name__ == "__main__":` block runs (`main` in all but one)."""
    found = re.search(r'__name__ == "__main__":\s+asyncio\.run\((\w+)\(\)\)', path.read_text())
    return found.group(1) if found else "main"


def _forget_modules(module_name: str) -> None:
    for name in list(sys.modules):
        if name == module_name or name == "af_samples" or name.startswith("af_samples."):
            del sys.modules[name]


if __name__ == "__main__":
    for wanted in sys.argv[1:] or sample_ids():
        with tempfile.TemporaryDirectory() as tmp:
            try:
                run = run_sample(wanted, Path(tmp))
                print(f"=== {wanted}: ok\n{run.stdout[-3000:]}")
            except BaseException as exc:  # noqa: BLE001
                print(f"=== {wanted}: FAILED {type(exc).__name__}: {exc}"[:3000])
