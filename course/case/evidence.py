"""Evidence handling: file hashes against the seizure's list, and a chain-of-custody log.

At seizure the examiner records the SHA-256 of every extracted file
(``hashes.sha256``, the format ``sha256sum`` writes and ``sha256sum -c``
reads). :func:`check_hashes` hashes the files again and names, file by file,
what still matches, what changed (``mismatch``), what is gone (``missing``)
and what the list does not know (``extra``).

The custody log (:class:`CustodyLog`, one JSON object a line) records who
did what with the evidence, when and why. Each entry carries the SHA-256 of
the entry before it (``prev``) and its own (``hash``), so editing, removing
or reordering an entry breaks the chain at that entry, and :meth:`CustodyLog.verify`
names the first entry where it breaks. Cutting entries off the *end* leaves
a valid shorter chain: compare :meth:`CustodyLog.head` with the head written
down elsewhere (the report, the case file) to see that too.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from course.market.capture import sha256_file
from course.messages import t

__all__ = ["CustodyLog", "HashCheck", "Verification", "check_hashes", "read_hash_list",
           "sha256_file", "GENESIS"]

#: the ``prev`` of the first entry of a custody log
GENESIS = "0" * 64
#: one line of ``sha256sum``: hash, space, space or ``*`` (binary mode), path
HASH_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")
STATUSES = ("match", "mismatch", "missing", "extra")
FIELDS = ("seq", "time_utc", "who", "what", "why", "item", "item_sha256", "prev")


def read_hash_list(path: Path | str) -> dict[str, str]:
    """Read a ``sha256sum`` list: ``{relative path: lower-case hex hash}``.

    Blank lines and ``#`` comments are skipped; any other line that is not
    ``<64 hex digits><two spaces or space and *><path>`` is a one-line error.
    """
    listed: dict[str, str] = {}
    text = Path(path).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        found = HASH_LINE.match(line.rstrip("\r"))
        if not found:
            raise ValueError(t("case.hash.bad_line", file=Path(path).name, line=number))
        listed[found.group(2)] = found.group(1).lower()
    return listed


@dataclass(frozen=True)
class HashCheck:
    """The result of :func:`check_hashes`: one row per file in ``table``."""

    table: pd.DataFrame

    def files(self, status: str) -> list[str]:
        """The files with this status (``match``, ``mismatch``, ``missing`` or ``extra``)."""
        if status not in STATUSES:
            raise ValueError(t("case.hash.bad_status", status=status, known=", ".join(STATUSES)))
        return sorted(self.table.loc[self.table["status"] == status, "file"])

    @property
    def mismatched(self) -> list[str]:
        """Files whose hash differs from the list."""
        return self.files("mismatch")

    @property
    def missing(self) -> list[str]:
        """Listed files that are not there."""
        return self.files("missing")

    @property
    def extra(self) -> list[str]:
        """Files that are there but not listed."""
        return self.files("extra")

    @property
    def ok(self) -> bool:
        """True when every listed file is there, unchanged, and nothing is extra."""
        return bool((self.table["status"] == "match").all())


def check_hashes(root: Path | str, hash_list: Path | str | dict[str, str] | None = None,
                 *, ignore: tuple[str, ...] = ()) -> HashCheck:
    """Hash every file under ``root`` and compare with the seizure's hash list.

    Parameters
    ----------
    root
        The folder the list's paths are relative to (e.g. ``data/seized``).
    hash_list
        The list (a path, or a dict from :func:`read_hash_list`); default
        ``root/hashes.sha256``. The list file itself is never counted extra.
    ignore
        More relative paths not to count as extra.

    Returns
    -------
    HashCheck
        ``table`` columns: ``file``, ``expected``, ``actual`` (None when
        absent), ``status``; listed files first in list order, then extras.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(t("case.hash.no_folder", folder=str(root)))
    skip = set(ignore)
    if hash_list is None:
        hash_list = root / "hashes.sha256"
    if isinstance(hash_list, dict):
        listed = {k: v.lower() for k, v in hash_list.items()}
    else:
        listed = read_hash_list(hash_list)
        list_path = Path(hash_list).resolve()
        if list_path.is_relative_to(root.resolve()):
            skip.add(list_path.relative_to(root.resolve()).as_posix())
    rows = []
    for rel, expected in listed.items():
        path = root / rel
        actual = sha256_file(path) if path.is_file() else None
        status = "missing" if actual is None else ("match" if actual == expected else "mismatch")
        rows.append({"file": rel, "expected": expected, "actual": actual, "status": status})
    present = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    for rel in present:
        if rel not in listed and rel not in skip:
            rows.append({"file": rel, "expected": None, "actual": sha256_file(root / rel),
                         "status": "extra"})
    return HashCheck(pd.DataFrame(rows, columns=["file", "expected", "actual", "status"]))


def _entry_hash(entry: dict) -> str:
    """SHA-256 of the entry's fields (without ``hash``) as canonical JSON."""
    body = {k: entry.get(k) for k in FIELDS}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Verification:
    """The result of :meth:`CustodyLog.verify`.

    ``ok`` is True when the chain holds; otherwise ``line`` (1-based line of
    the log file), ``seq`` (the entry's own number, None if unreadable) and
    ``problem`` (``edited``, ``removed_or_reordered``, ``unreadable``,
    ``head_differs``) name the first entry where it breaks, and ``message``
    says it in a sentence.
    """

    ok: bool
    entries: int
    line: int | None = None
    seq: int | None = None
    problem: str | None = None
    message: str = ""


class CustodyLog:
    """A chain-of-custody log in a JSON-lines file, each entry chained to the one before.

    Parameters
    ----------
    path
        The log file (created on the first :meth:`append`).

    Examples
    --------
    >>> log = CustodyLog(tmp / "custody.jsonl")              # doctest: +SKIP
    >>> log.append("Det. Sergeant A. Nurlanov", "seized phone, extracted", "search warrant 12/2025",
    ...            item="phone/notes.json", item_sha256="b13f...")   # doctest: +SKIP
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def entries(self) -> list[dict]:
        """Every entry as a dict, in file order (empty if the file does not exist yet)."""
        if not self.path.exists():
            return []
        out = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                raise ValueError(t("case.custody.unreadable", file=self.path.name,
                                   line=number)) from None
            out.append(entry)
        return out

    def head(self) -> str:
        """The hash of the last entry (:data:`GENESIS` for an empty log): write it down."""
        entries = self.entries()
        return entries[-1]["hash"] if entries else GENESIS

    def append(self, who: str, what: str, why: str, *, when: datetime | str | None = None,
               item: str | None = None, item_sha256: str | None = None) -> dict:
        """Add one entry at the end and return it.

        ``who``, ``what`` and ``why`` must not be empty; ``when`` is a
        timezone-aware datetime or ISO text with an offset (default: now),
        stored in UTC; ``item`` names the evidence file and ``item_sha256``
        its hash at that moment.
        """
        for name, value in (("who", who), ("what", what), ("why", why)):
            if not str(value or "").strip():
                raise ValueError(t("case.custody.empty_field", field=name))
        if when is None:
            when = datetime.now(UTC)
        if isinstance(when, str):
            when = datetime.fromisoformat(when.replace("Z", "+00:00"))
        if when.tzinfo is None:
            raise ValueError(t("case.custody.naive_time", when=when.isoformat()))
        if item_sha256 is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", item_sha256):
            raise ValueError(t("case.custody.bad_hash", value=item_sha256))
        entries = self.entries()
        entry = {"seq": len(entries) + 1,
                 "time_utc": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "who": who, "what": what, "why": why, "item": item,
                 "item_sha256": item_sha256.lower() if item_sha256 else None,
                 "prev": entries[-1]["hash"] if entries else GENESIS}
        entry["hash"] = _entry_hash(entry)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return entry

    def verify(self, expected_head: str | None = None) -> Verification:
        """Walk the chain; name the first entry that was edited, removed or moved.

        An entry whose ``hash`` is not the hash of its fields was *edited*;
        an entry whose ``prev`` is not the hash of the entry before it (or
        whose ``seq`` does not follow) comes after a *removed* entry or was
        *reordered*. With ``expected_head`` (a hash written down earlier), a
        log cut short at the end is caught too (``head_differs``).
        """
        lines = (self.path.read_text(encoding="utf-8").splitlines()
                 if self.path.exists() else [])
        prev, count = GENESIS, 0
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                seq = entry.get("seq")
                stated = entry["hash"]
            except (json.JSONDecodeError, KeyError, AttributeError):
                return Verification(False, count, number, None, "unreadable",
                                    t("case.custody.broken_unreadable", line=number))
            count += 1
            if _entry_hash(entry) != stated:
                return Verification(False, count, number, seq, "edited",
                                    t("case.custody.broken_edited", line=number, seq=seq))
            if entry.get("prev") != prev or seq != count:
                return Verification(False, count, number, seq, "removed_or_reordered",
                                    t("case.custody.broken_chain", line=number, seq=seq))
            prev = stated
        if expected_head is not None and prev != expected_head:
            return Verification(False, count, None, None, "head_differs",
                                 t("case.custody.broken_head", entries=count))
        return Verification(True, count, message=t("case.custody.intact", entries=count))

    def table(self) -> pd.DataFrame:
        """The log as a table (one row per entry), for display and the report."""
        return pd.DataFrame(self.entries(), columns=[*FIELDS, "hash"])
