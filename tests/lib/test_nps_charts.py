"""The NPS notebook's table and chart helpers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from course.nps import GROUPS  # noqa: E402
from course.nps.charts import bar_chart, category_rows, group_rows  # noqa: E402


def test_group_table_has_every_group_with_its_category() -> None:
    rows = group_rows()
    assert [r["group id"] for r in rows] == list(GROUPS)
    categories = {r["group id"]: r["category"] for r in rows}
    assert categories["synthetic_cathinones"] == "nps"
    assert categories["controlled"] == "controlled"
    assert categories["pharmaceutical"] == "pharmaceutical"
    assert all(r["English"] and r["Русский"] for r in rows)
    assert {r["category"] for r in category_rows()} == {"nps", "controlled", "pharmaceutical",
                                                        "unknown"}


@pytest.mark.parametrize("unanswered", [{}, None, [], "controlled"])
def test_an_unanswered_exercise_gets_a_message_not_a_pandas_error(unanswered, capsys) -> None:
    """Check that the chart before exercise 1.4 says what to do instead of failing."""
    assert bar_chart(unanswered, "listings_per_group", "1.4") is None
    out = capsys.readouterr().out
    assert "exercise 1.4" in out and "listings_per_group" in out


def test_counts_that_are_not_numbers_are_explained(capsys) -> None:
    assert bar_chart({"controlled": "12"}, "listings_per_group", "1.4") is None
    assert "must be a number" in capsys.readouterr().out


def test_counts_are_drawn_largest_on_top() -> None:
    ax = bar_chart({"controlled": 40, "unknown": 12, "synthetic_cathinones": 25}, "x", "1.4",
                   title="t")
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert labels == ["unknown", "synthetic_cathinones", "controlled"]  # barh draws bottom-up
    assert ax.get_title() == "t"
