"""Sandboxed execution of submitted notebooks.

Submitted code runs in a kernel started by :mod:`course.sandbox.launch`: as
an unprivileged OS user, in a network namespace with no network, under
CPU-time, memory, process and file-size limits, with an audit hook that
reports attempts to reach grading internals. See ``docs/grading.md``.
"""
