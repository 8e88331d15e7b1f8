"""Reading a submitted notebook safely and rebuilding it from the course's own cells.

The submitted file is data from a trainee: it is read without following
links, only if it is a regular file of a bounded size, and nothing in its
metadata is trusted. The notebook that is run (and then scored) is rebuilt:

- every graded, locked or task cell comes from the course, in the course's
  order: test cells with their hidden tests from the gradebook, their points
  and checksums from the gradebook, other locked cells and task cells as
  released;
- an answer cell takes the trainee's text, matched by its ``grade_id`` (the
  first cell with that id and the released cell type);
- the trainee's own cells (no ``grade_id`` of the assignment) are kept, with
  no metadata and no outputs, after the graded cell they followed.

So a trainee can change the text of their answers and add cells, but not
the tests, the points, the cell types, the order of graded cells, or which
cells are graded; each such attempt is flagged.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

#: a submitted notebook larger than this is not read (scored zero, flagged)
MAX_NOTEBOOK_BYTES = 25 * 2**20
#: a trainee's own cells beyond this number are left out (flagged)
MAX_OWN_CELLS = 300
#: a submitted cell's text longer than this is cut (flagged)
MAX_CELL_CHARS = 200_000


class Unreadable(ValueError):
    """The file cannot be used as a notebook; the message says why (one line)."""


def read_plain_file(path: Path, limit: int = MAX_NOTEBOOK_BYTES) -> bytes:
    """Bytes of ``path`` if it is a regular file (not a link, one name) of at most ``limit``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if os.path.islink(path):
            raise Unreadable("a link, not a file (ignored, scored zero)") from None
        raise Unreadable(f"cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("not a regular file (scored zero)")
        if info.st_nlink != 1:
            raise Unreadable("a hard link to another file (ignored, scored zero)")
        if info.st_size > limit:
            raise Unreadable(f"too large ({info.st_size / 2**20:.0f} MB; scored zero)")
        data = b""
        while chunk := os.read(fd, 1 << 20):
            data += chunk
            if len(data) > limit:
                raise Unreadable("too large (scored zero)")
        return data
    finally:
        os.close(fd)


@dataclass(frozen=True)
class CourseCell:
    """A graded, locked or task cell as the course defines it."""

    grade_id: str
    cell_type: str
    source: str
    metadata: dict
    answer: bool  # a solution cell: the trainee's text is used
    released: str = ""  # the text trainees were given (hidden tests removed)
    cell_id: str = ""  # the released cell's id, kept by JupyterLab in the trainee's copy
    released_meta: dict = field(default_factory=dict)  # nbgrader metadata as released


@dataclass
class Rebuilt:
    """The notebook to run, and what the trainee's file looked like."""

    notebook: nbformat.NotebookNode
    flags: list[str] = field(default_factory=list)
    answered: int = 0


def course_cells(release: nbformat.NotebookNode, gradebook: dict[str, dict]) -> list:
    """The released notebook's cells, with every graded/locked cell as the course
    defines it (``gradebook``: ``grade_id -> {"source", "checksum", "points"}``)."""
    cells = []
    for cell in release.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        gid = meta.get("grade_id")
        if not gid:
            cells.append(cell)
            continue
        meta = dict(meta)
        known = gradebook.get(gid, {})
        is_test = meta.get("grade") and not meta.get("solution") and cell.cell_type == "code"
        source = known.get("source", cell.source) if is_test else cell.source
        for key in ("checksum", "points"):
            if known.get(key) is not None:
                meta[key] = known[key]
        metadata = {"nbgrader": meta}
        cells.append(
            CourseCell(
                gid,
                cell.cell_type,
                source,
                metadata,
                bool(meta.get("solution")),
                cell.source,
                str(cell.get("id", "")),
                dict(cell.metadata.get("nbgrader", {})),
            )
        )
    return cells


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return None


def _grade_id(cell: dict) -> str | None:
    meta = cell.get("metadata")
    if not isinstance(meta, dict) or not isinstance(meta.get("nbgrader"), dict):
        return None
    gid = meta["nbgrader"].get("grade_id")
    return gid if isinstance(gid, str) else None


def parse_cells(data: bytes) -> tuple[list[dict], list[str]]:
    """The cells of a submitted notebook as plain dicts, and flags; raises Unreadable."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable("not UTF-8 text (unreadable, scored zero)") from None
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise Unreadable("not a valid notebook file (broken JSON, scored zero)") from None
    if not isinstance(doc, dict) or ("cells" not in doc and "worksheets" not in doc):
        raise Unreadable("not a notebook (scored zero)")
    flags = []
    version = doc.get("nbformat")
    if "worksheets" in doc or (type(version) is int and version < 4):
        flags.append(f"old notebook format v{doc.get('nbformat')} (converted)")
        try:
            doc = json.loads(nbformat.writes(nbformat.reads(text, as_version=4)))
        except Exception:  # nbformat raises many kinds on damaged old files
            raise Unreadable("an old notebook format that cannot be converted") from None
    cells = doc.get("cells")
    if not isinstance(cells, list):
        raise Unreadable("its cells cannot be read (scored zero)")
    kept = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            continue
        source = _text(cell.get("source", ""))
        if source is None:
            continue
        if len(source) > MAX_CELL_CHARS:
            flags.append("a cell's text was too long (cut)")
            source = source[:MAX_CELL_CHARS]
        meta = cell.get("metadata")
        nbgrader_meta = meta.get("nbgrader") if isinstance(meta, dict) else None
        cell_id = cell.get("id") if isinstance(cell.get("id"), str) else ""
        kept.append(
            {
                "cell_type": cell["cell_type"],
                "source": source,
                "grade_id": _grade_id(cell),
                "id": cell_id,
                "nbgrader": nbgrader_meta,
            }
        )
    if len(kept) < len(cells):
        flags.append(f"{len(cells) - len(kept)} damaged cell(s) ignored")
    return kept, flags


def _new_cell(cell_type: str, source: str, metadata: dict | None = None):
    make = {"code": new_code_cell, "markdown": new_markdown_cell, "raw": new_raw_cell}[cell_type]
    return make(source=source, metadata=metadata or {})


def rebuild(data: bytes, course: list) -> Rebuilt:
    """The notebook to run from the submitted bytes and the course's cells.

    Raises
    ------
    Unreadable
        If the bytes are not a notebook.
    """
    cells, flags = parse_cells(data)
    graded = {c.grade_id: c for c in course if isinstance(c, CourseCell)}
    by_id = {c.cell_id: c.grade_id for c in graded.values() if c.cell_id}
    order = [c.grade_id for c in course if isinstance(c, CourseCell)]
    copies: dict[str, int] = {}
    ids = {c["id"] for c in cells}
    for cell in cells:
        # a cell is the course's by its id (which the trainee does not see or
        # edit in JupyterLab), else by its grade id; the metadata is never trusted
        known = by_id.get(cell["id"]) if cell["id"] in by_id else None
        claimed = cell["grade_id"]
        if known is None and claimed in graded and graded[claimed].cell_id in ("", cell["id"]):
            known = claimed
        elif known is None and claimed in graded and graded[claimed].cell_id not in ids:
            known = claimed  # ids lost (an old format, a copy and paste): trust the grade id
        if known is not None and cell["nbgrader"] != graded[known].released_meta:
            flags.append(f"the grading metadata of cell {known} was changed (ignored)")
        if known is None and claimed in graded:
            copies[claimed] = copies.get(claimed, 1) + 1  # a copy of a course cell
        cell["grade_id"] = known if known is not None else (None if claimed in graded else claimed)
    answers: dict[str, str] = {}
    own: dict[str | None, list[dict]] = {}  # own cells after each graded cell (None: before all)
    seen: dict[str, int] = {}
    anchor: str | None = None
    last_position = -1
    for cell in cells:
        gid = cell["grade_id"]
        if gid in graded:
            seen[gid] = seen.get(gid, 0) + 1
            reference = graded[gid]
            if seen[gid] > 1:
                continue
            if cell["cell_type"] != reference.cell_type:
                flags.append(
                    f"cell {gid} changed from {reference.cell_type} to {cell['cell_type']} "
                    "(restored)"
                )
            elif reference.answer:
                answers[gid] = cell["source"]
            elif cell["source"] != reference.released and reference.metadata["nbgrader"].get(
                "locked"
            ):
                flags.append(f"locked cell {gid} was edited (restored from the source)")
            position = order.index(gid)
            if position < last_position:
                flags.append(f"cell {gid} was moved (graded in the course's order)")
            last_position = max(last_position, position)
            anchor = gid
        else:
            if gid:
                flags.append(f"a cell claims the unknown grade id {gid!r} (kept as a plain cell)")
            own.setdefault(anchor, []).append(cell)
    for gid in order:
        if gid not in seen:
            flags.append(f"cell {gid} was deleted (restored, as unanswered)")
    for gid, n in copies.items():
        seen[gid] = seen.get(gid, 0) + n - 1
    flags.extend(
        f"cell {g} appears {n} times (the first is graded)" for g, n in seen.items() if n > 1
    )

    nb = new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        }
    )
    own_count = 0

    def add_own(key: str | None) -> None:
        nonlocal own_count
        for cell in own.get(key, []):
            own_count += 1
            if own_count <= MAX_OWN_CELLS:
                nb.cells.append(_new_cell(cell["cell_type"], cell["source"]))

    add_own(None)
    for cell in course:
        if not isinstance(cell, CourseCell):
            continue
        source = answers.get(cell.grade_id, cell.source) if cell.answer else cell.source
        nb.cells.append(_new_cell(cell.cell_type, source, json.loads(json.dumps(cell.metadata))))
        add_own(cell.grade_id)
    if own_count > MAX_OWN_CELLS:
        flags.append(f"{own_count - MAX_OWN_CELLS} added cells beyond {MAX_OWN_CELLS} left out")
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:04d}"
    return Rebuilt(notebook=nb, flags=sorted(set(flags), key=flags.index), answered=len(answers))
