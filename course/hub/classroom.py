"""Setting up, starting and removing a classroom.

A classroom lives in one folder (default ``/srv/nps-course``)::

    classroom.json   who is who, ports, paths (read by jupyterhub_config.py)
    course/          the course folder, owned by the grader account, 0700:
                     gradebook, submissions and the answer key stay private
    exchange/        nbgrader's exchange, with nbgrader's permission model
    config/<role>/   Jupyter configuration per role (trainee, instructor, grader)
    hub/             JupyterHub's configuration (a copy), database, cookie
                     secret and admin token, 0700
    passwords.csv    passwords made by setup, for the instructor to hand out, 0600

Nothing of it points into the checkout the course was set up from: the hub
configuration is copied into ``hub/``, the Python environment and the proxy
into the runtime folder (default ``/opt/nps-course``).
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
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from course.errors import CourseError
from course.hub import accounts, ledger
from course.hub.passwords import make_password
from course.hub.roles import write_role_configs
from course.hub.roster import Member, read_roster
from course.hub.runtime import (
    DEFAULT_VENV,
    check_reachable,
    ensure_proxy,
    ensure_runtime,
    remove_runtime,
)
from course.i18n import check_language
from course.i18n.lab import write_locale_config
from course.paths import CONFIG_NAME

DEFAULT_BASE = Path("/srv/nps-course")
DEFAULT_GRADER = "nps-grader"
DEFAULT_IP = "127.0.0.1"
DEFAULT_PORT = 8000
#: where teardown copies grades, reports and backups before it deletes the classroom
DEFAULT_ARCHIVE = Path("/var/backups/nps-course")
#: what teardown keeps (copies out) from the course folder
KEPT_ON_TEARDOWN = ("grades.csv", "grading-report.txt", "gradebook.db", "backups")
HUB_CONFIG = Path(__file__).resolve().parent / "jupyterhub_config.py"
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

    @property
    def hub_config(self) -> Path:
        return self.hub / "jupyterhub_config.py"

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


def offer_only_written_days(course: Path) -> list[str]:
    """Remove from the classroom's ``source/`` (and ``release/``) every folder
    that is not a day with a notebook: a day with only its data so far, and
    the translations (``source/i18n/``, read by the build only). nbgrader and
    the Formgrader take every folder of ``source/`` for an assignment and
    would offer it as a draft to generate. A day comes in once it has a
    notebook: ``hub setup --refresh`` copies the checkout's ``source/`` again
    and rebuilds. Returns the folders left out."""
    from course.build import assignments_with_notebooks

    written = set(assignments_with_notebooks(course))
    others = sorted(
        p.name for p in (course / "source").iterdir() if p.is_dir() and p.name not in written
    )
    for name in others:
        for tree in ("source", "release"):
            shutil.rmtree(course / tree / name, ignore_errors=True)
    if others:
        log.info("left out of the classroom's assignments: %s", ", ".join(others))
    return others


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
    ip: str | None = None,
    port: int | None = None,
    grader: str = DEFAULT_GRADER,
    ssl: tuple[Path | None, Path | None] = (None, None),
    seed: int | None = None,
    venv: Path = DEFAULT_VENV,
    refresh: bool = False,
    lang: str | None = None,
) -> dict:
    """Create (or complete) a classroom for the people of ``roster``.

    Returns the settings written to ``classroom.json``. Re-running it adds
    the new people and keeps everything already there: accounts, passwords,
    gradebook, submissions, key, and the address and port (unless ``ip`` or
    ``port`` are given). When the classroom's hub is running, the new people
    are admitted to it at once (no restart: nobody's server stops). With
    ``refresh`` it also replaces the classroom's ``source/`` and ``release/``
    with the course's current ones and rebuilds them with the classroom's seed.

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
    ssl_files = _ssl_files(ssl, previous)
    ip = ip if ip is not None else previous.get("ip", DEFAULT_IP)
    port = port if port is not None else previous.get("port", DEFAULT_PORT)
    if not (source_root / "classroom" / "node_modules" / ".bin").is_dir():
        raise CourseError("configurable-http-proxy is not installed: run `make hub-deps`")
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o755)
    check_reachable(base / "classroom.json")
    python_bin = ensure_runtime(source_root, venv)
    proxy = ensure_proxy(source_root, venv)

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
    rebuild = refresh or not (room.course / "keys").exists()
    if rebuild and not fresh:  # a build starts from the checkout's whole source/
        _refresh_course(source_root, room.course)
    if rebuild:
        log.info("building the case world (seed %d) and the releases", world_seed)
        build(room.course, seed=world_seed, progress=False, lang=cohort_lang)
    offer_only_written_days(room.course)
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
    shutil.copy2(HUB_CONFIG, room.hub_config)
    os.chmod(room.hub_config, 0o600)

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
        "proxy": str(proxy),
        **ssl_files,
    }
    room.settings_file.write_text(json.dumps(settings, indent=2, ensure_ascii=False) + "\n")
    if previous and hub_pid(room) is not None:
        new = sorted(set(people) - set(previous.get("people", {})))
        settings["admitted"] = admit(room, new) if new else []
    return settings


def _ssl_files(ssl: tuple[Path | None, Path | None], previous: dict) -> dict[str, str]:
    """HTTPS certificate and key: both given, or the classroom's earlier ones."""
    cert, key = ssl
    if cert is None and key is None:
        return {k: previous[k] for k in ("ssl_cert", "ssl_key") if k in previous}
    if cert is None or key is None:
        raise CourseError("HTTPS needs both --ssl-cert and --ssl-key")
    for path in (cert, key):
        if not Path(path).is_file():
            raise CourseError(f"{path} is not a file: give the PEM certificate and key")
    return {"ssl_cert": str(Path(cert).resolve()), "ssl_key": str(Path(key).resolve())}


def address(settings: dict) -> str:
    """The classroom's address for trainees' browsers."""
    scheme = "https" if settings.get("ssl_cert") else "http"
    return f"{scheme}://{settings['ip']}:{settings['port']}/"


def hub_pid(room: Classroom) -> int | None:
    """The process id of the classroom's running JupyterHub, or None."""
    import psutil

    try:
        pid = int((room.hub / "jupyterhub.pid").read_text().strip())
        proc = psutil.Process(pid)
        if proc.status() != psutil.STATUS_ZOMBIE and any(
            "jupyterhub" in part for part in proc.cmdline()[:3]
        ):
            return pid
    except (OSError, ValueError, psutil.Error):
        pass
    return None


def _api(room: Classroom, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
    """Call the running hub's REST API (on loopback) with the classroom's admin token."""
    settings = room.settings()
    req = urllib.request.Request(
        f"http://127.0.0.1:{settings['hub_port']}/hub/api{path}",
        data=None if data is None else json.dumps(data).encode(),
        method=method,
        headers={"Authorization": f"token {room.admin_token()}"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def admit(room: Classroom, usernames: list[str]) -> list[str]:
    """Let the running hub know new roster people (they can log in at once;
    nobody's server is stopped). Returns the names it now knows."""
    status, body = _api(room, "POST", "/users", {"usernames": usernames})
    if status not in (201, 409):  # 409: every name was known already
        raise CourseError(f"the running hub did not admit {', '.join(usernames)}: {status} {body}")
    return usernames


def reset_password(room: Classroom, username: str) -> str:
    """Give one person of the classroom a new generated password (kept in
    ``passwords.csv`` in place of the old one); return it. Their running
    server and everyone else's password stay."""
    accounts.require_root("course hub password")
    base = Path(os.path.abspath(room.base))
    people = Classroom(base).settings()["people"]
    if username not in people:
        raise CourseError(f"'{username}' is not in the classroom in {base}")
    password = make_password()
    accounts.set_password(username, password, base)
    person = people[username]
    _write_passwords(
        base / "passwords.csv", [Member(username, person["full_name"], person["role"], password)]
    )
    return password


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
    config = room.hub_config if room.hub_config.is_file() else HUB_CONFIG
    return [str(Path(settings["python_bin"]) / "jupyterhub"), "-f", str(config)]


def hub_env(room: Classroom) -> dict[str, str]:
    env = dict(os.environ, COURSE_CLASSROOM=str(room.base))
    env["PATH"] = os.pathsep.join([room.settings()["python_bin"], env.get("PATH", "")])
    return env


def start(room: Classroom) -> subprocess.Popen[bytes]:
    """Start JupyterHub for the classroom in the background; return the process."""
    accounts.require_root("course hub start")
    running = hub_pid(room)
    if running is not None:
        raise CourseError(f"the classroom's hub is already running (process {running})")
    return subprocess.Popen(hub_command(room), cwd=room.hub, env=hub_env(room))


def leftovers(room: Classroom) -> list:
    """Processes of the classroom still running without their hub: the proxy
    (by its pid file) and the notebook servers of its people and grader."""
    import psutil

    settings = room.settings()
    users = {*settings.get("people", {}), settings.get("grader")}
    found = []
    api_port = str(settings.get("proxy_api_port", ""))
    for proc in psutil.process_iter(["username", "cmdline", "status"]):
        argv = proc.info["cmdline"] or []
        if proc.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        text = " ".join(argv)
        server = proc.info["username"] in users and "jupyterhub-singleuser" in text
        proxy = (
            api_port
            and "configurable-http-proxy" in text
            and any(
                a == "--api-port" and b == api_port for a, b in zip(argv, argv[1:], strict=False)
            )
        )
        if server or proxy:
            found.append(proc)
    return found


def _end(processes: list, grace: float = 10) -> None:
    import psutil

    for proc in processes:
        try:
            proc.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(processes, timeout=grace)
    for proc in alive:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=grace)


def stop(room: Classroom, process: subprocess.Popen | None = None, timeout: float = 60) -> bool:
    """Stop the classroom's hub (SIGTERM: it stops the proxy and every server
    it started), then anything of it still running. Returns whether a hub ran."""
    import psutil

    pid = process.pid if process is not None and process.poll() is None else hub_pid(room)
    if pid is not None:
        try:
            hub = psutil.Process(pid)
            hub.terminate()
            hub.wait(timeout=timeout)
        except psutil.TimeoutExpired:
            hub.kill()
        except psutil.Error:
            pass
    if process is not None:
        process.wait()
    _end(leftovers(room))
    return pid is not None


def run(room: Classroom) -> int:
    """Run JupyterHub in the foreground until Ctrl-C or SIGTERM; then stop the
    proxy and every server it started, and leave nothing of it running."""
    process = start(room)

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)  # `kill` stops it as Ctrl-C does
    # Ctrl-C (SIGINT) stops it even when it was started from a script's
    # background, which starts its children with SIGINT ignored
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        try:
            return process.wait()
        except KeyboardInterrupt:
            return 0
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):  # a second Ctrl-C cannot cut the cleanup
            signal.signal(signum, signal.SIG_IGN)
        if process.poll() is None:
            stop(room, process)
        else:
            _end(leftovers(room))
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


@dataclass
class Teardown:
    """What ``teardown`` did."""

    stopped_hub: bool = False
    saved_to: Path | None = None
    saved: list[str] = field(default_factory=list)
    removed_accounts: list[str] = field(default_factory=list)
    kept_accounts: list[str] = field(default_factory=list)
    removed_paths: list[Path] = field(default_factory=list)
    removed_sandbox: list[str] = field(default_factory=list)
    busy_sandbox: list[str] = field(default_factory=list)
    runtime_kept: str = ""


def save_results(room: Classroom, archive: Path) -> tuple[Path | None, list[str]]:
    """Copy the grades, report, gradebook and backups out of the course folder
    to ``archive/<classroom>-<time>/`` (root only); return where and what."""
    present = [n for n in KEPT_ON_TEARDOWN if (room.course / n).exists()]
    if not present:
        return None, []
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = archive / f"{room.base.name}-{stamp}"
    archive.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.mkdir(mode=0o700)
    for name in present:
        source = room.course / name
        if source.is_dir():
            shutil.copytree(source, target / name, symlinks=True)
        else:
            shutil.copy2(source, target / name)
    for folder, dirs, files in os.walk(target):
        for name in dirs + files:
            os.chown(os.path.join(folder, name), 0, 0, follow_symlinks=False)
    return target, present


def _other_classrooms(base: Path) -> list[str]:
    """The other classrooms on this machine (known from the account record)."""
    return sorted(
        {
            r.classroom
            for r in ledger.read().values()
            if Path(r.classroom) != base and (Path(r.classroom) / "classroom.json").is_file()
        }
    )


def teardown(
    room: Classroom, archive: Path | None = DEFAULT_ARCHIVE, runtime: bool = False
) -> Teardown:
    """Remove the classroom.

    Stops its hub if it runs, copies grades, report, gradebook and backups
    out to ``archive`` (see :func:`save_results`; not when ``archive`` is
    None), removes the accounts the course created for it (with their homes)
    and its folder; with ``runtime`` also the shared environment and proxy
    and the grading sandbox's accounts and leases, unless another classroom
    is set up on this machine. Accounts the course did not create are kept and listed.
    """
    from course.hub.sandbox_accounts import remove_sandbox_accounts

    accounts.require_root("course hub teardown")
    base = Path(os.path.abspath(room.base))
    room = Classroom(base)
    settings = room.settings()
    done = Teardown()
    done.stopped_hub = stop(room)
    if archive is not None:
        done.saved_to, done.saved = save_results(room, archive)
    made_here = [n for n, r in ledger.read().items() if Path(r.classroom) == base]
    listed = {*settings.get("people", {}), settings.get("grader"), *made_here} - {None}
    for username in sorted(listed):
        if accounts.remove_user(username, base):
            done.removed_accounts.append(username)
        elif accounts.entry(username) is not None:
            done.kept_accounts.append(username)
    shutil.rmtree(base)
    done.removed_paths.append(base)
    if not runtime:
        return done
    others = _other_classrooms(base)
    if others:  # the runtime and the sandbox accounts serve every classroom here
        done.runtime_kept = f"the classroom in {', '.join(others)} still uses it"
        return done
    if settings.get("python_bin"):
        done.removed_paths += remove_runtime(Path(settings["python_bin"]).parent)
    done.removed_sandbox, done.busy_sandbox = remove_sandbox_accounts()
    return done
