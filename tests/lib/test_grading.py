"""The answer key and the comparisons hidden tests rely on."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course.errors import AnswerKeyError
from course.grading import expect, load_key, matches
from course.grading.key import ENV_VAR


def write_key(path: Path, answers: dict, seed: int = 7) -> Path:
    path.write_text(json.dumps({"seed": seed, "answers": answers}), encoding="utf-8")
    return path


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_key(
        tmp_path / "answer_key.json",
        {
            "count": {"value": 12, "hint": "count rows"},
            "cities": {"value": ["Almaty", "Osh"], "compare": "set"},
            "share": {"value": 0.25, "compare": "float", "tolerance": 0.001},
            "grams": {"value": {"a": 1.5, "b": 2.0}, "compare": "float_map", "tolerance": 0.01},
        },
    )
    monkeypatch.setenv(ENV_VAR, str(path))
    return path


def test_expect_accepts_the_right_answers(key_file: Path) -> None:
    expect("count", 12)
    expect("count", np.int64(12))
    expect("cities", ["Osh", "Almaty"])
    expect("cities", {"Osh", "Almaty"})
    expect("share", 0.2501)
    expect("grams", {"a": np.float64(1.5), "b": 2.004})
    expect("grams", pd.Series({"a": 1.5, "b": 2.0}))


@pytest.mark.parametrize(
    ("grade_id", "wrong"),
    [
        ("count", 13),
        ("count", "12"),
        ("count", 12.5),
        ("cities", ["Almaty"]),
        ("cities", ["Almaty", "Osh", "Osh"]),
        ("share", 0.26),
        ("share", float("nan")),
        ("grams", {"a": 1.5}),
        ("grams", {"a": 1.5, "b": 3.0}),
    ],
)
def test_expect_rejects_wrong_answers_with_the_hint(
    key_file: Path, grade_id: str, wrong: object
) -> None:
    with pytest.raises(AssertionError, match=f"^{grade_id}: this is not what the data gives"):
        expect(grade_id, wrong)


def test_wrong_answer_message_carries_the_hint(key_file: Path) -> None:
    with pytest.raises(AssertionError, match="count rows"):
        expect("count", 1)


def test_unanswered_is_reported_as_such(key_file: Path) -> None:
    with pytest.raises(AssertionError, match="no answer yet"):
        expect("count", None)


def test_missing_key_fails_never_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nowhere.json"))
    with pytest.raises(AnswerKeyError, match="not available") as info:
        expect("count", 12)
    assert isinstance(info.value, AssertionError)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps({"answers": {}}), json.dumps({"seed": 1, "answers": []}), "[]"],
)
def test_unreadable_key_fails_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    path = tmp_path / "answer_key.json"
    path.write_text(content)
    monkeypatch.setenv(ENV_VAR, str(path))
    with pytest.raises(AnswerKeyError, match="cannot be read"):
        expect("count", 12)


def test_unknown_comparison_in_key_is_rejected(tmp_path: Path) -> None:
    path = write_key(tmp_path / "k.json", {"x": {"value": 1, "compare": "fuzzy"}})
    with pytest.raises(AnswerKeyError, match="unknown comparison"):
        load_key(path)


def test_entry_missing_from_key(key_file: Path) -> None:
    with pytest.raises(AnswerKeyError, match="no entry 'day9_nothing'"):
        expect("day9_nothing", 1)


def test_key_found_from_inside_a_course_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "nbgrader_config.py").write_text("")
    (tmp_path / "source" / "day0-x").mkdir(parents=True)
    (tmp_path / "keys").mkdir()
    write_key(tmp_path / "keys" / "answer_key.json", {"n": {"value": 3}}, seed=42)
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    monkeypatch.chdir(tmp_path / "source" / "day0-x")
    key = load_key()
    assert key.seed == 42
    assert key.entry("n").value == 3


def test_matches_is_strict_about_booleans_and_types() -> None:
    assert not matches(True, 1)
    assert not matches(1, True)
    assert matches([1, 2], (1, 2))
    assert not matches("a", ["a"], "set")
    with pytest.raises(ValueError):
        matches(1, 1, "fuzzy")
