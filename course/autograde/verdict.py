"""Scoring a run notebook: the verdict outside the kernel alone decides.

The sandbox gives back, for each cell it ran, an execution count and
outputs: untrusted data. :func:`merge` copies into the rebuilt notebook only
what feedback may show (text streams, plain-text and image results, error
names and messages), cut to size. For every autograded test cell,
:func:`judge` then reads the answers the cell's hidden part recorded
(``course.grading.expect`` in record mode), compares each with the answer key
here, outside the kernel, and sets the cell's outputs so that nbgrader's
``determine_grade`` can only read the verdict: every result and error the
kernel produced is removed; a failed verdict adds one error output with the
reason. Which answers a test checks comes from the course's own test source,
never from the run notebook.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import partial

from nbformat.v4 import new_output

from course.grading import RECORD_MARKER, show_args
from course.grading.compare import failed_call, matches
from course.grading.key import AnswerKey
from course.messages import t as translate

EXPECT_CALL = re.compile(r"""\bexpect(?:_calls)?\(\s*["'](\w+)["']""")
#: result data kept for feedback (no HTML or JavaScript from a trainee's kernel)
SAFE_DATA = ("text/plain", "image/png", "image/jpeg")
MAX_IMAGE_CHARS = 2_000_000


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test_cell(cell) -> bool:
    meta = _nbgrader(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _str(value: object, limit: int = 40_000) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "".join(value)
    return value[:limit] if isinstance(value, str) else ""


def safe_output(output: object):
    """One output of the sandbox as a clean nbformat output, or None."""
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return new_output("stream", name=name, text=_str(output.get("text")))
    if kind in ("display_data", "execute_result"):
        data = output.get("data") if isinstance(output.get("data"), dict) else {}
        kept = {k: _str(data[k], MAX_IMAGE_CHARS) for k in SAFE_DATA if k in data}
        if not kept:
            return None
        if kind == "execute_result":
            return new_output("execute_result", data=kept, execution_count=None)
        return new_output("display_data", data=kept)
    if kind == "error":
        trace = output.get("traceback")
        trace = [_str(x, 4000) for x in trace[-60:]] if isinstance(trace, list) else []
        return new_output(
            "error",
            ename=_str(output.get("ename"), 200),
            evalue=_str(output.get("evalue"), 2000),
            traceback=trace,
        )
    return None


def merge(nb, result: dict) -> str:
    """Copy the sandbox's cell results into ``nb``; return the run's status."""
    cells = result.get("cells") if isinstance(result, dict) else None
    cells = cells if isinstance(cells, dict) else {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        ran = cells.get(str(index))
        cell["outputs"] = []
        cell["execution_count"] = None
        if not isinstance(ran, dict):
            continue
        count = ran.get("execution_count")
        cell["execution_count"] = count if type(count) is int else None
        outputs = ran.get("outputs") if isinstance(ran.get("outputs"), list) else []
        cell["outputs"] = [o for o in map(safe_output, outputs[:40]) if o is not None]
    status = result.get("status") if isinstance(result, dict) else None
    return status if isinstance(status, str) else "no status"


def recorded_answers(cell) -> tuple[dict[str, list], list[str]]:
    """``grade_id -> [records]`` printed in the cell, and problems reading them.
    Marker lines are removed from the outputs as they are read."""
    answers: dict[str, list] = {}
    problems: list[str] = []
    for output in cell.get("outputs", []):
        if output.get("output_type") != "stream" or RECORD_MARKER not in output.get("text", ""):
            continue
        kept = []
        # not splitlines(): it also splits at the marker's record separators
        for line in output["text"].split("\n"):
            if RECORD_MARKER not in line:
                kept.append(line)
                continue
            try:
                record = json.loads(line.split(RECORD_MARKER, 1)[1])
                gid = record["grade_id"]
                if not isinstance(gid, str):
                    raise TypeError(gid)
                answers.setdefault(gid, []).append(record)
            except (ValueError, KeyError, TypeError, IndexError):
                problems.append("an answer record could not be read")
        output["text"] = "\n".join(kept)
    cell["outputs"] = [o for o in cell["outputs"] if o.get("output_type") != "stream" or o["text"]]
    return answers, problems


@dataclass(frozen=True)
class Verdict:
    """One checked answer: its exercise, whether it is right, and why not."""

    grade_id: str
    passed: bool
    message: str = ""


def check_record(key: AnswerKey, grade_id: str, records: list[dict]) -> Verdict:
    """Compare the answer recorded for ``grade_id`` with the key."""
    t = partial(translate, lang=key.lang)  # the cohort's language, as the key records it
    if len(records) != 1:
        return Verdict(grade_id, False, t("answer.recorded_twice", grade_id=grade_id))
    record = records[0]
    entry = key.entry(grade_id)
    if "not_plain" in record:
        kind = record["not_plain"] if isinstance(record["not_plain"], str) else "?"
        return Verdict(grade_id, False, t("answer.not_plain", grade_id=grade_id, kind=kind[:80]))
    answer = record.get("answer")
    if answer is None:
        return Verdict(grade_id, False, t("answer.unanswered", grade_id=grade_id))
    if entry.compare == "calls":
        case = failed_call(answer, entry.value)
        if case is None:
            return Verdict(grade_id, True)
        hint = case.get("hint") or entry.hint
        message = t("answer.wrong_call", grade_id=grade_id, args=show_args(case), hint=hint)
        return Verdict(grade_id, False, message)
    if matches(answer, entry.value, entry.compare, entry.tolerance):
        return Verdict(grade_id, True)
    return Verdict(grade_id, False, t("answer.wrong", grade_id=grade_id, hint=entry.hint))


def _fail(cell, message: str) -> None:
    cell["outputs"].append(
        new_output(
            "error",
            ename="AssertionError",
            evalue=message,
            traceback=[f"AssertionError: {message}"],
        )
    )


def judge(nb, key: AnswerKey) -> list[Verdict]:
    """Decide every autograded test cell of the merged notebook (see the module doc)."""
    t = partial(translate, lang=key.lang)  # the cohort's language, as the key records it
    verdicts: list[Verdict] = []
    for cell in nb.cells:
        if not is_test_cell(cell):
            continue
        grade_id = _nbgrader(cell).get("grade_id", "?")
        answers, problems = recorded_answers(cell)
        errors = [o for o in cell["outputs"] if o.get("output_type") == "error"]
        stopped = f" ({errors[0]['ename']}: {errors[0]['evalue']})" if errors else ""
        cell["outputs"] = [
            o for o in cell["outputs"] if o.get("output_type") not in ("error", "execute_result")
        ]
        expected = EXPECT_CALL.findall(cell.source)
        messages = []
        if cell.get("execution_count") is None:
            messages.append(t("verdict.not_run", grade_id=grade_id))
        elif not expected:
            messages.append(t("verdict.no_check", grade_id=grade_id))
        for expected_id in expected if cell.get("execution_count") is not None else []:
            if expected_id not in answers:
                messages.append(t("verdict.no_record", grade_id=expected_id) + stopped)
                continue
            verdict = check_record(key, expected_id, answers[expected_id])
            verdicts.append(verdict)
            if not verdict.passed:
                messages.append(verdict.message)
        messages.extend(problems if messages else [])
        for message in messages:
            _fail(cell, message)
        if not expected or cell.get("execution_count") is None:
            verdicts.append(Verdict(grade_id, False, messages[0] if messages else ""))
    return verdicts
