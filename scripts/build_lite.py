"""Build the course as a static JupyterLite site: Python in the browser, nothing to install.

    python scripts/build_lite.py               # writes build/lite/ (make lite)
    python scripts/build_lite.py --out DIR     # somewhere else

The site is plain files: JupyterLite's pages, the Pyodide kernel (Python compiled to
WebAssembly, running in the page), the wheels the course imports, and the lessons at the
site's root. Any static web server can serve it (`make lite-serve`), and once loaded it needs
no network at all.

Everything comes from the two package registries, nothing from a CDN:

1. **Pyodide** from npm (`npm pack pyodide@VERSION`): the interpreter, its standard library
   and a `pyodide-lock.json`. The npm package holds no wheels (they live on Pyodide's CDN), so
   its lock is only a template: `write_site_lock` writes one that lists exactly the wheels this
   site carries, and the kernel is told never to look on PyPI.
2. **The wheels** from PyPI: the course's runtime dependencies (`runtime_requirements`) resolved
   for Pyodide (Python 3.14, ``sys_platform == "emscripten"``) within the versions of
   requirements/lock.txt, and downloaded for Pyodide's wheel tag; the compiled ones,
   pydantic-core and jiter, publish such wheels on PyPI. wfkit's own wheel is built from this
   checkout.
3. **Graphviz compiled to WebAssembly** from npm (`@viz-js/viz`): `dot` is a program, which a
   browser cannot start, so wfkit draws with this build of the same Graphviz there
   (`wfkit.viz.browser_graphviz`).
4. **JupyterLite** (`jupyterlite-core` and `jupyterlite-pyodide-kernel`, the `lite` extra) puts
   it together with the JupyterLab extensions installed next to it (the widgets' front end).
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

REPO = Path(__file__).resolve().parent.parent

# The Pyodide the site runs, and the JupyterLite kernel that expects it (its constants say
# which Pyodide it was made for: jupyterlite_pyodide_kernel.constants.PYODIDE_VERSION).
PYODIDE_NPM = "pyodide@314.0.7"
PYODIDE_PYTHON = "3.14"
PYODIDE_WHEEL_PLATFORM = "pyemscripten_2026_0_wasm32"  # PEP 783's tag for this Pyodide's ABI
VIZ_NPM = "@viz-js/viz@3.31.0"

# What wfkit depends on but the browser cannot have or does not need, and why
# (tests/test_lite_imports.py checks that nothing the lessons import needs them).
BROWSER_LEAVES_OUT = {
    "ipykernel": "the Pyodide kernel brings its own (6.9.2): a click waits until the cell ends, "
    "so a run goes on from its card (wfkit.notebook.kernel)",
    "papermill": "a course author's tool for running lessons headless; it needs pyzmq, which has "
    "no Pyodide build",
    "graphviz": "it starts the `dot` program; the browser draws with Graphviz in WebAssembly instead",
}

# What the kernel itself imports (jupyterlite-pyodide-kernel installs these at start-up, from the
# site when they are in its lock, else from PyPI), and micropip, which installs the rest.
KERNEL_NEEDS = ["ipython", "jedi", "comm", "micropip", "packaging"]

# Versions the browser needs to be different from requirements/lock.txt, and why.
BROWSER_PINS = {
    # jsonschema 4.18+ depends on rpds-py, compiled Rust with no Pyodide wheel on PyPI; 4.17 is
    # pure Python and nbformat (wfkit.teach) is content with it.
    "jsonschema": "jsonschema<4.18",
}

# Wheels JupyterLite's Pyodide kernel replaces with its own (shims), so the site must not load
# the real ones: ipywidgets' front end is the JupyterLab extension, not these packages.
KERNEL_PROVIDES = {"ipykernel", "widgetsnbextension", "jupyterlab-widgets"}

# Loaded before the first cell runs: the kernel's own needs, and wfkit with all its dependencies,
# so a lesson's `import wfkit` is as quick as on a desktop.
PRELOAD = [*KERNEL_NEEDS, "wfkit"]


def run(command: list[str], **options: object) -> None:
    """Run a build step, echoing it the way make does."""
    print("==>", " ".join(command), flush=True)
    subprocess.run(command, check=True, **options)  # type: ignore[call-overload]


def npm_package(spec: str, into: Path) -> Path:
    """Download one npm package with `npm pack` (the registry, nothing else) and unpack it into
    `into`; return the folder holding its files."""
    into.mkdir(parents=True, exist_ok=True)
    listing = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = into / json.loads(listing.stdout)[0]["filename"]
    unpacked = into / tarball.name.removesuffix(".tgz")
    shutil.rmtree(unpacked, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(unpacked, filter="data")
    return unpacked / "package"


def runtime_requirements() -> list[str]:
    """What a lesson imports in the browser: wfkit's dependencies (pyproject.toml) less those
    the browser leaves out, plus what the kernel needs, with the browser's own pins."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = [
        requirement
        for requirement in project["dependencies"]
        if canonicalize_name(Requirement(requirement).name) not in BROWSER_LEAVES_OUT
    ]
    return [*wanted, *KERNEL_NEEDS, *BROWSER_PINS.values()]


def resolve_for_pyodide(work: Path) -> list[str]:
    """Pin every runtime package for Pyodide's platform, within requirements/lock.txt's versions
    (except `BROWSER_PINS`), with uv; return the ``name==version`` lines."""
    requirements = work / "browser.in"
    requirements.write_text("\n".join(runtime_requirements()) + "\n")
    overridden = set(map(canonicalize_name, BROWSER_PINS))
    constraints = work / "lock-constraints.txt"
    constraints.write_text(
        "".join(
            line + "\n"
            for line in (REPO / "requirements/lock.txt").read_text().splitlines()
            if line and not line.startswith((" ", "#"))
            and canonicalize_name(re.split(r"[=<>!~; ]", line, maxsplit=1)[0]) not in overridden
        )
    )
    pinned = work / "browser.txt"
    # uv's name for Pyodide's platform; the Python version is Pyodide's, so markers such as
    # sys_platform == "emscripten" and python_version >= "3.12" come out as in the browser.
    run(
        [
            sys.executable, "-m", "uv", "pip", "compile", str(requirements),
            "--constraints", str(constraints),
            "--python-platform", "wasm32-pyodide2024", "--python-version", PYODIDE_PYTHON,
            "--no-header", "--no-annotate", "--quiet", "--output-file", str(pinned),
        ]
    )
    return [line for line in pinned.read_text().splitlines() if "==" in line]


def download_wheels(pins: list[str], into: Path) -> None:
    """Download a wheel of each pin for Pyodide's platform (pure Python or pyemscripten) from PyPI."""
    keep = [pin for pin in pins if canonicalize_name(pin.split("==")[0]) not in KERNEL_PROVIDES]
    run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
            "--platform", PYODIDE_WHEEL_PLATFORM, "--python-version", PYODIDE_PYTHON,
            "--implementation", "cp", "--abi", "cp" + PYODIDE_PYTHON.replace(".", ""),
            "--dest", str(into), *keep,
        ]
    )


def build_wfkit_wheel(into: Path) -> None:
    """wfkit's wheel, built from this checkout."""
    run([sys.executable, "-m", "uv", "build", "--wheel", "--quiet", "--out-dir", str(into), str(REPO)])


def write_site_lock(template: Path, wheels: Path, destination: Path) -> None:
    """Write the `pyodide-lock.json` Pyodide loads packages by: one entry per wheel in `wheels`
    (copied next to the lock), with its sha256 (Pyodide checks it) and the packages it depends
    on in the browser. The interpreter's description (`info`) comes from npm's lock."""
    lock = json.loads(template.read_text())
    packages = {}
    for wheel in sorted(wheels.glob("*.whl")):
        name, version, _, _ = parse_wheel_filename(wheel.name)
        metadata, imports = _wheel_metadata(wheel)
        packages[name] = {
            "name": name,
            "version": str(version),
            "file_name": wheel.name,
            "install_dir": "site",
            "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "package_type": "package",
            "imports": imports,
            "depends": _browser_dependencies(metadata),
            "unvendored_tests": False,
            "shared_library": False,
        }
        shutil.copy2(wheel, destination.parent / wheel.name)
    missing = {dep for entry in packages.values() for dep in entry["depends"]} - set(packages)
    if missing:
        raise SystemExit(f"error: the site's wheels depend on {sorted(missing)}, which it does not carry")
    lock["packages"] = packages
    destination.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")


def _wheel_metadata(wheel: Path) -> tuple[email.message.Message, list[str]]:
    """A wheel's METADATA and the top-level names it installs (what `import` finds)."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode())
    tops = {
        name.split("/")[0].removesuffix(".py")
        for name in names
        if not name.split("/")[0].endswith((".dist-info", ".data")) and (name.endswith(".py") or "/" in name)
    }
    return metadata, sorted(tops)


BROWSER_ENVIRONMENT = {
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "python_version": PYODIDE_PYTHON,
    "python_full_version": PYODIDE_PYTHON + ".0",
    "implementation_name": "cpython",
    "os_name": "posix",
    "extra": "",
}


def _browser_dependencies(metadata: email.message.Message) -> list[str]:
    """The canonical names of what a wheel requires in the browser (no extras, markers applied),
    less what the kernel provides itself."""
    names = set()
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is not None and not Marker(str(requirement.marker)).evaluate(BROWSER_ENVIRONMENT):
            continue
        name = canonicalize_name(requirement.name)
        if name not in KERNEL_PROVIDES and name not in BROWSER_LEAVES_OUT:
            names.add(name)
    return sorted(names)


def write_lite_settings(lite_dir: Path) -> None:
    """jupyter-lite.json: the Pyodide kernel loads its packages from the site's own lock, starts
    with `PRELOAD` loaded, and never falls back to PyPI (the site works offline)."""
    settings = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "wfkit course",
            "litePluginSettings": {
                "@jupyterlite/pyodide-kernel-extension:kernel": {
                    "pyodideUrl": "./static/pyodide/pyodide.mjs",
                    "disablePyPIFallback": True,
                    "loadPyodideOptions": {"packages": PRELOAD},
                }
            },
        },
    }
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(settings, indent=2) + "\n")


def build(out: Path, work: Path) -> None:
    """Every step, from the registries to a site in `out`."""
    lite_dir = work / "lite-dir"
    shutil.rmtree(lite_dir, ignore_errors=True)
    pyodide_dir = lite_dir / "static" / "pyodide"
    shutil.copytree(npm_package(PYODIDE_NPM, work / "npm"), pyodide_dir, ignore=shutil.ignore_patterns("*.map"))

    wheels = work / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    wheels.mkdir()
    download_wheels(resolve_for_pyodide(work), wheels)
    build_wfkit_wheel(wheels)
    write_site_lock(pyodide_dir / "pyodide-lock.json", wheels, pyodide_dir / "pyodide-lock.json")
    write_lite_settings(lite_dir)

    shutil.rmtree(out, ignore_errors=True)
    run(
        [
            str(Path(sys.executable).parent / "jupyter-lite"), "build",
            "--lite-dir", str(lite_dir), "--output-dir", str(out),
            "--contents", str(REPO / "notebooks"), "--no-sourcemaps",
            # The exercises' checks read their solutions from the hidden .solutions/ folder.
            "--ContentsManager.allow_hidden=True",
        ],
        cwd=lite_dir,  # jupyter lite keeps its record of finished steps here: new every build
    )
    # jupyter lite copies only the files it knows; Graphviz's module goes in afterwards.
    viz = npm_package(VIZ_NPM, work / "npm")
    (out / "static" / "wfkit").mkdir(parents=True, exist_ok=True)
    shutil.copy2(viz / "dist" / "viz.js", out / "static" / "wfkit" / "viz.js")
    print(f"==> the course as a static site: {out} (make lite-serve to look at it)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "lite", help="where the site goes")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "lite-work", help="downloads and steps")
    options = parser.parse_args(argv)
    options.work.mkdir(parents=True, exist_ok=True)
    build(options.out.resolve(), options.work.resolve())


if __name__ == "__main__":
    main()
