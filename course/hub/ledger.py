"""The record of the OS accounts the course created, kept by root.

``course hub setup`` writes a line here for every account it creates (name,
uid, classroom folder); ``teardown`` and every later change to an account
(password, home mode, deletion) first look it up here. An account that is not
in the record, or whose uid is no longer the recorded one, was not made by
the course and is never touched.

The record is ``/var/lib/nps-course/accounts.json``: a folder only root can
enter, a file only root can read or write. A record that others could have
written is refused rather than trusted.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from course.errors import CourseError

LEDGER = Path("/var/lib/nps-course/accounts.json")


@dataclass(frozen=True)
class Record:
    """One account created by the course."""

    username: str
    uid: int
    classroom: str
    created: str


def _check_private(path: Path) -> None:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o022:
        raise CourseError(
            f"{path} (the record of classroom accounts) must be root's own, not a link, "
            "and writable by root only: fix its owner and mode"
        )


def read(ledger: Path = LEDGER) -> dict[str, Record]:
    """Every recorded account, by user name (empty when nothing was ever recorded)."""
    if not ledger.exists():
        return {}
    _check_private(ledger.parent)
    _check_private(ledger)
    try:
        data = json.loads(ledger.read_text(encoding="utf-8"))
        return {name: Record(**fields) for name, fields in data["accounts"].items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise CourseError(f"{ledger} is not a readable record of accounts ({exc})") from None


@contextmanager
def _locked(ledger: Path) -> Iterator[dict[str, Record]]:
    """The record, locked against other writers; written back atomically on exit."""
    ledger.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _check_private(ledger.parent)
    fd = os.open(ledger.parent / ".lock", os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        records = read(ledger)
        yield records
        data = {"accounts": {name: asdict(r) for name, r in sorted(records.items())}}
        tmp = ledger.with_name(ledger.name + ".tmp")
        out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(out, "w", encoding="utf-8") as f:
            f.write(json.dumps(data, indent=2) + "\n")
        os.replace(tmp, ledger)
    finally:
        os.close(fd)


def add(username: str, uid: int, classroom: Path, ledger: Path = LEDGER) -> Record:
    """Record that the course created ``username`` (with ``uid``) for ``classroom``."""
    record = Record(username, uid, str(classroom), datetime.now(UTC).isoformat(timespec="seconds"))
    with _locked(ledger) as records:
        records[username] = record
    return record


def drop(username: str, ledger: Path = LEDGER) -> None:
    """Forget ``username`` (after its account was deleted)."""
    with _locked(ledger) as records:
        records.pop(username, None)
