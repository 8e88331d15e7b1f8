"""A classroom hub at work, through the `course hub` commands as root runs them.

`course hub setup` on a non-default address and port, `course hub start` in
its own process, a trainee's server running; then `setup` again with one
more trainee and no --ip/--port: the address, port and passwords stay, the
running hub admits the new trainee at once (they log in through the login
page) and the first trainee's server is the same process. SIGTERM to
`course hub start` leaves no hub, proxy or server of the classroom and no
open port. Nothing the classroom runs points into the checkout. Teardown
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
        t0 = time.monotonic()
        setup = course(
            "hub", "setup", str(write_roster(folder / "roster.csv", first_rows)),
            "--base", str(base), "--ip", IP, "--port", str(port), "--grader", GRADER,
        )  # fmt: skip
        assert setup.returncode == 0, setup.stderr
        facts["times"]["setup"] = time.monotonic() - t0
        facts["first_passwords"] = passwords(base)
        with open(log, "w") as out:
            hub = subprocess.Popen(
                [sys.executable, "-m", "course.cli", "hub", "start", "--base", str(base)],
                cwd="/",
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for(lambda: answers(f"{url}/hub/api/"), 90, f"no hub at {url}:\n{log.read_text()}")
        facts["hub_process"] = hub
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
        t0 = time.monotonic()
        again = course(
            "hub", "setup", str(write_roster(folder / "roster.csv", [*first_rows,
                (LATER, "Bakyt B", "trainee")])),
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
    for key in ("python_bin", "proxy"):
        assert not Path(settings[key]).resolve().is_relative_to(REPO), settings[key]
    assert (story["base"] / "hub" / "jupyterhub_config.py").is_file() or not story["base"].exists()
    assert story["hub_cmdlines"], "the hub started no process"
    for cmdline in story["hub_cmdlines"]:
        assert str(REPO) not in cmdline, cmdline


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
