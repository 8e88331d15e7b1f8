"""OS accounts for the classroom (Linux: useradd, chpasswd, userdel)."""

from __future__ import annotations

import os
import pwd
import secrets
import subprocess
from pathlib import Path

from course.errors import CourseError
from course.sandbox.setup import system_tool

#: Words for passwords a trainee can type and read aloud.
WORDS = (
    "almaty",
    "bishkek",
    "tashkent",
    "osh",
    "khujand",
    "astana",
    "samarkand",
    "dushanbe",
    "river",
    "mountain",
    "steppe",
    "apple",
    "falcon",
    "tulip",
    "cedar",
    "amber",
    "silver",
    "harbor",
    "lantern",
    "meadow",
    "orbit",
    "pepper",
    "quartz",
    "saffron",
)


def require_root(what: str) -> None:
    """Refuse politely unless running as root."""
    if os.geteuid() != 0:
        raise CourseError(f"{what} creates OS accounts and must run as root (sudo)")


def make_password() -> str:
    """A readable random password, e.g. ``falcon-tulip-4821``."""
    return f"{secrets.choice(WORDS)}-{secrets.choice(WORDS)}-{secrets.randbelow(9000) + 1000}"


def exists(username: str) -> bool:
    try:
        pwd.getpwnam(username)
        return True
    except KeyError:
        return False


def _run(cmd: list[str], stdin: str | None = None) -> None:
    cmd = [system_tool(cmd[0]) or cmd[0], *cmd[1:]]
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if proc.returncode != 0:
        raise CourseError(f"{cmd[0]} failed: {proc.stderr.strip() or proc.stdout.strip()}")


def ensure_user(username: str, full_name: str, home: Path | None = None) -> pwd.struct_passwd:
    """Create the account if it does not exist; its home is private (0700)."""
    if not exists(username):
        cmd = [
            "useradd",
            "--create-home",
            "--shell",
            "/bin/bash",
            "--comment",
            full_name or username,
        ]
        if home is not None:
            cmd += ["--home-dir", str(home)]
        _run([*cmd, username])
    entry = pwd.getpwnam(username)
    os.chmod(entry.pw_dir, 0o700)
    return entry


def set_password(username: str, password: str) -> None:
    """Set the account's password (read by PAM when the trainee logs in)."""
    if ":" in password or "\n" in password:
        raise CourseError(f"the password of {username} may not contain ':' or a line break")
    _run(["chpasswd"], stdin=f"{username}:{password}\n")


def remove_user(username: str) -> None:
    """Delete the account and its home (classroom teardown)."""
    if not exists(username):
        return
    subprocess.run([system_tool("pkill") or "pkill", "-KILL", "-u", username], capture_output=True)
    userdel = system_tool("userdel") or "userdel"
    proc = subprocess.run([userdel, "--remove", username], capture_output=True, text=True)
    if exists(username):
        raise CourseError(f"userdel {username} failed: {proc.stderr.strip()}")


def chown_tree(path: Path, username: str) -> None:
    """Give ``path`` and everything under it to ``username``."""
    entry = pwd.getpwnam(username)
    for folder, dirs, files in os.walk(path):
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid, follow_symlinks=False)
