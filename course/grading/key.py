"""Loading the answer key, and what one entry holds."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course.errors import AnswerKeyError, CourseError
from course.grading.compare import COMPARISONS
from course.messages import t
from course.paths import find_root, key_path

ENV_VAR = "COURSE_ANSWER_KEY"


@dataclass(frozen=True)
class KeyEntry:
    """One graded answer: its value, how to compare it, and a hint for feedback."""

    grade_id: str
    value: Any
    compare: str = "exact"
    tolerance: float = 0.0
    hint: str = ""


@dataclass(frozen=True)
class AnswerKey:
    """The answer key of one built world."""

    path: Path
    seed: int
    entries: dict[str, KeyEntry]
    lang: str = "en"  # the language the course was built in (hints are in it)

    def entry(self, grade_id: str) -> KeyEntry:
        """Return the entry for ``grade_id``; raise AnswerKeyError if absent."""
        try:
            return self.entries[grade_id]
        except KeyError:
            raise AnswerKeyError(t("key.no_entry", grade_id=grade_id)) from None


def default_key_path() -> Path:
    """The key's path: ``$COURSE_ANSWER_KEY``, else ``keys/`` of the enclosing course."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    try:
        return key_path(find_root())
    except CourseError:
        return Path.cwd() / "keys" / "answer_key.json"


def load_key(path: Path | None = None) -> AnswerKey:
    """Read and check the answer key.

    Raises
    ------
    AnswerKeyError
        If the file is missing, unreadable, not JSON, or not shaped as a key.
    """
    path = Path(path) if path is not None else default_key_path()
    if not path.is_file():
        raise AnswerKeyError(t("key.missing", path=path))
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = {
            gid: KeyEntry(
                grade_id=gid,
                value=item["value"],
                compare=item.get("compare", "exact"),
                tolerance=float(item.get("tolerance", 0.0)),
                hint=item.get("hint", ""),
            )
            for gid, item in raw["answers"].items()
        }
        seed = int(raw["seed"])
        lang = str(raw.get("lang", "en"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AnswerKeyError(
            t("key.unreadable", path=path, reason=f"{type(exc).__name__}: {exc}")
        ) from None
    for entry in entries.values():
        if entry.compare not in COMPARISONS:
            raise AnswerKeyError(
                t("key.unreadable", path=path, reason=f"unknown comparison {entry.compare!r}")
            )
    return AnswerKey(path=path, seed=seed, entries=entries, lang=lang)
