"""Day-0 helpers: opening data files and the seizure explorer widget."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from course.data import data_path, read_json, read_table
from course.messages import tn
from course.widgets import SeizureExplorer
from course.widgets.seizure_explorer import weight_stops


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": ["Almaty", "Almaty", "Osh", "Bishkek"],
            "weight_g": [10.0, 120.0, 60.0, 5.0],
        }
    )


def test_read_table_from_the_assignment_folder(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_text("a,b\n1,2\n")
    assert read_table("t.csv", tmp_path).to_dict("records") == [{"a": 1, "b": 2}]


def test_missing_data_file_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"Data file not found: .*data/nope.csv"):
        data_path("nope.csv", tmp_path)


def test_explorer_starts_unfiltered(table: pd.DataFrame) -> None:
    w = SeizureExplorer(table)
    assert w.value == {"city": "", "more_than_g": 0.0}
    assert len(w.selection) == 4
    assert w.summary == tn("seizures.summary", 4, total_g=195.0)
    assert "195.0" in w._w_summary.value


def test_explorer_filters_when_controls_change(table: pd.DataFrame) -> None:
    w = SeizureExplorer(table)
    w._w_city.value = "Almaty"
    assert list(w.selection["weight_g"]) == [10.0, 120.0]
    w._w_weight.value = 50.0
    assert w.value == {"city": "Almaty", "more_than_g": 50.0}
    assert list(w.selection["weight_g"]) == [120.0]
    assert w.summary == tn("seizures.summary", 1, total_g=120.0)
    assert "120.0" in w._w_summary.value


def test_the_summary_uses_the_singular_for_one_seizure(table: pd.DataFrame) -> None:
    """One row is "1 seizure", several are "N seizures" (the catalogue's plural forms)."""
    w = SeizureExplorer(table)
    w.value = {"city": "Osh"}
    assert w.summary.startswith("1 seizure,")
    w.value = {"city": ""}
    assert w.summary.startswith("4 seizures,")


def test_the_weight_filter_means_more_than_as_in_exercise_0_5(table: pd.DataFrame) -> None:
    """A seizure of exactly the slider's weight is left out: "more than", not "at least"."""
    w = SeizureExplorer(table)
    w.value = {"more_than_g": 60.0}
    assert sorted(w.selection["weight_g"]) == [120.0]
    w.value = {"more_than_g": 59.9}
    assert sorted(w.selection["weight_g"]) == [60.0, 120.0]


def test_the_slider_steps_through_usable_weights() -> None:
    """The slider has a stop at 50 g even when the heaviest seizure weighs kilograms."""
    heavy = pd.DataFrame({"city": ["Almaty"] * 3, "weight_g": [0.3, 48.0, 7943.0]})
    w = SeizureExplorer(heavy)
    stops = [value for _label, value in w._w_weight.options]
    assert stops == [0, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
    assert len(stops) < 20  # a short track still gives every stop room
    assert w._w_weight.options[7][0] == "50 g"
    assert weight_stops(0.0) == [0.0]


def test_explorer_value_setter_drives_the_controls(table: pd.DataFrame) -> None:
    w = SeizureExplorer(table)
    w.value = {"city": "Bishkek", "more_than_g": 6}
    assert w._w_city.value == "Bishkek"
    assert w._w_weight.value == 6.0
    assert w.selection.empty
    assert w.summary == "No seizure matches this filter."


def test_explorer_rejects_what_is_not_the_seizure_table() -> None:
    with pytest.raises(ValueError, match="lacks the column.* weight_g"):
        SeizureExplorer(pd.DataFrame({"city": ["Osh"]}))
    with pytest.raises(TypeError, match="seizure table"):
        SeizureExplorer("seizures.csv")  # type: ignore[arg-type]


def test_explorer_renders_headless(table: pd.DataFrame) -> None:
    bundle = SeizureExplorer(table)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_read_json_reads_and_explains_bad_files(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "q.json").write_text('{"title_ids": ["T001"]}', encoding="utf-8")
    assert read_json("q.json", tmp_path) == {"title_ids": ["T001"]}
    (tmp_path / "data" / "bad.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.json is not valid JSON"):
        read_json("bad.json", tmp_path)
