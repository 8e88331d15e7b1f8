"""Per-role Jupyter configuration: what trainees, instructors and the grader
see in JupyterLab, and where their nbgrader exchange is.

Each role gets a folder put on ``JUPYTER_CONFIG_PATH`` of its servers, with
``nbgrader_config.py`` (course id, exchange), ``jupyter_server_config.json``
(which nbgrader server extensions run) and ``labconfig/page_config.json``
(which nbgrader JupyterLab plugins are shown).
"""

from __future__ import annotations

import json
from pathlib import Path

NBGRADER_SERVER = "nbgrader.server_extensions."
NBGRADER_LAB = "@jupyter/nbgrader:"

#: role -> (server extensions enabled, lab plugins disabled)
ROLES: dict[str, tuple[dict[str, bool], list[str]]] = {
    # trainees fetch, validate and submit; they never see course management
    "trainee": (
        {
            "assignment_list": True,
            "validate_assignment": True,
            "course_list": False,
            "formgrader": False,
        },
        ["create-assignment", "formgrader", "course-list"],
    ),
    # instructors grade in the Formgrader service (its own tab); their own
    # server lists courses and can author assignments
    "instructor": (
        {
            "assignment_list": True,
            "validate_assignment": True,
            "course_list": True,
            "formgrader": False,
        },
        ["formgrader"],
    ),
    # the grader account runs the Formgrader service on the course folder
    "grader": (
        {
            "assignment_list": False,
            "validate_assignment": True,
            "course_list": True,
            "formgrader": True,
        },
        ["assignment-list"],
    ),
}


def write_role_configs(folder: Path, course_id: str, exchange: Path) -> dict[str, Path]:
    """Write one configuration folder per role under ``folder``; return them."""
    written = {}
    for role, (server, disabled) in ROLES.items():
        target = folder / role
        (target / "labconfig").mkdir(parents=True, exist_ok=True)
        (target / "nbgrader_config.py").write_text(
            "c = get_config()  # noqa: F821\n"
            f'c.CourseDirectory.course_id = "{course_id}"\n'
            f'c.Exchange.root = "{exchange}"\n'
        )
        (target / "jupyter_server_config.json").write_text(
            json.dumps(
                {
                    "ServerApp": {
                        "jpserver_extensions": {NBGRADER_SERVER + k: v for k, v in server.items()}
                    }
                },
                indent=2,
            )
            + "\n"
        )
        (target / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {NBGRADER_LAB + p: True for p in disabled}}, indent=2)
            + "\n"
        )
        folder.chmod(0o755)
        written[role] = target
    return written
