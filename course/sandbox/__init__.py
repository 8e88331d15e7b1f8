"""Sandboxed execution of submitted notebooks.

:mod:`course.sandbox.bwrap` starts a fresh bubblewrap sandbox per notebook
(private mounts with nothing of the course folder, no network, own PID
namespace, an unprivileged account with no capabilities, resource limits);
:mod:`course.sandbox.runner` runs the notebook inside it with nbclient; an
audit hook (``kernel_site/sitecustomize.py``) reports what the kernel reached
for. See ``docs/grading.md``.
"""
