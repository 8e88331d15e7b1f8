"""``course lab``: open JupyterLab on the course, on 127.0.0.1 only."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from course.errors import CourseError
from course.i18n.lab import lab_environment

#: JupyterLab settings for an offline classroom: no news, no update checks
#: (they would try to reach the internet and cover the page with pop-ups).
LAB_OVERRIDES: dict[str, dict[str, object]] = {
    "@jupyterlab/apputils-extension:notification": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
}


def install_overrides(prefix: Path | None = None) -> Path:
    """Write the offline settings into this environment's JupyterLab settings."""
    prefix = prefix or Path(sys.prefix)
    target = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(target.read_text()) if target.is_file() else {}
    merged = {**current, **LAB_OVERRIDES}
    if merged != current:
        target.write_text(json.dumps(merged, indent=2) + "\n")
    return target


def lab_command(
    root: Path, port: int, open_browser: bool, extra: list[str], allow_root: bool = False
) -> list[str]:
    """The JupyterLab command line for the course at ``root``.

    ``--allow-root`` is added only when asked for (``course lab --allow-root``):
    a lab run as root by mistake is refused by Jupyter itself.
    """
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.open_browser={open_browser}",
    ]
    if allow_root:
        cmd.append("--allow-root")
    return cmd + extra


def run_lab(
    root: Path,
    port: int = 8888,
    open_browser: bool = True,
    extra: list[str] | None = None,
    allow_root: bool = False,
) -> int:
    """Replace this process with JupyterLab (so Ctrl-C and signals reach it directly).

    Raises
    ------
    CourseError
        When run as root without ``allow_root``.
    """
    if hasattr(os, "geteuid") and os.geteuid() == 0 and not allow_root:
        raise CourseError(
            "course lab is running as root: run it as an ordinary user, "
            "or add --allow-root if you really mean it"
        )
    install_overrides()
    env = dict(os.environ, COURSE_ROOT=str(root))
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env = lab_environment(root, env)  # the cohort's language: kernels and interface
    cmd = lab_command(root, port, open_browser, extra or [], allow_root)
    os.chdir(root)
    os.execve(cmd[0], cmd, env)
    return 0  # pragma: no cover - execve does not return
