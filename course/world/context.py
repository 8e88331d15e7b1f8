"""The world being built: its files, answer key, ground truth and shared state.

Every generator module receives one :class:`WorldContext`. It draws random
numbers only from ``ctx.rng(name)`` (one independent, seeded stream per
name, so adding a generator never changes what another one makes), writes
trainee files with :meth:`WorldContext.add_file`, records graded answers with
:meth:`WorldContext.add_answer` and instructor-only facts with
:meth:`WorldContext.add_truth`. Nothing is written to disk until
:func:`course.world.write_world`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from course.grading.key import COMPARISONS


def csv_text(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> str:
    """Rows as CSV text with a header and ``\\n`` line ends, the world's one CSV dialect."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@dataclass
class WorldContext:
    """Everything a world build produces, in memory."""

    seed: int
    scale: int = 1
    #: ``(assignment, relative path inside the assignment) -> bytes``
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    truth: dict[str, Any] = field(default_factory=dict)
    #: facts one generator hands to the next (actors, addresses ...)
    state: dict[str, Any] = field(default_factory=dict)

    def rng(self, name: str) -> random.Random:
        """Return a random stream determined by the seed and ``name`` alone."""
        digest = hashlib.sha256(f"{self.seed}:{name}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def add_file(self, assignment: str, relpath: str, data: bytes | str) -> None:
        """Add a trainee-visible file ``relpath`` (e.g. ``data/seizures.csv``)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        key = (assignment, relpath)
        if key in self.files:
            raise ValueError(f"world file written twice: {assignment}/{relpath}")
        self.files[key] = data

    def add_answer(
        self,
        grade_id: str,
        value: Any,
        *,
        compare: str = "exact",
        tolerance: float = 0.0,
        hint: str = "",
    ) -> None:
        """Record the expected answer of graded exercise ``grade_id``."""
        if compare not in COMPARISONS:
            raise ValueError(f"unknown comparison {compare!r}")
        if grade_id in self.answers:
            raise ValueError(f"answer recorded twice: {grade_id}")
        # round-trip through JSON now, so the key holds exactly what is compared
        value = json.loads(json.dumps(value))
        self.answers[grade_id] = {
            "value": value,
            "compare": compare,
            "tolerance": tolerance,
            "hint": hint,
        }

    def add_truth(self, name: str, value: Any) -> None:
        """Record an instructor-only fact of the story (who is who, true clusters ...)."""
        if name in self.truth:
            raise ValueError(f"ground truth recorded twice: {name}")
        self.truth[name] = value

    def key_document(self) -> dict[str, Any]:
        """The answer key as written to ``keys/answer_key.json``."""
        return {"seed": self.seed, "answers": dict(sorted(self.answers.items()))}
