"""Phase 2: compare the answers a sandboxed kernel recorded with the key.

:class:`KeyVerdicts` is an nbgrader preprocessor that runs, in the trusted
grading process, before nbgrader's ``SaveAutoGrades``. For every autograded
test cell it checks that the cell ran, reads the answers the cell's hidden
part recorded (``course.grading.expect`` in record mode), compares each with
the answer key, and turns a wrong, missing or unreadable answer into an
error output, so the cell scores zero and the feedback says why.
"""

from __future__ import annotations

import json
import re

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output

from course.grading import RECORD_MARKER
from course.grading.compare import matches
from course.grading.key import load_key
from course.messages import t

EXPECT_CALL = re.compile(r"""expect\(\s*["'](\w+)["']""")


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test_cell(cell) -> bool:
    meta = _nbgrader(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def recorded_answers(cell) -> tuple[dict[str, object], list[str]]:
    """Answers recorded in the cell's outputs, and the problems reading them.
    Marker lines are removed from the outputs as they are read."""
    answers: dict[str, object] = {}
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
                answers.setdefault(record["grade_id"], record["answer"])
            except (ValueError, KeyError, TypeError):
                problems.append("an answer record could not be read")
        output["text"] = "\n".join(kept)
    cell["outputs"] = [o for o in cell["outputs"] if o.get("output_type") != "stream" or o["text"]]
    return answers, problems


def _instructor_sources(resources: dict) -> dict[str, str]:
    """``grade_id -> source`` of the notebook's test cells, from the gradebook."""
    from nbgrader.api import Gradebook

    meta = resources.get("nbgrader", {})
    if not {"db_url", "assignment", "notebook"} <= set(meta):
        return {}
    with Gradebook(meta["db_url"]) as gb:
        notebook = gb.find_notebook(meta["notebook"], meta["assignment"])
        return {cell.name: cell.source for cell in notebook.source_cells}


def _fail(cell, message: str) -> None:
    cell.setdefault("outputs", []).append(
        new_output(
            "error",
            ename="AssertionError",
            evalue=message,
            traceback=[f"AssertionError: {message}"],
        )
    )


class KeyVerdicts(Preprocessor):
    """Score recorded answers against the answer key (see the module docstring)."""

    enabled = True

    def preprocess(self, nb, resources):
        key = load_key()
        sources = _instructor_sources(resources)
        for cell in nb.cells:
            if not is_test_cell(cell):
                continue
            grade_id = _nbgrader(cell).get("grade_id", "?")
            # which answers a test checks comes from the gradebook, not from the
            # executed notebook (which passed through the trainee's kernel)
            source = sources.get(grade_id, cell.source)
            answers, problems = recorded_answers(cell)
            if cell.get("execution_count") is None:
                _fail(cell, t("verdict.not_run", grade_id=grade_id))
                continue
            has_error = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
            for expected_id in EXPECT_CALL.findall(source):
                if expected_id not in answers:
                    if not has_error:
                        _fail(cell, t("verdict.no_record", grade_id=expected_id))
                    continue
                answer = answers[expected_id]
                entry = key.entry(expected_id)
                if answer is None:
                    _fail(cell, t("answer.unanswered", grade_id=expected_id))
                elif not matches(answer, entry.value, entry.compare, entry.tolerance):
                    _fail(cell, t("answer.wrong", grade_id=expected_id, hint=entry.hint))
            for problem in problems:
                _fail(cell, problem)
        return nb, resources
