"""What to tell the instructor about a submission besides its score.

A flag is a one-line reason, never a penalty by itself: the score comes from
the tests; flags say what the grader should look at (a missing notebook, an
edited test cell, code that reached for the answer key ...).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

#: code in a trainee's cells that reaches for grading internals or outside the sandbox
SUSPICIOUS: tuple[tuple[str, str], ...] = (
    (
        r"course\.grading|load_key|answer_key|COURSE_ANSWER_KEY|ground_truth",
        "reaches for the answer key",
    ),
    (r"gradebook", "reaches for the gradebook"),
    (r"/submitted/|/autograded/|/home/", "reaches for other trainees' files"),
    (r"\bsocket\b|urllib|requests\.|http\.client", "opens network connections"),
    (r"subprocess|os\.system|os\.popen|os\.fork|os\.exec|pty\.spawn", "starts other programs"),
    (r"\bctypes\b|os\.kill|signal\.", "uses low-level process control"),
    (r"\.ipynb", "reads notebook files"),
)
EVENT_REASONS = {
    "open": "the kernel opened a grading file",
    "network": "the kernel tried to connect to the network",
    "process": "the kernel tried to start a program",
    "fork": "the kernel forked",
    "ctypes": "the kernel loaded native code",
    "kill": "the kernel sent a signal",
}
#: libraries' own harmless events (pandas probing the platform, ...)
BENIGN_EVENTS = (
    re.compile(r"^process\t\('uname'"),  # platform.machine() in pandas and friends
    re.compile(r"^process\t\('fc-list'"),  # matplotlib listing the system fonts
    re.compile(r"^ctypes\t\(None,\)"),  # ctypes loading the C library for itself
)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")).get("cells", [])


def static_flags(submission: Path, release: Path) -> list[str]:
    """Flags from reading the submitted files, before anything runs."""
    flags: list[str] = []
    released = {p.name for p in release.glob("*.ipynb")}
    submitted = {p.name for p in submission.glob("*.ipynb")}
    for name in sorted(released - submitted):
        flags.append(f"{name} is missing (scored zero)")
    for name in sorted(submitted - released):
        flags.append(f"{name} is not part of the assignment (ignored; renamed?)")
    extras = [
        p.name for p in submission.iterdir()
        if p.is_file() and p.suffix != ".ipynb" and p.name != "timestamp.txt"
        and not (release / p.name).exists()
    ]  # fmt: skip
    if extras:
        flags.append(f"extra files ignored: {', '.join(sorted(extras)[:5])}")
    for name in sorted(submitted & released):
        flags.extend(f"{name}: {f}" for f in notebook_flags(submission / name, release / name))
    return flags


def notebook_flags(path: Path, release: Path) -> list[str]:
    """Flags of one submitted notebook against its release version."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return ["not UTF-8 text (unreadable, scored zero)"]
    try:
        doc = json.loads(text)
    except ValueError:
        return ["not a valid notebook file (broken JSON, scored zero)"]
    if not isinstance(doc, dict) or "cells" not in doc and "worksheets" not in doc:
        return ["not a notebook (scored zero)"]
    flags: list[str] = []
    if doc.get("nbformat", 4) < 4:
        flags.append(f"old notebook format v{doc.get('nbformat')} (converted)")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises many kinds
        return [f"not a readable notebook ({type(exc).__name__})"]
    release_cells = {
        c.metadata.get("nbgrader", {}).get("grade_id"): c
        for c in nbformat.read(release, as_version=4).cells
    }
    release_cells.pop(None, None)
    seen: dict[str, int] = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id")
        if gid:
            seen[gid] = seen.get(gid, 0) + 1
        if gid in release_cells:
            original = release_cells[gid]
            if cell.cell_type != original.cell_type:
                flags.append(
                    f"cell {gid} changed from {original.cell_type} to {cell.cell_type} (restored)"
                )
            elif meta.get("locked") and cell.source != original.source:
                flags.append(f"locked cell {gid} was edited (restored from the source)")
        if cell.cell_type == "code" and not meta.get("locked"):
            for pattern, reason in SUSPICIOUS:
                if re.search(pattern, cell.source):
                    flags.append(f"code {reason} (cell {gid or 'added'})")
    for gid in release_cells:
        if gid not in seen:
            flags.append(f"cell {gid} was deleted (restored, as unanswered)")
    flags.extend(
        f"cell {gid} appears {n} times (the first is graded)" for gid, n in seen.items() if n > 1
    )
    return sorted(set(flags), key=flags.index)


def event_flags(events: list[str]) -> list[str]:
    """Flags from the sandbox's audit log of one kernel: one per kind of event,
    with how often it happened and the first example."""
    seen: dict[str, list[str]] = {}
    for line in events:
        if any(p.search(line) for p in BENIGN_EVENTS):
            continue
        kind, _, detail = line.partition("\t")
        seen.setdefault(kind, []).append(detail)
    flags = []
    for kind, details in seen.items():
        times = f" ({len(details)} times)" if len(details) > 1 else ""
        flags.append(f"{EVENT_REASONS.get(kind, kind)}{times}: {details[0][:120]}")
    return flags
