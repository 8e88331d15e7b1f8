"""The classroom's Python environment, shared by the hub and every trainee.

Trainees' servers run as their own OS users, so the Python they run must be
readable by everyone: a virtual environment made from the system Python in a
shared place (default ``/opt/nps-course/venv``), with the pinned packages and
the course package installed as a copy (not a link into someone's checkout).
It is rebuilt only when the pins or the course package change.

The hub's proxy (configurable-http-proxy, installed by ``make hub-deps`` in
the checkout's ``classroom/``) is copied beside it, to ``proxy/`` (default
``/opt/nps-course/proxy``), so that the classroom does not depend on where
the checkout lies.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from pathlib import Path

from course.errors import CourseError

DEFAULT_VENV = Path("/opt/nps-course/venv")
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")
STAMP = ".course-runtime"


def fingerprint(repo: Path) -> str:
    """Hash of what the environment is made from: the pins and the course package."""
    digest = hashlib.sha256()
    for path in [
        repo / "requirements" / "constraints.txt",
        repo / "requirements" / "requirements.in",
        repo / "pyproject.toml",
        *sorted((repo / "course").rglob("*.py")),
    ]:
        digest.update(str(path.relative_to(repo)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def check_reachable(path: Path) -> None:
    """Every folder above ``path`` (and the file it links to) must be enterable by others."""
    for target in {path, path.resolve()}:
        for folder in [target.parent, *target.parent.parents]:
            if not folder.stat().st_mode & stat.S_IXOTH:
                raise CourseError(
                    f"{folder} is closed to other users, so trainees cannot run {target}; "
                    "use a Python and a classroom folder outside it"
                )


def system_python() -> str:
    """The first system Python 3.11+ that every user can run."""
    for candidate in SYSTEM_PYTHONS:
        if not Path(candidate).exists():
            continue
        proc = subprocess.run(
            [candidate, "-c", "import sys, venv; print(sys.version_info >= (3, 11))"],
            capture_output=True,
            text=True,
        )
        if proc.stdout.strip() == "True":
            try:
                check_reachable(Path(candidate))
            except CourseError:
                continue
            return candidate
    raise CourseError(
        "no system Python 3.11+ with venv found for the classroom "
        "(install Debian's python3 and python3-venv)"
    )


def _run(cmd: list[str]) -> None:
    # the shared environment must be readable by every account, whatever umask the caller has
    proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=lambda: os.umask(0o022))
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise CourseError(f"{' '.join(cmd[:3])} ... failed: {lines[-1] if lines else 'no output'}")


def ensure_runtime(repo: Path, venv: Path = DEFAULT_VENV, python: str | None = None) -> Path:
    """Make or refresh the classroom environment; return its ``bin`` folder."""
    from course.lab import install_overrides

    want = fingerprint(repo)
    stamp = venv / STAMP
    bin_dir = venv / "bin"
    if stamp.is_file() and stamp.read_text().strip() == want:
        return bin_dir
    if not (bin_dir / "python").exists():
        venv.parent.mkdir(parents=True, exist_ok=True)
        _run([python or system_python(), "-m", "venv", str(venv)])
    pip = [
        str(bin_dir / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    req = repo / "requirements"
    _run([*pip, "-c", str(req / "constraints.txt"), "-r", str(req / "requirements.in")])
    _run([*pip, "--no-deps", "--force-reinstall", str(repo)])
    _run(
        [str(bin_dir / "python"), "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"]
    )
    install_overrides(venv)
    for folder in (venv.parent, venv):
        os.chmod(folder, 0o755)
    check_reachable(bin_dir / "python")
    stamp.write_text(want + "\n")
    return bin_dir


def proxy_folder(venv: Path) -> Path:
    """Where the classroom's copy of the proxy lives (beside the environment)."""
    return venv.parent / "proxy"


def proxy_command(venv: Path) -> Path:
    """The proxy program of the classroom's copy."""
    return proxy_folder(venv) / "node_modules" / ".bin" / "configurable-http-proxy"


def ensure_proxy(repo: Path, venv: Path = DEFAULT_VENV) -> Path:
    """Copy the checkout's installed proxy (``classroom/node_modules``) beside
    the classroom environment unless the same version is there; return the
    program to run."""
    source = repo / "classroom"
    modules = source / "node_modules"
    if not (modules / ".bin" / "configurable-http-proxy").exists():
        raise CourseError(
            f"configurable-http-proxy is not installed in {modules}: run `make hub-deps`"
        )
    target = proxy_folder(venv)
    lock = (source / "package-lock.json").read_bytes()
    installed = target / "package-lock.json"
    same = installed.is_file() and installed.read_bytes() == lock
    if not (same and proxy_command(venv).exists()):
        fresh = target.with_name(target.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        shutil.copytree(modules, fresh / "node_modules", symlinks=True)
        shutil.copy2(source / "package-lock.json", fresh / "package-lock.json")
        for folder, dirs, _ in os.walk(fresh):
            for name in dirs:
                os.chmod(os.path.join(folder, name), 0o755)
        os.chmod(fresh, 0o755)
        shutil.rmtree(target, ignore_errors=True)
        fresh.rename(target)
    check_reachable(proxy_command(venv))
    return proxy_command(venv)


def remove_runtime(venv: Path) -> list[Path]:
    """Delete the classroom environment and the proxy beside it, when the
    course made them (the environment carries the course's stamp); then
    their folder when nothing else is left in it. Returns what was removed."""
    removed = []
    if (venv / STAMP).is_file():
        shutil.rmtree(venv)
        removed.append(venv)
    elif venv.exists():
        return removed  # not the course's: kept
    proxy = proxy_folder(venv)
    if (proxy / "package-lock.json").is_file():
        shutil.rmtree(proxy)
        removed.append(proxy)
    try:
        venv.parent.rmdir()  # only when empty
        removed.append(venv.parent)
    except OSError:
        pass
    return removed
