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

import json
import os

from course.grading.compare import matches, plain
from course.grading.key import AnswerKey, load_key
from course.messages import t

__all__ = ["AnswerKey", "expect", "load_key", "matches", "RECORD_MARKER"]

#: In a sandboxed grading kernel (``COURSE_GRADING_MODE=record``) the key is
#: out of reach: ``expect`` prints the answer after this marker, and the
#: grader compares it with the key outside the kernel.
RECORD_MARKER = "\x1ecourse-answer\x1e"


def expect(grade_id: str, answer: object) -> None:
    """Assert that ``answer`` is the key's value for ``grade_id``.

    Raises
    ------
    AssertionError
        With a message naming the exercise and the entry's hint when the
        answer is wrong, and :class:`~course.errors.AnswerKeyError` when the
        key cannot be used.
    """
    if os.environ.get("COURSE_GRADING_MODE") == "record":
        record = {"grade_id": grade_id, "answer": plain(answer)}
        print(RECORD_MARKER + json.dumps(record, default=repr, ensure_ascii=False), flush=True)
        return
    entry = load_key().entry(grade_id)
    if answer is NotImplemented or answer is None:
        raise AssertionError(t("answer.unanswered", grade_id=grade_id))
    if not matches(answer, entry.value, entry.compare, entry.tolerance):
        raise AssertionError(t("answer.wrong", grade_id=grade_id, hint=entry.hint))
