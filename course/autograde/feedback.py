"""Feedback that says what is not graded yet.

nbgrader's feedback shows "Score: 0.0 / 4.0" for a task the instructor has
not marked yet, which reads as a zero. After ``nbgrader generate_feedback``,
:func:`mark_ungraded` rewrites the score of every cell that has neither an
automatic nor a manual score in the gradebook to "not graded yet" (in the
cohort's language), and puts "Score" in that language too. Only these fixed
strings are changed; nothing of a trainee's text is read or written.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbgrader.api import Gradebook

from course.messages import t


def ungraded(root: Path, assignment: str) -> dict[tuple[str, str], set[str]]:
    """``(student, notebook) -> {grade_id}`` of cells nobody has scored yet."""
    found: dict[tuple[str, str], set[str]] = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for submission in gb.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.manual_score is None and grade.auto_score is None:
                        found.setdefault((submission.student_id, notebook.name), set()).add(
                            grade.name
                        )
    return found


def rewrite(html: str, grade_ids: set[str]) -> str:
    """The feedback page with "not graded yet" for ``grade_ids`` and "Score" translated."""
    not_graded = t("feedback.not_graded")
    for gid in grade_ids:
        name = re.escape(gid)
        html = re.sub(
            rf'(<a href="#{name}">[^<]*</a> \()Score: [\d.]+ (/ [\d.]+\))',
            lambda m: f"{m.group(1)}{not_graded} {m.group(2)}",
            html,
        )
        html = re.sub(
            rf'(<a name="(?:comment-)?{name}"></a><div class="panel-heading">.*?'
            rf'<span class="pull-right">\s*)Score: [\d.]+ (/ [\d.]+)',
            lambda m: f"{m.group(1)}{not_graded} {m.group(2)}",
            html,
            count=1,
            flags=re.S,
        )
    score = t("feedback.score")
    if score != "Score":
        html = re.sub(r"(\(|\n\s*)Score: ", lambda m: f"{m.group(1)}{score}: ", html)
    return html


def mark_ungraded(root: Path, assignment: str) -> int:
    """Rewrite the feedback pages of ``assignment``; return how many changed."""
    changed = 0
    pending = ungraded(root, assignment)
    for page in sorted((root / "feedback").glob(f"*/{assignment}/*.html")):
        if page.is_symlink():
            continue
        student, notebook = page.parts[-3], page.stem
        html = page.read_text(encoding="utf-8")
        new = rewrite(html, pending.get((student, notebook), set()))
        if new != html:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed
