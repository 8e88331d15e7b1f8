"""A classroom hub at work, through the `course hub` commands as root runs them.

`course hub setup` on a non-default address and port, `course hub start` in
its own process, a trainee's server running; then `setup` again with one
more trainee and no --ip/--port: the address, port and passwords stay, the
running hub admits the new trainee at once (they log in through the login
page) and the first trainee's server is the same process. SIGTERM to
`course hub start` leaves no hub, proxy or server of the classroom and no
open port. Nothing the classroom runs points into the checkout. The
Formgrader and the gradebook offer exactly the days that have notebooks
(data-only days are left out). Setup again with the same course keeps the
runtime as it is (nothing installed); setup from a checkout whose `course`
package changed builds a new runtime beside it and switches `current` to it
under the running hub: the hub, the Formgrader and the first trainee's
server go on working (on the runtime they started with) and a server
started afterwards runs the new one. Teardown
(`--keep-runtime`) copies the grades, report and backups out first, says
where, and removes the classroom and its accounts. Needs root (as CI runs).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from course.hub import classroom, ledger
from course.hub.accounts import entry
from hub.classroom_fixture import free_port_block, login, logs_in, processes_of

pytestmark = [
    pytest.mark.hub,
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("useradd"),
        reason="the classroom creates OS accounts: it needs root and useradd",
    ),
]

REPO = Path(__file__).resolve().parents[2]
SUFFIX = f"{os.getpid() % 100000}"
INSTRUCTOR, FIRST, LATER, GRADER = (f"ri{SUFFIX}", f"ra{SUFFIX}", f"rb{SUFFIX}", f"rg{SUFFIX}")
IP = "127.0.0.3"  # a loopback address that is not the default one
#: what a copy of the checkout needs for `course hub setup`
CHECKOUT = ["pyproject.toml", "nbgrader_config.py", "requirements", "source", "release", "course",
            "classroom"]  # fmt: skip
CHANGE = "# a change of the course package (tests/hub/test_running_hub.py)\n"


def course(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SUDO_USER"}
    return subprocess.run(
        [sys.executable, "-m", "course.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def write_roster(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text("username,full_name,role\n" + "".join(",".join(r) + "\n" for r in rows))
    return path


def passwords(base: Path) -> dict[str, str]:
    with open(base / "passwords.csv", newline="", encoding="utf-8") as f:
        return {row["username"]: row["password"] for row in csv.DictReader(f)}


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status == 200
    except OSError:
        return False


def listening(ip: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex((ip, port)) == 0


def admin(room: classroom.Classroom, method: str, path: str) -> dict:
    status, body = classroom._api(room, method, path)
    assert status in (200, 201, 202), body
    return json.loads(body) if body else {}


def days_with_notebooks(root: Path) -> set[str]:
    """The assignment folders of ``root/source`` that hold a notebook."""
    return {
        d.name
        for d in (root / "source").iterdir()
        if d.is_dir() and d.name.startswith("day") and any(d.glob("*.ipynb"))
    }


def formgrader_assignments(room: classroom.Classroom, url: str, user: str) -> list[str]:
    """The assignments the Formgrader lists to ``user`` (its REST API, through the proxy)."""
    status, body = classroom._api(room, "POST", f"/users/{user}/tokens", {"note": "formgrader"})
    assert status in (200, 201), body
    token = json.loads(body)["token"]
    request = urllib.request.Request(
        f"{url}/services/formgrader/formgrader/api/assignments",
        headers={"Authorization": f"token {token}"},
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                return sorted(a["name"] for a in json.loads(resp.read()))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def server_answers(room: classroom.Classroom, url: str, user: str) -> bool:
    """The user's running server answers its API through the proxy."""
    request = urllib.request.Request(
        f"{url}/user/{user}/api/status", headers={"Authorization": f"token {room.admin_token()}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status == 200
    except OSError:
        return False


def interpreters(users: list[str]) -> set[str]:
    """The runtime folders the users' Python processes run from (their
    interpreter, as their ``#!`` line names it)."""
    found = set()
    for proc in processes_of(users):
        argv = proc.cmdline()
        if argv and "/runtimes/" in argv[0]:
            found.add(str(Path(argv[0]).parent.parent))
    return found


def copy_checkout(target: Path, changed: bool) -> Path:
    """A copy of the course checkout as it is now (others may edit the
    repository meanwhile), with its `course` package changed by one comment
    when ``changed``."""
    target.mkdir()
    for name in CHECKOUT:
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name,
                target / name,
                symlinks=True,
                ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"),
            )
        else:
            shutil.copy2(REPO / name, target / name)
    if changed:
        with open(target / "course" / "hub" / "__init__.py", "a") as f:
            f.write(CHANGE)
    return target


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(what)


@pytest.fixture(scope="module")
def story():
    folder = Path(tempfile.mkdtemp(prefix="nps-running-", dir="/tmp"))
    os.chmod(folder, 0o755)
    base, archive = folder / "classroom", folder / "archive"
    port = free_port_block()
    url = f"http://{IP}:{port}"
    first_rows = [(INSTRUCTOR, "Ivan Instructor", "instructor"), (FIRST, "Aigerim A", "trainee")]
    facts: dict = {"base": base, "port": port, "url": url, "archive": archive, "times": {}}
    hub = None
    log = folder / "hub.log"
    room = classroom.Classroom(base)
    try:
        checkout = copy_checkout(folder / "checkout", changed=False)
        facts["days"] = days_with_notebooks(checkout)
        facts["checkouts"] = [REPO, checkout, folder / "changed"]
        t0 = time.monotonic()
        setup = course(
            "--root", str(checkout), "hub", "setup",
            str(write_roster(folder / "roster.csv", first_rows)),
            "--base", str(base), "--ip", IP, "--port", str(port), "--grader", GRADER,
        )  # fmt: skip
        assert setup.returncode == 0, setup.stderr
        facts["times"]["setup"] = time.monotonic() - t0
        facts["first_passwords"] = passwords(base)
        link = Path(room.settings()["python_bin"]).parent
        facts["runtime"] = link.resolve()
        facts["runtime_stamp"] = (link / ".course-runtime").stat().st_mtime_ns
        with open(log, "w") as out:
            hub = subprocess.Popen(
                [sys.executable, "-m", "course.cli", "hub", "start", "--base", str(base)],
                cwd="/",
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: answers(f"{url}/hub/api/"), 90, f"no hub at {url}:\n{log.read_text()}")
        facts["hub_process"] = hub
        facts["jupyterhub"] = classroom.hub_pid(room)
        facts["hub_cmdlines"] = [
            " ".join(p.cmdline()) for p in psutil.Process(hub.pid).children(recursive=True)
        ]
        admin(room, "POST", f"/users/{FIRST}/server")
        wait_for(
            lambda: (admin(room, "GET", f"/users/{FIRST}")["servers"].get("") or {}).get("ready"),
            120,
            "the first trainee's server did not start",
        )
        facts["server_before"] = {p.pid for p in processes_of([FIRST])}
        facts["formgrader"] = formgrader_assignments(room, url, INSTRUCTOR)
        facts["source_days"] = {d.name for d in (room.course / "source").iterdir() if d.is_dir()}
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{room.course / 'gradebook.db'}") as gb:
            facts["gradebook_days"] = {a.name for a in gb.assignments}
        t0 = time.monotonic()
        again = course(
            "--root", str(checkout), "hub", "setup",
            str(write_roster(folder / "roster.csv", [*first_rows, (LATER, "Bakyt B", "trainee")])),
            "--base", str(base), "--grader", GRADER,
        )  # fmt: skip
        facts["times"]["setup again"] = time.monotonic() - t0
        facts["again"] = again
        assert again.returncode == 0, again.stderr
        facts["settings_after"] = room.settings()
        facts["second_passwords"] = passwords(base)
        facts["later_login"] = login(url, LATER, facts["second_passwords"][LATER])
        facts["first_login"] = login(url, FIRST, facts["first_passwords"][FIRST])
        facts["pam"] = {u: logs_in(u, p) for u, p in facts["first_passwords"].items()}
        facts["pam_wrong"] = logs_in(FIRST, "not-the-password")
        facts["server_after"] = {p.pid for p in processes_of([FIRST])}
        facts["first_ready"] = admin(room, "GET", f"/users/{FIRST}")["servers"][""]["ready"]
        facts["runtime_again"] = link.resolve()
        facts["runtime_stamp_again"] = (link / ".course-runtime").stat().st_mtime_ns
        # the course package changed: a new runtime under the running hub
        changed = copy_checkout(folder / "changed", changed=True)
        t0 = time.monotonic()
        facts["changed"] = course(
            "--root", str(changed), "hub", "setup", str(folder / "roster.csv"),
            "--base", str(base), "--grader", GRADER,
        )  # fmt: skip
        facts["times"]["setup, changed course"] = time.monotonic() - t0
        assert facts["changed"].returncode == 0, facts["changed"].stderr
        facts["runtime_changed"] = link.resolve()
        facts["previous"] = (link.parent / "previous").resolve()
        facts["hub_same"] = classroom.hub_pid(room) == facts["jupyterhub"] and answers(
            f"{url}/hub/api/"
        )
        facts["first_answers"] = server_answers(room, url, FIRST)
        facts["first_same"] = {p.pid for p in processes_of([FIRST])} == facts["server_before"]
        facts["formgrader_after"] = formgrader_assignments(room, url, INSTRUCTOR)
        admin(room, "POST", f"/users/{LATER}/server")
        wait_for(
            lambda: (admin(room, "GET", f"/users/{LATER}")["servers"].get("") or {}).get("ready"),
            120,
            "a server started after the switch did not start",
        )
        facts["later_answers"] = server_answers(room, url, LATER)
        facts["runs_from"] = {
            "hub": {str(Path(psutil.Process(facts["jupyterhub"]).cmdline()[0]).parents[1])},
            "formgrader": interpreters([GRADER]),
            "first": interpreters([FIRST]),
            "later": interpreters([LATER]),
        }
        facts["from_course_folder"] = course(
            "--root", str(base / "course"), "hub", "setup", str(folder / "roster.csv"),
            "--base", str(base), "--grader", GRADER,
        )  # fmt: skip
        facts["reset"] = course("hub", "password", LATER, "--base", str(base))
        facts["after_reset"] = passwords(base)
        facts["reset_pam"] = {
            "new": logs_in(LATER, facts["after_reset"][LATER]),
            "old": logs_in(LATER, facts["second_passwords"][LATER]),
            "first": logs_in(FIRST, facts["first_passwords"][FIRST]),
        }
        facts["running"] = [" ".join(p.cmdline()) for p in classroom.leftovers(room)]
        # SIGTERM to `course hub start`, as `kill` or systemd sends it
        t0 = time.monotonic()
        hub.send_signal(signal.SIGTERM)
        hub.wait(timeout=120)
        facts["times"]["stop"] = time.monotonic() - t0
        facts["left"] = [
            " ".join(p.cmdline()) for p in processes_of([INSTRUCTOR, FIRST, LATER, GRADER])
        ] + [" ".join(p.cmdline()) for p in classroom.leftovers(room)]
        facts["hub_left"] = classroom.hub_pid(room)
        facts["ports_open"] = [
            p for p in (port, port + 1, port + 2, port + 3) if listening(IP, p)
            or listening("127.0.0.1", p)
        ]  # fmt: skip
        # what a grading run leaves in the course folder, to be kept by teardown
        (room.course / "grades.csv").write_text("student_id,assignment,score\nra,day0,90\n")
        (room.course / "grading-report.txt").write_text("report\n")
        (room.course / "backups").mkdir(exist_ok=True)
        (room.course / "backups" / "gradebook-1.db").write_bytes(b"gradebook copy")
        facts["gradebook"] = (room.course / "gradebook.db").read_bytes()
        t0 = time.monotonic()
        facts["teardown_refused"] = course("hub", "teardown", "--base", str(base))
        facts["teardown"] = course(
            "hub", "teardown", "--base", str(base), "--yes", "--keep-runtime",
            "--archive", str(archive),
        )  # fmt: skip
        facts["times"]["teardown"] = time.monotonic() - t0
        print("timings (s):", {k: round(v, 1) for k, v in facts["times"].items()})
        yield facts
    finally:
        if hub is not None and hub.poll() is None:
            hub.send_signal(signal.SIGINT)
            hub.wait(timeout=120)
        if room.settings_file.exists():
            classroom.teardown(room, archive=archive)
        shutil.rmtree(folder, ignore_errors=True)


def test_the_formgrader_offers_only_the_days_with_notebooks(story) -> None:
    days = story["days"]
    assert "day0-orientation" in days
    assert story["formgrader"] == sorted(days), "a day without notebooks is offered"
    assert story["source_days"] == days
    assert story["gradebook_days"] == days
    assert story["formgrader_after"] == sorted(days)


def test_setup_again_with_the_same_course_keeps_the_runtime(story) -> None:
    runtime = story["runtime"]
    assert runtime.parent.name == "runtimes" and (runtime / "bin" / "python").exists()
    assert story["runtime_again"] == runtime
    assert story["runtime_stamp_again"] == story["runtime_stamp"], "the runtime was reinstalled"


def test_a_changed_course_gets_a_new_runtime_beside_the_running_one(story) -> None:
    old, new = story["runtime"], story["runtime_changed"]
    assert new != old and new.parent == old.parent
    assert story["previous"] == old
    installed = next(new.glob("lib/python3*/site-packages/course/hub/__init__.py")).read_text()
    assert installed.endswith(CHANGE)
    assert not next(old.glob("lib/python3*/site-packages/course/hub/__init__.py")).read_text(
    ).endswith(CHANGE)  # fmt: skip


def test_the_running_hub_keeps_working_across_the_switch(story) -> None:
    old, new = str(story["runtime"]), str(story["runtime_changed"])
    assert story["hub_same"], "the hub stopped or stopped answering"
    assert story["first_same"] and story["first_answers"], "the first trainee's server broke"
    assert story["formgrader_after"], "the Formgrader stopped answering"
    assert story["later_answers"]
    # what started before the switch runs the runtime it started with; after it, the new one
    expected = {"hub": {old}, "formgrader": {old}, "first": {old}, "later": {new}}
    assert story["runs_from"] == expected, story["runs_from"]


def test_setup_again_keeps_the_address_and_port(story) -> None:
    settings = story["settings_after"]
    assert (settings["ip"], settings["port"]) == (IP, story["port"])
    assert f"http://{IP}:{story['port']}/" in story["again"].stdout


def test_setup_again_keeps_every_password(story) -> None:
    for user, password in story["first_passwords"].items():
        assert story["second_passwords"][user] == password
    assert story["pam"] == {INSTRUCTOR: True, FIRST: True}
    assert story["pam_wrong"] is False
    assert story["first_login"] == 302


def test_the_running_hub_admits_the_new_trainee_at_once(story) -> None:
    assert f"admitted {LATER}" in story["again"].stdout
    assert story["later_login"] == 302, "the new trainee could not log in without a restart"


def test_nobody_s_server_stopped_while_adding(story) -> None:
    assert story["server_before"], "the first trainee's server was not running"
    assert story["server_after"] == story["server_before"]
    assert story["first_ready"]


def test_the_classroom_does_not_point_into_the_checkout(story) -> None:
    settings = story["settings_after"]
    for checkout in story["checkouts"]:
        for key in ("python_bin", "proxy"):
            assert not Path(settings[key]).resolve().is_relative_to(checkout), settings[key]
        assert story["hub_cmdlines"], "the hub started no process"
        for cmdline in story["hub_cmdlines"]:
            assert str(checkout) not in cmdline, cmdline
    assert (story["base"] / "hub" / "jupyterhub_config.py").is_file() or not story["base"].exists()


def test_sigterm_leaves_no_process_or_port(story) -> None:
    running = story["running"]  # what the check below looks for, while the hub ran
    assert any("configurable-http-proxy" in c for c in running), running
    assert any("jupyterhub-singleuser" in c for c in running), running
    assert story["hub_process"].returncode == 0
    assert story["left"] == []
    assert story["hub_left"] is None
    assert story["ports_open"] == []


def test_teardown_needs_yes_and_keeps_the_results(story) -> None:
    refused = story["teardown_refused"]
    assert refused.returncode == 2 and "add --yes" in refused.stderr
    done = story["teardown"]
    assert done.returncode == 0, done.stderr
    saved = [line for line in done.stdout.splitlines() if line.startswith("saved ")]
    assert len(saved) == 1, done.stdout
    target = Path(saved[0].rsplit(" to ", 1)[1])
    assert target.parent == story["archive"]
    assert (target / "grades.csv").read_text().startswith("student_id,assignment,score")
    assert (target / "grading-report.txt").read_text() == "report\n"
    assert (target / "backups" / "gradebook-1.db").read_bytes() == b"gradebook copy"
    assert (target / "gradebook.db").read_bytes() == story["gradebook"]
    assert target.stat().st_mode & 0o077 == 0, "the saved grades must be root's only"


def test_teardown_removes_the_classroom_and_its_accounts(story) -> None:
    out = story["teardown"].stdout
    assert "the hub was not running" in out
    assert f"removed {story['base']}" in out
    for user in (INSTRUCTOR, FIRST, LATER, GRADER):
        assert user in out
        assert entry(user) is None, f"{user} is still there"
        assert user not in ledger.read()
    assert not story["base"].exists()
    assert classroom.DEFAULT_VENV.exists(), "--keep-runtime removed the runtime"


def test_one_password_is_reset_and_the_others_stay(story) -> None:
    reset = story["reset"]
    assert reset.returncode == 0, reset.stderr
    new = story["after_reset"][LATER]
    assert new in reset.stdout and new != story["second_passwords"][LATER]
    assert story["reset_pam"] == {"new": True, "old": False, "first": True}
    others = {u: p for u, p in story["after_reset"].items() if u != LATER}
    assert others == story["first_passwords"]


def test_setup_refuses_a_classroom_s_course_folder_as_the_course(story) -> None:
    refused = story["from_course_folder"]
    assert refused.returncode == 2
    assert "is a classroom's course folder" in refused.stderr
