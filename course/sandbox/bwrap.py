"""Run one notebook in a bubblewrap sandbox as an unprivileged account.

Each run gets a fresh sandbox (``bwrap``, Debian's ``bubblewrap``):

- its own mount namespace: the system folders, the Python installation and
  the ``course`` package read-only, one writable working folder with the
  notebook (made for this run, owned by the sandbox account), the
  assignment's data read-only beside it, a private ``/tmp``; nothing of the
  course folder (answer key, gradebook, other trainees, solutions) is
  mounted at all;
- its own network (loopback only), PID, IPC and UTS namespaces; every
  process of the run ends with it;
- the unprivileged account ``nps-sandbox-<slot>`` (no groups, no
  capabilities, ``no_new_privs``), with CPU, memory, process, file-size and
  open-file limits.

Root (the caller) starts the sandbox and afterwards only *reads* the result
file, opened without following links and only if it is a regular file of
the sandbox account with one link, then deletes the working folder. Root
never writes into a folder the sandbox could change.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from course.sandbox import setup as accounts

#: the largest result file read back (a cut result is far smaller)
MAX_RESULT_BYTES = 64 * 2**20
RESULT = "result.json"
EVENTS = ".events"
INSIDE = Path("/grading")


@dataclass
class Outcome:
    """What one sandboxed run gave back: the result file's bytes (untrusted data)."""

    result: bytes | None = None
    events: list[str] = field(default_factory=list)
    error: str = ""
    log: str = ""
    seconds: float = 0.0


def bwrap_path() -> str | None:
    return accounts.system_tool("bwrap")


def available() -> str | None:
    """None if sandboxed grading can run here, else why not (one line)."""
    if os.geteuid() != 0:
        return "sandboxing needs root"
    for tool in ("bwrap", "setpriv", "useradd", "pkill"):
        if not accounts.system_tool(tool):
            return f"`{tool}` is missing (apt-get install bubblewrap util-linux passwd procps)"
    return None


def _course_package() -> Path:
    import course

    return Path(course.__file__).resolve().parent


def _package_folders() -> list[Path]:
    """What the sandboxed Python needs: its installation, this environment, the
    ``course`` package (its own folder only, never the course folder around it)."""
    folders = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), _course_package()}
    return sorted(folders)


LEASES = Path("/run/nps-course-sandbox")
MAX_ACCOUNTS = 64


def _lease_account(preferred: int) -> tuple[int, int]:
    """Hold a sandbox account for one run, machine-wide: two grading runs (two
    courses, or two classrooms) never share an account, so neither kills the
    other's kernels. Returns the lock's descriptor and the account number."""
    import fcntl

    LEASES.mkdir(mode=0o700, exist_ok=True)
    os.chmod(LEASES, 0o700)
    order = [preferred] + [n for n in range(1, MAX_ACCOUNTS + 1) if n != preferred]
    while True:
        for number in order:
            fd = os.open(LEASES / f"{number}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd, number
            except BlockingIOError:
                os.close(fd)
        time.sleep(0.5)


def read_result(path: Path, uid: int | None) -> bytes:
    """Read the sandbox's result file: no link, a regular file, owned by ``uid``
    (when given), not too large. Raises OSError or ValueError otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            raise ValueError("the result is not a plain file")
        if uid is not None and info.st_uid != uid:
            raise ValueError("the result does not belong to the sandbox account")
        if info.st_size > MAX_RESULT_BYTES:
            raise ValueError("the result is too large")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            if sum(map(len, chunks)) > MAX_RESULT_BYTES:
                raise ValueError("the result is too large")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _events(path: Path, uid: int | None) -> list[str]:
    try:
        text = read_result(path, uid).decode("utf-8", "replace")
    except (OSError, ValueError):
        return []
    return [line for line in text.splitlines() if line.strip()][:500]


@dataclass(frozen=True)
class Sandbox:
    """How to run notebooks: sandboxed (root) or, when asked explicitly, not."""

    sandboxed: bool
    cell_timeout: int = 120
    wall_timeout: int = 15 * 60
    workdir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()))

    def run(self, notebook: bytes, data: Path | None, assignment: str, slot: int) -> Outcome:
        """Run ``notebook`` (its JSON) with ``data`` beside it; return the outcome."""
        start = time.monotonic()
        base = Path(tempfile.mkdtemp(prefix=f"nps-run{slot}-", dir=self.workdir))
        os.chmod(base, 0o711)
        box = base / "box"
        box.mkdir(mode=0o700)
        (box / "notebook.ipynb").write_bytes(notebook)
        (box / EVENTS).write_bytes(b"")
        user = None
        lease = -1
        try:
            if self.sandboxed:
                lease, number = _lease_account(slot)
                user = accounts.ensure_sandbox_user(number)
                for path in (box, box / "notebook.ipynb", box / EVENTS):
                    os.chown(path, user.pw_uid, user.pw_gid)
                argv = self._bwrap_argv(box, data, assignment, user)
                cwd = "/"
            else:
                argv = self._plain_argv(box, data)
                cwd = str(box)
            outcome = self._launch(argv, cwd, user)
            uid = user.pw_uid if user else None
            try:
                outcome.result = read_result(box / RESULT, uid)
            except FileNotFoundError:
                outcome.error = outcome.error or "the notebook gave no result"
            except (OSError, ValueError) as exc:
                outcome.error = f"the result could not be read ({exc})"
            outcome.events = _events(box / EVENTS, uid)
        finally:
            if user is not None:
                accounts.kill_all(user.pw_name)
            if lease >= 0:
                os.close(lease)
            shutil.rmtree(base, ignore_errors=True)
        outcome.seconds = time.monotonic() - start
        return outcome

    def _runner(self, folder: Path) -> list[str]:
        return [
            sys.executable, "-m", "course.sandbox.runner",
            str(folder / "notebook.ipynb"), str(folder / RESULT),
            "--cell-timeout", str(self.cell_timeout), "--events", str(folder / EVENTS),
        ]  # fmt: skip

    def _bwrap_argv(self, box: Path, data: Path | None, assignment: str, user) -> list[str]:
        inside = INSIDE / assignment
        argv = [
            bwrap_path() or "bwrap",
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session",
            "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
            "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp",
        ]  # fmt: skip
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            link = Path("/") / name
            if link.is_symlink():
                argv += ["--symlink", os.readlink(link), str(link)]
            elif link.is_dir():
                argv += ["--ro-bind", str(link), str(link)]
        folders = _package_folders()
        parents = sorted({p for f in folders for p in f.parents if p != Path("/")}, key=str)
        for parent in parents:  # traversable, whatever the host's modes are
            if parent not in folders and not any(parent.is_relative_to(f) for f in folders):
                argv += ["--perms", "0755", "--dir", str(parent)]
        for folder in folders:
            argv += ["--ro-bind", str(folder), str(folder)]
        argv += ["--perms", "0755", "--dir", str(INSIDE), "--bind", str(box), str(inside)]
        if data is not None and data.is_dir():
            argv += ["--ro-bind", str(data), str(inside / "data")]
        argv += [
            "--chdir", str(inside), "--clearenv",
            "--setenv", "PATH", f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "--setenv", "HOME", "/tmp", "--setenv", "LANG", "C.UTF-8",
            "--setenv", "USER", user.pw_name,
            "--setenv", "PYTHONPATH", str(_course_package().parent),
            "--setenv", "COURSE_LANG", os.environ.get("COURSE_LANG", "en"),
            "--",
            accounts.system_tool("setpriv") or "setpriv",
            f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups",
            "--no-new-privs", "--bounding-set=-all", "--inh-caps=-all",
        ]  # fmt: skip
        return argv + self._runner(inside) + ["--limits"]

    def _plain_argv(self, box: Path, data: Path | None) -> list[str]:
        if data is not None and data.is_dir():
            shutil.copytree(data, box / "data", symlinks=False)
        return self._runner(box)

    def _launch(self, argv: list[str], cwd: str, user) -> Outcome:
        outcome = Outcome()
        env = None
        if user is None:
            env = {k: v for k, v in os.environ.items() if k != "COURSE_ANSWER_KEY"}
            env["HOME"] = cwd  # the kernel's settings and runtime files stay in the run's folder
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            out, _ = proc.communicate(timeout=self.wall_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            outcome.error = f"stopped after {self.wall_timeout // 60} minutes"
        outcome.log = out.decode("utf-8", "replace")[-20_000:]
        if proc.returncode not in (0, None) and not outcome.error:
            outcome.error = f"the sandbox ended with status {proc.returncode}"
        return outcome
