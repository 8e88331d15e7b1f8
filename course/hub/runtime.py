"""The classroom's runtime: the Python environment and the proxy shared by the
hub and every trainee.

Trainees' servers run as their own OS users, so the Python they run must be
readable by everyone: a virtual environment made from the system Python in a
shared place, with the pinned packages and the course package installed as a
copy (not a link into someone's checkout), and beside it, in ``proxy/``, a
copy of the hub's proxy (configurable-http-proxy, installed by ``make
hub-deps`` in the checkout's ``classroom/``). The classroom does not depend on
where the checkout lies.

One runtime per version of the course, never changed once built::

    /opt/nps-course/
      runtimes/0.1.0-3f2a9c81d0e4/   a finished runtime (bin/, lib/, proxy/, stamp)
      runtimes/0.1.0-77b01c5e92aa/
      current  -> runtimes/0.1.0-77b01c5e92aa   what the classroom runs
      previous -> runtimes/0.1.0-3f2a9c81d0e4   the one before (rollback)
      .lock                                     one setup at a time

The name is the course's version and a hash of what the runtime is made from
(pins, course package, proxy lock file). Setup with the same course finds its
runtime and installs nothing. A changed course is built in a new folder
beside the others while the classroom goes on running the old one; then
``current`` is switched in one step (a new link renamed over the old one)
and the old one becomes ``previous``. Older ones are removed, except one a
process still runs from. Programs of a runtime name its own folder (their
``#!`` lines, the kernel), so a hub or server started before the switch
keeps running the runtime it started with; whatever starts after it runs
the new one. Setting up again from the earlier course takes ``previous``
back without building anything.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import stat
import subprocess
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from course.errors import CourseError

#: the link the classroom runs through (its ``bin/`` is the classroom's Python)
DEFAULT_VENV = Path("/opt/nps-course/current")
PREVIOUS = "previous"
RUNTIMES = "runtimes"
LOCK = ".lock"
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")
#: written last in a finished runtime: the hash of what it is made from
STAMP = ".course-runtime"
#: the layout before one runtime per version (removed by teardown)
LEGACY = ("venv", "proxy")


def _hashed_files(repo: Path) -> list[Path]:
    package = [
        p
        for p in (repo / "course").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]
    return [
        repo / "requirements" / "constraints.txt",
        repo / "requirements" / "requirements.in",
        repo / "pyproject.toml",
        repo / "classroom" / "package-lock.json",
        *sorted(package),
    ]


def fingerprint(repo: Path) -> str:
    """Hash of what the runtime is made from: the pins, the course package
    (every file of it) and the proxy's lock file."""
    digest = hashlib.sha256()
    for path in _hashed_files(repo):
        if path.is_file():
            digest.update(str(path.relative_to(repo)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def runtime_name(repo: Path) -> str:
    """``<course version>-<12 hex digits of the fingerprint>``."""
    with open(repo / "pyproject.toml", "rb") as f:
        version = tomllib.load(f).get("project", {}).get("version", "0")
    return f"{version}-{fingerprint(repo)[:12]}"


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


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One runtime change at a time on this machine (two setups wait for each other)."""
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _modules_of(repo: Path) -> Path:
    modules = repo / "classroom" / "node_modules"
    if not (modules / ".bin" / "configurable-http-proxy").exists():
        raise CourseError(
            f"configurable-http-proxy is not installed in {modules}: run `make hub-deps`"
        )
    return modules


def _build(repo: Path, folder: Path, want: str, python: str | None) -> None:
    """Make a runtime in ``folder`` (its final place: its programs name it)."""
    from course.lab import install_overrides

    modules = _modules_of(repo)
    shutil.rmtree(folder, ignore_errors=True)  # an unfinished earlier attempt
    folder.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(folder.parent, 0o755)
    _run([python or system_python(), "-m", "venv", str(folder)])
    py = str(folder / "bin" / "python")
    pip = [py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    req = repo / "requirements"
    _run([*pip, "-c", str(req / "constraints.txt"), "-r", str(req / "requirements.in")])
    _run([*pip, "--no-deps", "--force-reinstall", str(repo)])
    _run([py, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"])
    install_overrides(folder)
    proxy = folder / "proxy"
    proxy.mkdir()
    shutil.copytree(modules, proxy / "node_modules", symlinks=True)
    shutil.copy2(repo / "classroom" / "package-lock.json", proxy / "package-lock.json")
    for root, dirs, _ in os.walk(folder):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    os.chmod(folder, 0o755)
    (folder / STAMP).write_text(want + "\n")  # last: the runtime is finished


def _point(link: Path, target: Path) -> None:
    """Make ``link`` name ``target`` in one step: a new link renamed over it."""
    fresh = link.with_name(f".{link.name}.new")
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(os.path.relpath(target, link.parent))
    os.replace(fresh, link)


def _target(link: Path) -> Path | None:
    return link.resolve() if link.is_symlink() and link.exists() else None


def runs_from(folder: Path) -> list[int]:
    """Processes started from a runtime (a program or kernel of it in their command line)."""
    import psutil

    prefix = str(folder) + os.sep
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        if proc.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        if any(arg.startswith(prefix) for arg in proc.info["cmdline"] or []):
            found.append(proc.pid)
    return found


def _prune(root: Path, keep: set[Path]) -> list[Path]:
    removed = []
    for folder in sorted((root / RUNTIMES).iterdir()):
        if folder.resolve() in keep or runs_from(folder):
            continue
        shutil.rmtree(folder)
        removed.append(folder)
    return removed


def ensure_runtime(repo: Path, venv: Path = DEFAULT_VENV, python: str | None = None) -> Path:
    """Make ``venv`` (a link) name the runtime of the course in ``repo``:
    found as it is, or built beside the others and switched to (see the module
    docstring); return the link's ``bin`` folder."""
    if venv.exists() and not venv.is_symlink():
        raise CourseError(
            f"{venv} is a folder, not the link to the classroom's runtime: "
            "remove it or choose another --venv"
        )
    root = venv.parent
    want = fingerprint(repo)
    folder = root / RUNTIMES / runtime_name(repo)
    with _locked(root):
        stamp = folder / STAMP
        if not (stamp.is_file() and stamp.read_text().strip() == want):
            try:
                _build(repo, folder, want, python)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)  # never half a runtime
                raise
        now = _target(venv)
        if now != folder.resolve():
            if now is not None:
                _point(root / PREVIOUS, now)
            _point(venv, folder)
        _prune(root, {folder.resolve(), *filter(None, [_target(root / PREVIOUS)])})
    check_reachable(venv / "bin" / "python")
    return venv / "bin"


def proxy_folder(venv: Path) -> Path:
    """Where a runtime's copy of the proxy lives (inside it)."""
    return venv / "proxy"


def proxy_command(venv: Path) -> Path:
    """The proxy program of a runtime."""
    return proxy_folder(venv) / "node_modules" / ".bin" / "configurable-http-proxy"


def ensure_proxy(repo: Path, venv: Path = DEFAULT_VENV) -> Path:
    """The proxy program of the classroom's runtime (copied from the checkout's
    ``classroom/node_modules`` when the runtime was built)."""
    _modules_of(repo)
    if not proxy_command(venv).exists():
        raise CourseError(f"the runtime {venv} has no proxy: run `course hub setup` again")
    check_reachable(proxy_command(venv))
    return proxy_command(venv)


def remove_runtime(venv: Path) -> list[Path]:
    """Delete every runtime the course made beside the link ``venv``, the
    links, the lock, and the environment and proxy of the earlier layout
    (when they carry the course's marks); then their folder when nothing
    else is left in it. Returns what was removed. Holds the runtime lock, so a
    setup installing a runtime at the same time finishes first."""
    root = venv.parent
    if not root.is_dir():
        return []
    with _locked(root):
        return _remove_runtime(root, venv)


def _remove_runtime(root: Path, venv: Path) -> list[Path]:
    removed: list[Path] = []
    for name in dict.fromkeys((venv.name, DEFAULT_VENV.name, PREVIOUS)):
        (root / f".{name}.new").unlink(missing_ok=True)
        if (root / name).is_symlink():
            (root / name).unlink()
            removed.append(root / name)
    if (root / RUNTIMES).is_dir():
        shutil.rmtree(root / RUNTIMES)
        removed.append(root / RUNTIMES)
    old_venv, old_proxy = (root / n for n in LEGACY)
    if not old_venv.is_symlink() and (old_venv / STAMP).is_file():
        shutil.rmtree(old_venv)
        removed.append(old_venv)
    if not old_proxy.is_symlink() and (old_proxy / "package-lock.json").is_file():
        shutil.rmtree(old_proxy)
        removed.append(old_proxy)
    (root / LOCK).unlink(missing_ok=True)
    try:
        root.rmdir()  # only when empty
        removed.append(root)
    except OSError:
        pass
    return removed
