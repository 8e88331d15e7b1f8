"""Grading you can trust: sandboxed, parallel, resumable autograding.

Each submission is graded in three steps (:mod:`course.autograde.runner`):

1. **rebuild** (:mod:`course.autograde.submission`): the submitted notebooks
   are read safely and rebuilt from the course's own cells, with only the
   trainee's answers and added cells taken from the file;
2. **run**, in parallel: each rebuilt notebook runs in a fresh sandbox
   (:mod:`course.sandbox`), where hidden tests only *record* answers;
3. **verdict** (:mod:`course.autograde.verdict`), outside the kernel: the
   recorded answers are compared with the key, the test cells' outputs are
   replaced by the verdict, and :mod:`course.autograde.record` writes the
   scores with nbgrader's ``SaveAutoGrades``.

:mod:`course.autograde.executors` keeps root to the sandbox alone when the
course folder belongs to the grader account.
"""
