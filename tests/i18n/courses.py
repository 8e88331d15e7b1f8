"""One built course per language for the whole test session, shared by the
pipeline, notebook and browser tests (a build takes about 20 s, grading
submissions much longer: a language is built once, never per test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_course

from course.build import TRANSLATED_SOURCE, build
from course.world import DEFAULT_SEED

LANGUAGES = ("en", "ru")
_BUILT: dict[str, Path] = {}


def built_course_in(lang: str, factory: pytest.TempPathFactory) -> Path:
    """A course folder built with the default seed in ``lang`` (made once)."""
    if lang not in _BUILT:
        root = copy_course(factory.mktemp(f"course-{lang}"))
        build(root, seed=DEFAULT_SEED, progress=False, lang=lang)
        _BUILT[lang] = root
    return _BUILT[lang]


def source_dir(root: Path, lang: str, assignment: str = "") -> Path:
    """Where the source notebooks (with solutions) of ``lang`` are in a built course."""
    base = root / "source" if lang == "en" else root / str(TRANSLATED_SOURCE).format(lang=lang)
    return base / assignment if assignment else base
