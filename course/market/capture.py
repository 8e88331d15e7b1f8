"""Capture integrity: every saved page's SHA-256 against the capture log.

The capture log, written when the pages were saved, names each file with its
URL, time and SHA-256. Hashing the files again and comparing shows whether
any file changed since: a single changed byte changes the hash. The check
reports each file (same, changed, missing) and any saved page the log does
not list, so the record for a court says exactly what was verified.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from course.messages import t

LOG_COLUMNS = ("saved_file", "sha256")
STATUSES = ("ok", "mismatch", "url_mismatch", "missing", "unlogged")
#: the mark browsers write at the top of a page saved with "Save page as"
SAVED_FROM = re.compile(r"<!-- saved from url=\((\d{4})\)(\S+?) -->")


def saved_from(path: Path | str) -> str | None:
    """The URL a browser wrote in the page's ``saved from url`` mark (None if there is none)."""
    with Path(path).open("rb") as stream:
        head = stream.read(4096).decode("utf-8", "replace")
    found = SAVED_FROM.search(head)
    return found.group(2) if found else None


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
        When the log has a ``url`` column, a page whose ``saved from url``
        mark names another address is reported too (``url_mismatch``).

    Returns
    -------
    pandas.DataFrame
        One row per file: ``file``, ``expected``, ``actual``, ``status``
        (``ok``, ``mismatch``, ``url_mismatch``, ``missing``, ``unlogged``) and
        ``message``.
    """
    data = Path(data)
    if not isinstance(log, pd.DataFrame):
        log = read_log(log if Path(log).is_absolute() else data / log)
    rows = []
    logged = set()
    urls = log["url"] if "url" in log.columns else [None] * len(log)
    for name, expected, url in zip(log["saved_file"], log["sha256"], urls, strict=True):
        logged.add(name)
        path = data / name
        if not path.is_file():
            rows.append((name, expected, None, "missing", url, None))
            continue
        actual, mark = sha256_file(path), saved_from(path)
        status = "ok" if actual == expected.lower() else "mismatch"
        if status == "ok" and url is not None and mark is not None and mark != url:
            status = "url_mismatch"
        rows.append((name, expected, actual, status, url, mark))
    for path in sorted((data / pages).rglob("*.html")):
        name = path.relative_to(data).as_posix()
        if name not in logged:
            rows.append((name, None, sha256_file(path), "unlogged", None, saved_from(path)))
    table = pd.DataFrame(rows, columns=["file", "expected", "actual", "status", "url",
                                        "saved_from"])
    table["message"] = [
        t(f"market.capture.{row.status}", file=row.file, expected=row.expected,
          actual=row.actual, url=row.url, saved_from=row.saved_from)
        for row in table.itertuples(index=False)
    ]
    return table


def problems(report: pd.DataFrame) -> list[str]:
    """The messages of every file that did not verify (empty when all did)."""
    return list(report.loc[report["status"] != "ok", "message"])
