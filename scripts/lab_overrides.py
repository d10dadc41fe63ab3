"""Turn off JupyterLab's "get notified about official Jupyter news?" toast in this environment.

On a first visit JupyterLab asks, in a toast over the bottom right of the page, whether to
fetch Jupyter news; it covers a lesson's buttons. JupyterLab takes the defaults of every
setting from `<app dir>/settings/overrides.json`, where the app dir belongs to the
environment (`<venv>/share/jupyter/lab`), so this script writes there, for the notification
plugin: never fetch news, never check for updates. Nothing goes into the user's home, and a
choice the user makes in JupyterLab's settings still wins over these defaults.

    .venv/bin/python scripts/lab_overrides.py           # make lab runs this; so does binder/postBuild
    python scripts/lab_overrides.py --app-dir DIR       # another JupyterLab app dir

An overrides.json that already sets the notification plugin is left as it is; one that sets
only other plugins gets this one added. Run it with the environment's own python: the app
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


def default_app_dir() -> Path:
    """The JupyterLab app dir of the python running this, as JupyterLab finds it for a venv."""
    return Path(os.environ.get("JUPYTERLAB_DIR") or Path(sys.prefix) / "share" / "jupyter" / "lab")


def plugin_schema(app_dir: Path) -> Path:
    """Where the installed JupyterLab keeps the schema of PLUGIN ("@scope/package:plugin")."""
    package, plugin = PLUGIN.split(":")
    return app_dir / "schemas" / package / f"{plugin}.json"


def check_plugin(app_dir: Path) -> str | None:
    """Why the installed JupyterLab would ignore QUIET, or None when it knows the plugin and every setting."""
    schema_path = plugin_schema(app_dir)
    if not schema_path.exists():
        return f"{schema_path} does not exist: no JupyterLab in {app_dir}, or it renamed the plugin {PLUGIN}"
    properties = json.loads(schema_path.read_text(encoding="utf-8")).get("properties", {})
    unknown = sorted(set(QUIET) - set(properties))
    if unknown:
        return f"JupyterLab's {PLUGIN} has no setting {', '.join(unknown)} ({schema_path})"
    return None


def write_overrides(app_dir: Path) -> tuple[Path, bool]:
    """Add QUIET for PLUGIN to `app_dir`'s overrides.json unless that file sets PLUGIN already.

    Returns the file and whether it was changed."""
    path = app_dir / "settings" / "overrides.json"
    overrides = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if PLUGIN in overrides:
        return path, False
    overrides[PLUGIN] = dict(QUIET)
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
        print(f"warning: {problem}; writing the override anyway, the news toast may still show", file=sys.stderr)
    try:
        path, changed = write_overrides(app_dir)
    except (OSError, ValueError) as error:  # unreadable JSON is a ValueError
        print(f"warning: could not turn JupyterLab's news toast off in {app_dir}/settings/overrides.json: {error}",
              file=sys.stderr)
        return 0  # the lab still opens; only the toast shows
    if changed:
        print(f"==> JupyterLab's news toast and update checks: off for this environment ({path})")
    else:
        print(f"==> JupyterLab's news toast and update checks: {path} sets them already, left as it is")
    return 0


if __name__ == "__main__":
    sys.exit(main())
