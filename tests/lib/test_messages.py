from __future__ import annotations

import re

import pytest

from course.messages import CATALOGUE, t


def test_english_messages_format() -> None:
    assert t("seizures.summary", count=3, total_g=1234.5) == "3 seizures, 1,234.5 g in total"


def test_russian_edition_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    assert t("seizures.city_label") == "Город"
    assert t("key.no_entry", grade_id="x").startswith("The answer key has no entry")


def test_unknown_language_is_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_LANG", "xx")
    assert t("seizures.city_label") == "City"


def test_translations_use_the_same_placeholders() -> None:
    for lang, messages in CATALOGUE.items():
        for key, text in messages.items():
            assert key in CATALOGUE["en"], f"{lang}:{key} has no English original"
            fields = set(re.findall(r"{(\w+)", text))
            assert fields == set(re.findall(r"{(\w+)", CATALOGUE["en"][key])), f"{lang}:{key}"


def test_unknown_message_id_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        t("no.such.message")
