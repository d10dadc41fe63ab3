"""The packages point one way, checked by reading every module's imports (nothing is run).

- The core (`wfkit/core`) imports nothing from `wfkit.checkpoint`, `wfkit.agents`, `wfkit.viz`,
  `wfkit.widgets`, `wfkit.notebook`, `wfkit.history` or `wfkit.observability`, at module level or
  inside a function, except through the documented doors: on `Workflow` (`as_agent`, `to_dot`,
  `to_mermaid`, `to_svg`, rich display), `run.checkpointing` (saving runs) and
  `WorkflowBuilder.add_agent` (wrapping an agent). (`wfkit.observability` needs no door: it
  registers itself with the core, `core/observers.py`, when a setup call is made.)
- Nothing outside the core (no other wfkit package, no test) reads or writes a private attribute
  of a core object: a name with one leading underscore that a core class defines
  (``self._state = ...``, ``def _claim``), reached through anything but ``self`` or ``cls``,
  by ``.name`` or by ``getattr(obj, "_name")``.
- No two modules import each other in a circle at module level, counting the package
  ``__init__`` that importing a submodule runs first (imports under ``if TYPE_CHECKING:`` and
  inside functions do not run at import time, so they do not count).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

WFKIT = Path(__file__).resolve().parents[1] / "wfkit"
TESTS = Path(__file__).resolve().parent
OUTSIDE_THE_CORE = (
    "wfkit.checkpoint", "wfkit.agents", "wfkit.viz", "wfkit.widgets", "wfkit.notebook", "wfkit.history",
    "wfkit.observability", "wfkit.evaluation",
)
DOORS = {("wfkit.core.workflow", name) for name in ("as_agent", "to_dot", "to_mermaid", "to_svg", "_repr_mimebundle_")} | {
    ("wfkit.core.run", "checkpointing"),  # saving and loading runs (wfkit.checkpoint)
    ("wfkit.core.builder", "add_agent"),  # wrapping an agent in an AgentExecutor (wfkit.agents)
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the module it imports
    function: str | None  # the function the import sits in, if any
    type_checking: bool  # under `if TYPE_CHECKING:`
    line: int


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules(root: Path) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, function: str | None, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, function or child.name, type_checking)
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for part in child.body:
                    visit(ast.Module(body=[part], type_ignores=[]), function, True)
                for part in child.orelse:
                    visit(ast.Module(body=[part], type_ignores=[]), function, type_checking)
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(Import(name, alias.name, function, type_checking, child.lineno))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (child.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                for alias in child.names:  # `from pkg import module` imports that module
                    target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    found.append(Import(name, target, function, type_checking, child.lineno))
            else:
                visit(child, function, type_checking)

    visit(ast.parse(path.read_text(), str(path)), None, False)
    return found


def core_imports_from_outside(root: Path) -> list[str]:
    """Imports by core modules of the packages above it, other than the doors (as text)."""
    modules = all_modules(root)
    bad = []
    for name, path in modules.items():
        if not name.startswith("wfkit.core"):
            continue
        for imp in imports_of(name, path, modules):
            outside = any(imp.target == p or imp.target.startswith(p + ".") for p in OUTSIDE_THE_CORE)
            if outside and (imp.module, imp.function) not in DOORS:
                bad.append(f"{path.relative_to(root.parent)}:{imp.line} imports {imp.target}")
    return bad


def module_level_cycles(root: Path) -> list[list[str]]:
    """Every circle of module-level imports, each as the modules on it."""
    modules = all_modules(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imp in imports_of(name, path, modules):
            if imp.function is None and not imp.type_checking and imp.target in modules and imp.target != name:
                graph[name].add(imp.target)
                # Importing a.b.c runs a/b/__init__.py first, unless the importer lives inside a.b
                # (then that package is being imported already).
                parts = imp.target.split(".")
                for n in range(1, len(parts)):
                    parent = ".".join(parts[:n])
                    if parent in modules and not (name + ".").startswith(parent + "."):
                        graph[name].add(parent)
    # Tarjan's strongly connected components: a component of more than one module is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return cycles


def _is_private(name: str) -> bool:
    # Not ``__dunder__``, nor IPython's display protocol (``_repr_mimebundle_``), which is public.
    return name.startswith("_") and not name.endswith("_")


def core_private_names(core: Path) -> set[str]:
    """The private names core classes define: methods, and attributes set on ``self``/``cls``."""
    names: set[str] = set()
    for path in core.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ClassDef):
                for member in ast.walk(node):
                    if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_private(member.name):
                        names.add(member.name)
                    elif (
                        isinstance(member, ast.Attribute)
                        and isinstance(member.ctx, ast.Store)
                        and isinstance(member.value, ast.Name)
                        and member.value.id in ("self", "cls")
                        and _is_private(member.attr)
                    ):
                        names.add(member.attr)
    return names


def private_reads_from_outside(core: Path, readers: list[Path]) -> list[str]:
    """Each place in `readers` (files outside the core) that reaches a core object's private name."""
    private = core_private_names(core)
    found = []
    for path in readers:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            name = None
            if isinstance(node, ast.Attribute) and node.attr in private:
                owner = node.value
                if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                    name = node.attr
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "setattr", "hasattr")
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in private
            ):
                name = node.args[1].value
            if name is not None:
                found.append((str(path), node.lineno, name))
    return [f"{Path(path).name}:{line} reaches {name}" for path, line, name in sorted(found)]


def outside_the_core(root: Path, tests: Path) -> list[Path]:
    in_wfkit = [p for p in root.rglob("*.py") if "core" not in p.relative_to(root).parts[:1]]
    return sorted(in_wfkit + list(tests.rglob("*.py")))


def test_nothing_outside_the_core_reads_its_private_state() -> None:
    readers = [p for p in outside_the_core(WFKIT, TESTS) if p.name != "test_layering.py"]
    assert private_reads_from_outside(WFKIT / "core", readers) == []


def test_the_private_state_check_sees_attributes_methods_and_getattr(tmp_path: Path) -> None:
    core = tmp_path / "core"
    core.mkdir()
    (core / "workflow.py").write_text(
        "class Workflow:\n"
        "    def __init__(self):\n        self._state = None\n        self.public = 1\n"
        "    def _claim(self):\n        return self._state\n"
    )
    reader = tmp_path / "reader.py"
    reader.write_text(
        "w.public\nw._state.messages\nw._claim()\ngetattr(w, '_state', None)\n"
        "other._private_of_someone_else\nw.__class__\n"
    )
    assert private_reads_from_outside(core, [reader]) == [
        "reader.py:2 reaches _state",
        "reader.py:3 reaches _claim",
        "reader.py:4 reaches _state",
    ]


def test_the_core_imports_nothing_from_the_packages_built_on_it() -> None:
    assert core_imports_from_outside(WFKIT) == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert module_level_cycles(WFKIT) == []


def test_the_checks_see_imports_at_module_level_inside_functions_and_relative(tmp_path: Path) -> None:
    # A small package with exactly the faults the checks are for, so a check that sees nothing fails here.
    package = tmp_path / "wfkit"
    (package / "core").mkdir(parents=True)
    (package / "checkpoint").mkdir()
    (package / "__init__.py").write_text("")
    (package / "checkpoint" / "__init__.py").write_text("")
    (package / "checkpoint" / "model.py").write_text("from ..core.state import RunState\n")
    (package / "core" / "__init__.py").write_text("")
    (package / "core" / "state.py").write_text("from ..checkpoint.model import WorkflowCheckpoint\n")
    (package / "core" / "workflow.py").write_text(
        "class Workflow:\n"
        "    def to_dot(self):\n        from ..viz.dot import workflow_to_dot\n"
        "    def run(self):\n        from wfkit.widgets import RunView\n"
    )
    assert core_imports_from_outside(package) == [
        "wfkit/core/state.py:1 imports wfkit.checkpoint.model",
        "wfkit/core/workflow.py:5 imports wfkit.widgets",
    ]
    assert module_level_cycles(package) == [["wfkit.checkpoint.model", "wfkit.core.state"]]
