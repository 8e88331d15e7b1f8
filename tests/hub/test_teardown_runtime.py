"""The classroom's runtimes and what `course hub teardown` removes besides the
classroom.

One runtime per course version (a real one, built with pip from a small
course whose only pin is ipykernel): setup again with the same course
installs nothing, a changed course is built beside the others and the
``current`` link switched to it, the earlier one kept as ``previous``, taken
back without building when the course goes back, older ones removed unless
a process still runs from them. Teardown removes every runtime the course
made (and the environment of the earlier layout), and the grading
sandbox's accounts that no grading run holds. Needs root.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from course.hub import runtime
from course.hub.sandbox_accounts import remove_sandbox_accounts, sandbox_accounts
from course.sandbox.bwrap import LEASES
from course.sandbox.setup import ensure_sandbox_user

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("useradd", path="/usr/sbin:/sbin:/usr/bin"),
    reason="the sandbox accounts are OS accounts: it needs root and useradd",
)

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = """[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "course-runtime-probe"
version = "0.0.7"

[tool.setuptools]
packages = ["course"]
"""


@pytest.fixture
def opt():
    """A folder every account may enter (as /opt is), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="nps-runtimes-", dir="/tmp"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def small_course(folder: Path, version: int) -> Path:
    """A course checkout in miniature: pins, a package, an installed proxy."""
    (folder / "course").mkdir(parents=True, exist_ok=True)
    (folder / "course" / "__init__.py").write_text(f"VERSION = {version}\n")
    (folder / "pyproject.toml").write_text(PYPROJECT)
    (folder / "requirements").mkdir(exist_ok=True)
    (folder / "requirements" / "requirements.in").write_text("ipykernel\n")
    shutil.copy2(REPO / "requirements" / "constraints.txt", folder / "requirements")
    proxy = folder / "classroom" / "node_modules" / ".bin" / "configurable-http-proxy"
    proxy.parent.mkdir(parents=True, exist_ok=True)
    proxy.write_text("#!/bin/sh\necho proxy\n")
    proxy.chmod(0o755)
    (folder / "classroom" / "package-lock.json").write_text("{}\n")
    return folder


def installed_version(runtime_folder: Path) -> str:
    """What the runtime's own Python imports (the course copy inside it)."""
    run = subprocess.run(
        [str(runtime_folder / "bin" / "python"), "-c", "import course; print(course.VERSION)"],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def course_file(runtime_folder: Path) -> Path:
    return next(runtime_folder.glob("lib/python3*/site-packages/course/__init__.py"))


def test_one_runtime_per_course_version(opt: Path) -> None:
    repo = small_course(opt / "checkout", 1)
    link = opt / "nps-course" / "current"
    runtimes = link.parent / "runtimes"
    times = {}

    t0 = time.monotonic()
    assert runtime.ensure_runtime(repo, link) == link / "bin"
    times["first build"] = time.monotonic() - t0
    first = link.resolve()
    assert first.parent == runtimes and first.name == runtime.runtime_name(repo)
    assert first.name.startswith("0.0.7-") and installed_version(link) == "1"
    assert os.readlink(link) == f"runtimes/{first.name}", "the link must be relative"
    assert (
        runtime.ensure_proxy(repo, link) == link / "proxy/node_modules/.bin/configurable-http-proxy"
    )
    installed = course_file(first).stat().st_mtime_ns

    # the same course again: nothing is installed, the link stays
    t0 = time.monotonic()
    runtime.ensure_runtime(repo, link)
    times["same course"] = time.monotonic() - t0
    assert link.resolve() == first and course_file(first).stat().st_mtime_ns == installed
    assert sorted(runtimes.iterdir()) == [first]

    # a changed course: built beside the first, then switched to
    small_course(repo, 2)
    t0 = time.monotonic()
    runtime.ensure_runtime(repo, link)
    times["changed course"] = time.monotonic() - t0
    second = link.resolve()
    assert second != first and second.parent == runtimes
    assert (link.parent / "previous").resolve() == first
    assert installed_version(link) == "2" and installed_version(first) == "1"
    assert course_file(first).stat().st_mtime_ns == installed, "the old runtime was touched"
    assert not list(link.parent.glob(".*.new")), "a half-made link was left"
    # the programs of a runtime name its own folder, not the link
    jupyter = (second / "bin" / "jupyter").read_text().splitlines()[0]
    assert jupyter == f"#!{second}/bin/python", jupyter

    # a process runs from the second runtime; the course goes back to the first
    holder = subprocess.Popen(
        [str(second / "bin" / "python"), "-c", "import time; time.sleep(120)"], cwd="/"
    )
    try:
        small_course(repo, 1)
        t0 = time.monotonic()
        runtime.ensure_runtime(repo, link)
        times["back to the first"] = time.monotonic() - t0
        assert link.resolve() == first, "the earlier runtime was not taken back"
        assert course_file(first).stat().st_mtime_ns == installed, "taking it back rebuilt it"
        assert (link.parent / "previous").resolve() == second

        # a third course: the first becomes previous; the second, neither current
        # nor previous, stays while a process runs from it
        small_course(repo, 3)
        runtime.ensure_runtime(repo, link)
        third = link.resolve()
        assert installed_version(link) == "3"
        assert (link.parent / "previous").resolve() == first
        assert runtime.runs_from(second) == [holder.pid]
        assert sorted(runtimes.iterdir()) == sorted([first, second, third])
    finally:
        holder.kill()
        holder.wait()
    runtime.ensure_runtime(repo, link)  # nothing runs from it now: removed
    assert sorted(runtimes.iterdir()) == sorted([first, third])

    # one change at a time: a second setup waits while the lock is held
    fd = os.open(link.parent / runtime.LOCK, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    waiting = threading.Thread(target=runtime.ensure_runtime, args=(repo, link))
    try:
        waiting.start()
        waiting.join(timeout=3)
        assert waiting.is_alive(), "setup did not wait for the lock"
    finally:
        os.close(fd)
    waiting.join(timeout=60)
    assert not waiting.is_alive()
    print("runtime timings (s):", {k: round(v, 1) for k, v in times.items()})

    # what teardown calls with the classroom's link: every runtime goes
    removed = runtime.remove_runtime(link)
    assert set(removed) >= {link, link.parent / "previous", runtimes, link.parent}
    assert not link.parent.exists()


def test_a_folder_in_place_of_the_link_is_refused(opt: Path) -> None:
    repo = small_course(opt / "checkout", 1)
    (opt / "nps-course" / "current").mkdir(parents=True)
    with pytest.raises(runtime.CourseError, match="not the link"):
        runtime.ensure_runtime(repo, opt / "nps-course" / "current")
    assert not (opt / "nps-course" / "runtimes").exists()


def earlier_layout(folder: Path, stamped: bool) -> Path:
    """The environment and proxy of a classroom set up before one runtime per version."""
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    if stamped:
        (venv / runtime.STAMP).write_text("fingerprint\n")
    proxy = folder / "proxy"
    (proxy / "node_modules" / ".bin").mkdir(parents=True)
    (proxy / "package-lock.json").write_text("{}")
    return venv


def test_remove_runtime_removes_the_earlier_layout(tmp_path: Path) -> None:
    venv = earlier_layout(tmp_path / "opt", stamped=True)
    removed = runtime.remove_runtime(venv)
    assert removed == [venv, venv.parent / "proxy", venv.parent]
    assert not venv.parent.exists()


def test_remove_runtime_keeps_an_environment_it_did_not_make(tmp_path: Path) -> None:
    venv = earlier_layout(tmp_path / "opt", stamped=False)
    assert runtime.remove_runtime(venv) == [venv.parent / "proxy"]
    assert (venv / "pyvenv.cfg").is_file()


def test_remove_runtime_keeps_other_files_beside_it(tmp_path: Path) -> None:
    root = tmp_path / "opt"
    (root / "runtimes" / "0.1.0-abc").mkdir(parents=True)
    (root / "current").symlink_to("runtimes/0.1.0-abc")
    (root / "notes.txt").write_text("mine")
    assert runtime.remove_runtime(root / "current") == [root / "current", root / "runtimes"]
    assert (root / "notes.txt").read_text() == "mine"


def test_remove_runtime_waits_for_a_setup_changing_the_runtimes(tmp_path: Path) -> None:
    """A teardown never deletes a runtime a setup is installing at the same moment."""
    root = tmp_path / "opt"
    (root / "runtimes" / "0.1.0-abc").mkdir(parents=True)
    (root / "current").symlink_to("runtimes/0.1.0-abc")
    holding, finished = threading.Event(), threading.Event()

    def setup_at_work() -> None:
        with runtime._locked(root):
            holding.set()
            time.sleep(1.0)
            (root / "runtimes" / "0.1.0-def").mkdir()  # the runtime it was installing
            finished.set()

    worker = threading.Thread(target=setup_at_work)
    worker.start()
    assert holding.wait(10)
    removed = runtime.remove_runtime(root / "current")
    worker.join()
    assert finished.is_set()
    assert removed[:2] == [root / "current", root / "runtimes"]
    assert not (root / "runtimes").exists()  # removed after the setup, all of it


def test_sandbox_accounts_are_removed_unless_a_grading_run_holds_them() -> None:
    # two accounts of slots no grading run here reaches, so that the test
    # leaves the accounts of other grading runs on this machine alone
    held, free = (ensure_sandbox_user(n).pw_name for n in (61, 62))
    LEASES.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(LEASES / "61.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a grading run holds its account
    try:
        removed, busy = remove_sandbox_accounts({61, 62})
        pwd.getpwnam(held)  # raises if it was removed while held
    finally:
        os.close(fd)
    assert (removed, busy) == ([free], [held])
    names = {a.pw_name for a in sandbox_accounts()}
    assert held in names and free not in names
    assert not (LEASES / "62.lock").exists()
    removed, busy = remove_sandbox_accounts({61, 62})
    assert (removed, busy) == ([held], [])
    assert not {held, free} & {a.pw_name for a in sandbox_accounts()}
    assert not (LEASES / "61.lock").exists()


def test_teardown_removes_every_free_sandbox_account_and_the_leases() -> None:
    """What teardown calls: every sandbox account, then the lease folder (when
    a grading run elsewhere on this machine holds one, that one stays, and so
    does the folder)."""
    ensure_sandbox_user(63)
    removed, busy = remove_sandbox_accounts()
    assert "nps-sandbox-63" in removed
    assert {a.pw_name for a in sandbox_accounts()} == set(busy)
    assert LEASES.exists() == bool(busy)
