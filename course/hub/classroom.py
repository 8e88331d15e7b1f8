"""Setting up, starting and removing a classroom.

A classroom lives in one folder (default ``/srv/nps-course``)::

    classroom.json   who is who, ports, paths (read by jupyterhub_config.py)
    course/          the course folder, owned by the grader account, 0700:
                     gradebook, submissions and the answer key stay private
    exchange/        nbgrader's exchange, with nbgrader's permission model
    config/<role>/   Jupyter configuration per role (trainee, instructor, grader)
    hub/             JupyterHub's database, cookie secret and admin token, 0700
    passwords.csv    passwords made by setup, for the instructor to hand out, 0600
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from course.errors import CourseError
from course.hub import accounts
from course.hub.roles import write_role_configs
from course.hub.roster import Member, read_roster
from course.hub.runtime import DEFAULT_VENV, check_reachable, ensure_runtime
from course.paths import CONFIG_NAME

DEFAULT_BASE = Path("/srv/nps-course")
DEFAULT_GRADER = "nps-grader"
REPO = Path(__file__).resolve().parents[2]
HUB_CONFIG = Path(__file__).resolve().parent / "jupyterhub_config.py"
PROXY = REPO / "classroom" / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_ID = "nps-darkweb-crypto"


@dataclass(frozen=True)
class Classroom:
    """The paths and settings of one classroom folder."""

    base: Path

    @property
    def settings_file(self) -> Path:
        return self.base / "classroom.json"

    @property
    def course(self) -> Path:
        return self.base / "course"

    @property
    def exchange(self) -> Path:
        return self.base / "exchange"

    @property
    def hub(self) -> Path:
        return self.base / "hub"

    @property
    def admin_token_file(self) -> Path:
        return self.hub / "admin-token"

    def settings(self) -> dict:
        """The classroom's settings, as written by setup."""
        if not self.settings_file.is_file():
            raise CourseError(f"no classroom in {self.base}: run `course hub setup ROSTER` first")
        return json.loads(self.settings_file.read_text())

    def admin_token(self) -> str:
        return self.admin_token_file.read_text().strip()


def _copy_course(source_root: Path, target: Path, exchange: Path) -> None:
    """Copy what defines the course into the classroom and point it at the exchange."""
    if target.exists():
        return  # a re-run keeps the gradebook, submissions and key
    target.mkdir(parents=True)
    shutil.copy2(source_root / CONFIG_NAME, target / CONFIG_NAME)
    for name in ("source", "release"):
        shutil.copytree(
            source_root / name, target / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    with open(target / CONFIG_NAME, "a", encoding="utf-8") as f:
        f.write("\n# classroom exchange (written by `course hub setup`)\n")
        f.write(f'c.Exchange.root = "{exchange}"\n')


def setup(
    roster: Path,
    source_root: Path,
    base: Path = DEFAULT_BASE,
    ip: str = "127.0.0.1",
    port: int = 8000,
    grader: str = DEFAULT_GRADER,
    seed: int | None = None,
    venv: Path = DEFAULT_VENV,
) -> dict:
    """Create (or complete) a classroom for the people of ``roster``.

    Returns the settings written to ``classroom.json``. Re-running it adds
    new people and keeps everything already there.
    """
    from course.build import build
    from course.world import DEFAULT_SEED

    accounts.require_root("course hub setup")
    members = read_roster(roster)
    if not PROXY.is_file():
        raise CourseError(
            f"configurable-http-proxy is not installed ({PROXY}): run `make hub-deps`"
        )
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o755)
    check_reachable(base / "classroom.json")
    python_bin = ensure_runtime(source_root, venv)
    room = Classroom(base)

    accounts.ensure_user(grader, "Course grader")
    made: list[Member] = []
    for member in members:
        accounts.ensure_user(member.username, member.full_name)
        password = member.password or accounts.make_password()
        accounts.set_password(member.username, password)
        if not member.password:
            made.append(Member(member.username, member.full_name, member.role, password))
    if made:
        _write_passwords(base / "passwords.csv", made)

    room.exchange.mkdir(exist_ok=True)
    _copy_course(source_root, room.course, room.exchange)
    if not (room.course / "keys").exists():
        build(room.course, seed=seed if seed is not None else DEFAULT_SEED, progress=False)
    _add_students(room.course, [m for m in members if m.role == "trainee"])
    accounts.chown_tree(room.course, grader)
    os.chmod(room.course, 0o700)
    accounts.chown_tree(room.exchange, grader)
    os.chmod(room.exchange, 0o777)

    room.hub.mkdir(exist_ok=True)
    os.chmod(room.hub, 0o700)
    if not room.admin_token_file.exists():
        room.admin_token_file.write_text(secrets.token_hex(32) + "\n")
        os.chmod(room.admin_token_file, 0o600)

    write_role_configs(base / "config", COURSE_ID, room.exchange)

    previous = room.settings() if room.settings_file.exists() else {}
    people = {m.username: {"full_name": m.full_name, "role": m.role} for m in members}
    settings = {
        "course_id": COURSE_ID,
        "ip": ip,
        "port": port,
        "proxy_api_port": port + 1,
        "hub_port": port + 2,
        "formgrader_port": port + 3,
        "grader": grader,
        "people": {**previous.get("people", {}), **people},
        "python_bin": str(python_bin),
        "proxy": str(PROXY),
    }
    room.settings_file.write_text(json.dumps(settings, indent=2, ensure_ascii=False) + "\n")
    return settings


def _write_passwords(path: Path, made: list[Member]) -> None:
    rows = []
    if path.is_file():
        with open(path, newline="", encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r["username"] not in {m.username for m in made}]
    rows += [
        {"username": m.username, "full_name": m.full_name, "password": m.password} for m in made
    ]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["username", "full_name", "password"])
        writer.writeheader()
        writer.writerows(rows)


def _add_students(course: Path, trainees: list[Member]) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for m in trainees:
            first, _, last = m.full_name.partition(" ")
            gb.update_or_create_student(m.username, first_name=first, last_name=last)


def hub_command(room: Classroom) -> list[str]:
    settings = room.settings()
    return [str(Path(settings["python_bin"]) / "jupyterhub"), "-f", str(HUB_CONFIG)]


def hub_env(room: Classroom) -> dict[str, str]:
    env = dict(os.environ, COURSE_CLASSROOM=str(room.base))
    env["PATH"] = os.pathsep.join([room.settings()["python_bin"], env.get("PATH", "")])
    return env


def start(room: Classroom) -> subprocess.Popen[bytes]:
    """Start JupyterHub for the classroom in the background; return the process."""
    accounts.require_root("course hub start")
    return subprocess.Popen(hub_command(room), cwd=room.hub, env=hub_env(room))


def run(room: Classroom) -> int:
    """Run JupyterHub in the foreground until Ctrl-C; it stops the proxy and
    every server it started."""
    process = start(room)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait(timeout=60)


def teardown(room: Classroom) -> None:
    """Remove the classroom: its accounts (with their homes) and its folder."""
    accounts.require_root("course hub teardown")
    settings = room.settings()
    for username in [*settings["people"], settings["grader"]]:
        accounts.remove_user(username)
    shutil.rmtree(room.base)
