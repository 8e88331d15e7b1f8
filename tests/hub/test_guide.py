"""docs/instructor.md, run: every command of the guide, in its order, as root,
on a real classroom hub, with trainees who fetch, work and submit through
their own servers between the instructor's steps.

Only what must differ on a shared test machine is substituted: the folders
(checkout copy, classroom, backups, roster), the port, the loopback address
for `0.0.0.0`, unique account names for the roster's and the grader (setup
is given `--grader` for its default `nps-grader`), and
teardown keeps the shared runtime (`--keep-runtime`; its removal is
tests/hub/test_teardown_runtime.py). Each step's outcome is checked as it
happens; the timings are printed. Needs root (as CI runs).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import signal
import ssl
import subprocess
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from pipeline.submissions import solution_sources
from pipeline.wrong_answers import WRONG_ANSWERS

from course.hub import classroom, ledger
from course.hub.accounts import entry
from hub.classroom_fixture import Hub, as_os_user, free_port_block, login, logs_in, processes_of
from hub.test_classroom import answer_notebooks

pytestmark = [
    pytest.mark.hub,
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"),
        reason="the guide creates OS accounts: it needs root, useradd and runuser",
    ),
]

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "instructor.md"
DAY0 = "day0-orientation"
TASK = ("day0_limits_of_seizure_data", "02-python-for-investigators", 4.0)
SUFFIX = f"{os.getpid() % 100000}"
NAMES = {n: f"{n[:2]}{SUFFIX}" for n in ("ivan", "aigerim", "bakyt", "dana")}
NAMES["nps-grader"] = f"gg{SUFFIX}"
#: what the checkout copy needs: the course and what `make` and `setup` read
PIN_FILES = ("requirements.in", "constraints.txt")
CHECKOUT = ["Makefile", "pyproject.toml", "nbgrader_config.py", "requirements", "source",
            "course", "classroom"]  # fmt: skip


def guide() -> tuple[list[str], str]:
    """The guide's command lines in order, and its roster."""
    text = GUIDE.read_text()
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        commands += [line.strip() for line in block.splitlines() if line.strip()]
    roster = re.search(r"```csv\n(.*?)```", text, flags=re.S).group(1)
    return commands, roster


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def unverified() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the guide's self-signed certificate
    return context


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5, context=unverified()) as resp:
            return resp.status == 200
    except OSError:
        return False


class Guide:
    """Runs the guide's lines, keeps the shell's state (cwd, PATH) and what
    happened, and plays the trainees between the instructor's steps."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.checkout = folder / "nps-course-src"
        self.base = folder / "nps-course"
        self.backups = folder / "backups"
        self.port = free_port_block()
        self.cwd = Path("/")
        self.env = {k: v for k, v in os.environ.items() if k != "SUDO_USER"}
        self.hub_process: subprocess.Popen | None = None
        self.passwords: dict[str, str] = {}
        self.times: list[tuple[str, float]] = []
        self.out: dict[str, subprocess.CompletedProcess[str]] = {}
        self.room = classroom.Classroom(self.base)

    def substitute(self, line: str) -> str:
        for old, new in (
            ("/opt/nps-course-src", str(self.checkout)),
            ("/srv/nps-course", str(self.base)),
            ("/var/backups/nps-course", str(self.backups)),
            ("/root/roster.csv", str(self.folder / "roster.csv")),
            ("/root/grades-cohort-2027.csv", str(self.folder / "grades.csv")),
            ("/etc/nps-course", str(self.folder / "etc")),
            ("--ip 0.0.0.0", "--ip 127.0.0.1"),
            ("--port 8000", f"--port {self.port}"),
        ):
            line = line.replace(old, new)
        for name, unique in NAMES.items():
            line = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", unique, line)
        if " hub setup " in line:  # the guide's setup makes the default grader account
            line += f" --grader {NAMES['nps-grader']}"
        if " hub teardown " in line:
            line += f" --keep-runtime --archive {self.backups}"
        return line

    @property
    def hub(self) -> Hub:
        return Hub(room=self.room, url=f"http://127.0.0.1:{self.port}")

    def run(self, line: str) -> subprocess.CompletedProcess[str] | None:
        argv = shlex.split(self.substitute(line))
        if argv[0] == "cd":
            self.cwd = Path(argv[1])
            return None
        if argv[0] == "export":
            name, value = argv[1].split("=", 1)
            self.env[name] = value.replace(f"${name}", self.env.get(name, ""))
            return None
        if argv[:3] == ["course", "hub", "start"]:
            self.start(argv)
            return None
        proc = subprocess.run(
            argv, cwd=self.cwd, env=self.env, capture_output=True, text=True, timeout=1800
        )
        assert proc.returncode == 0, f"{line}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        return proc

    def start(self, argv: list[str]) -> None:
        exe = shutil.which(argv[0], path=self.env["PATH"])
        log = open(self.folder / "hub.log", "a")  # noqa: SIM115 (the hub's lifetime)
        self.hub_process = subprocess.Popen(
            [exe, *argv[1:]], cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        url = classroom.address(self.room.settings()).replace("0.0.0.0", "127.0.0.1")
        deadline = time.monotonic() + 90
        while not answers(f"{url}hub/api/"):
            assert self.hub_process.poll() is None, (self.folder / "hub.log").read_text()
            assert time.monotonic() < deadline, "the hub did not start"
            time.sleep(0.5)

    # -- the trainees' side ------------------------------------------------

    def trainee_action(self, user: str, action: str) -> dict:
        status, body = self.hub.as_user(
            user,
            "POST",
            f"/assignments/{action}",
            {"course_id": self.room.settings()["course_id"], "assignment_id": DAY0},
            form=True,
        )
        assert status == 200 and json.loads(body)["success"], body
        return json.loads(body)

    def trainees_work_and_submit(self) -> None:
        solutions = solution_sources(self.base / "course" / "source" / DAY0)
        wrong = dict(solutions)
        wrong["day0_cities_answer"] = WRONG_ANSWERS["day0_cities"][0]
        for user, answers_ in ((NAMES["aigerim"], solutions), (NAMES["bakyt"], wrong)):
            self.hub.start_server(user)
            self.trainee_action(user, "fetch")
            answer_notebooks(self.hub, user, answers_)
            self.trainee_action(user, "submit")

    def mark_task(self, user: str, score: float) -> None:
        """Give the manual task a mark, as the Formgrader does (as the grader account)."""
        code = (
            "from nbgrader.api import Gradebook\n"
            "with Gradebook('sqlite:///gradebook.db') as gb:\n"
            f"    g = gb.find_grade({TASK[0]!r}, {TASK[1]!r}, {DAY0!r}, {user!r})\n"
            f"    g.manual_score = {score}\n"
            "    gb.db.commit()\n"
        )
        run = as_os_user(NAMES["nps-grader"], "python", "-c", code, cwd=self.base / "course")
        assert run.returncode == 0, run.stderr

    def feedback_page(self, user: str, fetched: bool) -> str:
        if fetched:
            pages = (Path("/home") / user / DAY0 / "feedback").glob(f"*/{TASK[1]}.html")
        else:
            pages = (self.base / "course" / "feedback" / user / DAY0).glob(f"{TASK[1]}.html")
        found = sorted(pages)
        assert found, f"no feedback page of {user}"
        return found[-1].read_text()


def test_the_instructor_guide_runs_in_order() -> None:
    commands, roster = guide()
    folder = Path(tempfile.mkdtemp(prefix="nps-guide-", dir="/tmp"))
    os.chmod(folder, 0o755)
    g = Guide(folder)
    try:
        (g.folder / "roster.csv").write_text(g.substitute(roster))
        g.checkout.mkdir()
        for name in CHECKOUT:
            source = REPO / name
            if source.is_dir():
                shutil.copytree(source, g.checkout / name, symlinks=True)
            else:
                shutil.copy2(source, g.checkout / name)
        # the copy shares the repository's installed .venv (through a link): what
        # `make install` reads is dated before its stamp, so that the guide's
        # `make install` finds it installed and never reinstalls the shared one
        (g.checkout / ".venv").symlink_to(REPO / ".venv")
        installed = (REPO / ".venv" / ".installed").stat().st_mtime
        for name in ("pyproject.toml", *(f"requirements/{n}" for n in PIN_FILES)):
            os.utime(g.checkout / name, (installed - 1, installed - 1))
        make_q = subprocess.run(["make", "-q", "install", "hub-deps"], cwd=g.checkout)
        assert make_q.returncode == 0, "make would install again: the guide would change .venv"
        trainees = [NAMES["aigerim"], NAMES["bakyt"]]
        setups = 0
        for line in commands:
            t0 = time.monotonic()
            before_servers = None
            if " hub setup " in line and setups == 1:  # adding a trainee mid-course
                with open(g.folder / "roster.csv", "a") as f:
                    f.write(f"{NAMES['dana']},Dana Late,trainee,\n")
                before_servers = {p.pid for p in processes_of([NAMES["aigerim"]])}
                assert before_servers, "aigerim's server should be running"
            if line.startswith("rm "):
                assert Path(shlex.split(g.substitute(line))[1]).is_file()
            if line.startswith("mv "):
                gradebook = (g.base / "course" / "gradebook.db").read_bytes()
            proc = g.run(line)
            g.times.append((line[:70], time.monotonic() - t0))
            out = proc.stdout + proc.stderr if proc else ""
            # -- what each step must have done
            if line.startswith("cat ") and "passwords.csv" in line:
                rows = [r.split(",") for r in out.splitlines()[1:]]
                g.passwords = {r[0]: r[-1] for r in rows}
                assert set(g.passwords) == {NAMES["ivan"], *trainees}
            elif " hub setup " in line:
                setups += 1
                settings = g.room.settings()
                assert (settings["ip"], settings["port"]) == ("127.0.0.1", g.port)
                assert settings["seed"] == 2027 and "seed 2027" in out, out
                if before_servers is not None:
                    assert f"admitted {NAMES['dana']}" in out, out
                    new = {r["username"]: r["password"] for r in read_csv(g.base / "passwords.csv")}
                    assert login(g.hub.url, NAMES["dana"], new[NAMES["dana"]]) == 302
                    assert {p.pid for p in processes_of([NAMES["aigerim"]])} == before_servers
                    for user in trainees:
                        assert logs_in(user, g.passwords[user]), f"{user} lost their password"
                if "--ssl-cert" in line:
                    assert settings["ssl_cert"].endswith("tls.crt")
            elif "release_assignment" in line:
                g.trainees_work_and_submit()
            elif "list --inbound" in line:
                for user in trainees:
                    assert user in out, out
            elif " grade " in line and "--jobs" in line:
                assert "Grading: sandboxed" in out, out
                for user in trainees:
                    assert user in out
                    assert "not graded yet" in g.feedback_page(user, fetched=False)
                g.mark_task(NAMES["aigerim"], TASK[2])
            elif " feedback " in line:
                assert "not graded yet" not in g.feedback_page(NAMES["aigerim"], fetched=False)
                assert "not graded yet" in g.feedback_page(NAMES["bakyt"], fetched=False)
            elif "release_feedback" in line:
                for user in trainees:
                    g.trainee_action(user, "fetch_feedback")
                page = g.feedback_page(NAMES["aigerim"], fetched=True)
                assert "not graded yet" not in page
                mark = rf'href="#{TASK[0]}">[^<]*</a> \(\w+: 4\.0 / 4\.0\)'
                assert re.search(mark, page), "the manual mark is not in the feedback"
            elif " hub password " in line:
                new = re.search(r": (\S+) \(also in", out).group(1)
                assert logs_in(NAMES["aigerim"], new)
                assert not logs_in(NAMES["aigerim"], g.passwords[NAMES["aigerim"]])
                assert logs_in(NAMES["bakyt"], g.passwords[NAMES["bakyt"]])
            elif line.startswith("rm "):
                state = Path(shlex.split(g.substitute(line))[1])
            elif " grade " in line:
                assert NAMES["bakyt"] in out and state.is_file(), out
            elif line.startswith("cp ") and "grades.csv" in line:
                rows = read_csv(g.folder / "grades.csv")
                assert {r["student_id"] for r in rows} >= set(trainees), rows
                assert {r["assignment"] for r in rows} == {DAY0}, rows
            elif line.startswith("tar czf") and "homes" in line:
                with tarfile.open(g.backups / "homes-day0.tar.gz") as tar:
                    names = tar.getnames()
                assert any(n.startswith(f"{NAMES['aigerim']}/{DAY0}/") for n in names), names
            elif " hub stop " in line:
                assert "stopped the classroom's hub" in out
                assert classroom.hub_pid(g.room) is None and not classroom.leftovers(g.room)
                g.hub_process.wait(timeout=60)  # `course hub start` ended with its hub
            elif line.startswith("tar xzf"):
                restored = g.base / "course" / "gradebook.db"
                assert restored.read_bytes() == gradebook
                assert restored.stat().st_uid == entry(NAMES["nps-grader"]).pw_uid
            elif " hub teardown " in line:
                assert "stopped the classroom's hub" in out, out
                saved = Path(re.search(r"^saved .* to (\S+)$", out, re.M).group(1))
                assert (saved / "grades.csv").is_file() and (saved / "backups").is_dir()
                g.hub_process.wait(timeout=60)
        assert setups == 3 and not g.base.exists()
        for name in NAMES.values():
            assert entry(name) is None, f"{name} survived the teardown"
            assert name not in ledger.read()
        assert not processes_of(list(NAMES.values()))
        assert classroom.address({"ip": "127.0.0.1", "port": g.port, "ssl_cert": "x"}).startswith(
            "https://"
        )
    finally:
        total = sum(t for _, t in g.times)
        print(f"\nthe guide's {len(g.times)} commands ({total:.0f} s):")
        for line, seconds in g.times:
            print(f"  {seconds:6.1f} s  {line}")
        if g.hub_process is not None and g.hub_process.poll() is None:
            g.hub_process.send_signal(signal.SIGINT)
            g.hub_process.wait(timeout=120)
        if g.room.settings_file.exists():
            classroom.teardown(g.room, archive=g.backups)
        shutil.rmtree(folder, ignore_errors=True)
