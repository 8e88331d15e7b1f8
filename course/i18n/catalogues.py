"""The message catalogue and the answer key's hints in other languages.

Messages: ``CATALOGUE["en"]`` of :mod:`course.messages` is the source; the
PO file ``<lang>/messages.po`` has one entry per message id (the context)
with the English template as ``msgid``. A translation counts only while its
English template is unchanged and it keeps the template's ``{fields}``.

Hints: every string under a key named ``hint`` in an answer-key entry
(the entry's own hint, or the hint of one case of a ``calls`` answer) is a
hint a trainee may read in the feedback. ``<lang>/hints.po`` translates
them, with the grade id as context; ``course build --lang`` writes the
translated hints into the key.
"""

from __future__ import annotations

import copy
import string
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from course.i18n import catalogue_file
from course.i18n import po as po_files
from course.i18n.po import Entry


def fields(template: str) -> list[str]:
    """The replacement fields of a ``str.format`` template, sorted."""
    try:
        return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)
    except ValueError:
        return ["<unbalanced braces>"]


#: CLDR categories of a language's gettext plural forms ``msgstr[0]``,
#: ``msgstr[1]`` ... (the order of the ``Plural-Forms`` formula). A language
#: not listed has two forms, ``one`` and ``other``. A fraction takes the
#: ``other`` category; a language without an ``other`` form uses its second
#: form for it (Russian: 1,5 изъятия, like 2 изъятия).
PLURAL_FORMS: dict[str, tuple[str, ...]] = {"ru": ("one", "few", "many")}


def plural_tags(lang: str) -> tuple[str, ...]:
    return PLURAL_FORMS.get(lang.split("_")[0], ("one", "other"))


def _plural_bases(english: dict[str, str]) -> set[str]:
    return {
        mid[: -len(".one")]
        for mid in english
        if mid.endswith(".one") and mid[: -len(".one")] + ".other" in english
    }


def message_entries() -> list[Entry]:
    """One entry per English message id; a message with plural forms
    (``<id>.one`` and ``<id>.other``) is one plural entry, context ``<id>``."""
    from course.messages import CATALOGUE

    english = CATALOGUE["en"]
    bases = _plural_bases(english)
    entries = []
    for mid, text in english.items():
        base = mid.rpartition(".")[0]
        if base in bases:
            if mid.endswith(".one"):
                entries.append(
                    Entry(base, (text, english[base + ".other"]), "message with plural forms: "
                          "keep every {field}", "course/messages.py")
                )
            continue
        entries.append(Entry(mid, text, "message: keep every {field}", "course/messages.py"))
    return entries


@lru_cache(maxsize=16)
def _messages(lang: str, path: str, mtime: float, english: int) -> dict[str, str]:
    catalog = po_files.read(catalogue_file(lang, "messages"))
    found: dict[str, str] = {}
    for entry in message_entries():
        text = po_files.current(catalog, entry.text, entry.context)
        if text is None or _field_problem(entry, text, lang):
            continue
        if isinstance(text, tuple):
            tags = plural_tags(lang)
            forms = dict(zip(tags, text, strict=False))
            forms.setdefault("other", text[min(1, len(text) - 1)])
            found.update({f"{entry.context}.{tag}": form for tag, form in forms.items()})
        else:
            found[entry.context] = text
    return found


def _field_problem(entry: Entry, text, lang: str) -> str:
    english = entry.text if isinstance(entry.text, tuple) else (entry.text,)
    translated = text if isinstance(text, tuple) else (text,)
    want = fields(english[-1])
    if isinstance(entry.text, tuple) and len(translated) != len(plural_tags(lang)):
        return f"needs {len(plural_tags(lang))} plural forms ({', '.join(plural_tags(lang))})"
    if any(fields(form) != want for form in translated):
        return "must keep the fields " + (", ".join("{" + f + "}" for f in want) or "(none)")
    return ""


def messages(lang: str) -> dict[str, str]:
    """``message id -> template`` of every current translation into ``lang``."""
    from course.messages import CATALOGUE

    path = catalogue_file(lang, "messages")
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    return _messages(lang, str(path), mtime, hash(frozenset(CATALOGUE["en"].items())))


def message_problems(lang: str) -> list[str]:
    """One line per message id of ``CATALOGUE["en"]`` without a current translation."""
    catalog = po_files.read(catalogue_file(lang, "messages"))
    problems = []
    for entry in message_entries():
        state = po_files.status(catalog, entry.text, entry.context)
        if state != "current":
            problems.append(f"message {entry.context}: {state} {lang} translation")
            continue
        problem = _field_problem(entry, po_files.current(catalog, entry.text, entry.context), lang)
        if problem:
            problems.append(f"message {entry.context}: the {lang} translation {problem}")
    return problems


def _hint_slots(node: Any) -> Iterator[tuple[Any, Any]]:
    """``(container, key)`` of every string under a ``hint`` key."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "hint" and isinstance(value, str) and value:
                yield node, key
            else:
                yield from _hint_slots(value)
    elif isinstance(node, list):
        for item in node:
            yield from _hint_slots(item)


def hint_entries(answers: dict[str, Any]) -> list[Entry]:
    """Every hint of the key's ``answers``, with its grade id as context."""
    entries = []
    for grade_id, item in sorted(answers.items()):
        for container, key in _hint_slots(item):
            entries.append(Entry(grade_id, container[key], "hint shown in feedback", grade_id))
    return entries


def translate_key(document: dict[str, Any], lang: str) -> tuple[dict[str, Any], list[str]]:
    """A copy of the answer-key ``document`` with hints in ``lang`` and a
    ``lang`` field; and the grade ids whose hints lack a current translation
    (their hints stay English)."""
    out = copy.deepcopy(document)
    out["lang"] = lang
    if lang == "en":
        return out, []
    catalog = po_files.read(catalogue_file(lang, "hints"))
    missing = []
    for grade_id, item in out.get("answers", {}).items():
        for container, key in _hint_slots(item):
            text = po_files.current(catalog, container[key], grade_id)
            if text is None:
                missing.append(grade_id)
            else:
                container[key] = text
    return out, sorted(set(missing))

