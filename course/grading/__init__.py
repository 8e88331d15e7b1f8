"""Hidden tests call this module to compare an answer with the answer key.

The key is written by ``course build`` with the case world, outside
``source/`` and ``release/``. At grading time it is found through the
``COURSE_ANSWER_KEY`` environment variable (set by ``course grade``) or, when
that is unset, in ``keys/answer_key.json`` of the course folder that contains
the working directory. A missing or unreadable key raises
:class:`~course.errors.AnswerKeyError`, an ``AssertionError``: the test fails
with a clear message and never passes.

Example (a hidden test cell)::

    from course.grading import expect
    expect("day0_almaty_count", answer_0_3)
"""

from __future__ import annotations

from course.grading.compare import matches
from course.grading.key import AnswerKey, load_key
from course.messages import t

__all__ = ["AnswerKey", "expect", "load_key", "matches"]


def expect(grade_id: str, answer: object) -> None:
    """Assert that ``answer`` is the key's value for ``grade_id``.

    Raises
    ------
    AssertionError
        With a message naming the exercise and the entry's hint when the
        answer is wrong, and :class:`~course.errors.AnswerKeyError` when the
        key cannot be used.
    """
    entry = load_key().entry(grade_id)
    if answer is NotImplemented or answer is None:
        raise AssertionError(t("answer.unanswered", grade_id=grade_id))
    if not matches(answer, entry.value, entry.compare, entry.tolerance):
        raise AssertionError(t("answer.wrong", grade_id=grade_id, hint=entry.hint))
