"""``course grade``: autograde every submission, write feedback, export grades.

Each trainee is graded by a separate ``nbgrader autograde --student`` run, so
one broken submission never stops the batch; the gradebook is copied to
``backups/`` before anything is written to it.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook
from tqdm import tqdm

from course.errors import AnswerKeyError, CourseError
from course.grading.key import load_key
from course.nbgrader_run import nbgrader
from course.paths import key_path, source_assignments

GRADEBOOK = "gradebook.db"
GRADES_CSV = "grades.csv"


@dataclass(frozen=True)
class Result:
    """One trainee's grade for one assignment."""

    assignment: str
    student: str
    score: float
    max_score: float
    needs_manual_grade: bool


@dataclass
class GradeReport:
    """What a grading run did."""

    results: list[Result] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    backup: Path | None = None
    csv: Path | None = None

    def table(self) -> str:
        """A plain-text summary an instructor can read."""
        lines = [f"{'assignment':<22} {'trainee':<16} {'score':>11}  note"]
        for r in self.results:
            note = "needs manual grading" if r.needs_manual_grade else ""
            lines.append(
                f"{r.assignment:<22} {r.student:<16} {r.score:>5.1f}/{r.max_score:<5.1f}  {note}"
            )
        lines.extend(f"FAILED: {f}" for f in self.failures)
        return "\n".join(lines)


def submissions(root: Path, assignment: str) -> list[str]:
    """Trainee ids with a submission of ``assignment`` in ``submitted/``."""
    base = root / "submitted"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())


def backup_gradebook(root: Path) -> Path | None:
    """Copy the gradebook to ``backups/gradebook-<time>.db``; return the copy."""
    db = root / GRADEBOOK
    if not db.is_file():
        return None
    backups = root / "backups"
    backups.mkdir(exist_ok=True)
    target = backups / f"gradebook-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9}.db"
    shutil.copy2(db, target)
    return target


def _results(root: Path, assignment: str) -> list[Result]:
    with Gradebook(f"sqlite:///{root / GRADEBOOK}") as gb:
        return [
            Result(
                assignment=assignment,
                student=s.student_id,
                score=float(s.score),
                max_score=float(s.max_score),
                needs_manual_grade=bool(s.needs_manual_grade),
            )
            for s in sorted(gb.assignment_submissions(assignment), key=lambda s: s.student_id)
        ]


def grade(root: Path, assignment: str | None = None, progress: bool = True) -> GradeReport:
    """Autograde, generate feedback and export grades for one or all assignments."""
    known = source_assignments(root)
    if assignment is not None and assignment not in known:
        raise CourseError(
            f"no assignment '{assignment}' in source/ (known: {', '.join(known) or 'none'})"
        )
    try:
        load_key(key_path(root))
    except AnswerKeyError as exc:
        raise CourseError(f"cannot grade without the answer key: {exc}") from None
    if not (root / GRADEBOOK).is_file():
        raise CourseError("no gradebook.db in the course folder: run `course build` first")
    assignments = [assignment] if assignment else known
    todo = [(a, s) for a in assignments for s in submissions(root, a)]
    if not todo:
        raise CourseError(
            f"no submissions to grade in {root / 'submitted'} "
            "(collect them first: `nbgrader collect ASSIGNMENT`)"
        )
    report = GradeReport(backup=backup_gradebook(root))
    for a, student in tqdm(todo, desc="autograding", unit="submission", disable=not progress):
        proc = nbgrader(root, "autograde", a, "--student", student, "--force", check=False)
        if proc.returncode != 0:
            report.failures.append(f"{student}/{a}: autograde failed (see nbgrader's log)")
    for a in assignments:
        if submissions(root, a):
            nbgrader(root, "generate_feedback", a, "--force", check=False)
            report.results.extend(_results(root, a))
    nbgrader(root, "export", f"--to={GRADES_CSV}")
    report.csv = root / GRADES_CSV
    return report
