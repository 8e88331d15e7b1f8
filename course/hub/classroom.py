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
import logging
import os
import secrets
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from course.errors import CourseError
from course.hub import accounts, ledger
from course.hub.passwords import make_password
from course.hub.roles import write_role_configs
from course.hub.roster import Member, read_roster
from course.hub.runtime import DEFAULT_VENV, check_reachable, ensure_runtime
from course.i18n import check_language
from course.i18n.lab import write_locale_config
from course.paths import CONFIG_NAME

DEFAULT_BASE = Path("/srv/nps-course")
DEFAULT_GRADER = "nps-grader"
REPO = Path(__file__).resolve().parents[2]
HUB_CONFIG = Path(__file__).resolve().parent / "jupyterhub_config.py"
PROXY = REPO / "classroom" / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_ID = "nps-darkweb-crypto"

log = logging.getLogger(__name__)


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


def _copy_tree(source_root: Path, target: Path, name: str) -> None:
    shutil.copytree(
        source_root / name, target / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )


def _copy_course(source_root: Path, target: Path, exchange: Path) -> bool:
    """Copy what defines the course into the classroom and point it at the exchange.

    Returns False (and copies nothing) when the classroom already has its
    course folder: a re-run keeps the gradebook, submissions and key.
    """
    if target.exists():
        return False
    target.mkdir(parents=True)
    shutil.copy2(source_root / CONFIG_NAME, target / CONFIG_NAME)
    for name in ("source", "release"):
        _copy_tree(source_root, target, name)
    with open(target / CONFIG_NAME, "a", encoding="utf-8") as f:
        f.write("\n# classroom exchange (written by `course hub setup`)\n")
        f.write(f'c.Exchange.root = "{exchange}"\n')
    return True


def _refresh_course(source_root: Path, target: Path) -> None:
    """Replace the classroom's ``source/`` and ``release/`` with the course's
    current ones (gradebook, submissions, feedback and key stay)."""
    for name in ("source", "release"):
        fresh = target / f".{name}.new"
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(
            source_root / name, fresh, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
        old = target / f".{name}.old"
        shutil.rmtree(old, ignore_errors=True)
        (target / name).rename(old)
        fresh.rename(target / name)
        shutil.rmtree(old)
    log.info("refreshed source/ and release/ of %s from %s", target, source_root)


def check_accounts(
    members: list[Member], grader: str, base: Path, records: dict[str, ledger.Record]
) -> None:
    """Refuse, before anything is changed, every name the course may not use.

    Raises
    ------
    CourseError
        Naming the roster row (or the grader option) and why.
    """
    reason = accounts.refusal(grader, base, records)
    if reason:
        raise CourseError(f"grader account: {reason}; choose another grader name")
    for member in members:
        if member.username == grader:
            raise CourseError(f"{member.row}: '{grader}' is the classroom's grader account")
        reason = accounts.refusal(member.username, base, records)
        if reason:
            raise CourseError(
                f"{member.row}: {reason}; the course manages only accounts it creates, "
                "choose another user name"
            )


def _check_base(base: Path) -> None:
    """The classroom folder must be new, empty or an earlier classroom."""
    if base.is_symlink() or (base.exists() and not base.is_dir()):
        raise CourseError(f"{base} is not a folder: choose another classroom folder (--base)")
    if base.is_dir() and any(base.iterdir()) and not (base / "classroom.json").is_file():
        raise CourseError(
            f"{base} holds other files and no classroom: choose a new or empty folder (--base)"
        )


def setup(
    roster: Path,
    source_root: Path,
    base: Path = DEFAULT_BASE,
    ip: str = "127.0.0.1",
    port: int = 8000,
    grader: str = DEFAULT_GRADER,
    seed: int | None = None,
    venv: Path = DEFAULT_VENV,
    refresh: bool = False,
    lang: str | None = None,
) -> dict:
    """Create (or complete) a classroom for the people of ``roster``.

    Returns the settings written to ``classroom.json``. Re-running it adds
    the new people and keeps everything already there: accounts, passwords,
    gradebook, submissions, key. With ``refresh`` it also replaces the
    classroom's ``source/`` and ``release/`` with the course's current ones
    and rebuilds them with the classroom's seed.

    Nothing is changed when the roster names an account the course did not
    create (see :func:`check_accounts`).
    """
    from course.build import build
    from course.world import DEFAULT_SEED

    accounts.require_root("course hub setup")
    base = Path(os.path.abspath(base))
    members = read_roster(roster)
    check_accounts(members, grader, base, ledger.read())
    _check_base(base)
    room = Classroom(base)
    previous = room.settings() if room.settings_file.exists() else {}
    if previous and previous.get("grader", grader) != grader:
        raise CourseError(f"the classroom in {base} has the grader {previous['grader']}")
    if "seed" in previous and seed is not None and seed != previous["seed"] and not refresh:
        raise CourseError(
            f"the classroom in {base} was built with seed {previous['seed']}: "
            "add --refresh to rebuild it with another seed"
        )
    world_seed = seed if seed is not None else previous.get("seed", DEFAULT_SEED)
    if "lang" in previous and lang is not None and lang != previous["lang"] and not refresh:
        raise CourseError(
            f"the classroom in {base} was built in '{previous['lang']}': "
            "add --refresh to rebuild it in another language"
        )
    cohort_lang = check_language(lang or previous.get("lang", "en"))
    if not PROXY.is_file():
        raise CourseError(
            f"configurable-http-proxy is not installed ({PROXY}): run `make hub-deps`"
        )
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o755)
    check_reachable(base / "classroom.json")
    python_bin = ensure_runtime(source_root, venv)

    if not accounts.managed(grader, base):
        accounts.create_user(grader, "Course grader", base)
    made: list[Member] = []
    for member in members:
        if accounts.managed(member.username, base):
            log.info("kept the account %s and its password", member.username)
            continue
        accounts.create_user(member.username, member.full_name, base)
        password = member.password or make_password()
        accounts.set_password(member.username, password, base)
        if not member.password:
            made.append(Member(member.username, member.full_name, member.role, password))
    if made:
        _write_passwords(base / "passwords.csv", made)

    room.exchange.mkdir(exist_ok=True)
    fresh = _copy_course(source_root, room.course, room.exchange)
    if refresh and not fresh:
        _refresh_course(source_root, room.course)
    if refresh or not (room.course / "keys").exists():
        log.info("building the case world (seed %d) and the releases", world_seed)
        build(room.course, seed=world_seed, progress=False, lang=cohort_lang)
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

    for folder in write_role_configs(base / "config", COURSE_ID, room.exchange).values():
        write_locale_config(folder, cohort_lang)  # JupyterLab in the cohort's language

    people = {m.username: {"full_name": m.full_name, "role": m.role} for m in members}
    settings = {
        "course_id": COURSE_ID,
        "ip": ip,
        "port": port,
        "proxy_api_port": port + 1,
        "hub_port": port + 2,
        "formgrader_port": port + 3,
        "grader": grader,
        "seed": world_seed,
        "lang": cohort_lang,
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

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill` stops it as Ctrl-C does
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait(timeout=60)


def teardown(room: Classroom) -> list[str]:
    """Remove the classroom: the accounts the course created for it (with
    their homes) and its folder. Returns the roster's names that were kept
    because the course did not create them."""
    accounts.require_root("course hub teardown")
    base = Path(os.path.abspath(room.base))
    settings = room.settings()
    made_here = [n for n, r in ledger.read().items() if Path(r.classroom) == base]
    kept = []
    for username in sorted({*settings["people"], settings["grader"], *made_here}):
        if not accounts.remove_user(username, base) and accounts.entry(username) is not None:
            kept.append(username)
    shutil.rmtree(room.base)
    return kept
