"""Gettext PO files (through Babel): reading, merging, looking up.

A translation is *current* when the PO file has an entry with the same
context and the same English text (``msgid``), a non-empty ``msgstr`` and no
``fuzzy`` flag. When the English text changes, the old entry no longer
matches: :func:`update` keeps its translation as a ``fuzzy`` suggestion for
the new text (with the previous English as ``#| msgid``), which the check
reports as stale until a translator reviews it and removes the flag.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from course.errors import CourseError

PROJECT = "nps-darkweb-course"
_EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
WIDTH = 79


@dataclass(frozen=True)
class Entry:
    """One text to translate: its context, its English text, and notes for
    the translator (what kind of text it is, where it stands)."""

    context: str | None
    text: str | tuple[str, str]  # (singular, plural) for a message with plural forms
    note: str = ""
    location: str = ""


def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return None


def read(path: Path) -> Catalog:
    """Read the PO file at ``path`` (an empty catalogue if there is none).

    Raises
    ------
    CourseError
        If the file is not a readable PO file.
    """
    if not path.is_file():
        return Catalog(project=PROJECT, fuzzy=False, creation_date=_EPOCH)
    try:
        with open(path, "rb") as f:
            return read_po(f, abort_invalid=True)
    except Exception as exc:  # Babel raises several kinds on a broken file
        raise CourseError(f"{path} is not a valid PO file ({exc}): fix or delete it") from None


def dumps(catalog: Catalog) -> bytes:
    """The PO text of ``catalog``."""
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, include_previous=True, sort_output=False)
    return out.getvalue()


def write(catalog: Catalog, path: Path) -> bool:
    """Write ``catalog`` to ``path`` if its text changed; return whether it did."""
    text = dumps(catalog)
    if path.is_file() and path.read_bytes() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text)
    return True


HEADER = """\
# {lang} translation of the course "Investigating NPS trafficking on darkweb
# markets and cryptocurrency payments". Made and kept up to date by
# `course i18n update --lang {lang}`; translators edit the msgstr lines only.
# An entry marked fuzzy has a suggestion made from an older English text:
# review it, then delete the fuzzy line. See README.md, "Languages".
#"""


def template(entries: Iterable[Entry], lang: str) -> Catalog:
    """A catalogue of ``entries`` with empty translations."""
    catalog = Catalog(
        locale=_locale(lang),
        project=PROJECT,
        fuzzy=False,
        header_comment=HEADER.format(lang=lang),
        copyright_holder="the course authors",
        msgid_bugs_address="",
        last_translator="",
        language_team="",
    )
    for entry in entries:
        if (entry.text, entry.context) in _keys(catalog):
            continue
        catalog.add(
            entry.text,
            context=entry.context,
            auto_comments=[entry.note] if entry.note else [],
            locations=[(entry.location, None)] if entry.location else [],
        )
    return catalog


def _keys(catalog: Catalog) -> set[tuple[str | tuple[str, ...], str | None]]:
    return {(m.id, m.context) for m in catalog if m.id}


def _find(catalog: Catalog, text: str | tuple[str, ...], context: str | None):
    """The entry for exactly ``text`` (both forms of a plural) in ``context``."""
    message = catalog.get(text, context=context)
    if message is None:
        return None
    if isinstance(text, tuple) != isinstance(message.id, tuple):
        return None
    if isinstance(text, tuple) and tuple(message.id) != tuple(text):
        return None
    return message


def _filled(string: str | tuple[str, ...]) -> bool:
    if isinstance(string, (tuple, list)):
        return bool(string) and all(string)
    return bool(string)


def update(path: Path, entries: Iterable[Entry], lang: str) -> bool:
    """Bring the PO file at ``path`` up to date with ``entries``.

    Still-valid translations are kept; a translation whose English text
    changed becomes a fuzzy suggestion; entries no longer used become
    obsolete (kept at the end of the file). Returns whether the file changed.
    """
    existing = read(path)
    new = template(entries, lang)
    if existing.locale is None and new.locale is not None:
        existing.locale = new.locale
    existing.update(new, update_creation_date=False, update_header_comment=True)
    # Texts no longer in the English are dropped, not kept as obsolete (#~)
    # entries: Babel never reuses those, and their previous-text comments grow
    # with every round trip. A changed text keeps its translation as a fuzzy
    # suggestion (above); git history keeps the rest.
    existing.obsolete.clear()
    for message in existing:
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    existing.fuzzy = False
    existing.revision_date = existing.creation_date
    return write(existing, path)


def current(catalog: Catalog, text, context: str | None):
    """The current translation of ``text`` in ``context`` (a tuple of forms
    for a plural), or None."""
    message = _find(catalog, text, context)
    if message is None or not _filled(message.string) or message.fuzzy:
        return None
    return tuple(message.string) if isinstance(text, tuple) else message.string


def status(catalog: Catalog, text, context: str | None) -> str:
    """``"current"``, ``"stale"`` (fuzzy), ``"untranslated"`` or ``"missing"``."""
    message = _find(catalog, text, context)
    if message is None:
        return "stale" if catalog.get(text, context=context) is not None else "missing"
    if not _filled(message.string):
        return "untranslated"
    return "stale" if message.fuzzy else "current"
