"""Writing a judged submission: the gradebook's scores and the autograded notebooks.

Runs in the grading process (the course folder's owner), in-process, with
nbgrader's own ``SaveAutoGrades`` on notebooks whose cells and metadata came
from the course (:mod:`course.autograde.submission`) and whose test outputs
are the verdict's (:mod:`course.autograde.verdict`). Only the gradebook's
notebooks are scored; a missing or unreadable one scores zero, as nbgrader
does. Files go to ``autograded/<trainee>/<assignment>/`` (written to a new
file, then renamed over the old one).
"""

from __future__ import annotations

import os
import shutil
import warnings
from datetime import datetime
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import SaveAutoGrades


def db_url(root: Path) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


def gradebook_cells(root: Path, assignment: str, notebook: str) -> dict[str, dict]:
    """``grade_id -> {"source", "checksum", "points"}`` of a notebook's course cells."""
    cells: dict[str, dict] = {}
    with Gradebook(db_url(root)) as gb:
        try:
            nb = gb.find_notebook(notebook, assignment)
        except MissingEntry:
            return cells
        for cell in nb.source_cells:
            cells[cell.name] = {"source": cell.source, "checksum": cell.checksum}
        for cell in nb.grade_cells:
            cells.setdefault(cell.name, {})["points"] = cell.max_score
    return cells


def gradebook_notebooks(root: Path, assignment: str) -> list[str]:
    with Gradebook(db_url(root)) as gb:
        return sorted(n.name for n in gb.find_assignment(assignment).notebooks)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a new file renamed over the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def save(
    root: Path,
    assignment: str,
    student: str,
    notebooks: dict[str, nbformat.NotebookNode | None],
    timestamp: datetime | None,
    timestamp_text: str | None,
    secret: str | None = None,
) -> None:
    """Record the scores of every notebook of the assignment for ``student``."""
    url = db_url(root)
    with warnings.catch_warnings(), Gradebook(url) as gb:
        warnings.simplefilter("ignore")  # SQLAlchemy's autoflush notes inside nbgrader
        gb.update_or_create_student(student)
        if timestamp is not None:
            gb.update_or_create_submission(assignment, student, timestamp=timestamp)
        else:
            gb.update_or_create_submission(assignment, student)
    target = root / "autograded" / student / assignment
    target.mkdir(parents=True, exist_ok=True)
    for name in gradebook_notebooks(root, assignment):
        nb = notebooks.get(name)
        if nb is None:
            with Gradebook(url) as gb:
                for grade in gb.find_submission_notebook(name, assignment, student).grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
                gb.db.commit()
            stale = target / f"{name}.ipynb"
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()
            continue
        resources = {
            "nbgrader": {
                "db_url": url,
                "assignment": assignment,
                "notebook": name,
                "student": student,
            }
        }
        nb, _ = SaveAutoGrades().preprocess(nb, resources)
        write_atomic(target / f"{name}.ipynb", nbformat.writes(nb))
    if timestamp_text is not None:
        write_atomic(target / "timestamp.txt", timestamp_text)
    if secret is not None:  # nbgrader's release_feedback names feedback after it
        write_atomic(target / "submission_secret.txt", secret)


def clear_autograded(root: Path, student: str, assignment: str) -> None:
    """Remove a previous run's autograded files of one submission."""
    folder = root / "autograded" / student / assignment
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder)
