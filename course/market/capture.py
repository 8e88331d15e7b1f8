"""Capture integrity: every saved page's SHA-256 against the capture log.

The capture log, written when the pages were saved, names each file with its
URL, time and SHA-256. Hashing the files again and comparing shows whether
any file changed since: a single changed byte changes the hash. The check
reports each file (same, changed, missing) and any saved page the log does
not list, so the record for a court says exactly what was verified.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from course.messages import t

LOG_COLUMNS = ("saved_file", "sha256")
STATUSES = ("ok", "mismatch", "missing", "unlogged")


def sha256_file(path: Path | str) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def read_log(path: Path | str) -> pd.DataFrame:
    """The capture log (``capture_log.csv``); one-line error if a column is missing."""
    log = pd.read_csv(path, dtype=str)
    missing = [c for c in LOG_COLUMNS if c not in log.columns]
    if missing:
        raise ValueError(t("market.capture.bad_log", file=Path(path).name,
                           columns=", ".join(missing)))
    return log


def verify_capture(data: Path | str, log: Path | str | pd.DataFrame = "capture_log.csv",
                   pages: str = "pages") -> pd.DataFrame:
    """Hash every logged file and every saved page; compare with the log.

    Parameters
    ----------
    data
        The folder the log's ``saved_file`` paths are relative to.
    log
        The log (a table, or its path relative to ``data`` or absolute).
    pages
        The folder under ``data`` whose ``*.html`` files must all be logged.

    Returns
    -------
    pandas.DataFrame
        One row per file: ``file``, ``expected``, ``actual``, ``status``
        (``ok``, ``mismatch``, ``missing``, ``unlogged``) and ``message``.
    """
    data = Path(data)
    if not isinstance(log, pd.DataFrame):
        log = read_log(log if Path(log).is_absolute() else data / log)
    rows = []
    logged = set()
    for name, expected in zip(log["saved_file"], log["sha256"], strict=True):
        logged.add(name)
        path = data / name
        if not path.is_file():
            rows.append((name, expected, None, "missing"))
            continue
        actual = sha256_file(path)
        rows.append((name, expected, actual, "ok" if actual == expected.lower() else "mismatch"))
    for path in sorted((data / pages).rglob("*.html")):
        name = path.relative_to(data).as_posix()
        if name not in logged:
            rows.append((name, None, sha256_file(path), "unlogged"))
    table = pd.DataFrame(rows, columns=["file", "expected", "actual", "status"])
    table["message"] = [
        t(f"market.capture.{status}", file=f, expected=e, actual=a)
        for f, e, a, status in table[["file", "expected", "actual", "status"]].itertuples(
            index=False)
    ]
    return table


def problems(report: pd.DataFrame) -> list[str]:
    """The messages of every file that did not verify (empty when all did)."""
    return list(report.loc[report["status"] != "ok", "message"])
