"""Charts and tables of the NPS notebook, with messages a trainee can act on.

A chart of counts drawn before the exercise that fills them would fail
inside pandas with "no numeric data to plot"; :func:`bar_chart` says instead
which exercise to finish first.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real
from typing import Any

from course.messages import t
from course.nps.lexicon import CATEGORIES, GROUPS, category_of


def group_rows() -> list[dict[str, str]]:
    """The lexicon's groups as table rows: id, category, English and Russian label."""
    return [
        {"group id": group, "category": category_of(group), "English": english,
         "Русский": russian}
        for group, (english, russian) in GROUPS.items()
    ]


def category_rows() -> list[dict[str, str]]:
    """The three categories (and ``unknown``) as table rows."""
    return [{"category": c, "English": en, "Русский": ru} for c, (en, ru) in CATEGORIES.items()]


def bar_chart(counts: Any, name: str, exercise: str, title: str = "") -> Any:
    """Draw ``counts`` (a dict ``label -> number``) as horizontal bars, largest on top.

    Parameters
    ----------
    counts
        The trainee's answer, e.g. ``listings_per_group``.
    name, exercise
        The variable's name and the exercise that fills it, for the message.
    title
        The chart's title.

    Returns
    -------
    matplotlib.axes.Axes or None
        The chart, or None (after printing what to do) when ``counts`` is not
        yet a dict of numbers.
    """
    if not isinstance(counts, Mapping) or not counts:
        print(t("nps.chart.empty", name=name, exercise=exercise))
        return None
    if not all(isinstance(v, Real) and not isinstance(v, bool) for v in counts.values()):
        print(t("nps.chart.not_numbers", name=name, exercise=exercise))
        return None
    import pandas as pd

    series = pd.Series(dict(counts), name=name).sort_values()
    return series.plot.barh(title=title)
