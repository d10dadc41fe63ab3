"""The pinned versions every install uses: requirements/lock.txt.

- The lock pins, once, every package that pyproject.toml's dependencies and extras (and
  requirements/installer.in) ask for, for each Python from 3.10 to 3.13 on Linux, macOS and
  Windows, at a version inside the bounds pyproject.toml sets.
- The environment `make test` built holds exactly the lock's versions, down to the last
  transitive dependency: nothing floats.
- A fresh install of the lab extra gets the lock's versions; a second one does nothing; a
  refreshed lock installs again.
- binder installs the same pins; `make lock` writes the lock again and `make help` says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.setup_helpers import REPO_ROOT, copy_of_repository

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the test extra installs tomli
    import tomli as tomllib

LOCK = REPO_ROOT / "requirements" / "lock.txt"
SUPPORTED_PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
PLATFORMS = {"linux": ("Linux", "posix"), "darwin": ("Darwin", "posix"), "win32": ("Windows", "nt")}
# What a lesson runs on: if one of these left the lock, or the venv had another version, the
# course would be tested on something a learner does not get.
COURSE_PACKAGES = {"ipywidgets", "ipykernel", "jupyterlab", "notebook", "nbformat", "papermill", "openai", "graphviz"}


def marker_environment(python: str, platform: str) -> dict[str, str]:
    """The values environment markers (`; python_version < '3.11'`) see on that Python and platform."""
    system, os_name = PLATFORMS[platform]
    return {"python_version": python, "python_full_version": f"{python}.0", "sys_platform": platform,
            "platform_system": system, "os_name": os_name}


def lock_pins() -> list[Requirement]:
    """Every pin of the lock, markers included (a package may have one pin per Python version)."""
    lines = LOCK.read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]


def pins_for(environment: dict[str, str] | None = None) -> dict[str, list[str]]:
    """The versions the lock pins for each package on one Python and platform (this one by default)."""
    pins: dict[str, list[str]] = {}
    for pin in lock_pins():
        if pin.marker is None or pin.marker.evaluate(environment):
            (version,) = [spec.version for spec in pin.specifier if spec.operator == "=="]
            pins.setdefault(canonicalize_name(pin.name), []).append(version)
    return pins


def pinned_version(pins: dict[str, list[str]], name: str) -> str:
    (version,) = pins[canonicalize_name(name)]
    return version


def declared_requirements() -> list[Requirement]:
    """What pyproject.toml (dependencies, every extra, the build backend) and requirements/installer.in
    ask for, without the extras' references to wfkit itself."""
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    texts = list(pyproject["project"]["dependencies"]) + pyproject["build-system"]["requires"]
    for extra in pyproject["project"]["optional-dependencies"].values():
        texts += extra
    installer = (REPO_ROOT / "requirements" / "installer.in").read_text(encoding="utf-8").splitlines()
    texts += [line for line in installer if line.strip() and not line.startswith("#")]
    return [Requirement(text) for text in texts if canonicalize_name(Requirement(text).name) != "wfkit"]


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
@pytest.mark.parametrize("python", SUPPORTED_PYTHONS)
def test_the_lock_pins_every_declared_requirement_once_inside_its_bounds(python, platform):
    environment = marker_environment(python, platform)
    pins = pins_for(environment)
    for requirement in declared_requirements():
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        versions = pins.get(canonicalize_name(requirement.name), [])
        assert len(versions) == 1, \
            f"the lock pins {requirement.name} {len(versions)} times on Python {python}, {platform}: run make lock"
        assert requirement.specifier.contains(versions[0], prereleases=True), \
            f"the lock's {requirement.name}=={versions[0]} is outside pyproject's '{requirement}': run make lock"


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
@pytest.mark.parametrize("python", SUPPORTED_PYTHONS)
def test_no_package_has_two_pins_on_one_python_and_platform(python, platform):
    doubled = {name: versions for name, versions in pins_for(marker_environment(python, platform)).items()
               if len(versions) > 1}
    assert doubled == {}


# --- the environment make test built -------------------------------------------------------


def installed_for(extra: str) -> dict[str, str]:
    """Every distribution installing wfkit[extra] brought into this environment, with its version:
    the requirements of wfkit's metadata, followed down to the last one."""
    found: dict[str, str] = {}
    to_visit = [("wfkit", frozenset({extra}))]
    seen = set()
    while to_visit:
        name, extras = to_visit.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        distribution = metadata.distribution(name)
        found[name] = distribution.version
        for text in distribution.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or any(requirement.marker.evaluate({"extra": e}) for e in extras | {""}):
                to_visit.append((canonicalize_name(requirement.name), frozenset(requirement.extras)))
    del found["wfkit"]
    return found


@pytest.fixture
def made_from_this_lock() -> None:
    """Skip unless this environment was installed by scripts/ensure_venv.sh from the lock as it is
    now (make test's .venv is: it installs again when the lock changes)."""
    record = Path(sys.prefix) / ".wfkit-lock"
    if not record.is_file():
        pytest.skip(f"{sys.prefix} was not installed by scripts/ensure_venv.sh from requirements/lock.txt")
    if record.read_text().strip() != hashlib.sha256(LOCK.read_bytes()).hexdigest():
        pytest.skip(f"{sys.prefix} was installed from another requirements/lock.txt: make test installs this one")


def test_the_test_environment_holds_exactly_the_locks_versions(made_from_this_lock):
    installed = installed_for("test")
    assert COURSE_PACKAGES <= set(installed), "the walk through wfkit's requirements missed the course's packages"
    pins = pins_for()
    unpinned = sorted(set(installed) - set(pins))
    assert unpinned == [], f"installed, but not pinned by the lock (run make lock): {unpinned}"
    differing = {name: (version, pins[name]) for name, version in installed.items() if [version] != pins[name]}
    assert differing == {}, "installed version, pinned versions"


# --- a fresh install ------------------------------------------------------------------------


def reach_package_index(folder: Path) -> None:
    """Skip unless pip can download from the package index (the next test installs from it)."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-cache-dir", "--dest", str(folder),
         f"six=={pinned_version(pins_for(), 'six')}"],
        capture_output=True, text=True, timeout=120,
    )
    if done.returncode != 0:
        pytest.skip(f"the package index cannot be reached: {done.stderr.strip()[-300:]}")


def ensure_venv(repo: Path, extra: str) -> subprocess.CompletedProcess:
    """Run the copy's scripts/ensure_venv.sh as make would, with none of this session's settings for it."""
    unset = {"PYTHONPATH", "VIRTUAL_ENV", "VENV", "WFKIT_INSTALLER", "WFKIT_FORCE_INSTALL"}
    env = {name: value for name, value in os.environ.items() if name not in unset}
    return subprocess.run(["bash", str(repo / "scripts" / "ensure_venv.sh"), extra], cwd=repo, capture_output=True,
                          text=True, env={**env, "PYTHON": sys.executable})


@pytest.fixture(scope="module")
def fresh_lab_install(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """A copy of the repository, and what its first `scripts/ensure_venv.sh lab` (make lab's install) did."""
    folder = tmp_path_factory.mktemp("fresh")
    reach_package_index(folder / "probe")
    repo = copy_of_repository(folder / "clone", commit=False)
    return repo, ensure_venv(repo, "lab")


def test_a_fresh_lab_install_uses_uv_and_gets_exactly_the_locks_versions(fresh_lab_install):
    repo, done = fresh_lab_install
    assert done.returncode == 0, done.stdout + done.stderr
    assert "with uv" in done.stdout
    listing = subprocess.run(
        [str(repo / ".venv" / "bin" / "python"), "-I", "-c",
         "import json; from importlib.metadata import distributions as d; "
         "print(json.dumps({x.metadata['Name']: x.version for x in d()}))"],
        check=True, capture_output=True, text=True,
    ).stdout
    installed = {canonicalize_name(name): version for name, version in json.loads(listing).items()}
    del installed["wfkit"], installed["pip"]  # the project itself, and the pip that came with Python's venv
    assert COURSE_PACKAGES <= set(installed)
    pins = pins_for()
    assert installed == {name: pinned_version(pins, name) for name in installed}


def test_a_second_install_does_nothing_and_a_refreshed_lock_installs_again(fresh_lab_install):
    repo, done = fresh_lab_install
    assert done.returncode == 0, done.stdout + done.stderr
    again = ensure_venv(repo, "lab")
    assert again.returncode == 0 and "up to date" in again.stdout, again.stdout + again.stderr

    with (repo / "requirements" / "lock.txt").open("a") as lock:
        lock.write("# refreshed\n")
    refreshed = ensure_venv(repo, "lab")
    assert refreshed.returncode == 0 and "installed .[lab]" in refreshed.stdout, refreshed.stdout + refreshed.stderr


# --- binder and make -------------------------------------------------------------------------


def test_binder_installs_the_lab_extra_with_the_lock_as_constraints():
    requirements = REPO_ROOT / "binder" / "requirements.txt"
    lines = [line.split() for line in requirements.read_text().splitlines() if line and not line.startswith("#")]
    assert ["-e", ".[lab]"] in lines
    constraints = [(requirements.parent / words[1]).resolve() for words in lines if words[0] == "-c"]
    assert constraints == [LOCK]  # pip reads a nested file's path from the folder of the file that names it


def test_make_help_shows_how_to_refresh_the_lock():
    shown = subprocess.run(["make", "help"], cwd=REPO_ROOT, check=True, capture_output=True, text=True).stdout
    assert "make lock " in shown and "requirements/lock.txt" in shown


def test_make_lock_resolves_every_extra_for_python_3_10_and_newer_on_every_platform():
    commands = subprocess.run(["make", "-n", "lock"], cwd=REPO_ROOT, check=True, capture_output=True, text=True).stdout
    commands = commands.replace("\\\n", " ")  # one command, written on two lines
    compile_line = next(line for line in commands.splitlines() if "uv pip compile pyproject.toml" in line
                        and not line.startswith("echo"))
    for option in ("requirements/installer.in", "--all-extras", "--universal", "--python-version 3.10",
                   "--output-file requirements/lock.txt"):
        assert option in compile_line
