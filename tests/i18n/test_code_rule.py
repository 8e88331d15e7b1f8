"""The rule of what is translatable in a code cell, and putting translations back."""

from __future__ import annotations

import pytest

from course.i18n import code

CELL = '''\
"""Check that answer_0_1 is the number of seizures."""
from numbers import Integral

# a comment for the trainee
seizures = read_table("seizures.csv")  # trailing comment
assert isinstance(answer_0_1, Integral), "answer_0_1 must be a whole number"
assert is_nps("Мефедрон 1г") is True, (
    "mephedrone is a synthetic cathinone, "
    "an NPS: expected True"
)
assert who["guard"] == "guard", f"{fact}: use 'guard', not {relay!r}"
print(len(titles), "titles")
trends.plot.bar(x="year", y="nps_reported", title="NPS reported")
steps = {"A": "The client fetches it.", "B": "The service signs it."}
who_knows = {"your_ip_address": "guard", "destination": "exit"}
### BEGIN HIDDEN TESTS
expect("day0_seizure_count", answer_0_1)
### END HIDDEN TESTS
'''


def texts(source: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in code.spans(source)]


def test_the_rule_reaches_exactly_the_trainee_text() -> None:
    assert texts(CELL) == [
        ("docstring", "Check that answer_0_1 is the number of seizures."),
        ("comment", "a comment for the trainee"),
        ("comment", "trailing comment"),
        ("assert", "answer_0_1 must be a whole number"),
        ("assert", "mephedrone is a synthetic cathinone, an NPS: expected True"),
        ("assert", "{fact}: use 'guard', not {relay!r}"),
        ("print", "titles"),
        ("label", "NPS reported"),
        ("sentence", "The client fetches it."),
        ("sentence", "The service signs it."),
    ]


@pytest.mark.parametrize(
    "data",
    ['"seizures.csv"', '"Мефедрон 1г"', '"guard"', '"year"', '"A"', '"your_ip_address"',
     '"day0_seizure_count"', "### BEGIN HIDDEN TESTS"],
)  # fmt: skip
def test_data_names_keys_compared_values_and_markers_are_code(data: str) -> None:
    reached = [CELL[p.start : p.end] for s in code.spans(CELL) for p in s.pieces]
    assert data in CELL
    assert not any(data in piece for piece in reached), data


def russian(span: code.Span) -> str:
    return {
        "Check that answer_0_1 is the number of seizures.": "Проверяет, что answer_0_1 — число.",
        "answer_0_1 must be a whole number": 'answer_0_1 — целое "число"\\',
        "{fact}: use 'guard', not {relay!r}": "{fact}: используйте 'guard', а не {relay!r}",
    }.get(span.text, "перевод " + span.text.lower())


def test_translations_go_back_in_place_and_the_code_stays_the_same() -> None:
    out, missing = code.translate(CELL, russian)
    assert missing == []
    assert code.skeleton(out) == code.skeleton(CELL)
    assert '"""Проверяет, что answer_0_1 — число."""' in out
    # quotes and backslashes are escaped, so the message reads as translated
    assert "# перевод a comment for the trainee" in out
    assert 'answer_0_1 — целое \\"число\\"\\\\' in out
    assert 'read_table("seizures.csv")' in out and 'is_nps("Мефедрон 1г")' in out
    # an implicitly joined message keeps its two literals, cut after a space
    assert out.count('"перевод mephedrone is a synthetic cathinone, ') == 1
    assert [s.text for s in code.spans(out)][4] == (
        "перевод mephedrone is a synthetic cathinone, an nps: expected true"
    )


def test_a_missing_translation_keeps_the_english_text() -> None:
    def lookup(span: code.Span) -> str | None:
        return None if span.kind == "print" else span.text if span.fstring else span.text.upper()

    out, missing = code.translate(CELL, lookup)
    assert [s.text for s in missing] == ["titles"]
    assert 'print(len(titles), "titles")' in out


@pytest.mark.parametrize(
    "bad, why",
    [
        ("{fact}: используйте 'guard'", "f-string"),  # a field lost
        ("{fact}: {relay!r} {extra}", "f-string"),  # a field added
    ],
)
def test_a_translation_that_breaks_an_f_string_is_refused(bad: str, why: str) -> None:
    def lookup(span: code.Span) -> str:
        return bad if span.fstring else "ok."

    with pytest.raises(code.CodeTranslationError, match=why):
        code.translate(CELL, lookup)


def test_a_comment_translation_is_one_line() -> None:
    with pytest.raises(code.CodeTranslationError, match="one line"):
        code.translate(CELL, lambda s: "two\nlines" if s.kind == "comment" else "ok.")


def test_a_sentence_table_stays_a_sentence_table() -> None:
    """The rule reads the translated cell the same way: a translated step
    that stops being a sentence is refused instead of silently changing
    what is translatable."""
    with pytest.raises(code.CodeTranslationError):
        code.translate(CELL, lambda s: "два слова" if s.kind == "sentence" else "ok.")


def test_skeleton_sees_any_change_of_code() -> None:
    changed = CELL.replace('"seizures.csv"', '"изъятия.csv"')
    assert code.skeleton(changed) != code.skeleton(CELL)
    changed = CELL.replace("answer_0_1 > 0", "answer_0_1 >= 0").replace("Integral)", "int)")
    assert code.skeleton(changed) != code.skeleton(CELL)


def test_a_cell_that_is_not_python_gives_one_clear_error() -> None:
    with pytest.raises(code.CodeTranslationError, match="not valid Python"):
        code.spans("def broken(:\n")
