"""Seller profiles: who sells what, since when, and what the feedback can tell.

:func:`sellers` gives one row per alias of both markets (stated rating and
sales, join date, contact, whether a PGP key is shown, number of offers and of
feedback entries). :func:`offer_by_group` counts each seller's titles per NPS
group (with :func:`course.nps.classify_title`), :func:`activity` the feedback
per month. :func:`feedback_estimate` turns feedback into a *lower bound* of
sales, with its limits stated as columns: not every buyer leaves feedback (so
real sales are higher), a market allows at most one feedback per order (so
identical entries count once), and reviews can be faked (bursts of entries on
one day and repeated texts are signs to look at, not proof).
"""

from __future__ import annotations

import pandas as pd

from course.nps import classify_title

#: the table of each market that holds a seller's page fields, and its alias column
SELLER_TABLES = {"market_ru": ("shops", "shop", "reviews"),
                 "market_en": ("vendors", "vendor", "feedback")}


def sellers(markets: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """One row per alias: ``market``, ``alias``, ``rating``, ``sales`` (as stated by
    the market), ``joined``, ``contact``, ``pgp_key`` (shown or not), ``offers``,
    ``feedback`` (entries on its feedback page) and ``file`` (its page).

    ``markets`` is what :func:`course.market.specs.read_markets` returns.
    """
    rows = []
    for market, (kind, alias, feedback_kind) in SELLER_TABLES.items():
        table = markets[market][kind]
        feedback = markets[market][feedback_kind]
        counts = feedback.groupby(alias).size() if not feedback.empty else pd.Series(dtype=int)
        for name, group in table.groupby(alias, sort=True):
            first = group.iloc[0]
            rows.append({"market": market, "alias": name, "rating": first["rating"],
                         "sales": int(first["sales"]), "joined": first["joined"],
                         "contact": first["contact"],
                         "pgp_key": isinstance(first["pgp_key"], str) and bool(first["pgp_key"]),
                         "offers": len(group), "feedback": int(counts.get(name, 0)),
                         "file": first["file"]})
    return pd.DataFrame(rows)


def offer_by_group(table: pd.DataFrame, by: str, title: str = "title") -> pd.DataFrame:
    """Titles per seller (rows) and NPS group (columns), classified with the lexicon."""
    groups = table[title].map(lambda x: classify_title(str(x)).group)
    return pd.crosstab(table[by], groups).rename_axis(index=by, columns="group")


def activity(feedback: pd.DataFrame, by: str, date: str = "date", freq: str = "M"
             ) -> pd.DataFrame:
    """Feedback entries per seller (columns) and month (rows; ``freq`` as in pandas)."""
    periods = pd.to_datetime(feedback[date]).dt.to_period(freq).rename("period")
    return pd.crosstab(periods, feedback[by]).sort_index()


def feedback_estimate(feedback: pd.DataFrame, by: str, stated: pd.Series | None = None,
                      date: str = "date", text: str = "text",
                      order: tuple[str, ...] = ("date", "buyer", "item")) -> pd.DataFrame:
    """A lower bound of each seller's sales from its feedback, with its limits.

    Parameters
    ----------
    feedback
        One row per feedback entry (a market's ``reviews`` or ``feedback`` table).
    by
        The seller column.
    stated
        The sales the market states, per seller (index: alias), for comparison.
    order
        Columns that identify one order: entries equal on all of them are one
        order at most (counted once).

    Returns
    -------
    pandas.DataFrame
        Per seller: ``entries``, ``orders_at_least`` (distinct orders: the lower
        bound), ``repeated_entries``, ``busiest_day`` (entries on the busiest day),
        ``same_text_share`` (share of entries whose text is the seller's most
        common one), ``first`` and ``last`` entry, and ``stated_sales``.
    """
    rows = []
    for seller, group in feedback.groupby(by, sort=True):
        distinct = group.drop_duplicates(list(order))
        days = pd.to_datetime(group[date])
        rows.append({
            by: seller, "entries": len(group), "orders_at_least": len(distinct),
            "repeated_entries": len(group) - len(distinct),
            "busiest_day": int(days.dt.date.value_counts().max()),
            "same_text_share": round(group[text].value_counts().iloc[0] / len(group), 3),
            "first": days.min(), "last": days.max(),
            "stated_sales": None if stated is None else stated.get(seller),
        })
    return pd.DataFrame(rows)
