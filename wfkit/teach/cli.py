"""The ``wfkit`` command, for course authors and their learners::

    wfkit new-lesson course/01_first_steps.ipynb     # a lesson to start from
    wfkit check-lessons course/ -j 4                  # run every lesson headless, as CI does
    wfkit export-lessons course/ --out site/          # executed lessons as HTML pages
    wfkit progress course/                            # a learner's progress through the course
    wfkit progress course/ --forget 02 --ask          # forget lesson 02's, if the learner says so

`check-lessons` prints one line per lesson and run (PASS or FAIL), and a SKIP line for what its
search left out (a symlink loop, a link that leads nowhere); its exit status is the number of
runs that failed (0: all passed; at most 100), 1 when no notebook was found, 2 for a usage error.

`progress` prints the table the course's index shows (`wfkit.teach.progress`). With ``--forget``
(a lesson's number, its name, or ``all``) it forgets that progress instead; ``--ask`` asks first,
and keeps it when there is no one at a terminal to answer (``make reset`` uses it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from .export import export_lessons
from .lessons import check_lessons
from .progress import PROGRESS_FILE, CourseProgress, Progress
from .template import new_lesson

MAX_STATUS = 100  # exit statuses above 125 mean other things to a shell


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (default: the process's); return the exit status."""
    parser = argparse.ArgumentParser(prog="wfkit", description="Tools for wfkit course authors.")
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new-lesson", help="write a lesson from the template, with its check and solutions")
    new.add_argument("path", type=Path, help="the notebook to write, e.g. course/01_first_steps.ipynb")
    new.add_argument("--title", help="the lesson's title (default: from the file name)")
    new.add_argument("--force", action="store_true", help="replace files that exist")
    check = commands.add_parser("check-lessons", help="run lessons headless: defaults, solution, wrong answer")
    check.add_argument("paths", nargs="+", type=Path, help="notebooks, or folders to search")
    check.add_argument("-j", "--jobs", type=int, default=1, help="how many runs at once (default 1)")
    export = commands.add_parser("export-lessons", help="run lessons and write them as HTML")
    export.add_argument("paths", nargs="+", type=Path, help="notebooks, or folders to search")
    export.add_argument("--to", default="html", choices=["html"], help="the format (html)")
    export.add_argument("--out", type=Path, default=Path("exported"), help="the folder to write (default: exported/)")
    progress = commands.add_parser("progress", help="show a learner's progress through a course (or forget it)")
    progress.add_argument("course", nargs="?", type=Path, default=Path("."), help="the course's folder (default: here)")
    progress.add_argument(
        "--forget", metavar="LESSON", help="forget the progress of a lesson (its number, its name) or all"
    )
    progress.add_argument("--ask", action="store_true", help="with --forget: ask first; without a terminal, keep it")
    options = parser.parse_args(argv)

    try:
        if options.command == "new-lesson":
            for file in new_lesson(options.path, options.title, options.force):
                print(f"wrote {file}")
            print(f"next: wfkit check-lessons {options.path}")
            return 0
        if options.command == "check-lessons":
            results = check_lessons(
                options.paths, options.jobs,
                on_result=lambda run: print(run.line(), flush=True),
                on_skipped=lambda line: print(f"SKIP  {line}", flush=True),
            )
            failed = [run for run in results if not run.passed]
            print(f"{len(results) - len(failed)} of {len(results)} runs passed" if results else "no notebooks found")
            if not results:
                return 1
            return min(len(failed), MAX_STATUS)  # 0 when every run passed
        if options.command == "progress":
            return show_or_forget_progress(options.course, options.forget, options.ask)
        runs = export_lessons(options.paths, options.out, options.to)
        for run, page in runs:
            print(f"wrote {page}" if page is not None else run.line())
        return 0 if runs and all(page is not None for _, page in runs) else 1
    except (OSError, ValueError, ImportError) as error:
        print(f"wfkit {options.command}: {error}", file=sys.stderr)
        return 2


def show_or_forget_progress(course: Path, forget: str | None = None, ask: bool = False) -> int:
    """``wfkit progress``: print the course's table, or forget the progress of the lessons
    `forget` names (asking first when `ask`); return the exit status."""
    if not course.is_dir():
        raise FileNotFoundError(f"{course} is no folder: give the folder of the course (the one with the lessons).")
    table = CourseProgress(course)
    if forget is None:
        if not table.rows:
            print(f"no lessons in {course}")
            return 1
        print(f"Your progress in {course} (noted in {PROGRESS_FILE} there):\n")
        print(table)
        return 0
    rows = table.lessons_named(forget)
    exercises = [row.exercise for row in rows if row.exercise]
    what = "the whole course" if forget == "all" else ", ".join(row.notebook for row in rows)
    progress = Progress(course)
    noted = set(progress.read())
    if not (noted if forget == "all" else noted & set(exercises)):
        print(f"==> no progress noted for {what}: nothing to forget")
        return 0
    if ask:
        how = f"wfkit progress {course} --forget {forget} forgets it"
        if not sys.stdin.isatty():
            print(f"==> your progress on {what} is kept: there is no terminal to ask you at ({how})")
            return 0
        if not _yes(f"Forget your progress on {what} too? Your checks' results go; your lessons stay. [y/N] "):
            print(f"==> your progress on {what} is kept ({how})")
            return 0
    if forget == "all":
        progress.clear()
    else:
        for exercise in exercises:
            progress.forget(exercise)
    print(f"==> your progress on {what} is forgotten")
    return 0


def _yes(question: str) -> bool:
    """True if the person at the terminal answers yes to `question` (no is the default)."""
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


if __name__ == "__main__":
    sys.exit(main())
