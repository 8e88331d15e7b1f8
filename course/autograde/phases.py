"""nbgrader configuration for each grading phase (called from nbgrader_config.py).

``COURSE_AUTOGRADE_PHASE=execute``: the private copy of one submission; the
kernel is the sandbox kernel when ``COURSE_SANDBOX_KERNEL`` is set.
``COURSE_AUTOGRADE_PHASE=verdict``: the real course; executed notebooks are
read from ``COURSE_STAGE`` and scored without being run again.
"""

from __future__ import annotations

import os

from course.sandbox.setup import KERNEL_NAME


def configure(c, phase: str) -> None:
    """Adjust the traitlets config ``c`` for ``phase``."""
    if phase == "execute":
        if os.environ.get("COURSE_SANDBOX_KERNEL"):
            c.Execute.kernel_name = KERNEL_NAME
            c.KernelManager.transport = "ipc"
            c.KernelManager.ip = os.environ["COURSE_IPC"]
    elif phase == "verdict":
        from nbconvert.preprocessors import ClearMetadataPreprocessor
        from nbgrader.preprocessors import (
            AssignLatePenalties,
            CheckCellMetadata,
            IgnorePattern,
            LimitOutput,
            SaveAutoGrades,
        )

        from course.autograde.verdict import KeyVerdicts

        c.CourseDirectory.submitted_directory = os.environ["COURSE_STAGE"]
        c.Autograde.sanitize_preprocessors = [CheckCellMetadata]
        c.Autograde.autograde_preprocessors = [
            KeyVerdicts,
            IgnorePattern,
            ClearMetadataPreprocessor,
            LimitOutput,
            SaveAutoGrades,
            AssignLatePenalties,
            CheckCellMetadata,
        ]
    else:
        raise ValueError(f"unknown grading phase {phase!r}")
