"""The Russian-English glossary (docs/glossary-ru.md) is a glossary of this
course: every term it lists is used in the English course and, in its
Russian form, in the Russian edition."""

from __future__ import annotations

import re

import nbformat
from conftest import REPO

from course.i18n import edition
from course.i18n import po as po_files
from course.messages import CATALOGUE, catalogue

GLOSSARY = REPO / "docs" / "glossary-ru.md"


def rows() -> list[tuple[str, str]]:
    found = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("Русский",) and not set(cells[0]) <= set("-: "):
            found.append((cells[0], cells[1]))
    return found


def _alternatives(term: str) -> list[str]:
    """The forms a cell offers: 'a / b', 'a, b', 'a (b)' give a and b."""
    parts = re.split(r"\s*/\s*|\s*,\s*|;\s*|\s*\(|\)\s*", term)
    return [p.strip(" «»*…").lower() for p in parts if len(p.strip(" «»*…")) >= 2]


def _english_text() -> str:
    texts = [
        cell.source
        for notebook in edition.source_notebooks(REPO)
        for cell in nbformat.read(notebook, as_version=4).cells
    ]
    texts += list(CATALOGUE["en"].values())
    texts.append((REPO / "docs" / "trainee-quickstart.md").read_text(encoding="utf-8"))
    return "\n".join(texts).lower()


def _russian_text() -> str:
    texts = []
    for notebook in edition.source_notebooks(REPO):
        catalog = po_files.read(edition.po_for(REPO, notebook, "ru"))
        texts += [m.string for m in catalog if m.id and isinstance(m.string, str)]
    texts += list(catalogue("ru").values())
    texts.append((REPO / "docs" / "trainee-quickstart.ru.md").read_text(encoding="utf-8"))
    return "\n".join(texts).lower()


def used(term: str, text: str) -> bool:
    """Some form of ``term`` is in ``text``: each word of one of its
    alternatives, by its first five letters (Russian words change endings)."""
    for alt in _alternatives(term):
        words = [w for w in re.findall(r"[\w-]+", alt) if len(w) >= 3] or [alt]
        if all(w[:5] in text for w in words):
            return True
    return False


def test_the_glossary_has_both_languages_on_every_row() -> None:
    found = rows()
    assert len(found) > 60
    for russian, english in found:
        assert russian and english, (russian, english)
        assert re.search("[а-яё]", russian.lower()) or russian.startswith(("Tor", "OPSEC")), russian


def test_every_glossary_term_is_a_term_of_the_course() -> None:
    english_text, russian_text = _english_text(), _russian_text()
    unused = [e for _, e in rows() if not used(e, english_text)]
    unused += [r for r, _ in rows() if not used(r, russian_text)]
    assert unused == [], f"not terms of the course: {unused}"
