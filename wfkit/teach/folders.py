"""A course's folders on disk: finding its lessons, and copying a lesson's folder to run it in.

Both follow symbolic links to folders (a course may link a folder it shares with another), and
both must end even when links go round: ``ln -s . loop`` inside the course, or two folders that
link to each other. So a folder is searched once, whichever way it was reached, and a link that
leads back into a folder the walk came through is not followed again. Each such loop is named
once, in a `skipped` line, as is a link that leads nowhere (its target was moved, or it points
at itself): the author sees what was left out, and every lesson is still checked once.
"""

from __future__ import annotations

import os
import shutil
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .progress import PROGRESS_FILES

# What a lesson's folder holds that is no lesson, and that a run must not copy: earlier runs'
# files, caches, and the progress of whoever ran the checks there (a run starts with none).
NOT_COPIED = ("checkpoints", "tmp", ".ipynb_checkpoints", "__pycache__", "executed-*", "_build", PROGRESS_FILES)


@dataclass
class LessonSearch:
    """What `search_lessons` found: the notebooks (each once, sorted) and, one line each, what
    it left out and why (a symlink loop, a link that leads nowhere)."""

    notebooks: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def search_lessons(paths: Iterable[str | Path]) -> LessonSearch:
    """The notebooks at `paths` (files, or folders searched through, links followed), without
    checkpoints, hidden folders and executed copies. Raises `ValueError` for a file that is no
    notebook and `FileNotFoundError` for a path that is not there."""
    search = LessonSearch()
    found: dict[Path, Path] = {}  # a notebook's real path -> the path it was first found at
    searched: set[Path] = set()  # the real folders already searched
    links: list[Path] = []  # every link to a folder met on the way
    for given in paths:
        path = Path(given)
        if path.is_file() and path.suffix != ".ipynb":
            raise ValueError(f"{path}: not a notebook; give .ipynb files, or folders that hold them.")
        if path.is_file():
            found.setdefault(path.resolve(), path)
        elif path.is_dir():
            _search_folder(path, found, searched, links, search.skipped)
        else:
            raise FileNotFoundError(f"{path}: no such notebook or folder.")
    search.skipped += [_loop_line(loop) for loop in symlink_loops(links)]
    search.notebooks = sorted(found.values())
    return search


def _search_folder(
    top: Path, found: dict[Path, Path], searched: set[Path], links: list[Path], skipped: list[str]
) -> None:
    """Add the notebooks under `top` to `found`. Plain folders are searched before linked ones,
    so a lesson is listed under its own path rather than through a link to its folder.

    Each folder waits with the real folders the walk came through to reach it: a link that
    leads back into one of those is a loop, and is not followed (`symlink_loops` names it)."""
    plain: deque[tuple[Path, list[Path]]] = deque([(top, [top.resolve()])])
    linked: deque[tuple[Path, list[Path]]] = deque()
    while plain or linked:
        folder, on_the_way = plain.popleft() if plain else linked.popleft()
        if on_the_way[-1] in searched:
            continue  # reached a second way: by a link to it, say
        searched.add(on_the_way[-1])
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(".") or entry.name in NOT_COPIED:
                continue
            if entry.is_symlink() and not entry.exists():
                skipped.append(f"{entry}  a symlink that leads nowhere (-> {os.readlink(entry)}): "
                               "its target was moved, or it is a link to itself; skipped")
            elif entry.is_dir() and entry.is_symlink():
                links.append(entry)
                if not leads_back(entry, on_the_way):
                    linked.append((entry, [*on_the_way, entry.resolve()]))
            elif entry.is_dir():
                plain.append((entry, [*on_the_way, entry.resolve()]))
            elif entry.suffix == ".ipynb" and not entry.name.startswith("executed-"):
                found.setdefault(entry.resolve(), entry)


def leads_back(link: Path, real_folders: Iterable[Path]) -> bool:
    """True if following the folder `link` reaches one of `real_folders` again: its target is
    one of them, or holds one (``ln -s . loop``, ``ln -s .. up``)."""
    target = link.resolve()
    return any(target == folder or target in folder.parents for folder in real_folders)


def symlink_loops(links: list[Path]) -> list[list[Path]]:
    """The loops among `links` (links to folders): each a list of links, where following each
    one reaches the folder that holds the next, and the last leads back to the first.

    A link that leads back into its own folder is a loop by itself; two folders that link to
    each other make one loop of two links. Each loop is given once.
    """
    # One link leads on to another if the other sits in (or under) the folder it leads to.
    leads_to = {a: [b for b in links if leads_back(a, [b.parent.resolve()])] for a in links}
    reachable = {link: _reachable(link, leads_to) for link in links}
    loops: list[list[Path]] = []
    for link in links:
        if link in reachable[link] and not any(link in loop for loop in loops):
            loops.append([other for other in links if other in reachable[link] and link in reachable[other]])
    return loops


def _reachable(start: Path, leads_to: dict[Path, list[Path]]) -> set[Path]:
    seen: set[Path] = set()
    pending = list(leads_to[start])
    while pending:
        link = pending.pop()
        if link not in seen:
            seen.add(link)
            pending += leads_to[link]
    return seen


def _loop_line(loop: list[Path]) -> str:
    first = loop[0]
    if len(loop) == 1:
        return (f"{first}  a symlink loop: it leads back to {_as_given(first.resolve(), first)}, which "
                "holds it; each folder was searched once")
    arrows = ", ".join(f"{link} -> {_as_given(link.resolve(), link)}" for link in loop)
    return f"{first}  a symlink loop: {arrows}; each folder was searched once"


def _as_given(real: Path, path: Path) -> str:
    """`real` written as `path` is: relative (to the working folder) if `path` is."""
    return str(real) if path.is_absolute() else os.path.relpath(real)


def copy_lesson_folder(source: Path, copy: Path) -> None:
    """Copy the folder `source` (a lesson's) to `copy`, as `shutil.copytree` does (links to
    folders are copied as the folders they lead to), without `NOT_COPIED`, links that lead back
    into a folder being copied, and links that lead nowhere."""
    shutil.copytree(source, copy, ignore=_ignored_in(source))


def _ignored_in(source: Path) -> Callable[[str, list[str]], set[str]]:
    patterns = shutil.ignore_patterns(*NOT_COPIED)

    def ignored(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        # The real folders the copy came through to get here: a link back to one of them loops.
        parts = here.relative_to(source).parts
        on_the_way = [Path(source, *parts[:depth]).resolve() for depth in range(len(parts) + 1)]
        left_out = set(patterns(folder, names))
        for name in names:
            entry = here / name
            if entry.is_symlink() and (not entry.exists() or (entry.is_dir() and leads_back(entry, on_the_way))):
                left_out.add(name)
        return left_out

    return ignored
