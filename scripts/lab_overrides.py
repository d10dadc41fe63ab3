"""Quiet JupyterLab's first-visit questions in this environment, so nothing covers a lesson.

On a first visit JupyterLab asks, in a toast over the bottom right of the page, whether to
fetch Jupyter news; it covers a lesson's buttons. And a notebook opened while the list of
kernels is still loading can ask "Select Kernel" in a dialog before it starts one. JupyterLab
takes the defaults of every setting from `<app dir>/settings/overrides.json`, where the app dir
belongs to the environment (`<venv>/share/jupyter/lab`), so this script writes there: never
fetch news, never check for updates, start the notebook's own kernel without asking. Nothing
goes into the user's home, and a choice the user makes in JupyterLab's settings still wins
over these defaults.

    .venv/bin/python scripts/lab_overrides.py           # make lab runs this; so does binder/postBuild
    python scripts/lab_overrides.py --app-dir DIR       # another JupyterLab app dir

A plugin that overrides.json sets already is left as it is; the others are added. Run it with the environment's own python: the app
dir is found from it (or from JUPYTERLAB_DIR, as JupyterLab does). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

PLUGIN = "@jupyterlab/apputils-extension:notification"
QUIET = {"fetchNews": "false", "checkForUpdates": False}  # fetchNews is a string: "true", "false" or "none" (ask)
KERNEL_PLUGIN = "@jupyterlab/notebook-extension:tracker"
START_KERNEL = {"autoStartDefaultKernel": True}
DEFAULTS = {PLUGIN: QUIET, KERNEL_PLUGIN: START_KERNEL}


def default_app_dir() -> Path:
    """The JupyterLab app dir of the python running this, as JupyterLab finds it for a venv."""
    return Path(os.environ.get("JUPYTERLAB_DIR") or Path(sys.prefix) / "share" / "jupyter" / "lab")


def plugin_schema(app_dir: Path, plugin_id: str = PLUGIN) -> Path:
    """Where the installed JupyterLab keeps the schema of a plugin ("@scope/package:plugin")."""
    package, plugin = plugin_id.split(":")
    return app_dir / "schemas" / package / f"{plugin}.json"


def check_plugin(app_dir: Path) -> str | None:
    """Why the installed JupyterLab would ignore some of DEFAULTS, or None when it knows every
    plugin and setting."""
    for plugin_id, settings in DEFAULTS.items():
        schema_path = plugin_schema(app_dir, plugin_id)
        if not schema_path.exists():
            return f"{schema_path} does not exist: no JupyterLab in {app_dir}, or it renamed the plugin {plugin_id}"
        properties = json.loads(schema_path.read_text(encoding="utf-8")).get("properties", {})
        unknown = sorted(set(settings) - set(properties))
        if unknown:
            return f"JupyterLab's {plugin_id} has no setting {', '.join(unknown)} ({schema_path})"
    return None


def write_overrides(app_dir: Path) -> tuple[Path, bool]:
    """Add DEFAULTS to `app_dir`'s overrides.json, each plugin unless the file sets it already.

    Returns the file and whether it was changed."""
    path = app_dir / "settings" / "overrides.json"
    overrides = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    missing = {plugin_id: dict(settings) for plugin_id, settings in DEFAULTS.items() if plugin_id not in overrides}
    if not missing:
        return path, False
    overrides.update(missing)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(overrides, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)
    return path, True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app-dir", type=Path, default=None, help="JupyterLab's app dir (default: this environment's)")
    app_dir = (parser.parse_args(argv).app_dir or default_app_dir()).absolute()
    problem = check_plugin(app_dir)
    if problem:
        print(f"warning: {problem}; writing the overrides anyway, JupyterLab may still ask", file=sys.stderr)
    try:
        path, changed = write_overrides(app_dir)
    except (OSError, ValueError) as error:  # unreadable JSON is a ValueError
        print(f"warning: could not write JupyterLab's quiet defaults to {app_dir}/settings/overrides.json: {error}",
              file=sys.stderr)
        return 0  # the lab still opens; only the toast and the kernel question show
    if changed:
        print(f"==> JupyterLab: no news toast, no update checks, notebooks start their kernel ({path})")
    else:
        print(f"==> JupyterLab: {path} sets its defaults already, left as it is")
    return 0


if __name__ == "__main__":
    sys.exit(main())
