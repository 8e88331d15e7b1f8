"""``course grade``: autograde every submission, write feedback, export grades.

The gradebook is copied to ``backups/`` before anything is written to it;
grading itself is :mod:`course.autograde` (sandboxed, parallel, resumable);
the run ends with a report of who got what and what was flagged, printed and
written to ``grading-report.txt``.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook

from course.autograde.runner import RunInfo, SubmissionReport
from course.autograde.runner import run as run_autograde
from course.errors import AnswerKeyError, CourseError
from course.grading.key import load_key
from course.nbgrader_run import nbgrader
from course.paths import key_path, source_assignments

GRADEBOOK = "gradebook.db"
GRADES_CSV = "grades.csv"
REPORT = "grading-report.txt"


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
    submissions: list[SubmissionReport] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    sandbox_note: str = ""
    backup: Path | None = None
    csv: Path | None = None
    seconds: float = 0.0

    def flags(self, student: str, assignment: str) -> list[str]:
        for s in self.submissions:
            if s.student == student and s.assignment == assignment:
                return s.flags
        return []

    def table(self) -> str:
        """A plain-text summary an instructor can read."""
        count = len(self.submissions)
        unchanged = sum(s.skipped for s in self.submissions)
        kept = f", {unchanged} unchanged since their last grading (kept)" if unchanged else ""
        lines = [
            f"Grading: {self.sandbox_note}; {count} submissions{kept} in {self.seconds:.0f} s"
        ]
        lines.append(f"{'assignment':<24} {'trainee':<18} {'score':>11}  notes")
        for r in self.results:
            notes = ["needs manual grading"] if r.needs_manual_grade else []
            flags = self.flags(r.student, r.assignment)
            if flags:
                notes.append(f"{len(flags)} flag(s)")
            score = f"{r.score:>5.1f}/{r.max_score:<5.1f}"
            lines.append(f"{r.assignment:<24} {r.student:<18} {score}  {', '.join(notes)}")
        flagged = [s for s in self.submissions if s.flags]
        if flagged:
            lines.append("")
            lines.append("Flagged (look at these before releasing feedback):")
            for s in flagged:
                for flag in s.flags:
                    lines.append(f"  {s.student} / {s.assignment}: {flag}")
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


def _flag_late(root: Path, assignment: str, info: RunInfo) -> None:
    with Gradebook(f"sqlite:///{root / GRADEBOOK}") as gb:
        for sub in gb.assignment_submissions(assignment):
            late = sub.total_seconds_late
            report = info.submissions.get((assignment, sub.student_id))
            if report is not None and late and late > 0:
                report.flags.append(f"submitted {late / 3600:.1f} h late (no penalty applied)")


def _protect(root: Path) -> None:
    """Keep grading state private to the grader."""
    for name, mode in (("submitted", 0o700), ("autograded", 0o700), (GRADEBOOK, 0o600)):
        path = root / name
        if path.exists():
            os.chmod(path, mode)


def _give_back(root: Path) -> None:
    """When root grades a course folder that belongs to another account (the
    classroom's grader), hand what grading wrote back to that account."""
    owner = root.stat()
    if os.geteuid() != 0 or owner.st_uid == 0:
        return
    for name in (
        "autograded",
        "feedback",
        "backups",
        "grading-state",
        GRADEBOOK,
        GRADES_CSV,
        REPORT,
    ):
        path = root / name
        if not path.exists():
            continue
        os.chown(path, owner.st_uid, owner.st_gid)
        for folder, dirs, files in os.walk(path) if path.is_dir() else []:
            for entry in dirs + files:
                os.chown(
                    os.path.join(folder, entry), owner.st_uid, owner.st_gid, follow_symlinks=False
                )


def grade(
    root: Path,
    assignment: str | None = None,
    progress: bool = True,
    jobs: int = 1,
    force: bool = False,
) -> GradeReport:
    """Autograde, generate feedback and export grades for one or all assignments."""
    start = time.perf_counter()
    known = source_assignments(root)
    if assignment is not None and assignment not in known:
        raise CourseError(
            f"no assignment '{assignment}' in source/ (known: {', '.join(known) or 'none'})"
        )
    if jobs < 1:
        raise CourseError(f"--jobs must be 1 or more, not {jobs}")
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
    _protect(root)
    info: RunInfo = run_autograde(root, todo, jobs=jobs, progress=progress, force=force)
    report.sandbox_note = info.note
    report.submissions = list(info.submissions.values())
    report.failures = [
        f"{s.student}/{s.assignment}: {s.error}" for s in report.submissions if s.error
    ]
    for a in assignments:
        if submissions(root, a):
            nbgrader(root, "generate_feedback", a, "--force", check=False)
            report.results.extend(_results(root, a))
            _flag_late(root, a, info)
    nbgrader(root, "export", f"--to={GRADES_CSV}")
    report.csv = root / GRADES_CSV
    report.seconds = time.perf_counter() - start
    (root / REPORT).write_text(report.table() + "\n", encoding="utf-8")
    _give_back(root)
    return report
