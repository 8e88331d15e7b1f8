"""Day 0 widget: filter the seizure table by city and by weight ("more than")."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from course.messages import t, tn
from course.widgets.base import CourseWidget

ANY = ""
#: Weight stops of the slider (grams): 0, then 0.5, 1, 2, 5, 10, 20, 50 ... (a 1-2-5 series).
#: Seizures run from a tenth of a gram to kilograms; even stops on a short track
#: would leave 50 g a pixel wide, so the slider steps through these instead.
_MANTISSAS = (1, 2, 5)


def weight_stops(top: float) -> list[float]:
    """Return 0 and the 1-2-5 stops (from 0.5 g) below ``top``, in ascending order.

    Examples
    --------
    >>> weight_stops(120.0)
    [0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
    """
    stops = [0.0, 0.5]
    scale = 1.0
    while True:
        for m in _MANTISSAS:
            stop = m * scale
            if stop >= top:
                return [s for s in stops if s < top] or [0.0]
            stops.append(stop)
        scale *= 10


def _grams(value: float) -> str:
    return t("seizures.grams", grams=value)


class SeizureExplorer(CourseWidget):
    """A city drop-down and a "more than ... g" weight slider over a seizure table.

    ``value`` is the filter, ``{"city": str, "more_than_g": float}`` (an empty
    city means all cities); ``selection`` is the rows of that city whose
    ``weight_g`` is *more than* ``more_than_g`` (as in exercise 0.5: ``>``, not
    ``>=``); ``summary`` is the sentence shown under the controls.

    Parameters
    ----------
    table
        A table with at least the columns ``city`` and ``weight_g``.
    """

    def __init__(self, table: pd.DataFrame) -> None:
        if not isinstance(table, pd.DataFrame):
            raise TypeError(t("seizures.not_table", kind=type(table).__name__))
        missing = {"city", "weight_g"} - set(table.columns)
        if missing:
            raise ValueError(t("seizures.missing_columns", columns=", ".join(sorted(missing))))
        self._table = table
        cities = sorted(table["city"].dropna().unique())
        top = float(table["weight_g"].max()) if len(table) else 0.0
        self._w_city = widgets.Dropdown(
            options=[(t("seizures.any_city"), ANY)] + [(c, c) for c in cities],
            value=ANY,
            description=t("seizures.city_label"),
        )
        self._w_weight = widgets.SelectionSlider(
            options=[(_grams(s), s) for s in weight_stops(top)],
            value=0.0,
            description=t("seizures.more_than_label"),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%", max_width="640px"),
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
        return {"city": self._w_city.value, "more_than_g": float(self._w_weight.value)}

    @value.setter
    def value(self, new: dict[str, Any]) -> None:
        if "city" in new:
            self._w_city.value = new["city"]
        if "more_than_g" in new:
            grams = float(new["more_than_g"])
            stops = [value for _label, value in self._w_weight.options]
            if grams not in stops:  # a weight between the stops becomes a stop of its own
                stops = sorted([*stops, grams])
                self._w_weight.options = [(_grams(s), s) for s in stops]
            self._w_weight.value = grams

    @property
    def selection(self) -> pd.DataFrame:
        """The rows that match the filter (weight strictly more than the slider)."""
        rows = self._table[self._table["weight_g"] > self._w_weight.value]
        if self._w_city.value != ANY:
            rows = rows[rows["city"] == self._w_city.value]
        return rows

    @property
    def summary(self) -> str:
        """The sentence under the controls."""
        rows = self.selection
        if rows.empty:
            return t("seizures.empty")
        return tn("seizures.summary", len(rows), total_g=float(rows["weight_g"].sum()))

    def _refresh(self, _change: object = None) -> None:
        self._w_summary.value = f"<b>{self.summary}</b>"
