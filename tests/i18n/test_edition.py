"""The Russian edition is complete and current, and the check that says so
fails when a translation goes missing or its English changes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, copy_course

from course.i18n import catalogues, edition
from course.i18n import notebook as nbtr
from course.i18n import po as po_files
from course.i18n.code import spans
from course.messages import CATALOGUE

LANG = "ru"
NOTEBOOKS = edition.source_notebooks(REPO)


@pytest.fixture(scope="module")
def answers() -> dict:
    """The answer key's entries of the default world (for the hints)."""
    return edition.world_answers()


def test_every_trainee_visible_text_has_a_current_russian_translation(answers: dict) -> None:
    problems = edition.check(REPO, LANG, answers=answers)
    assert problems == [], (
        f"{len(problems)} problem(s); run `course i18n update --lang ru`, translate, "
        "then `course i18n check --lang ru`:\n" + "\n".join(problems[:30])
    )


def test_the_check_covers_every_notebook_message_and_released_hint(answers: dict) -> None:
    """What the check walks through is what a trainee reads."""
    names = {p.relative_to(REPO).as_posix() for p in NOTEBOOKS}
    assert "source/header.ipynb" in names
    for day in ("day0-orientation", "day1-darkweb-tor"):
        assert {f"source/{day}/{p.name}" for p in (REPO / "source" / day).glob("*.ipynb")} <= names
    assert {e.context for e in catalogues.message_entries()} >= {
        mid.rpartition(".")[0] if mid.endswith((".one", ".other")) else mid
        for mid in CATALOGUE["en"]
    }
    assert {e.context for e in catalogues.hint_entries(answers)} >= {
        gid for gid in edition.released_grade_ids(REPO) if answers.get(gid, {}).get("hint")
    }


# -- the check fails when a translation is removed or its English changes ----------
def _current_markdown_unit(root: Path) -> tuple[Path, nbtr.Unit]:
    for notebook in edition.source_notebooks(root):
        catalog = po_files.read(edition.po_for(root, notebook, LANG))
        for unit in nbtr.units(nbformat.read(notebook, as_version=4)):
            if unit.kind == "markdown" and po_files.status(catalog, unit.text, unit.context) == (
                "current"
            ):
                return notebook, unit
    raise AssertionError("no markdown cell has a current Russian translation")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return copy_course(tmp_path / "course")


def test_removing_one_markdown_translation_fails_the_check(course: Path) -> None:
    notebook, unit = _current_markdown_unit(course)
    before = set(edition.check(course, LANG, answers={}))
    path = edition.po_for(course, notebook, LANG)
    catalog = po_files.read(path)
    catalog.delete(unit.text, context=unit.context)
    po_files.write(catalog, path)
    new = set(edition.check(course, LANG, answers={})) - before
    assert any(f"cell {unit.cell}: missing ru translation" in p for p in new), new


def test_changing_one_english_cell_fails_the_check_until_reviewed(course: Path) -> None:
    notebook, unit = _current_markdown_unit(course)
    before = set(edition.check(course, LANG, answers={}))
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if c.get("id") == unit.cell)
    cell.source += "\n\nOne more sentence."
    nbformat.write(nb, notebook)
    new = set(edition.check(course, LANG, answers={})) - before
    assert any(f"cell {unit.cell}: missing ru translation" in p for p in new), new
    # `course i18n update` keeps the old translation as a fuzzy suggestion: still stale
    edition.update(course, LANG, catalogues=False)
    catalog = po_files.read(edition.po_for(course, notebook, LANG))
    message = catalog.get(cell.source, context=unit.cell)
    assert message is not None and message.fuzzy and message.string
    new = set(edition.check(course, LANG, answers={})) - before
    assert any(f"cell {unit.cell}: stale ru translation" in p for p in new), new
    # a translator reviews it (removes the fuzzy flag): the check passes again
    message.flags.discard("fuzzy")
    po_files.write(catalog, edition.po_for(course, notebook, LANG))
    rel = notebook.relative_to(course)
    after = edition.check(course, LANG, answers={})
    assert not [p for p in after if p.startswith(f"{rel} cell {unit.cell}:")], after


def test_update_keeps_every_still_valid_translation(course: Path) -> None:
    before = {
        (n.name, u.context, u.text): po_files.current(
            po_files.read(edition.po_for(course, n, LANG)), u.text, u.context
        )
        for n in edition.source_notebooks(course)
        for u in nbtr.units(nbformat.read(n, as_version=4))
    }
    edition.update(course, LANG, catalogues=False)
    for notebook in edition.source_notebooks(course):
        catalog = po_files.read(edition.po_for(course, notebook, LANG))
        for unit in nbtr.units(nbformat.read(notebook, as_version=4)):
            key = (notebook.name, unit.context, unit.text)
            assert po_files.current(catalog, unit.text, unit.context) == before[key], key


def test_a_new_english_message_fails_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CATALOGUE["en"], "test.brand_new", "A brand-new message for {who}.")
    problems = catalogues.message_problems(LANG)
    assert "message test.brand_new: missing ru translation" in problems


def test_a_changed_hint_fails_the_check(course: Path, answers: dict) -> None:
    gid = sorted(edition.released_grade_ids(REPO))[0]
    changed = {**answers, gid: {**answers[gid], "hint": "A hint nobody has translated."}}
    problems = edition.check(course, LANG, answers=changed)
    assert f"hint of {gid}: no current ru translation (hints.po)" in problems


# -- the Russian notebooks are the same code ----------------------------------------
def _translated(notebook: Path) -> nbformat.NotebookNode:
    return edition.translate_notebook(REPO, notebook, LANG).notebook


class _Blank(ast.NodeTransformer):
    """Every string constant emptied, every f-string reduced to its fields."""

    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant(value="") if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.JoinedStr:
        self.generic_visit(node)
        node.values = [v for v in node.values if isinstance(v, ast.FormattedValue)]
        return node


def _shape(source: str) -> str:
    return ast.dump(_Blank().visit(ast.parse(source)))


def _strings(source: str) -> list[str]:
    """The string constants of a cell outside f-strings, in AST order."""
    found: list[str] = []

    def walk(node: ast.AST) -> None:
        if isinstance(node, ast.JoinedStr):
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(node.value)
        for child in ast.iter_child_nodes(node):
            walk(child)

    walk(ast.parse(source))
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_russian_notebook_is_the_same_code(notebook: Path) -> None:
    english = nbformat.read(notebook, as_version=4)
    russian = _translated(notebook)
    assert nbtr.same_code(english, russian) == []
    # independently of the rule's own masking: the ASTs differ only in the text
    # of strings, and a string outside an f-string differs only where the rule
    # allows a translation
    for en_cell, ru_cell in zip(english.cells, russian.cells, strict=True):
        if en_cell.cell_type != "code":
            continue
        assert _shape(en_cell.source) == _shape(ru_cell.source), en_cell.get("id")
        translatable = {s.text for s in spans(en_cell.source)}
        for en_text, ru_text in zip(
            _strings(en_cell.source), _strings(ru_cell.source), strict=True
        ):
            assert en_text == ru_text or en_text in translatable, (
                f"{en_cell.get('id')}: {en_text!r} is code and was changed to {ru_text!r}"
            )


@pytest.mark.parametrize(
    "notebook, data",
    [
        ("day1-darkweb-tor/01-nps-and-market-titles.ipynb", '"Мефедрон 1г"'),
        ("day1-darkweb-tor/02-tor-circuits-and-consensus.ipynb", '"guard"'),
        ("day0-orientation/01-working-in-the-classroom.ipynb", '"seizures.csv"'),
        ("day0-orientation/02-python-for-investigators.ipynb", '"weight_g"'),
    ],
)
def test_data_values_stay_as_they_are(notebook: str, data: str) -> None:
    english = nbformat.read(REPO / "source" / notebook, as_version=4)
    russian = _translated(REPO / "source" / notebook)
    count = sum(c.source.count(data) for c in english.cells if c.cell_type == "code")
    assert count > 0
    assert sum(c.source.count(data) for c in russian.cells if c.cell_type == "code") == count


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_every_manual_task_welcomes_answers_in_russian(notebook: Path) -> None:
    """Each task cell says so to the trainee, and its mark scheme is in Russian."""
    for cell in _translated(notebook).cells:
        if not cell.get("metadata", {}).get("nbgrader", {}).get("task"):
            continue
        shown, _, scheme = cell.source.partition("### BEGIN MARK SCHEME")
        assert "по-русски" in shown, cell.get("id")
        assert re.search("[а-яё]{4}", scheme) and "балл" in scheme, cell.get("id")


def test_the_russian_header_says_how_to_work_in_russian() -> None:
    header = _translated(REPO / "source" / "header.ipynb")
    text = header.cells[0].source
    assert "Ядро → Перезапустить ядро и выполнить все ячейки…" in text  # as the ru-RU pack shows it
    assert "**Validate**" in text and "**Submit**" in text  # nbgrader's buttons stay English


def test_translation_catalogues_ship_with_the_package() -> None:
    """A classroom installs the package (not editable): its package data must
    hold every catalogue, or the messages fall back to English there."""
    import fnmatch
    import tomllib

    data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = data["package-data"]["course.i18n"]
    base = REPO / "course" / "i18n"
    catalogues = [p.relative_to(base).as_posix() for p in (base / "locale").rglob("*.po")]
    assert catalogues
    for name in catalogues:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
