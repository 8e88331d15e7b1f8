"""A language edition of the whole course: updating its PO files, checking
that every trainee-visible text has a current translation, and writing the
translated notebooks a build releases.

What a trainee reads, and so what the check covers: the header notebook and
every notebook of every released assignment (markdown and code texts), the
message catalogue (every id of ``CATALOGUE["en"]``), the hints of the
released exercises in the answer key, and the trainee documents.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nbformat

from course.errors import CourseError
from course.i18n import (
    LANG_CODE,
    SOURCE_LANG,
    TRAINEE_DOCS,
    _languages,
    catalogue_file,
    doc_output,
    doc_po,
    notebook_po,
)
from course.i18n import catalogues as cats
from course.i18n import notebook as nbtr
from course.i18n import po as po_files
from course.i18n.code import CodeTranslationError
from course.paths import source_assignments

HEADER = Path("source") / "header.ipynb"
MAX_LISTED = 40


def released_assignments(root: Path) -> list[str]:
    """Assignments with at least one notebook (those a build releases)."""
    return [a for a in source_assignments(root) if any((root / "source" / a).glob("*.ipynb"))]


def source_notebooks(root: Path) -> list[Path]:
    """The header and every notebook of every released assignment."""
    found = [root / HEADER] if (root / HEADER).is_file() else []
    for assignment in released_assignments(root):
        found += sorted((root / "source" / assignment).glob("*.ipynb"))
    return found


def header_po(root: Path, lang: str) -> Path:
    return root / "source" / "i18n" / lang / "header.po"


def po_for(root: Path, notebook: Path, lang: str) -> Path:
    return header_po(root, lang) if notebook == root / HEADER else notebook_po(notebook, lang)


def released_grade_ids(root: Path) -> set[str]:
    """Grade ids of the autograded test cells of the released notebooks."""
    found = set()
    for path in source_notebooks(root):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
                found.add(meta["grade_id"])
    return found


def world_answers() -> dict[str, Any]:
    """The answer key's entries of the default world (hints do not depend on the seed)."""
    from course.world import DEFAULT_SEED, build_world

    return build_world(seed=DEFAULT_SEED, progress=False).key_document()["answers"]


def _check_code(lang: str) -> None:
    if lang == SOURCE_LANG or not LANG_CODE.match(lang):
        raise CourseError(
            f"'{lang}' is not a language to translate into: use a code such as ru, kk or uz"
        )


# -- documents -----------------------------------------------------------------------
_ITEM = re.compile(r"^(\d+\.|[-*]) ")


def doc_units(text: str) -> list[tuple[str, str]]:
    """A markdown document as ``(unit, separator)`` pairs: paragraphs, list
    items and fenced blocks; joining them gives the text back."""
    units: list[tuple[str, str]] = []
    current: list[str] = []
    fenced = False

    def close(separator: str) -> None:
        if current:
            units.append(("".join(current).rstrip("\n"), separator))
            current.clear()

    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and not line.startswith("```") and not line.strip():
            if current:
                close("\n" + line)
            elif units:
                units[-1] = (units[-1][0], units[-1][1] + line)
            continue
        if not fenced and _ITEM.match(line) and current:
            close("\n")
        current.append(line)
    close("\n" if text.endswith("\n") else "")
    return units


def doc_entries(root: Path, doc: str) -> list[po_files.Entry]:
    text = (root / "docs" / f"{doc}.md").read_text(encoding="utf-8")
    return [po_files.Entry(None, unit, "markdown", f"docs/{doc}.md") for unit, _ in doc_units(text)]


def render_doc(root: Path, doc: str, lang: str) -> tuple[str, list[str]]:
    """The translated document, and the English texts it lacks (kept English)."""
    catalog = po_files.read(doc_po(root, doc, lang))
    text = (root / "docs" / f"{doc}.md").read_text(encoding="utf-8")
    out = [
        f"<!-- Made by `course i18n update` from docs/{doc}.md and "
        f"docs/i18n/{lang}/{doc}.po: edit those, not this file. -->\n\n"
    ]
    missing = []
    for unit, separator in doc_units(text):
        translated = po_files.current(catalog, unit, None)
        if translated is None:
            missing.append(unit)
        out.append((translated or unit) + separator)
    return "".join(out), missing


# -- update ----------------------------------------------------------------------------
def update(
    root: Path, lang: str, answers: dict[str, Any] | None = None, catalogues: bool = True
) -> list[Path]:
    """Bring every PO file of ``lang`` up to date with the English texts
    (keeping every still-valid translation) and rewrite the translated
    documents. Returns the files that changed.

    ``catalogues=False`` leaves the message and hint catalogues alone (they
    belong to the installed package, not to the course folder at ``root``).
    """
    _check_code(lang)
    changed: list[Path] = []
    for notebook in source_notebooks(root):
        nb = nbformat.read(notebook, as_version=4)
        rel = str(notebook.relative_to(root))
        entries = [unit.entry(rel) for unit in nbtr.units(nb)]
        path = po_for(root, notebook, lang)
        if po_files.update(path, entries, lang):
            changed.append(path)
    todo = [("messages", cats.message_entries())] if catalogues else []
    if catalogues and answers is None:
        try:
            answers = world_answers()
        except Exception as exc:  # a broken world must not stop the other files
            print(f"hints not updated: the case world does not build ({type(exc).__name__})")
    if catalogues and answers is not None:
        todo.append(("hints", cats.hint_entries(answers)))
    for name, entries in todo:
        path = catalogue_file(lang, name)
        if po_files.update(path, entries, lang):
            changed.append(path)
    for doc in TRAINEE_DOCS:
        if not (root / "docs" / f"{doc}.md").is_file():
            continue
        path = doc_po(root, doc, lang)
        if po_files.update(path, doc_entries(root, doc), lang):
            changed.append(path)
        target = doc_output(root, doc, lang)
        text, _ = render_doc(root, doc, lang)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(target)
    _languages.cache_clear()
    return changed


# -- check -----------------------------------------------------------------------------
def _describe(unit_kind: str, text: str) -> str:
    first = " ".join(text.split())
    return f"{unit_kind} '{first[:60]}{'...' if len(first) > 60 else ''}'"


def check(root: Path, lang: str, answers: dict[str, Any] | None = None) -> list[str]:
    """One line per trainee-visible text of ``lang`` that lacks a current
    translation, or whose translation breaks its notebook (empty: complete)."""
    if lang == SOURCE_LANG:
        return []
    problems: list[str] = []
    for notebook in source_notebooks(root):
        rel = notebook.relative_to(root)
        try:
            result = translate_notebook(root, notebook, lang)
        except CodeTranslationError as exc:
            problems.append(f"{rel}: {exc}")
            continue
        for unit, state in result.missing:
            problems.append(
                f"{rel} cell {unit.cell}: {state} {lang} translation of the "
                f"{_describe(unit.kind, unit.text)}"
            )
        problems += [f"{rel}: {p}" for p in result.problems]
        if not result.problems:
            english = nbformat.read(notebook, as_version=4)
            problems += [f"{rel}: {p}" for p in nbtr.same_code(english, result.notebook)]
    problems += cats.message_problems(lang)
    answers = world_answers() if answers is None else answers
    required = released_grade_ids(root)
    document = {"answers": {g: a for g, a in answers.items() if g in required}}
    _, missing = cats.translate_key(document, lang)
    problems += [f"hint of {gid}: no current {lang} translation (hints.po)" for gid in missing]
    for doc in TRAINEE_DOCS:
        if not (root / "docs" / f"{doc}.md").is_file():
            continue
        text, missing_units = render_doc(root, doc, lang)
        problems += [
            f"docs/{doc}.md: no current {lang} translation of {_describe('text', u)}"
            for u in missing_units
        ]
        target = doc_output(root, doc, lang)
        if not missing_units and (
            not target.is_file() or target.read_text(encoding="utf-8") != text
        ):
            problems.append(f"{target.relative_to(root)} is out of date: run `course i18n update`")
    return problems


def summary(problems: list[str], lang: str) -> str:
    """A one-line summary of ``check``'s problems, for an error message."""
    return (
        f"{len(problems)} trainee-visible text(s) lack a current {lang} translation or break "
        f"their notebook (first: {problems[0]}); run `course i18n update --lang {lang}`, "
        f"translate, then `course i18n check --lang {lang}`"
    )


# -- building -------------------------------------------------------------------------
def translate_notebook(root: Path, notebook: Path, lang: str) -> nbtr.Result:
    nb = nbformat.read(notebook, as_version=4)
    catalog = po_files.read(po_for(root, notebook, lang))
    return nbtr.translate(nb, catalog, str(notebook.relative_to(root)))


def write_sources(root: Path, lang: str, out: Path, assignments: Iterable[str]) -> Path:
    """Write the ``lang`` source tree to ``out``: the header and, for each
    assignment, its translated notebooks and its other files (the data).
    Returns the translated header's path.

    Raises
    ------
    CourseError
        If a text lacks a current translation.
    """
    out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    header = out / "header.ipynb"
    for assignment in assignments:
        src, dst = root / "source" / assignment, out / assignment
        if dst.exists():
            shutil.rmtree(dst)
        shutil.copytree(
            src, dst, ignore=shutil.ignore_patterns("*.ipynb", "i18n", ".ipynb_checkpoints")
        )
        for notebook in sorted(src.glob("*.ipynb")):
            result = translate_notebook(root, notebook, lang)
            problems += [f"{notebook.name} cell {u.cell}: {s}" for u, s in result.missing]
            problems += result.problems
            nbformat.write(result.notebook, dst / notebook.name)
    if (root / HEADER).is_file():
        result = translate_notebook(root, root / HEADER, lang)
        problems += [f"header.ipynb cell {u.cell}: {s}" for u, s in result.missing]
        problems += result.problems
        nbformat.write(result.notebook, header)
    if problems:
        raise CourseError(summary(problems, lang))
    return header
