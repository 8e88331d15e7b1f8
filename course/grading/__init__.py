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

import copy
import json
import os
from collections.abc import Callable, Sequence

from course.grading.compare import NotPlain, failed_call, matches, to_plain
from course.grading.key import AnswerKey, load_key
from course.messages import t

__all__ = [
    "AnswerKey", "expect", "expect_calls", "load_key", "matches", "show_args", "RECORD_MARKER",
]  # fmt: skip

#: In a sandboxed grading kernel (``COURSE_GRADING_MODE=record``) the key is
#: out of reach: ``expect`` prints the answer after this marker, and the
#: grader compares it with the key outside the kernel.
RECORD_MARKER = "\x1ecourse-answer\x1e"


def _recording() -> bool:
    return os.environ.get("COURSE_GRADING_MODE") == "record"


def _record(grade_id: str, payload: dict) -> None:
    record = {"grade_id": grade_id, **payload}
    print(RECORD_MARKER + json.dumps(record, ensure_ascii=False), flush=True)


def _as_record(value: object) -> dict:
    try:
        return {"answer": to_plain(value)}
    except NotPlain as exc:
        return {"not_plain": exc.kind}


def expect(grade_id: str, answer: object) -> None:
    """Assert that ``answer`` is the key's value for ``grade_id``.

    The answer must be plain data: a number, text, True/False, None, or a
    list, tuple, set or dict of them (numpy and pandas values are converted).

    Raises
    ------
    AssertionError
        With a message naming the exercise and the entry's hint when the
        answer is wrong, and :class:`~course.errors.AnswerKeyError` when the
        key cannot be used.
    """
    if _recording():
        _record(grade_id, _as_record(answer))
        return
    entry = load_key().entry(grade_id)
    if answer is NotImplemented or answer is None:
        raise AssertionError(t("answer.unanswered", grade_id=grade_id))
    try:
        to_plain(answer)
    except NotPlain as exc:
        raise AssertionError(t("answer.not_plain", grade_id=grade_id, kind=exc.kind)) from None
    if not matches(answer, entry.value, entry.compare, entry.tolerance):
        raise AssertionError(t("answer.wrong", grade_id=grade_id, hint=entry.hint))


def call_results(func: Callable, cases: Sequence[Sequence[object]]) -> list[dict]:
    """Call ``func(*args)`` for each case; return ``[{"args", "result"|"error"|"not_plain"}]``."""
    results = []
    for args in cases:
        args = list(args)
        item: dict = {"args": to_plain(args)}
        try:
            value = func(*copy.deepcopy(args))
        except Exception as exc:  # the trainee's function failed on this case
            item["error"] = f"{type(exc).__name__}: {exc}"[:300]
        else:
            record = _as_record(value)
            item["result" if "answer" in record else "not_plain"] = record.get(
                "answer", record.get("not_plain")
            )
        results.append(item)
    return results


def expect_calls(grade_id: str, func: object, cases: Sequence[Sequence[object]]) -> None:
    """Check a function answer on fixed arguments: ``func(*args)`` for each case.

    The results (plain data) are compared with the key's, case by case; in a
    grading kernel they are only recorded, and compared outside it.

    Raises
    ------
    AssertionError
        Naming the first case whose result is wrong, with the key's hint.
    """
    if not callable(func):
        if _recording():
            _record(grade_id, {"not_plain": type(func).__name__})
            return
        raise AssertionError(t("answer.not_function", grade_id=grade_id))
    results = call_results(func, cases)
    if _recording():
        _record(grade_id, {"answer": results})
        return
    entry = load_key().entry(grade_id)
    case = failed_call(results, entry.value)
    if case is not None:
        raise AssertionError(t("answer.wrong_call", grade_id=grade_id, args=show_args(case),
                               hint=case.get("hint", entry.hint)))


def show_args(case: dict) -> str:
    """The arguments of a ``calls`` case as a trainee would type them."""
    return ", ".join(repr(a) for a in case.get("args", []))
