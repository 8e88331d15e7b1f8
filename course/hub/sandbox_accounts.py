"""Removing the grading sandbox's accounts (``nps-sandbox-N``) and leases.

``course grade`` makes one unprivileged system account per grading slot
(:mod:`course.sandbox.setup`) and holds it through a lease, a locked file in
``/run/nps-course-sandbox`` (:mod:`course.sandbox.bwrap`). Teardown removes
the accounts that no grading run holds; a held account is left and named.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import re
import subprocess

from course.hub.accounts import uid_min
from course.sandbox.bwrap import LEASES
from course.sandbox.setup import kill_all, system_tool

SANDBOX_NAME = re.compile(r"nps-sandbox-(\d+)")


def sandbox_accounts() -> list[pwd.struct_passwd]:
    """The sandbox accounts on this machine: system accounts named
    ``nps-sandbox-N`` that cannot log in, as ``course grade`` makes them."""
    return sorted(
        (
            e
            for e in pwd.getpwall()
            if SANDBOX_NAME.fullmatch(e.pw_name)
            and e.pw_uid < uid_min()
            and e.pw_shell.endswith("nologin")
        ),
        key=lambda e: int(e.pw_name.rsplit("-", 1)[1]),
    )


def remove_sandbox_accounts(numbers: set[int] | None = None) -> tuple[list[str], list[str]]:
    """Delete every sandbox account (or those of ``numbers``) no grading run
    holds, with its lease file, then (all of them gone) the lease folder.
    Returns (removed, in use)."""
    removed, busy = [], []
    for account in sandbox_accounts():
        number = SANDBOX_NAME.fullmatch(account.pw_name).group(1)
        if numbers is not None and int(number) not in numbers:
            continue
        lease = LEASES / f"{number}.lock"
        fd = -1
        if LEASES.is_dir():
            fd = os.open(lease, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                busy.append(account.pw_name)
                continue
        try:
            kill_all(account.pw_name)
            subprocess.run(
                [system_tool("userdel") or "userdel", account.pw_name],
                capture_output=True,
                check=False,
            )
            if fd >= 0:
                lease.unlink(missing_ok=True)
        finally:
            if fd >= 0:
                os.close(fd)
        try:
            pwd.getpwnam(account.pw_name)
            busy.append(account.pw_name)
        except KeyError:
            removed.append(account.pw_name)
    if LEASES.is_dir() and not busy and numbers is None:
        for leftover in LEASES.glob("*.lock"):
            fd = os.open(leftover, os.O_RDWR | os.O_NOFOLLOW)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                leftover.unlink(missing_ok=True)
            except BlockingIOError:
                pass  # a grading run is taking it right now
            finally:
                os.close(fd)
        try:
            LEASES.rmdir()
        except OSError:
            pass
    return removed, busy
