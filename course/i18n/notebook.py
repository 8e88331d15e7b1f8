"""Translating one notebook: its texts, and the translated notebook.

A notebook's texts are its markdown cells (one unit each, keyed by the
cell's id) and the translatable spans of its code cells
(:mod:`course.i18n.code`, keyed by the cell's id and the English text).
The translated notebook has the same cells, ids, metadata and code; only
those texts differ.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import nbformat
from babel.messages.catalog import Catalog

from course.i18n import code as code_rule
from course.i18n.po import Entry, current, status

#: nbgrader's delimiters: a translated cell keeps them, line for line.
NB_MARKERS = re.compile(r"^\s*#*\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)\s*$", re.M)
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_INLINE_CODE = re.compile(r"`([^`\n]+)`")

KIND_NOTES = {
    "markdown": "markdown cell",
    "comment": "code comment",
    "docstring": "docstring (shown in the cell)",
    "assert": "test message (shown when the test fails)",
    "print": "printed text",
    "label": "label of an output",
    "sentence": "sentence printed in a table",
}


@dataclass(frozen=True)
class Unit:
    """One text of a notebook."""

    cell: str
    kind: str
    text: str

    @property
    def context(self) -> str:
        return self.cell

    def entry(self, location: str) -> Entry:
        return Entry(self.context, self.text, KIND_NOTES[self.kind], location)


@dataclass
class Result:
    """A translated notebook and what stood in the way."""

    notebook: nbformat.NotebookNode
    missing: list[tuple[Unit, str]] = field(default_factory=list)  # (unit, status)
    problems: list[str] = field(default_factory=list)


def cell_id(cell, index: int) -> str:
    return cell.get("id") or f"cell-index-{index}"


def units(nb: nbformat.NotebookNode) -> list[Unit]:
    """Every text of ``nb`` a translator translates, in order."""
    found: list[Unit] = []
    for index, cell in enumerate(nb.cells):
        cid = cell_id(cell, index)
        if cell.cell_type == "markdown" and cell.source.strip():
            found.append(Unit(cid, "markdown", cell.source))
        elif cell.cell_type == "code":
            try:
                spans = code_rule.spans(cell.source)
            except code_rule.CodeTranslationError as exc:
                raise code_rule.CodeTranslationError(f"cell {cid}: {exc}") from None
            for span in spans:
                unit = Unit(cid, span.kind, span.text)
                if unit not in found:
                    found.append(unit)
    return found


def _markers(text: str) -> list[str]:
    return [m.group(0).strip() for m in NB_MARKERS.finditer(text)]


def markdown_problems(english: str, translated: str) -> list[str]:
    """What a markdown translation must keep: nbgrader's markers, and every
    inline code span of the English text (names, values, file names)."""
    problems = []
    if _markers(english) != _markers(translated):
        problems.append("the translation must keep nbgrader's BEGIN/END lines as they are")
    spans_en = set(_INLINE_CODE.findall(_FENCE.sub("", english)))
    spans_tr = set(_INLINE_CODE.findall(translated))
    lost = sorted(spans_en - spans_tr)
    if lost:
        problems.append(
            "code written `like this` must stay as it is in the translation: "
            + ", ".join(f"`{s}`" for s in lost[:5])
        )
    return problems


def translate(nb: nbformat.NotebookNode, catalog: Catalog, name: str) -> Result:
    """Translate ``nb`` with ``catalog``; untranslated texts stay English and
    are listed in the result with their status (missing, stale ...)."""
    out = copy.deepcopy(nb)
    result = Result(out)
    for index, cell in enumerate(out.cells):
        cid = cell_id(cell, index)
        if cell.cell_type == "markdown" and cell.source.strip():
            unit = Unit(cid, "markdown", cell.source)
            text = current(catalog, unit.text, unit.context)
            if text is None:
                result.missing.append((unit, status(catalog, unit.text, unit.context)))
                continue
            for problem in markdown_problems(cell.source, text):
                result.problems.append(f"{name} cell {cid}: {problem}")
            cell.source = text
        elif cell.cell_type == "code":

            def lookup(span: code_rule.Span, cid: str = cid) -> str | None:
                return current(catalog, span.text, cid)

            try:
                source, missing = code_rule.translate(cell.source, lookup)
            except code_rule.CodeTranslationError as exc:
                result.problems.append(f"{name} cell {cid}: {exc}")
                continue
            for span in missing:
                unit = Unit(cid, span.kind, span.text)
                result.missing.append((unit, status(catalog, span.text, cid)))
            cell.source = source
    return result


def same_code(english: nbformat.NotebookNode, translated: nbformat.NotebookNode) -> list[str]:
    """Differences other than translatable text between two notebooks: cell
    count, ids, types, metadata, and code skeletons (:func:`code.skeleton`)."""
    problems = []
    if len(english.cells) != len(translated.cells):
        return [f"{len(english.cells)} cells in English, {len(translated.cells)} translated"]
    for index, (a, b) in enumerate(zip(english.cells, translated.cells, strict=True)):
        cid = cell_id(a, index)
        if (cell_id(b, index), b.cell_type, b.metadata) != (cid, a.cell_type, a.metadata):
            problems.append(f"cell {cid}: id, type or metadata differ")
        elif a.cell_type == "code" and code_rule.skeleton(a.source) != code_rule.skeleton(
            b.source
        ):
            problems.append(f"cell {cid}: the code differs (not only its texts)")
    return problems
