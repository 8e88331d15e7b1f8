"""nbgrader configuration of the course.

Paths are taken relative to this file, so a copy of the course folder (a
cohort's classroom, a test's temporary folder) is a course of its own.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when this file is loaded)

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "nps-darkweb-crypto"
c.CourseDirectory.root = HERE
# The gradebook lives at the course root (backed up by `course grade`).
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
# Never copy editor droppings into releases or submissions.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    ".DS_Store",
    "i18n",  # translations (source/<day>/i18n/<lang>/*.po) are not trainee files
]

# Every release notebook starts with the shared header: trainee name, how to
# work, how to submit.
c.IncludeHeaderFooter.header = os.path.join(HERE, "source", "header.ipynb")

# Stubs shown to trainees where the solution was removed; the error says what to do
# (course/build.py writes the same stub, translated, for other languages).
NOT_DONE = "Exercise not done yet: replace this line with your code, then run the cell again."
CODE_STUB = f"# YOUR CODE HERE\nraise NotImplementedError({NOT_DONE!r})"
c.ClearSolutions.code_stub = {"python": CODE_STUB}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE (write in Russian or English)"

# The slowest notebook runs in about 10 s on a 2-core classroom server; a
# submission stuck in a loop is stopped after two minutes per cell.
c.Execute.timeout = int(os.environ.get("COURSE_CELL_TIMEOUT", "120"))
c.Execute.interrupt_on_timeout = True

# Keep feedback readable when a submission prints without end.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60

# A trainee who deleted a graded cell still gets it graded (as unanswered).
c.OverwriteCells.add_missing_cells = True

# Trainees' code runs only in `course grade`'s sandbox (course/autograde/):
# nbgrader's own autograde (`nbgrader autograde`, the Formgrader's Autograde
# button) would run it unprotected as the grader account, so it is refused.
# (COURSE_PLAIN_AUTOGRADE=1 lets the benchmarks time plain nbgrader.)
if not os.environ.get("COURSE_PLAIN_AUTOGRADE"):
    from course.autograde.refuse import RefuseAutograde

    c.Autograde.sanitize_preprocessors = [RefuseAutograde]
