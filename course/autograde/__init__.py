"""Grading you can trust: sandboxed, parallel, resumable autograding.

Each submission is graded in two phases:

1. **execute** (:mod:`course.autograde.execute`), in parallel: ``nbgrader
   autograde`` runs in a private copy of the course made for that one
   submission, and the trainee's code runs in a sandboxed kernel
   (:mod:`course.sandbox`) that cannot see the answer key: hidden tests only
   *record* the answers there;
2. **verdict** (:mod:`course.autograde.verdict`), one at a time, in the real
   course: the recorded answers are compared with the key outside the
   kernel, and nbgrader's own preprocessors write the scores to the gradebook.

:mod:`course.autograde.runner` drives both and writes the report.
"""
