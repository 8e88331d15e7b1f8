"""Honest submissions for the benchmarks: the release notebooks with every
answer cell holding the reference solution, as a trainee who solved
everything would hand them in (made here, not borrowed from the tests)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

MARKER = re.compile(r"(BEGIN|END) SOLUTION")


def _gid(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def reference_answers(source: Path) -> dict[str, str]:
    """``answer cell grade_id -> code`` from an assignment's source notebooks."""
    answers: dict[str, str] = {}
    for path in sorted(source.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                lines = cell.source.splitlines()
                keep = [ln for ln in lines if not MARKER.search(ln)]
                answers[_gid(cell)] = "\n".join(keep)
    return answers


def hand_in(root: Path, assignment: str, trainee: str, answers: dict[str, str]) -> Path:
    """Put ``trainee``'s solved copy of ``assignment`` in ``submitted/``."""
    target = root / "submitted" / trainee / assignment
    shutil.copytree(root / "release" / assignment, target)
    for path in sorted(target.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if _gid(cell) in answers:
                cell.source = answers[_gid(cell)]
        nbformat.write(nb, path)
    (target / "timestamp.txt").write_text("2026-03-04 09:00:00.000000 UTC")
    return target


def honest_cohort(root: Path, assignments: list[str], size: int) -> int:
    """``size`` trainees hand in every assignment solved; returns the submission count."""
    for assignment in assignments:
        answers = reference_answers(root / "source" / assignment)
        for i in range(size):
            hand_in(root, assignment, f"trainee{i:02d}", answers)
    return size * len(assignments)
