from __future__ import annotations

import re

import pytest

from course.messages import CATALOGUE, PLURAL_CATEGORIES, t, tn


def test_english_messages_format() -> None:
    assert tn("seizures.summary", 3, total_g=1234.5) == "3 seizures, 1,234.5 g in total"
    assert tn("seizures.summary", 1, total_g=2.0) == "1 seizure, 2.0 g in total"


def test_plural_forms_follow_each_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    got = [tn("seizures.summary", n, total_g=1.0).split(",")[0] for n in (1, 3, 5, 11, 21, 24)]
    assert got == ["1 изъятие", "3 изъятия", "5 изъятий", "11 изъятий", "21 изъятие", "24 изъятия"]


def _english_original(key: str) -> str | None:
    """The English message a key translates (a plural form maps to the base's 'other')."""
    if key in CATALOGUE["en"]:
        return CATALOGUE["en"][key]
    base, _, form = key.rpartition(".")
    if form in PLURAL_CATEGORIES:
        return CATALOGUE["en"].get(f"{base}.other")
    return None


def test_russian_edition_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    assert t("seizures.city_label") == "Город"
    assert t("key.no_entry", grade_id="x").startswith("В ключе ответов нет записи")
    # a message added in English and not translated yet is shown in English
    monkeypatch.setitem(CATALOGUE["en"], "test.new_message", "A new message for {who}.")
    assert t("test.new_message", who="you") == "A new message for you."
    # and a translation of an older English text is not used for a changed one
    monkeypatch.setitem(CATALOGUE["en"], "seizures.city_label", "Town")
    assert t("seizures.city_label") == "Town"


def test_unknown_language_is_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_LANG", "xx")
    assert t("seizures.city_label") == "City"


def test_translations_use_the_same_placeholders() -> None:
    from course.i18n import languages
    from course.messages import catalogue

    for lang, messages in ((lang, catalogue(lang)) for lang in languages()):
        for key, text in messages.items():
            english = _english_original(key)
            assert english is not None, f"{lang}:{key} has no English original"
            fields = set(re.findall(r"{(\w+)", text))
            assert fields == set(re.findall(r"{(\w+)", english)), f"{lang}:{key}"


def test_unknown_message_id_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        t("no.such.message")


def test_the_answer_stub_says_what_to_do() -> None:
    """The stub left where a solution was removed raises with a message, in every edition."""
    from conftest import REPO

    config = (REPO / "nbgrader_config.py").read_text(encoding="utf-8")
    assert f'NOT_DONE = "{CATALOGUE["en"]["release.not_done"]}"' in config
    assert "NotImplementedError({NOT_DONE!r})" in config
    assert "replace this line with your code" in t("release.not_done", lang="en")
