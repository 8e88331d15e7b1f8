"""Where things are: the course root, its folders, and the days of the course."""

from __future__ import annotations

import os
from pathlib import Path

from course.errors import CourseError

#: The assignments of the course, in teaching order. Each is one nbgrader
#: assignment folder under ``source/``.
DAYS: tuple[str, ...] = (
    "day0-orientation",
    "day1-darkweb-tor",
    "day2-market-osint",
    "day3-crypto-basics",
    "day4-tracing-money",
    "day5-building-the-case",
)

CONFIG_NAME = "nbgrader_config.py"
KEY_DIR = "keys"
ANSWER_KEY = "answer_key.json"
GROUND_TRUTH = "ground_truth.json"


def find_root(start: Path | None = None) -> Path:
    """Return the course root: the nearest folder holding ``nbgrader_config.py``
    and ``source/``, starting at ``start`` (default: ``COURSE_ROOT`` or the cwd).

    Raises
    ------
    CourseError
        If no such folder contains ``start``.
    """
    if start is None:
        env = os.environ.get("COURSE_ROOT")
        start = Path(env) if env else Path.cwd()
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file() and (folder / "source").is_dir():
            return folder
    raise CourseError(
        f"{start} is not inside a course folder (no {CONFIG_NAME} with a source/ beside it); "
        "cd into the course folder or set COURSE_ROOT."
    )


def key_path(root: Path) -> Path:
    """Path of the answer key of the course at ``root``."""
    return root / KEY_DIR / ANSWER_KEY


def source_assignments(root: Path) -> list[str]:
    """Names of the assignment folders in ``source/``, in teaching order."""
    found = {p.name for p in (root / "source").iterdir() if p.is_dir() and p.name.startswith("day")}
    return sorted(found, key=lambda name: (DAYS.index(name) if name in DAYS else 99, name))
