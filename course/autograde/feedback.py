"""Feedback pages and ``grades.csv``, written by nbgrader's own classes in this process.

:class:`FeedbackWriter` runs nbgrader's ``GenerateFeedback`` converter (the
work of ``nbgrader generate_feedback``) for one submission at a time, with
the course's ``nbgrader_config.py``, so ``course grade`` writes a trainee's
feedback as soon as the submission is judged, while other notebooks are
still running; :meth:`FeedbackWriter.export` is ``nbgrader export``.

nbgrader's feedback shows "Score: 0.0 / 4.0" for a task the instructor has
not marked yet, which reads as a zero. :func:`mark_ungraded` then rewrites
the score of every cell that has neither an automatic nor a manual score in
the gradebook to "not graded yet" (in the cohort's language), and puts
"Score" in that language too. Only these fixed strings are changed; nothing
of a trainee's text is read or written.
"""

from __future__ import annotations

import glob
import logging
import re
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from course.messages import t
from course.paths import CONFIG_NAME


def _quiet_log() -> logging.Logger:
    """nbgrader's converters log every file at INFO: kept out of the grading report."""
    log = logging.getLogger("course.autograde.nbgrader")
    log.propagate = False
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


class FeedbackWriter:
    """nbgrader's feedback and grade export for the course at ``root``, in this process.

    The course's ``nbgrader_config.py`` is read once (as ``nbgrader`` would
    read it); each :meth:`write` converts one submission's autograded
    notebooks to ``feedback/<student>/<assignment>/*.html``.
    """

    def __init__(self, root: Path) -> None:
        from traitlets.config.loader import PyFileConfigLoader

        self.root = root
        self.config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
        self.log = _quiet_log()

    def write(self, assignment: str, student: str) -> None:
        """Feedback of ``student``'s ``assignment``, as ``nbgrader generate_feedback`` writes it."""
        from nbgrader.converters import GenerateFeedback
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config, log=self.log)
        coursedir.assignment_id = assignment
        coursedir.student_id = student
        converter = GenerateFeedback(coursedir=coursedir, config=self.config, log=self.log)
        converter.force = True
        converter.start()
        mark_ungraded(self.root, assignment, student)

    def export(self, path: Path) -> None:
        """Every grade of the gradebook to the CSV file ``path`` (``nbgrader export``)."""
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.plugins import CsvExportPlugin

        coursedir = CourseDirectory(config=self.config, log=self.log)
        plugin = CsvExportPlugin(config=self.config, log=self.log)
        plugin.to = str(path)
        with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
            plugin.export(gb)


def ungraded(
    root: Path, assignment: str, student: str | None = None
) -> dict[tuple[str, str], set[str]]:
    """``(student, notebook) -> {grade_id}`` of cells nobody has scored yet
    (of one trainee's submission when ``student`` is given)."""
    found: dict[tuple[str, str], set[str]] = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        if student is None:
            handed_in = gb.assignment_submissions(assignment)
        else:
            try:
                handed_in = [gb.find_submission(assignment, student)]
            except MissingEntry:
                handed_in = []
        for submission in handed_in:
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


def mark_ungraded(root: Path, assignment: str, student: str | None = None) -> int:
    """Rewrite the feedback pages of ``assignment`` (of one trainee when
    ``student`` is given); return how many changed."""
    changed = 0
    pending = ungraded(root, assignment, student)
    who = glob.escape(student) if student else "*"
    for page in sorted((root / "feedback").glob(f"{who}/{glob.escape(assignment)}/*.html")):
        if page.is_symlink():
            continue
        student, notebook = page.parts[-3], page.stem
        html = page.read_text(encoding="utf-8")
        new = rewrite(html, pending.get((student, notebook), set()))
        if new != html:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed
