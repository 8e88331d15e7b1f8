"""Day-0 helpers: opening data files and the seizure explorer widget."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from course.data import data_path, read_table
from course.widgets import SeizureExplorer


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
    assert w.value == {"city": "", "min_weight_g": 0.0}
    assert len(w.selection) == 4
    assert w.summary == "4 seizures, 195.0 g in total"
    assert "195.0" in w._w_summary.value


def test_explorer_filters_when_controls_change(table: pd.DataFrame) -> None:
    w = SeizureExplorer(table)
    w._w_city.value = "Almaty"
    assert list(w.selection["weight_g"]) == [10.0, 120.0]
    w._w_weight.value = 50.0
    assert w.value == {"city": "Almaty", "min_weight_g": 50.0}
    assert w.summary == "1 seizures, 120.0 g in total"
    assert "120.0" in w._w_summary.value


def test_explorer_value_setter_drives_the_controls(table: pd.DataFrame) -> None:
    w = SeizureExplorer(table)
    w.value = {"city": "Bishkek", "min_weight_g": 6}
    assert w._w_city.value == "Bishkek"
    assert w.selection.empty
    assert w.summary == "No seizure matches this filter."


def test_explorer_rejects_a_table_without_the_columns() -> None:
    with pytest.raises(ValueError, match="weight_g"):
        SeizureExplorer(pd.DataFrame({"city": ["Osh"]}))


def test_explorer_renders_headless(table: pd.DataFrame) -> None:
    bundle = SeizureExplorer(table)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
