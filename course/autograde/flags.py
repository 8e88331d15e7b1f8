"""What to tell the instructor about a submission besides its score.

A flag is a one-line reason, never a penalty by itself: the score comes from
the tests; flags say what the grader should look at (a missing notebook, an
edited test cell, code that reached for the answer key ...).
"""

from __future__ import annotations

import re
from pathlib import Path

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


#: files nbgrader's own exchange puts into every submission
NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")


def static_flags(submission: Path, release: Path) -> list[str]:
    """Flags from looking at the submitted files, before anything runs: missing,
    renamed and extra files, links, and answer code that reaches for grading
    internals. (Edited, deleted, moved and duplicated graded cells are flagged
    when the notebook is rebuilt, :mod:`course.autograde.submission`.)"""
    from course.autograde.submission import Unreadable, parse_cells, read_plain_file

    flags: list[str] = []
    released = {p.name for p in release.glob("*.ipynb")}
    entries = {p.name: p for p in submission.iterdir()} if submission.is_dir() else {}
    submitted = {n for n in entries if n.endswith(".ipynb")}
    for name in sorted(released - submitted):
        flags.append(f"{name} is missing (scored zero)")
    for name in sorted(submitted - released):
        flags.append(f"{name} is not part of the assignment (ignored; renamed?)")
    links = sorted(n for n, p in entries.items() if p.is_symlink())
    if links:
        flags.append(f"links ignored: {', '.join(links[:5])}")
    extras = [
        n for n, p in entries.items()
        if not p.is_symlink() and not n.endswith(".ipynb") and n not in NBGRADER_FILES
        and not (release / n).exists()
    ]  # fmt: skip
    if extras:
        flags.append(f"extra files ignored: {', '.join(sorted(extras)[:5])}")
    for name in sorted(submitted & released):
        try:
            cells, _ = parse_cells(read_plain_file(submission / name))
        except Unreadable:
            continue  # said when the notebook is rebuilt
        locked = _locked_ids(release / name)
        answers = (c for c in cells if c["grade_id"] not in locked)
        flags.extend(f"{name}: {f}" for f in code_flags(answers))
    return flags


def _locked_ids(release: Path) -> set[str]:
    import nbformat

    ids = set()
    for cell in nbformat.read(release, as_version=4).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("locked") and meta.get("grade_id"):
            ids.add(meta["grade_id"])
    return ids


def code_flags(cells) -> list[str]:
    """Answer code that reaches for grading internals or outside the sandbox."""
    flags: list[str] = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        for pattern, reason in SUSPICIOUS:
            if re.search(pattern, cell["source"]):
                flags.append(f"code {reason} (cell {cell['grade_id'] or 'added'})")
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
