"""The message catalogue: every trainee-facing sentence in one place.

Widgets and library messages call :func:`t` with a message id. A Russian
edition is a translation of ``CATALOGUE["en"]``, not a fork of the code. The
language comes from the ``COURSE_LANG`` environment variable (default
``en``); a message missing from a language falls back to English.
"""

from __future__ import annotations

import os

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        # answer key and grading
        "key.missing": (
            "The answer key is not available ({path}): this hidden test cannot be graded. "
            "Instructor: run `course build` on the grading machine."
        ),
        "key.unreadable": (
            "The answer key at {path} cannot be read ({reason}). "
            "Instructor: rebuild it with `course build`."
        ),
        "key.no_entry": (
            "The answer key has no entry '{grade_id}'. "
            "Instructor: rebuild the key with `course build`."
        ),
        "answer.unanswered": (
            "{grade_id}: no answer yet - replace `raise NotImplementedError()` with your code."
        ),
        "answer.wrong": "{grade_id}: this is not what the data gives. {hint}",
        "answer.wrong_type": ("{grade_id}: expected {expected_type}, got {actual_type}. {hint}"),
        # day 0 widget
        "seizures.city_label": "City",
        "seizures.min_weight_label": "Minimum weight (g)",
        "seizures.any_city": "(all cities)",
        "seizures.summary": "{count} seizures, {total_g:,.1f} g in total",
        "seizures.empty": "No seizure matches this filter.",
        "data.missing": (
            "Data file not found: {path}. Open this notebook from its assignment folder, "
            "or ask your instructor to run `course build`."
        ),
    },
    "ru": {
        "seizures.city_label": "Город",
        "seizures.min_weight_label": "Минимальный вес (г)",
        "seizures.any_city": "(все города)",
        "seizures.summary": "Изъятий: {count}, всего {total_g:,.1f} г",
        "seizures.empty": "Нет изъятий, подходящих под фильтр.",
    },
}


def language() -> str:
    """Return the active language code (``COURSE_LANG``, default ``en``)."""
    lang = os.environ.get("COURSE_LANG", "en").lower()
    return lang if lang in CATALOGUE else "en"


def t(message_id: str, **values: object) -> str:
    """Return the message ``message_id`` in the active language, formatted.

    Parameters
    ----------
    message_id
        A key of ``CATALOGUE["en"]``.
    **values
        Values for the placeholders of the message.

    Raises
    ------
    KeyError
        If the id is not in the English catalogue (a programming error).
    """
    english = CATALOGUE["en"][message_id]
    template = CATALOGUE[language()].get(message_id, english)
    return template.format(**values)
