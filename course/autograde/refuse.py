"""nbgrader's own autograde is switched off for this course.

``nbgrader autograde`` and the Formgrader's *Autograde* button would run
trainees' code as the grader account, outside the sandbox. The course's
configuration puts :class:`RefuseAutograde` first, so they stop with a
message that says what to do instead: ``course grade`` (as root), which runs
every notebook in the sandbox and judges the answers outside it.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor

MESSAGE = (
    "Autograding here would run trainees' code unprotected as the grader account. "
    "Grade with `course grade ASSIGNMENT` as root on the grading server instead "
    "(docs/grading.md); the Formgrader then shows its results."
)


class AutogradeRefused(RuntimeError):
    """Raised instead of running a submission outside the sandbox."""


class RefuseAutograde(Preprocessor):
    """The first preprocessor of nbgrader's autograde: refuses to go on."""

    enabled = True

    def preprocess(self, nb, resources):
        raise AutogradeRefused(MESSAGE)
