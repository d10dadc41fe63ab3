"""Helpers for tests/test_setup.py: a throwaway copy of this repository, and running its scripts.

The copy is made from the working tree (tracked files as they are now, plus new files git
does not ignore), not from HEAD, so the tests see uncommitted changes too.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` with a fixed identity (tests must not depend on the user's config)."""
    result = subprocess.run(
        ["git", "-c", "user.name=wfkit tests", "-c", "user.email=tests@wfkit.invalid", "-c", "commit.gpgsign=false",
         *args],
        cwd=repo, check=True, capture_output=True, text=True,
    )
    return result.stdout


def working_tree_files() -> list[str]:
    """The repository's files as a clean clone of the working tree would hold them."""
    listed = git(REPO_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    return sorted({name for name in listed if name and (REPO_ROOT / name).is_file()})


def copy_of_repository(target: Path, *, commit: bool) -> Path:
    """Copy the working tree's files into `target`; with `commit`, make it a git repository
    with all of them committed (what a learner's fresh clone looks like)."""
    for name in working_tree_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, destination)  # keeps the executable bit (binder/postBuild)
    if commit:
        git(target, "init", "--quiet")
        git(target, "add", "--all")
        git(target, "commit", "--quiet", "-m", "the course as committed")
    return target


def run_script(script: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a script of scripts/ with python's standard library only (-S: no site-packages,
    as with a system python3 before .venv exists; -I: nothing from the environment)."""
    return subprocess.run([sys.executable, "-I", "-S", str(script), *args], capture_output=True, text=True)
