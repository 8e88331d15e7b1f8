"""OS accounts for the classroom (Linux: useradd, chpasswd, userdel).

The course manages only the accounts it created itself, as recorded by root
in :mod:`course.hub.ledger`. Before it creates anything it refuses, naming
the roster row, any name that is ``root``, the instructor's own login, a
system account (uid below ``UID_MIN`` of ``/etc/login.defs``), an account or
group that exists but was not made by the course, or a name whose home
folder is already there. It never changes the password, the home or the
existence of an account it did not create.
"""

from __future__ import annotations

import grp
import logging
import os
import pwd
import subprocess
from pathlib import Path

from course.errors import CourseError
from course.hub import ledger
from course.sandbox.setup import system_tool

log = logging.getLogger(__name__)

LOGIN_DEFS = Path("/etc/login.defs")
DEFAULT_UID_MIN = 1000


def require_root(what: str) -> None:
    """Refuse politely unless running as root."""
    if os.geteuid() != 0:
        raise CourseError(f"{what} creates OS accounts and must run as root (sudo)")


def uid_min(login_defs: Path = LOGIN_DEFS) -> int:
    """The first uid of ordinary accounts (``UID_MIN`` in ``/etc/login.defs``)."""
    try:
        for line in login_defs.read_text(errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "UID_MIN" and parts[1].isdigit():
                return int(parts[1])
    except OSError:
        pass
    return DEFAULT_UID_MIN


def own_logins() -> set[str]:
    """The logins of whoever runs the command (through sudo, su or directly)."""
    names = {pwd.getpwuid(os.getuid()).pw_name}
    if os.environ.get("SUDO_USER"):
        names.add(os.environ["SUDO_USER"])
    try:
        names.add(os.getlogin())
    except OSError:
        pass  # no controlling terminal (a service, CI)
    return names


def home_base() -> Path:
    """Where ``useradd`` puts new homes (its ``HOME`` default, usually /home)."""
    proc = subprocess.run(
        [system_tool("useradd") or "useradd", "-D"], capture_output=True, text=True
    )
    for line in proc.stdout.splitlines():
        if line.startswith("HOME="):
            return Path(line.split("=", 1)[1].strip())
    return Path("/home")


def entry(username: str) -> pwd.struct_passwd | None:
    """The account's passwd entry, or None when there is no such account."""
    try:
        return pwd.getpwnam(username)
    except KeyError:
        return None


def managed(
    username: str, classroom: Path, records: dict[str, ledger.Record] | None = None
) -> bool:
    """Whether ``username`` exists and was created by the course for ``classroom``."""
    records = ledger.read() if records is None else records
    found = entry(username)
    record = records.get(username)
    return (
        found is not None
        and record is not None
        and record.uid == found.pw_uid
        and Path(record.classroom) == classroom
    )


def refusal(
    username: str, classroom: Path, records: dict[str, ledger.Record] | None = None
) -> str | None:
    """Why the course may not use ``username`` for ``classroom``; None when it may.

    An account the course created for this classroom may be used (it is
    kept as it is); a name with no account, group or home yet may be created.
    """
    records = ledger.read() if records is None else records
    if username == "root":
        return "'root' is the system's administrator account"
    if username in own_logins():
        return f"'{username}' is your own login"
    found = entry(username)
    if found is not None:
        if found.pw_uid < uid_min():
            floor = uid_min()
            return f"'{username}' is a system account (uid {found.pw_uid}, below UID_MIN {floor})"
        record = records.get(username)
        if record is None or record.uid != found.pw_uid:
            return f"'{username}' is an existing account that the course did not create"
        if Path(record.classroom) != classroom:
            return f"'{username}' belongs to the classroom in {record.classroom}"
        return None
    try:
        grp.getgrnam(username)
        return f"a group '{username}' already exists"
    except KeyError:
        pass
    home = home_base() / username
    if home.exists() or home.is_symlink():
        return f"the home folder {home} of '{username}' already exists"
    return None


def _run(cmd: list[str], stdin: str | None = None) -> None:
    cmd = [system_tool(cmd[0]) or cmd[0], *cmd[1:]]
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if proc.returncode != 0:
        raise CourseError(f"{cmd[0]} failed: {proc.stderr.strip() or proc.stdout.strip()}")


def create_user(username: str, full_name: str, classroom: Path) -> pwd.struct_passwd:
    """Create the account (private home, 0700) and record it as the course's.

    The caller has checked :func:`refusal`; this checks again that the name
    is free, so that an existing account is never taken over.
    """
    if entry(username) is not None:
        raise CourseError(f"'{username}' already exists: the course creates new accounts only")
    _run(
        [
            "useradd",
            "--create-home",
            "--shell",
            "/bin/bash",
            "--comment",
            full_name or username,
            username,
        ]
    )
    made = pwd.getpwnam(username)
    ledger.add(username, made.pw_uid, classroom)
    os.chmod(made.pw_dir, 0o700)
    log.info("created the account %s (uid %d)", username, made.pw_uid)
    return made


def set_password(username: str, password: str, classroom: Path) -> None:
    """Set the password of an account the course created (PAM reads it at login)."""
    if not managed(username, classroom):
        raise CourseError(f"'{username}' was not created by the course: its password is kept")
    if ":" in password or "\n" in password:
        raise CourseError(f"the password of {username} may not contain ':' or a line break")
    _run(["chpasswd"], stdin=f"{username}:{password}\n")


def remove_user(username: str, classroom: Path) -> bool:
    """Delete an account the course created for ``classroom``, with its home.

    Returns False (and touches nothing) for any other account.
    """
    if not managed(username, classroom):
        if entry(username) is not None:
            log.warning("kept the account %s: the course did not create it", username)
        else:
            record = ledger.read().get(username)
            if record is not None and Path(record.classroom) == classroom:
                ledger.drop(username)  # deleted by hand since: forget it
        return False
    subprocess.run([system_tool("pkill") or "pkill", "-KILL", "-u", username], capture_output=True)
    userdel = system_tool("userdel") or "userdel"
    proc = subprocess.run([userdel, "--remove", username], capture_output=True, text=True)
    if entry(username) is not None:
        raise CourseError(f"userdel {username} failed: {proc.stderr.strip()}")
    ledger.drop(username)
    log.info("removed the account %s", username)
    return True


def chown_tree(path: Path, username: str) -> None:
    """Give ``path`` and everything under it to ``username``."""
    owner = pwd.getpwnam(username)
    for folder, dirs, files in os.walk(path):
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(folder, name), owner.pw_uid, owner.pw_gid, follow_symlinks=False)
