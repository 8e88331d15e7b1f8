"""Running nbgrader's own commands on a course folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from course.errors import CourseError
from course.grading.key import ENV_VAR
from course.paths import key_path

#: ``nbgrader`` without the grammar jsonschema builds at import for one URI
#: format check notebooks never need: about a second of CPU less per command
NBGRADER_MAIN = (
    "import sys; sys.modules.setdefault('rfc3987_syntax', None); sys.argv[0] = 'nbgrader'; "
    "from nbgrader.apps.nbgraderapp import main; main()"
)


def grading_env(root: Path) -> dict[str, str]:
    """The environment for commands that execute notebooks of the course at ``root``:
    the answer key and the course root are set, the language is kept."""
    env = dict(os.environ)
    # nbgrader calls `alembic` and `jupyter` by name: find this environment's first
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env[ENV_VAR] = str(key_path(root))
    env["COURSE_ROOT"] = str(root)
    return env


def _last_error_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in reversed(lines):
        if "[ERROR]" in line or "Error" in line or "error" in line:
            return line
    return lines[-1] if lines else "no output"


def nbgrader(
    root: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``nbgrader ARGS`` in the course folder ``root``.

    Raises
    ------
    CourseError
        If ``check`` and the command fails; the message is nbgrader's last
        error line.
    """
    proc = subprocess.run(
        [sys.executable, "-c", NBGRADER_MAIN, *args],
        cwd=root,
        env={**grading_env(root), **(env or {})},
        capture_output=True,
        text=True,
    )
    if check and proc.returncode != 0:
        raise CourseError(
            f"nbgrader {args[0]} failed: {_last_error_line(proc.stderr + proc.stdout)}"
        )
    return proc


def generate_assignment(root: Path, assignment: str) -> None:
    """Generate ``release/ASSIGNMENT`` from ``source/ASSIGNMENT`` (overwriting it)."""
    nbgrader(root, "generate_assignment", assignment, "--force")
