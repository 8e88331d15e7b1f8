"""Unit tests of the grading pieces that need no kernel: rebuilding a
submission from the course's cells, answer records, verdicts (and the score
nbgrader records from them), flags, safe reading, strict plain data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.utils import determine_grade

from course.autograde.flags import event_flags, static_flags
from course.autograde.submission import Unreadable, course_cells, read_plain_file, rebuild
from course.autograde.verdict import judge, merge, recorded_answers
from course.grading import RECORD_MARKER
from course.grading.compare import NotPlain, matches, to_plain
from course.grading.key import AnswerKey, KeyEntry


def graded(source: str, grade_id: str, cell_id: str, **meta) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell["id"] = cell_id
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, **meta}
    return cell


def record(grade_id: str, answer: object) -> str:
    return RECORD_MARKER + json.dumps({"grade_id": grade_id, "answer": answer}) + "\n"


def key(value: object = 7, compare: str = "exact") -> AnswerKey:
    return AnswerKey(Path("k"), 1, {"q": KeyEntry("q", value, compare, 0.0, "look again")})


@pytest.fixture
def release() -> nbformat.NotebookNode:
    intro = new_markdown_cell("Read this.")
    intro["id"] = "intro"
    return new_notebook(
        cells=[
            intro,
            graded("answer = None", "q_answer", "a1", solution=True, grade=False, locked=False),
            graded('"""Check."""\nassert answer', "q", "t1", grade=True, solution=False,
                   locked=True, points=2),
        ]
    )  # fmt: skip


GRADEBOOK = {"q": {"source": '"""Check."""\nassert answer\nexpect("q", answer)', "points": 2}}


def submitted(release: nbformat.NotebookNode, answer: str = "answer = 7") -> dict:
    doc = json.loads(nbformat.writes(release))
    doc["cells"][1]["source"] = answer
    return doc


def rebuilt(release, doc: dict):
    return rebuild(json.dumps(doc).encode(), course_cells(release, GRADEBOOK))


def test_rebuild_takes_answers_from_the_trainee_and_tests_from_the_course(release) -> None:
    doc = submitted(release)
    doc["cells"][2]["source"] = "pass"  # an edited test
    doc["cells"][2]["metadata"]["nbgrader"]["points"] = 100
    result = rebuilt(release, doc)
    sources = [c.source for c in result.notebook.cells]
    assert sources[1] == "answer = 7"
    assert sources[2] == GRADEBOOK["q"]["source"]
    assert result.notebook.cells[2].metadata.nbgrader["points"] == 2
    assert "locked cell q was edited (restored from the source)" in result.flags
    assert "the grading metadata of cell q was changed (ignored)" in result.flags


def test_rebuild_matches_cells_by_id_whatever_the_metadata_says(release) -> None:
    doc = submitted(release)
    for cell in doc["cells"]:
        cell["metadata"] = "junk"
    result = rebuilt(release, doc)
    assert [c.source for c in result.notebook.cells][1:] == ["answer = 7", GRADEBOOK["q"]["source"]]


def test_rebuild_restores_deleted_keeps_order_and_own_cells(release) -> None:
    doc = submitted(release)
    own = {"cell_type": "code", "source": "helper = 1", "metadata": {}, "outputs": [],
           "execution_count": None, "id": "mine"}  # fmt: skip
    doc["cells"] = [doc["cells"][2], doc["cells"][1], own]  # test moved first, intro deleted
    result = rebuilt(release, doc)
    sources = [c.source for c in result.notebook.cells]
    assert sources == ["answer = 7", "helper = 1", GRADEBOOK["q"]["source"]]
    assert "cell q_answer was moved (graded in the course's order)" in result.flags
    doc["cells"] = [doc["cells"][2]]
    result = rebuilt(release, doc)
    assert "cell q_answer was deleted (restored, as unanswered)" in result.flags
    assert [c.source for c in result.notebook.cells] == [
        "helper = 1",
        "answer = None",
        GRADEBOOK["q"]["source"],
    ]


def test_rebuild_refuses_what_is_not_a_notebook(release) -> None:
    cells = course_cells(release, GRADEBOOK)
    for data, why in [(b"\xff\xfe", "UTF-8"), (b"{not json", "broken JSON"),
                      (b"[1]", "not a notebook"),
                      (b'{"cells": {"a": 1}}', "cells cannot be read")]:  # fmt: skip
        with pytest.raises(Unreadable, match=why):
            rebuild(data, cells)


def test_read_plain_file_follows_no_link_and_no_second_name(tmp_path: Path) -> None:
    target = tmp_path / "t.ipynb"
    target.write_text("{}")
    (tmp_path / "link.ipynb").symlink_to(target)
    with pytest.raises(Unreadable, match="link"):
        read_plain_file(tmp_path / "link.ipynb")
    os.link(target, tmp_path / "second")
    with pytest.raises(Unreadable, match="hard link"):
        read_plain_file(target)
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(Unreadable, match="regular"):
        read_plain_file(tmp_path / "fifo")
    (tmp_path / "big").write_bytes(b"x" * 2000)
    with pytest.raises(Unreadable, match="too large"):
        read_plain_file(tmp_path / "big", limit=1000)


def test_recorded_answers_are_read_and_removed_from_the_output() -> None:
    cell = graded("", "q", "t", grade=True)
    cell.outputs = [new_output("stream", name="stdout", text="hello\n" + record("q", [1, 2]))]
    answers, problems = recorded_answers(cell)
    assert answers == {"q": [{"grade_id": "q", "answer": [1, 2]}]}
    assert problems == []
    assert cell.outputs[0]["text"] == "hello\n"


def test_a_broken_record_is_a_problem_not_a_pass() -> None:
    cell = graded("", "q", "t", grade=True)
    cell.outputs = [new_output("stream", name="stdout", text=RECORD_MARKER + "{not json\n")]
    answers, problems = recorded_answers(cell)
    assert answers == {} and problems == ["an answer record could not be read"]


def _judged(outputs: list[dict], execution_count: int | None = 1, source: str = 'expect("q", a)'):
    cell = graded(source, "q", "t", grade=True, solution=False, points=3)
    nb = new_notebook(cells=[cell])
    merge(nb, {"cells": {"0": {"execution_count": execution_count, "outputs": outputs}},
               "status": "done"})  # fmt: skip
    judge(nb, key())
    return nb.cells[0]


def _stream(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


@pytest.mark.parametrize(
    ("outputs", "execution_count", "score", "message"),
    [
        ([_stream(record("q", 7))], 1, 3, None),
        ([_stream(record("q", 8))], 1, 0, "this is not what the data gives"),
        ([_stream(record("q", None))], 1, 0, "no answer yet"),
        ([], 1, 0, "could not check the answer"),
        ([_stream(record("q", 7))], None, 0, "did not run"),
        ([_stream(record("q", 7) + record("q", 8))], 1, 0, "more than once"),
        ([_stream(RECORD_MARKER + '{"grade_id": "q", "not_plain": "Any"}\n')], 1, 0, "plain data"),
        # what a kernel puts in the outputs cannot raise a score
        ([_stream(record("q", 8)), {"output_type": "execute_result", "execution_count": 1,
          "metadata": {}, "data": {"text/plain": "'3'"}}], 1, 0, "not what the data gives"),
        ([_stream(record("q", 7)), {"output_type": "error", "ename": "E", "evalue": "x",
          "traceback": []}], 1, 3, None),
        ([{"output_type": "execute_result", "execution_count": 1, "metadata": {},
           "data": {"text/plain": "1000"}}], 1, 0, "could not check"),
    ],
)  # fmt: skip
def test_the_verdict_alone_sets_the_score_nbgrader_records(
    outputs, execution_count, score, message
) -> None:
    cell = _judged(outputs, execution_count)
    assert determine_grade(cell)[0] == score
    errors = [o for o in cell.outputs if o["output_type"] == "error"]
    assert not any(o["output_type"] == "execute_result" for o in cell.outputs)
    if message is None:
        assert errors == []
    else:
        assert message in errors[0]["evalue"]


def test_a_test_without_a_hidden_check_gives_no_points() -> None:
    cell = _judged([], 1, source="assert True")
    assert determine_grade(cell)[0] == 0


def test_only_safe_output_kinds_reach_feedback() -> None:
    nb = new_notebook(cells=[new_code_cell("x")])
    merge(nb, {"cells": {"0": {"execution_count": 1, "outputs": [
        {"output_type": "display_data", "data": {"text/html": "<script>", "text/plain": "ok",
                                                 "application/javascript": "alert(1)"}},
        {"output_type": "weird"}, "junk", {"output_type": "stream", "name": 5, "text": ["a", 1]},
    ]}}})  # fmt: skip
    kinds = [set(o.get("data", {})) for o in nb.cells[0].outputs]
    assert kinds == [{"text/plain"}, set()]


def test_event_flags_group_by_kind_and_skip_library_noise() -> None:
    events = ["fork\tos.fork"] * 55 + [
        "process\t('uname', ['uname', '-p'])",
        "network\t('1.2.3.4', 80)",
    ]
    assert event_flags(events) == [
        "the kernel forked (55 times): os.fork",
        "the kernel tried to connect to the network: ('1.2.3.4', 80)",
    ]


def test_static_flags_see_missing_extra_links_and_code(tmp_path: Path, release) -> None:
    (tmp_path / "release").mkdir()
    nbformat.write(release, tmp_path / "release" / "n.ipynb")
    sub = tmp_path / "sub"
    sub.mkdir()
    doc = submitted(release, "import subprocess\nanswer = 1")
    (sub / "n.ipynb").write_text(json.dumps(doc))
    (sub / "notes.txt").write_text("x")
    (sub / "timestamp.txt").write_text("x")
    (sub / "submission_secret.txt").write_text("x")
    (sub / "shadow").symlink_to("/etc/shadow")
    flags = static_flags(sub, tmp_path / "release")
    assert "extra files ignored: notes.txt" in flags
    assert "links ignored: shadow" in flags
    assert any("starts other programs" in f for f in flags)
    (sub / "n.ipynb").unlink()
    assert static_flags(sub, tmp_path / "release")[0] == "n.ipynb is missing (scored zero)"


@pytest.mark.parametrize(
    "value",
    [type("I", (int,), {})(3), type("S", (str,), {})("a"), type("L", (list,), {})(),
     object(), {("a", 1): 2}, float("nan")],
)  # fmt: skip
def test_only_plain_data_can_match(value) -> None:
    if isinstance(value, float):
        assert to_plain(value) == "nan" and not matches(value, value, "float", 1.0)
        return
    with pytest.raises(NotPlain):
        to_plain(value)
    assert not matches(value, value)


def test_comparisons_order_one_of_and_calls() -> None:
    order = {"items": ["A", "B", "C"], "before": [["A", "C"]]}
    assert matches(["A", "B", "C"], order, "order") and matches(["B", "A", "C"], order, "order")
    assert not matches(["C", "A", "B"], order, "order")
    assert not matches(["A", "C"], order, "order")
    assert matches(2, [1, 2], "one_of") and not matches(True, [1], "one_of")
    cases = [{"args": ["x"], "result": "X"}]
    assert matches([{"args": ["x"], "result": "X"}], cases, "calls")
    assert not matches([{"args": ["x"], "error": "E"}], cases, "calls")
    assert not matches([{"args": ["y"], "result": "X"}], cases, "calls")


PAGE = """<li><a href="#q">Test cell</a> (Score: 2.0 / 2.0)</li>
<li><a href="#task">Task</a> (Score: 0.0 / 4.0)</li>
<a name="comment-task"></a><div class="panel-heading"><span class="nbgrader-label">Task</span>
<span class="pull-right">
      Score: 0.0 / 4.0 <a href="#top">(Top)</a>
</span></div>"""


def test_feedback_says_not_graded_yet_only_for_unscored_cells(monkeypatch) -> None:
    from course.autograde.feedback import rewrite

    monkeypatch.setenv("COURSE_LANG", "en")
    page = rewrite(PAGE, {"task"})
    assert '(Score: 2.0 / 2.0)' in page  # a scored test keeps its score
    assert page.count("not graded yet / 4.0") == 2 and "Score: 0.0 / 4.0" not in page
    assert rewrite(PAGE, set()) == PAGE
    monkeypatch.setenv("COURSE_LANG", "ru")
    page = rewrite(PAGE, {"task"})
    assert "(Баллы: 2.0 / 2.0)" in page and page.count("ещё не оценено / 4.0") == 2
    assert "Score" not in page
