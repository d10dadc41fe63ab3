"""Make, top up and reset the learner's own copy of the course.

The lessons in notebooks/ are the course as committed. A learner works in a copy of them,
course/ (git ignores it), so that autosave, outputs and exercise answers never change the
committed lessons and `git status` stays clean.

    python3 scripts/course.py prepare               # make lab runs this before JupyterLab
    python3 scripts/course.py reset 02              # make reset LESSON=02
    python3 scripts/course.py reset all             # make reset LESSON=all

prepare
    copies into course/ every lesson and file of notebooks/ that course/ does not have yet;
    never overwrites a lesson the learner has changed (their work is kept); a lesson they
    have not changed since it was copied simply takes the new version;
    refreshes course/exercises/, the checks the lessons import, every time (learners do not
    edit them, and a check must match the lesson's current version);
    says, one line per lesson, when notebooks/ holds a newer version of a lesson the learner
    has changed, and how to take it.

reset LESSON
    moves the learner's copy of the lesson to course/old/ (nothing is lost; the name gets the
    date and time) and copies the original from notebooks/ in its place. LESSON is the
    lesson's number (02), its name, or "all" for every lesson.

How "changed" is known: course/.course-state.json records, for each lesson, a hash of the
notebooks/ version it was copied from. A lesson in notebooks/ whose hash differs from it has
changed upstream; a learner's copy whose hash still equals it is untouched. (A lesson with no
record, e.g. after that file was deleted, is taken to be up to date.)

Course authors open notebooks/ itself (`make lab COURSE=notebooks`); then nothing is copied.

Standard library only: it runs with the system python3, before .venv exists.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SUPPORT_PACKAGE = "exercises"  # refreshed on every prepare, never edited by learners
# The reference solutions the checks load (hidden, so the file browser does not show them): refreshed too.
SOLUTIONS = ".solutions"
OLD_VERSIONS = "old"  # where reset keeps the learner's versions, inside the course copy
STATE_FILE = ".course-state.json"
# Never copied from notebooks/: what running the lessons writes there, and hidden files.
NOT_COURSE = {"checkpoints", "tmp", "__pycache__"}


def is_course_file(path: Path) -> bool:
    return not (path.name in NOT_COURSE or path.name.startswith("."))


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lessons_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb") if is_course_file(p))


def lesson_number(lesson: Path) -> str:
    """"02" for 02_request_and_response.ipynb."""
    return lesson.stem.split("_", 1)[0]


def display(path: Path) -> str:
    """`path` relative to the repository when it is inside it, for short messages."""
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def reset_command(course: Path, lesson: str) -> str:
    """The make command a learner types to reset `lesson` (naming COURSE when it is not the default)."""
    course_arg = "" if course == REPO_ROOT / "course" else f" COURSE={display(course)}"
    return f"make reset LESSON={lesson}{course_arg}"


class CourseState:
    """The hash of the notebooks/ version each lesson of the copy was made from."""

    def __init__(self, course: Path):
        self.path = course / STATE_FILE
        self.copied_from: dict[str, str] = {}
        if self.path.exists():
            self.copied_from = json.loads(self.path.read_text(encoding="utf-8")).get("copied_from", {})

    def save(self) -> None:
        data = {"about": "written by scripts/course.py: which version of each lesson was copied", "copied_from": self.copied_from}
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        partial.replace(self.path)


def copy_missing(source: Path, target: Path, copied: list[Path], skip: tuple[str, ...] = ()) -> None:
    """Copy every course file of `source` that `target` lacks, folder by folder; keep what is there."""
    target.mkdir(parents=True, exist_ok=True)
    for item in sorted(source.iterdir()):
        if not is_course_file(item) or item.name in skip:
            continue
        if item.is_dir():
            copy_missing(item, target / item.name, copied)
        elif not (target / item.name).exists():
            shutil.copy2(item, target / item.name)
            copied.append(target / item.name)


def refresh_support_package(source: Path, course: Path) -> None:
    """Replace course/exercises/ and course/.solutions/ with notebooks'/: the checks must match the lessons."""
    for name in (SUPPORT_PACKAGE, SOLUTIONS):
        package = source / name
        if not package.is_dir():
            continue
        shutil.rmtree(course / name, ignore_errors=True)
        shutil.copytree(package, course / name, ignore=shutil.ignore_patterns("__pycache__", ".*"))


def prepare(source: Path, course: Path) -> int:
    """Make or top up the learner's copy `course` of the lessons in `source`."""
    if course == source:
        print(f"==> opening the lessons in {display(source)}/ themselves: clear their outputs before you commit "
              "(the tests check), e.g. in JupyterLab: Edit > Clear Outputs of All Cells, then save")
        return 0
    is_new = not course.exists()
    course.mkdir(parents=True, exist_ok=True)
    state = CourseState(course)

    copied: list[Path] = []
    copy_missing(source, course, copied, skip=(SUPPORT_PACKAGE,))
    refresh_support_package(source, course)

    updated, newer = [], []
    for original in lessons_in(source):
        mine, upstream = course / original.name, file_hash(original)
        was_copied_from = state.copied_from.get(original.name, upstream)
        if mine not in copied and was_copied_from != upstream:
            if file_hash(mine) == was_copied_from:  # untouched since it was copied: nothing to keep
                shutil.copy2(original, mine)
                updated.append(original.name)
            else:
                newer.append(original)
                continue  # keep the record of what the learner's copy came from
        state.copied_from[original.name] = upstream
    state.save()

    lessons = lessons_in(course)
    if is_new:
        print(f"==> made your copy of the course in {display(course)}/ ({len(lessons)} lessons from {display(source)}/): "
              "your work lives there, git ignores it")
    else:
        added = [p.name for p in copied if p.suffix == ".ipynb" and p.parent == course]
        news = "".join(f"; {label} {', '.join(names)}" for label, names in
                       (("added", added), ("updated (you had not changed them)", updated)) if names)
        print(f"==> your copy of the course: {display(course)}/ ({len(lessons)} lessons, your work kept{news})")
    for original in newer:
        print(f"note: {display(original)} has changed since your copy was made; to take the new version "
              f"(yours is kept in {display(course / OLD_VERSIONS)}/): {reset_command(course, lesson_number(original))}")
    return 0


def matching_lessons(source: Path, wanted: str) -> list[Path]:
    """The lessons `wanted` names: "all", a number ("02" or "2"), a name or a file name."""
    lessons = lessons_in(source)
    if wanted == "all":
        return lessons
    if wanted.isdigit():
        return [p for p in lessons if lesson_number(p).isdigit() and int(lesson_number(p)) == int(wanted)]
    return [p for p in lessons if wanted in (p.name, p.stem)]


def keep_old_version(lesson: Path, course: Path) -> Path:
    """Move the learner's `lesson` to course/old/, under a name with the date and time; return it."""
    old = course / OLD_VERSIONS
    old.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = old / f"{lesson.stem}-{stamp}{lesson.suffix}"
    count = 2
    while kept.exists():
        kept = old / f"{lesson.stem}-{stamp}-{count}{lesson.suffix}"
        count += 1
    lesson.replace(kept)
    return kept


def reset(source: Path, course: Path, wanted: str | None) -> int:
    """Put the lessons `wanted` names back to their originals in `source`, keeping the learner's versions."""
    numbers = ", ".join(lesson_number(p) for p in lessons_in(source))
    if not wanted:
        print("usage: make reset LESSON=02    put lesson 02 back to its original; your version is kept in "
              f"{display(course / OLD_VERSIONS)}/\n"
              "       make reset LESSON=all   the same for every lesson\n"
              f"lessons: {numbers}", file=sys.stderr)
        return 2
    if course == source:
        print(f"error: {display(source)}/ holds the originals; reset works on a learner's copy (COURSE=course)", file=sys.stderr)
        return 2
    lessons = matching_lessons(source, wanted)
    if not lessons or (len(lessons) > 1 and wanted != "all"):
        found = "no lesson" if not lessons else f"{len(lessons)} lessons"
        print(f"error: LESSON={wanted} names {found} in {display(source)}/; give one of: {numbers}, or all", file=sys.stderr)
        return 2

    course.mkdir(parents=True, exist_ok=True)
    state = CourseState(course)
    reset_any = False
    for original in lessons:
        mine, upstream = course / original.name, file_hash(original)
        if mine.exists() and file_hash(mine) == upstream:
            print(f"==> {display(mine)} is already the original")
        else:
            reset_any = True
            # A copy the learner never changed holds no work of theirs: no need to keep it.
            untouched = mine.exists() and file_hash(mine) == state.copied_from.get(original.name)
            kept = keep_old_version(mine, course) if mine.exists() and not untouched else None
            shutil.copy2(original, mine)
            saved = f"; your version is kept as {display(kept)}" if kept else ""
            print(f"==> {display(mine)} is back to the original from {display(source)}/{saved}")
        state.copied_from[original.name] = upstream
    state.save()
    if reset_any:
        print("    if a lesson you reset is open in JupyterLab, close it without saving (or choose Revert when asked)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=REPO_ROOT / "notebooks", help="the committed lessons (default: notebooks)")
    parser.add_argument("--course", type=Path, default=REPO_ROOT / "course", help="the learner's copy (default: course)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare", help="make or top up the learner's copy")
    reset_parser = commands.add_parser("reset", help="put a lesson back to its original")
    reset_parser.add_argument("lesson", nargs="?", help='a lesson number (02), its name, or "all"')
    args = parser.parse_args(argv)

    # Relative paths are the repository's, whatever folder this runs from.
    source, course = (path if path.is_absolute() else REPO_ROOT / path for path in (args.source, args.course))
    source, course = source.resolve(), course.resolve()
    if not source.is_dir():
        print(f"error: {display(source)}/ does not exist: there are no lessons to copy", file=sys.stderr)
        return 1
    if args.command == "prepare":
        return prepare(source, course)
    return reset(source, course, args.lesson)


if __name__ == "__main__":
    sys.exit(main())
