"""A third language needs only its translation files.

The test makes a tiny pseudo-language, ``xx``: every English text wrapped in
⟦...⟧, its code fields and markers kept. Its files are written where a
translator would put them (the notebooks' ``i18n/xx/`` folders of a course
copy, and a catalogue folder on ``COURSE_I18N_PATH``), and nothing else
changes: the check passes, ``course build --lang xx`` releases every
assignment in it with the same exercises, and the messages speak it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import copy_course

from course.i18n import ENV_PATH, edition
from course.i18n import catalogues as cats
from course.i18n import notebook as nbtr
from course.i18n import po as po_files
from course.i18n.code import spans

LANG = "xx"
_MARKER = re.compile(r"^\s*#*\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)\s*$")


def pseudo(text: str, kind: str) -> str:
    """⟦text⟧ per line of prose; markers, code fences and table rules kept."""
    if kind != "markdown":
        return f"⟦{text}⟧"
    out, fenced = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        keep = fenced or line.startswith("```") or _MARKER.match(line) or not line.strip()
        keep = keep or set(line.strip()) <= set("|-: ")
        out.append(line if keep else f"{line} ⟦xx⟧")
    return "\n".join(out)


def write_pseudo_language(course: Path, catalogues: Path, answers: dict) -> None:
    for notebook in edition.source_notebooks(course):
        units = nbtr.units(nbformat.read(notebook, as_version=4))
        catalog = po_files.template([u.entry("") for u in units], LANG)
        for unit in units:
            catalog.get(unit.text, context=unit.context).string = pseudo(unit.text, unit.kind)
        po_files.write(catalog, edition.po_for(course, notebook, LANG))
    for name, entries in (
        ("messages", cats.message_entries()),
        ("hints", cats.hint_entries(answers)),
    ):
        catalog = po_files.template(entries, LANG)
        for entry in entries:
            forms = entry.text if isinstance(entry.text, tuple) else (entry.text,)
            catalog.get(entry.text, context=entry.context).string = (
                tuple(f"⟦{f}⟧" for f in forms) if isinstance(entry.text, tuple) else f"⟦{forms[0]}⟧"
            )
        po_files.write(catalog, catalogues / LANG / f"{name}.po")


@pytest.fixture(scope="module")
def third(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A course copy with the pseudo-language's files, built in it."""
    from course.build import build

    base = tmp_path_factory.mktemp("third-language")
    course = copy_course(base / "course")
    catalogues = base / "catalogues"
    mp = pytest.MonkeyPatch()
    mp.setenv(ENV_PATH, str(catalogues))
    write_pseudo_language(course, catalogues, edition.world_answers())
    try:
        build(course, seed=2026, progress=False, lang=LANG)
        yield course, catalogues
    finally:
        mp.undo()


def test_only_translation_files_were_added(third: tuple[Path, Path]) -> None:
    course, catalogues = third
    added = sorted(p.relative_to(course).as_posix() for p in course.rglob(f"i18n/{LANG}/*"))
    assert added and all(re.match(rf"source/(day[^/]+/)?i18n/{LANG}/[^/]+\.po$", a) for a in added)
    assert sorted(p.name for p in (catalogues / LANG).iterdir()) == ["hints.po", "messages.po"]


def test_the_check_passes_for_the_new_language(
    third: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    course, catalogues = third
    monkeypatch.setenv(ENV_PATH, str(catalogues))
    assert edition.check(course, LANG) == []
    command = ["-m", "course.cli", "--root", str(course), "i18n", "check", "--lang", LANG]
    proc = subprocess.run(
        [sys.executable, *command],
        capture_output=True,
        text=True,
        env={**os.environ, ENV_PATH: str(catalogues)},
    )
    assert proc.returncode == 0 and f"{LANG}: complete" in proc.stdout, proc.stdout + proc.stderr


def test_every_assignment_is_released_in_it_with_the_same_exercises(
    third: tuple[Path, Path],
) -> None:
    course, _ = third
    for english in sorted((course / "source").glob("day*/*.ipynb")):
        released = nbformat.read(course / "release" / english.parent.name / english.name, 4)
        source = nbformat.read(english, as_version=4)
        graded = [
            (c.metadata["nbgrader"]["grade_id"], c.metadata["nbgrader"].get("points"))
            for c in source.cells
            if c.metadata.get("nbgrader", {}).get("grade_id")
        ]
        assert [
            (c.metadata["nbgrader"]["grade_id"], c.metadata["nbgrader"].get("points"))
            for c in released.cells
            if c.metadata.get("nbgrader", {}).get("grade_id")
        ] == graded
        markdown = [c.source for c in released.cells if c.cell_type == "markdown"]
        assert markdown and all("⟦xx⟧" in m for m in markdown), english.name
        tests = [c for c in released.cells if c.metadata.get("nbgrader", {}).get("grade")]
        for cell in tests:
            if cell.cell_type == "code" and spans(cell.source):
                assert "⟦" in cell.source, cell.metadata["nbgrader"]["grade_id"]


def test_the_key_and_the_messages_speak_it(
    third: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from course.messages import t, tn

    course, catalogues = third
    key = json.loads((course / "keys" / "answer_key.json").read_text(encoding="utf-8"))
    assert key["lang"] == LANG
    assert all(e["hint"].startswith("⟦") for e in key["answers"].values() if e.get("hint"))
    monkeypatch.setenv(ENV_PATH, str(catalogues))
    monkeypatch.setenv("COURSE_LANG", LANG)
    assert t("seizures.city_label") == "⟦City⟧"
    assert tn("seizures.summary", 3, total_g=1.0) == "⟦3 seizures, 1.0 g in total⟧"
