"""The classroom: a real multi-user JupyterHub with the nbgrader exchange.

``course hub setup ROSTER`` creates one OS account per trainee and
instructor, a grader account that owns the course folder (and so the answer
key), the exchange, and per-role Jupyter configuration; ``course hub start``
runs JupyterHub (configurable-http-proxy from npm, 127.0.0.1 by default)
with a Formgrader service for instructors. See ``docs/instructor.md``.
"""
