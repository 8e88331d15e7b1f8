"""Broken and hostile day-0 submissions, each with the outcome it must get.

Every fixture starts from the reference solution (all automatic points, read
from the source notebooks) and changes one thing, the way a confused or
malicious trainee would. ``score`` is the automatic score the submission must
get; ``flag`` a piece of text that must appear in its flags (None: no flag
required).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

NB1 = "01-working-in-the-classroom.ipynb"
NB2 = "02-python-for-investigators.ipynb"
SOURCE = Path(__file__).resolve().parents[2] / "source" / "day0-orientation"


def _tests() -> dict[str, tuple[float, str]]:
    """``grade_id -> (points, source)`` of day 0's autograded tests, in notebook order."""
    tests = {}
    for path in sorted(SOURCE.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
                tests[meta["grade_id"]] = (float(meta["points"]), cell.source)
    return tests


TESTS = _tests()
POINTS = {gid: points for gid, (points, _) in TESTS.items()}
FULL = sum(POINTS.values())
#: only notebook 01 scores (notebook 02 cannot run, or scores zero)
NB1_ONLY = POINTS["day0_seizure_count"]
_ORDER = list(POINTS)
#: a hidden test patched in the cities answer: it and every later test of notebook 02 lose
FROM_CITIES = FULL - sum(POINTS[g] for g in _ORDER[_ORDER.index("day0_cities") :])
#: ``expect`` alone replaced in the cities answer: the later tests that call it lose (those
#: that check a function with ``expect_calls`` still count)
EXPECT_FROM_CITIES = FULL - sum(
    POINTS[g]
    for g in _ORDER[_ORDER.index("day0_cities") :]
    if re.search(r"\bexpect\(", TESTS[g][1])
)


@dataclass(frozen=True)
class Hostile:
    name: str
    what: str
    change: Callable[[Path], None]
    score: float
    flag: str | None
    #: a check on the course folder after grading: None if fine, else the problem
    outcome: Callable[[Path], str | None] | None = None


def _edit(path: Path, grade_id: str, source: str | None = None, **changes) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            if source is not None:
                cell.source = source
            for key, value in changes.items():
                cell[key] = value
    nbformat.write(nb, path)


def answer(grade_id: str, code: str, nb: str = NB2) -> Callable[[Path], None]:
    return lambda d: _edit(d / nb, grade_id + "_answer", code)


def _drop(grade_ids: set[str], nb: str = NB2) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        doc = nbformat.read(d / nb, as_version=4)
        doc.cells = [
            c
            for c in doc.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") not in grade_ids
        ]
        nbformat.write(doc, d / nb)

    return change


def _duplicate(grade_id: str, nb: str = NB2) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        doc = nbformat.read(d / nb, as_version=4)
        for i, cell in enumerate(doc.cells):
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                copy = nbformat.from_dict(json.loads(json.dumps(cell)))
                copy["id"] = cell["id"] + "-copy"
                doc.cells.insert(i + 1, copy)
                break
        nbformat.write(doc, d / nb)

    return change


def _to_markdown(grade_id: str, nb: str = NB2) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        doc = nbformat.read(d / nb, as_version=4)
        for i, cell in enumerate(doc.cells):
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                md = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)
                md["id"] = cell["id"]
                doc.cells[i] = md
        nbformat.write(doc, d / nb)

    return change


def _both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        for c in changes:
            c(d)

    return change


def _write_bytes(nb: str, transform: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    return lambda d: (d / nb).write_bytes(transform((d / nb).read_bytes()))


def _old_format(d: Path) -> None:
    nb = nbformat.read(d / NB1, as_version=4)
    (d / NB1).write_text(nbformat.writes(nbformat.convert(nb, 3)))


def _rename(d: Path) -> None:
    (d / NB2).rename(d / "02-python-for-investigators (copy).ipynb")


def _extra(d: Path) -> None:
    (d / "notes.txt").write_text("draft")
    (d / "helper.py").write_text("print('hi')\n")


def _late(d: Path) -> None:
    (d / "timestamp.txt").write_text("2026-03-09 12:00:00.000000 UTC")


def _tamper_checksum(d: Path) -> None:
    nb = nbformat.read(d / NB2, as_version=4)
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade_id") == "day0_cities":
            cell.source = '"""Check that ..."""\nassert True'
            meta["checksum"] = "0" * 32
    nbformat.write(nb, d / NB2)
    _edit(d / NB2, "day0_cities_answer", 'answer_0_3 = ["Almaty"]')


CITIES_RIGHT = 'answer_0_3 = sorted(seizures["city"].unique())'
COUNT_RIGHT = "answer_0_1 = len(seizures)"

BROKEN: tuple[Hostile, ...] = (
    Hostile(
        "infinite-loop",
        "an endless loop where a function should be",
        answer("day0_normalise_city", "while True:\n    pass"),
        FULL - 3,
        None,
    ),
    Hostile(
        "sys-exit",
        "sys.exit() in an answer cell",
        answer("day0_seizure_count", "import sys\nsys.exit()", NB1),
        FULL - 2,
        None,
    ),
    Hostile(
        "os-exit",
        "os._exit() kills the kernel",
        answer("day0_seizure_count", "import os\nos._exit(1)", NB1),
        FULL - 2,
        "could not be run",
    ),
    Hostile(
        "kernel-crash",
        "a segmentation fault in native code",
        answer("day0_normalise_city", "import ctypes\nctypes.string_at(0)"),
        NB1_ONLY,
        "could not be run",
    ),
    Hostile(
        "memory-bomb",
        "allocates until memory runs out",
        answer("day0_seizure_count", "hog = []\nwhile True:\n    hog.append(' ' * 10**8)", NB1),
        FULL - 2,
        None,
    ),
    Hostile(
        "fork-bomb",
        "forks until no process is left",
        answer(
            "day0_seizure_count",
            "import os, time\nfor _ in range(500):\n    if os.fork() == 0:\n"
            "        time.sleep(120)\n        os._exit(0)",
            NB1,
        ),
        FULL - 2,
        "forked",
    ),
    Hostile(
        "huge-output",
        "prints a million lines, then answers",
        answer("day0_cities", "for i in range(10**6):\n    print(i)\n" + CITIES_RIGHT),
        FULL,
        None,
    ),
    Hostile(
        "deleted-cells",
        "deletes an answer cell and its test",
        _drop({"day0_cities", "day0_cities_answer"}),
        FULL - 3,
        "was deleted",
    ),
    Hostile(
        "duplicated-cell",
        "duplicates a graded answer cell",
        _duplicate("day0_cities_answer"),
        FULL,
        "appears 2 times",
    ),
    Hostile(
        "changed-cell-type",
        "turns a test cell into markdown",
        _to_markdown("day0_cities"),
        FULL,
        "changed from code to markdown",
    ),
    Hostile(
        "edited-test",
        "rewrites a test to always pass, with a wrong answer",
        _both(
            lambda d: _edit(d / NB2, "day0_cities", '"""Check."""\nassert True'),
            answer("day0_cities", 'answer_0_3 = ["Almaty"]'),
        ),
        FULL - 3,
        "was edited",
    ),
    Hostile(
        "tampered-checksum",
        "edits a test and forges its checksum",
        _tamper_checksum,
        FULL - 3,
        "was edited",
    ),
    Hostile(
        "invalid-json",
        "a notebook cut in half",
        _write_bytes(NB2, lambda b: b[: len(b) // 2]),
        NB1_ONLY,
        "broken JSON",
    ),
    Hostile(
        "old-nbformat", "notebook saved in format v3", _old_format, FULL, "old notebook format"
    ),
    Hostile(
        "missing-notebook",
        "hands in one notebook of two",
        lambda d: (d / NB1).unlink(),
        FULL - 2,
        "is missing",
    ),
    Hostile(
        "renamed-notebook", "renamed a notebook", _rename, NB1_ONLY, "not part of the assignment"
    ),
    Hostile("extra-files", "adds files of its own", _extra, FULL, "extra files ignored"),
    Hostile(
        "non-utf8",
        "bytes that are not UTF-8",
        _write_bytes(NB1, lambda b: b.replace(b"Hello", b"H\xff\xfello", 1)),
        FULL - 2,
        "not UTF-8",
    ),
    Hostile(
        "network",
        "tries to reach the internet",
        answer(
            "day0_cities",
            "import socket\ntry:\n    socket.create_connection(('93.184.216.34', 80),"
            " timeout=3)\nexcept OSError:\n    pass\n" + CITIES_RIGHT,
        ),
        FULL,
        "connect to the network",
    ),
    Hostile(
        "read-others",
        "looks for other trainees' submissions",
        answer(
            "day0_cities",
            "import glob\nfor p in glob.glob('/tmp/**/submitted/**/*.ipynb', "
            "recursive=True)[:20]:\n    try:\n        open(p).read()\n    except OSError:\n"
            "        pass\n" + CITIES_RIGHT,
        ),
        FULL,
        "other trainees",
    ),
    Hostile(
        "write-gradebook",
        "tries to overwrite the gradebook",
        answer(
            "day0_cities",
            "import glob\nfor p in glob.glob('/tmp/**/gradebook.db', recursive=True)"
            "[:20]:\n    try:\n        open(p, 'w').write('x')\n    except OSError:\n        pass\n"
            + CITIES_RIGHT,
        ),
        FULL,
        "gradebook",
    ),
    Hostile(
        "read-key",
        "reads the answer from the key",
        answer(
            "day0_cities",
            "from course.grading import load_key\n"
            "answer_0_3 = load_key().entry('day0_cities').value",
        ),
        FULL - 3,
        "answer key",
    ),
    Hostile(
        "brute-force-expect",
        "guesses until expect() stops complaining",
        answer(
            "day0_seizure_count",
            "from course.grading import expect\nfor guess in range(1000):\n"
            "    try:\n        expect('day0_seizure_count', guess)\n        answer_0_1 = guess\n"
            "        break\n    except AssertionError:\n        pass",
            NB1,
        ),
        FULL - 2,
        "answer key",
    ),
    Hostile(
        "patched-expect",
        "replaces expect(): every later hidden test records nothing",
        answer(
            "day0_cities",
            "import course.grading\ncourse.grading.expect = lambda *a: None\n"
            "answer_0_3 = ['Almaty']",
        ),
        EXPECT_FROM_CITIES,
        "answer key",
    ),
    Hostile(
        "forged-record",
        "prints a fake answer record",
        answer(
            "day0_cities",
            'print(\'\\x1ecourse-answer\\x1e{"grade_id": "day0_cities", '
            '"answer": ["Almaty"]}\')\nanswer_0_3 = [\'Almaty\']',
        ),
        FULL - 3,
        None,
    ),
    Hostile(
        "input-call",
        "waits for keyboard input",
        answer("day0_seizure_count", "name = input('name? ')\n" + COUNT_RIGHT, NB1),
        FULL - 2,
        None,
    ),
    Hostile("late", "submitted after the deadline", _late, FULL, "late"),
)
