"""Editions of the course in other languages, from one English source.

English is the source of every text. Each other language lives in gettext
PO files beside what they translate (a translator edits them without
touching a notebook or the code):

- ``source/<day>/i18n/<lang>/<notebook>.po``: a notebook's markdown cells and
  the translatable texts of its code cells (:mod:`course.i18n.code`);
- ``source/i18n/<lang>/header.po``: the shared header notebook;
- ``course/i18n/locale/<lang>/messages.po``: the message catalogue of
  :mod:`course.messages` (widgets, library and grading messages);
- ``course/i18n/locale/<lang>/hints.po``: the answer key's hints;
- ``docs/i18n/<lang>/<doc>.po``: trainee documents (the quick start), whose
  translation is written to ``docs/<doc>.<lang>.md``.

A language exists when its ``messages.po`` does, in ``course/i18n/locale/``
or in a folder of ``$COURSE_I18N_PATH`` (more languages without touching
the package). ``course i18n update`` brings every PO file up to date with the
English; ``course i18n check`` (and ``course build --lang``) fail while a
trainee-visible text has no current translation.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

from course.errors import CourseError
from course.paths import key_path

SOURCE_LANG = "en"
PACKAGE_LOCALE = Path(__file__).resolve().parent / "locale"
ENV_PATH = "COURSE_I18N_PATH"
I18N_DIR = "i18n"
LANG_CODE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")

#: Documents a trainee reads, translated like the notebooks (under docs/).
TRAINEE_DOCS = ("trainee-quickstart",)


def locale_dirs() -> list[Path]:
    """Folders holding ``<lang>/messages.po`` and ``<lang>/hints.po``: the
    package's, then those of ``$COURSE_I18N_PATH``."""
    extra = [Path(p) for p in os.environ.get(ENV_PATH, "").split(os.pathsep) if p]
    return [PACKAGE_LOCALE, *extra]


def languages() -> list[str]:
    """Every language of the course: English, then those with a message catalogue."""
    stamp = []
    for base in locale_dirs():
        try:
            stamp.append((str(base), base.stat().st_mtime_ns))
            stamp += [(d.name, d.stat().st_mtime_ns) for d in base.iterdir() if d.is_dir()]
        except OSError:
            continue
    return list(_languages(os.environ.get(ENV_PATH, ""), tuple(stamp)))


@lru_cache(maxsize=8)
def _languages(env_path: str, stamp: tuple) -> tuple[str, ...]:
    found = {
        d.name
        for base in locale_dirs()
        if base.is_dir()
        for d in base.iterdir()
        if (d / "messages.po").is_file() and LANG_CODE.match(d.name)
    }
    return (SOURCE_LANG, *sorted(found - {SOURCE_LANG}))


def check_language(lang: str) -> str:
    """Return ``lang`` if the course has it.

    Raises
    ------
    CourseError
        Naming the languages there are.
    """
    if lang not in languages():
        raise CourseError(
            f"no '{lang}' edition of the course (there are: {', '.join(languages())}); "
            f"a new language needs its translation files (see README, 'Languages')"
        )
    return lang


def catalogue_file(lang: str, name: str) -> Path:
    """``<locale dir>/<lang>/<name>.po``: the first that exists, else the package's."""
    for base in locale_dirs():
        path = base / lang / f"{name}.po"
        if path.is_file():
            return path
    return PACKAGE_LOCALE / lang / f"{name}.po"


def notebook_po(notebook: Path, lang: str) -> Path:
    """The PO file of a source notebook (``source/<day>/i18n/<lang>/<stem>.po``)."""
    return notebook.parent / I18N_DIR / lang / f"{notebook.stem}.po"


def doc_po(root: Path, doc: str, lang: str) -> Path:
    return root / "docs" / I18N_DIR / lang / f"{doc}.po"


def doc_output(root: Path, doc: str, lang: str) -> Path:
    return root / "docs" / f"{doc}.{lang}.md"


def built_language(root: Path) -> str:
    """The language the course at ``root`` was built in: the ``lang`` of its
    answer key (``en`` when there is no key or it names none)."""
    try:
        raw = json.loads(key_path(root).read_text(encoding="utf-8"))
        lang = raw.get("lang", SOURCE_LANG)
    except (OSError, ValueError, AttributeError):
        return SOURCE_LANG
    return lang if isinstance(lang, str) and LANG_CODE.match(lang) else SOURCE_LANG
