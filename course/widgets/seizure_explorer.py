"""Day 0 widget: filter the seizure table by city and minimum weight."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from course.messages import t
from course.widgets.base import CourseWidget

ANY = ""


class SeizureExplorer(CourseWidget):
    """A city drop-down and a weight slider over a seizure table.

    ``value`` is the filter, ``{"city": str, "min_weight_g": float}`` (an
    empty city means all cities); ``selection`` is the matching rows and
    ``summary`` the sentence shown under the controls.

    Parameters
    ----------
    table
        A table with at least the columns ``city`` and ``weight_g``.
    """

    def __init__(self, table: pd.DataFrame) -> None:
        missing = {"city", "weight_g"} - set(table.columns)
        if missing:
            raise ValueError(f"the table lacks the column(s) {sorted(missing)}")
        self._table = table
        cities = sorted(table["city"].dropna().unique())
        top = float(table["weight_g"].max()) if len(table) else 0.0
        self._w_city = widgets.Dropdown(
            options=[(t("seizures.any_city"), ANY)] + [(c, c) for c in cities],
            value=ANY,
            description=t("seizures.city_label"),
        )
        self._w_weight = widgets.FloatSlider(
            value=0.0,
            min=0.0,
            max=max(top, 1.0),
            step=1.0,
            description=t("seizures.min_weight_label"),
            style={"description_width": "initial"},
            continuous_update=False,
        )
        self._w_summary = widgets.HTML()
        for w in (self._w_city, self._w_weight):
            w.observe(self._refresh, names="value")
        self.layout = widgets.VBox([self._w_city, self._w_weight, self._w_summary])
        self._refresh()

    @property
    def value(self) -> dict[str, Any]:
        """The current filter."""
        return {"city": self._w_city.value, "min_weight_g": float(self._w_weight.value)}

    @value.setter
    def value(self, new: dict[str, Any]) -> None:
        if "city" in new:
            self._w_city.value = new["city"]
        if "min_weight_g" in new:
            self._w_weight.value = float(new["min_weight_g"])

    @property
    def selection(self) -> pd.DataFrame:
        """The rows that match the filter."""
        rows = self._table[self._table["weight_g"] >= self._w_weight.value]
        if self._w_city.value != ANY:
            rows = rows[rows["city"] == self._w_city.value]
        return rows

    @property
    def summary(self) -> str:
        """The sentence under the controls."""
        rows = self.selection
        if rows.empty:
            return t("seizures.empty")
        return t("seizures.summary", count=len(rows), total_g=float(rows["weight_g"].sum()))

    def _refresh(self, _change: object = None) -> None:
        self._w_summary.value = f"<b>{self.summary}</b>"
