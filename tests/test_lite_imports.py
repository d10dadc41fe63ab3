"""What the lessons import must not need what the browser leaves out (issue 32).

The JupyterLite site (scripts/build_lite.py) carries wfkit's runtime dependencies but not the
ones in its `BROWSER_LEAVES_OUT`: papermill (a course author's tool, whose pyzmq has no Pyodide
build) and the `graphviz` bindings (they start the `dot` program). This test imports everything
the lessons and their exercise modules import, in a Python where those packages (and pyzmq)
refuse to load, so a module that starts needing one at import time is seen here, in a second,
rather than in the browser test. (ipykernel is left out too, but the browser's kernel brings
its own.)
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from build_lite import BROWSER_LEAVES_OUT  # noqa: E402  (scripts/ is not a package)

# The Python names of what the browser cannot import; pyzmq comes in with papermill elsewhere.
NOT_IN_THE_BROWSER = sorted({name.replace("-", "_") for name in BROWSER_LEAVES_OUT} - {"ipykernel"} | {"zmq"})

REFUSE_AND_IMPORT = """
import importlib.abc, sys

class NotInTheBrowser(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {refused!r}:
            raise ImportError(f"{{name}} is not in the JupyterLite site (BROWSER_LEAVES_OUT)")
        return None

sys.meta_path.insert(0, NotInTheBrowser())
sys.path.insert(0, {notebooks!r})
{imports}
print("imported", len(sys.modules), "modules")
"""


def lesson_imports() -> list[str]:
    """Every import statement of the lessons' code cells, outside ``try:`` (an optional import,
    such as lesson 9's Agent Framework, handles its own absence), plus each exercise module."""
    statements: set[str] = set()
    for notebook in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(notebook.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            try:
                tree = ast.parse(source)
            except SyntaxError:  # top-level await: wrap it, as IPython does
                tree = ast.parse("async def cell():\n" + "\n".join("    " + line for line in source.splitlines()))
            guarded = {id(node) for t in ast.walk(tree) if isinstance(t, ast.Try) for node in ast.walk(t)}
            statements |= {
                ast.unparse(node)
                for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in guarded
            }
    statements |= {f"import exercises.{path.stem}" for path in (REPO / "notebooks" / "exercises").glob("lesson_*.py")}
    return sorted(statements)


def test_the_lessons_import_nothing_the_browser_leaves_out() -> None:
    imports = lesson_imports()
    assert "import wfkit.notebook" in imports and any("exercises" in line for line in imports)
    script = REFUSE_AND_IMPORT.format(refused=NOT_IN_THE_BROWSER, notebooks=str(REPO / "notebooks"), imports="\n".join(imports))
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert ran.returncode == 0, ran.stderr[-3000:]


def test_the_refusal_is_real() -> None:
    # The same script refuses papermill: otherwise the test above would pass on anything.
    script = REFUSE_AND_IMPORT.format(refused=NOT_IN_THE_BROWSER, notebooks=str(REPO / "notebooks"), imports="import papermill")
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert ran.returncode != 0 and "not in the JupyterLite site" in ran.stderr
