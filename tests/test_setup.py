"""How a learner sets up and uses the course: `make lab`, `make reset`, binder, and git staying clean.

- `make lab` installs only the lab extra (JupyterLab, Notebook 7), never the test tools.
- The lessons open from the learner's copy, course/ (scripts/course.py): made and topped up
  from notebooks/, never overwriting the learner's work; `make reset` puts a lesson back and
  keeps the learner's version.
- Running every lesson of course/ with its outputs saved (as autosave does) leaves `git status` clean.
- JupyterLab's news toast is off in make lab's (and binder's) own JupyterLab settings.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tests.setup_helpers import REPO_ROOT, copy_of_repository, git, run_script

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the test extra installs tomli
    import tomli as tomllib

TEST_TOOLS = {"pytest", "playwright", "hypothesis"}
NOTIFICATION_PLUGIN = "@jupyterlab/apputils-extension:notification"
KERNEL_PLUGIN = "@jupyterlab/notebook-extension:tracker"
BASE_PARAMETERS = {"chat": "offline"}  # as a learner runs them, on the offline model


# --- the lab extra and make lab ------------------------------------------------------------


def extras() -> dict[str, list[str]]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["optional-dependencies"]


def requirement_names(extra: str) -> set[str]:
    """The distributions an extra installs, following its "wfkit[...]" references."""
    names = set()
    for requirement in extras()[extra]:
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0).lower()
        held = re.match(r"wfkit\[([^\]]+)\]", requirement)
        if held:
            for other in held.group(1).split(","):
                names |= requirement_names(other.strip())
        else:
            names.add(name)
    return names


def make_dry_run(*args: str) -> str:
    """What `make -n ARGS` would run: the commands, executing none of them."""
    return subprocess.run(["make", "-n", *args], cwd=REPO_ROOT, check=True, capture_output=True, text=True).stdout


def test_lab_extra_holds_jupyterlab_and_notebook_and_no_test_tool():
    lab = requirement_names("lab")
    assert {"jupyterlab", "notebook"} <= lab
    assert not lab & TEST_TOOLS, f"the lab extra installs test tools: {sorted(lab & TEST_TOOLS)}"


def test_test_extra_holds_everything_the_lab_has_and_the_test_tools():
    assert requirement_names("lab") | TEST_TOOLS <= requirement_names("test")


def test_make_lab_installs_the_lab_extra_not_the_test_extra():
    commands = make_dry_run("lab")
    assert "scripts/ensure_venv.sh lab" in commands
    assert "ensure_venv.sh test" not in commands


def test_make_lab_opens_the_index_of_the_learners_copy_with_it_as_root_dir():
    commands = make_dry_run("lab").splitlines()
    prepare = next(i for i, line in enumerate(commands) if "scripts/course.py --course course prepare" in line)
    lab = next(i for i, line in enumerate(commands) if line.startswith("JUPYTER_PREFER_ENV_PATH=1"))
    assert prepare < lab, "the copy must be made before JupyterLab opens it"
    assert "--ServerApp.root_dir=course course/00_index.ipynb" in commands[lab]


def test_make_lab_course_notebooks_opens_the_committed_lessons():
    commands = make_dry_run("lab", "COURSE=notebooks")
    assert "--ServerApp.root_dir=notebooks notebooks/00_index.ipynb" in commands


def test_make_help_lists_lab_reset_and_the_authors_way():
    shown = subprocess.run(["make", "help"], cwd=REPO_ROOT, check=True, capture_output=True, text=True).stdout
    for usage in ("make lab ", "make lab COURSE=notebooks", "make reset LESSON=02", "make reset LESSON=all", "make test"):
        assert usage in shown


def test_git_ignores_the_learners_copy_and_checkpoints():
    for path in ("course/01_executors_and_edges.ipynb", "notebooks/checkpoints/lesson03/a.json", "notebooks/tmp/x"):
        assert subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO_ROOT).returncode == 0, path
    assert subprocess.run(["git", "check-ignore", "-q", "notebooks/01_executors_and_edges.ipynb"], cwd=REPO_ROOT).returncode == 1


def test_binder_installs_the_same_course_set_as_make_lab():
    lines = [line.strip() for line in (REPO_ROOT / "binder" / "requirements.txt").read_text().splitlines()]
    assert "-e .[lab]" in lines


# --- the learner's copy: scripts/course.py --------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A folder laid out like the repository (its files, no git)."""
    return copy_of_repository(tmp_path / "repo", commit=False)


def course_script(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return run_script(repo / "scripts" / "course.py", *args)


def lesson_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.ipynb"))


def edit_lesson(path: Path, text: str) -> None:
    """Change a lesson's first cell, as a learner typing in it would."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = text
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


def package_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_prepare_copies_every_lesson_and_the_exercises(repo):
    done = course_script(repo, "prepare")
    assert done.returncode == 0, done.stderr
    assert lesson_names(repo / "course") == lesson_names(repo / "notebooks") != []
    assert package_files(repo / "course" / "exercises") == package_files(repo / "notebooks" / "exercises")


def test_prepare_copies_the_hidden_solutions_the_checks_load_and_refreshes_them(repo):
    course_script(repo, "prepare")
    solutions = repo / "course" / ".solutions"
    assert package_files(solutions) == package_files(repo / "notebooks" / ".solutions") != []
    (solutions / "lesson_01.py").write_text("solution = None\n")
    course_script(repo, "prepare")
    assert package_files(solutions) == package_files(repo / "notebooks" / ".solutions")


def test_prepare_keeps_a_lesson_the_learner_edited(repo):
    course_script(repo, "prepare")
    mine = repo / "course" / "01_executors_and_edges.ipynb"
    edit_lesson(mine, "my notes")
    before = mine.read_bytes()
    done = course_script(repo, "prepare")
    assert done.returncode == 0, done.stderr
    assert mine.read_bytes() == before


def test_prepare_copies_a_lesson_the_learner_deleted_again(repo):
    course_script(repo, "prepare")
    (repo / "course" / "02_request_and_response.ipynb").unlink()
    course_script(repo, "prepare")
    assert (repo / "course" / "02_request_and_response.ipynb").read_bytes() == \
        (repo / "notebooks" / "02_request_and_response.ipynb").read_bytes()


def test_prepare_refreshes_the_exercises_every_time(repo):
    course_script(repo, "prepare")
    exercises = repo / "course" / "exercises"
    (exercises / "lesson_01.py").write_text("broken = True\n")
    (exercises / "stale_module.py").write_text("")
    course_script(repo, "prepare")
    assert package_files(exercises) == package_files(repo / "notebooks" / "exercises")


def test_prepare_reports_a_lesson_changed_upstream_and_keeps_the_learners(repo):
    course_script(repo, "prepare")
    mine = repo / "course" / "02_request_and_response.ipynb"
    edit_lesson(mine, "my answer")
    edit_lesson(repo / "notebooks" / "02_request_and_response.ipynb", "a better explanation")
    done = course_script(repo, "prepare")
    notes = [line for line in done.stdout.splitlines() if "02_request_and_response" in line]
    assert len(notes) == 1 and "make reset LESSON=02" in notes[0], done.stdout
    assert json.loads(mine.read_text())["cells"][0]["source"] == "my answer"


def test_prepare_updates_a_lesson_the_learner_never_changed(repo):
    course_script(repo, "prepare")
    original = repo / "notebooks" / "03_checkpoints_human_in_the_loop.ipynb"
    edit_lesson(original, "a better explanation")
    done = course_script(repo, "prepare")
    assert (repo / "course" / original.name).read_bytes() == original.read_bytes()
    assert "make reset" not in done.stdout


def test_reset_restores_one_lesson_and_keeps_the_learners_version(repo):
    course_script(repo, "prepare")
    mine = repo / "course" / "02_request_and_response.ipynb"
    other = repo / "course" / "01_executors_and_edges.ipynb"
    edit_lesson(mine, "my answer")
    edit_lesson(other, "my notes")
    edited, other_edited = mine.read_bytes(), other.read_bytes()

    done = course_script(repo, "reset", "02")
    assert done.returncode == 0, done.stderr
    assert mine.read_bytes() == (repo / "notebooks" / mine.name).read_bytes()
    kept = list((repo / "course" / "old").glob("02_request_and_response*.ipynb"))
    assert len(kept) == 1 and kept[0].read_bytes() == edited
    assert str(kept[0].relative_to(repo)) in done.stdout, "reset must say where the learner's version is"
    assert other.read_bytes() == other_edited


def test_reset_twice_keeps_both_old_versions(repo):
    course_script(repo, "prepare")
    mine = repo / "course" / "02_request_and_response.ipynb"
    for answer in ("first try", "second try"):
        edit_lesson(mine, answer)
        course_script(repo, "reset", "02")
    kept = sorted((repo / "course" / "old").glob("02_*.ipynb"))
    assert sorted(json.loads(p.read_text())["cells"][0]["source"] for p in kept) == ["first try", "second try"]


def test_reset_all_restores_every_lesson(repo):
    course_script(repo, "prepare")
    for lesson in (repo / "course").glob("*.ipynb"):
        edit_lesson(lesson, "mine")
    done = course_script(repo, "reset", "all")
    assert done.returncode == 0, done.stderr
    for lesson in (repo / "notebooks").glob("*.ipynb"):
        assert (repo / "course" / lesson.name).read_bytes() == lesson.read_bytes()
    assert len(list((repo / "course" / "old").glob("*.ipynb"))) == len(lesson_names(repo / "notebooks"))


def test_reset_without_a_lesson_says_how_to_use_it(repo):
    done = course_script(repo, "reset")
    assert done.returncode == 2
    assert "make reset LESSON=02" in done.stderr and "LESSON=all" in done.stderr and "00, 01" in done.stderr


def test_reset_of_an_unknown_lesson_lists_the_lessons(repo):
    done = course_script(repo, "reset", "99")
    assert done.returncode == 2 and "00, 01" in done.stderr


def test_authors_open_notebooks_in_place_and_nothing_is_copied(repo):
    before = package_files(repo / "notebooks")
    done = course_script(repo, "--course", "notebooks", "prepare")
    assert done.returncode == 0, done.stderr
    assert "clear their outputs" in done.stdout
    assert not (repo / "course").exists() and package_files(repo / "notebooks") == before


# --- git stays clean after a learner's session ---------------------------------------------


def test_running_every_lesson_of_the_learners_copy_leaves_git_clean(tmp_path):
    import nbformat
    import papermill

    repo = copy_of_repository(tmp_path / "clone", commit=True)
    assert git(repo, "status", "--porcelain") == ""
    done = run_script(repo / "scripts" / "course.py", "prepare")
    assert done.returncode == 0, done.stderr
    course = repo / "course"
    committed_lessons = package_files(repo / "notebooks")

    failures = []
    for lesson in sorted(course.glob("*.ipynb")):
        settings = nbformat.read(lesson, as_version=4).metadata.get("wfkit", {})
        try:  # in place, the input file is the output file: outputs land in the lesson, as with autosave
            papermill.execute_notebook(
                str(lesson), str(lesson), parameters={**BASE_PARAMETERS, **settings.get("test_parameters", {})},
                cwd=str(course), kernel_name="python3", progress_bar=False, execution_timeout=120,
            )
        except papermill.PapermillExecutionError as error:  # tests/notebooks reports lessons that fail
            failures.append(f"{lesson.name}: {error.ename}: {error.evalue}")
        executed = nbformat.read(lesson, as_version=4)
        assert any(cell.get("outputs") for cell in executed.cells if cell.cell_type == "code"), \
            f"{lesson.name}: no outputs were written into the lesson, so this test proves nothing"

    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    # git ignores notebooks/checkpoints/, so look too: a lesson run in course/ writes nothing there
    assert package_files(repo / "notebooks") == committed_lessons
    if failures:
        warnings.warn("lessons that failed while running in course/ (see tests/notebooks): " + "; ".join(failures))


# --- JupyterLab's news toast ---------------------------------------------------------------


def installed_app_dir() -> Path:
    """The app dir of the JupyterLab in this environment (make lab's .venv when run by make test)."""
    return Path(sys.prefix) / "share" / "jupyter" / "lab"


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    """An app dir with the installed JupyterLab's schemas, and settings of its own."""
    schemas = installed_app_dir() / "schemas"
    if not schemas.is_dir():
        pytest.skip(f"no JupyterLab installed in {sys.prefix}")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "schemas").symlink_to(schemas)
    return tmp_path / "app"


def lab_overrides(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "lab_overrides.py"), *args],
                          capture_output=True, text=True, env=env)


def notification_defaults(app_dir: Path, tmp_path: Path, plugin: str = NOTIFICATION_PLUGIN) -> dict:
    """The defaults JupyterLab's server hands a plugin (the notification one unless told), overrides applied."""
    from jupyterlab_server.settings_utils import get_settings

    settings, _ = get_settings(str(app_dir / "settings"), str(app_dir / "schemas"), str(tmp_path / "user-settings"),
                               schema_name=plugin)
    return {name: spec.get("default") for name, spec in settings["schema"]["properties"].items()}


def test_the_installed_jupyterlab_has_the_notification_plugin_and_its_settings():
    schema_file = installed_app_dir() / "schemas" / "@jupyterlab" / "apputils-extension" / "notification.json"
    if not (installed_app_dir() / "schemas").is_dir():
        pytest.skip(f"no JupyterLab installed in {sys.prefix}")
    properties = json.loads(schema_file.read_text())["properties"]
    assert "false" in [choice["const"] for choice in properties["fetchNews"]["oneOf"]]
    assert properties["checkForUpdates"]["type"] == "boolean"


def test_lab_overrides_turn_the_news_off(app_dir, tmp_path):
    assert notification_defaults(app_dir, tmp_path)["fetchNews"] == "none", "JupyterLab asks by default"
    done = lab_overrides("--app-dir", str(app_dir))
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
    written = json.loads((app_dir / "settings" / "overrides.json").read_text())
    assert written[NOTIFICATION_PLUGIN] == {"fetchNews": "false", "checkForUpdates": False}
    defaults = notification_defaults(app_dir, tmp_path)
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False


def test_lab_overrides_keep_what_the_file_already_says(app_dir):
    overrides = app_dir / "settings" / "overrides.json"
    overrides.parent.mkdir()
    overrides.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    lab_overrides("--app-dir", str(app_dir))
    written = json.loads(overrides.read_text())
    assert written["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert written[NOTIFICATION_PLUGIN]["fetchNews"] == "false"

    overrides.write_text(json.dumps({NOTIFICATION_PLUGIN: {"fetchNews": "true"}}))
    lab_overrides("--app-dir", str(app_dir))
    written = json.loads(overrides.read_text())
    assert written[NOTIFICATION_PLUGIN] == {"fetchNews": "true"}  # the user's own choice stays
    assert written[KERNEL_PLUGIN] == {"autoStartDefaultKernel": True}  # what was missing is added


def test_lab_overrides_start_the_notebooks_kernel_without_a_select_kernel_dialog(app_dir, tmp_path):
    assert notification_defaults(app_dir, tmp_path, KERNEL_PLUGIN)["autoStartDefaultKernel"] is False
    done = lab_overrides("--app-dir", str(app_dir))
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
    assert notification_defaults(app_dir, tmp_path, KERNEL_PLUGIN)["autoStartDefaultKernel"] is True


def test_lab_overrides_write_where_jupyterlab_reads_by_default():
    from jupyterlab.commands import get_app_dir

    default_app_dir = runpy.run_path(str(REPO_ROOT / "scripts" / "lab_overrides.py"))["default_app_dir"]
    assert default_app_dir().resolve() == Path(get_app_dir()).resolve()


def test_binder_post_build_is_executable_and_turns_the_news_off(app_dir, tmp_path):
    post_build = REPO_ROOT / "binder" / "postBuild"
    assert os.access(post_build, os.X_OK), "repo2docker runs binder/postBuild only when it is executable"
    # binder's python is its environment's: here, this one, pointed at the test's app dir
    env = {**os.environ, "JUPYTERLAB_DIR": str(app_dir), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([str(post_build)], check=True, capture_output=True, env=env)
    assert notification_defaults(app_dir, tmp_path)["fetchNews"] == "false"


def test_a_commit_records_binder_post_build_as_executable(tmp_path):
    repo = copy_of_repository(tmp_path / "clone", commit=True)
    assert git(repo, "ls-files", "--stage", "binder/postBuild").startswith("100755 ")
