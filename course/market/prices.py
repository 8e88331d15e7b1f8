"""Prices per gram: quantities read from titles and weight fields, rates at a date.

Markets write quantities every which way: ``"1г"``, ``"0,5 г"``, ``"5гр"``,
``"0.5 grams"``, ``"1kg"``, ``"250mg"``, ``"10 pcs"``. :func:`parse_quantity`
reads them into grams; a count of pieces (pills, blotters) has no weight and a
text with no quantity, or with two different ones, is *reported*, never
guessed. :class:`Rates` converts local prices into US dollars with the rate
valid on the listing's date (the latest rate on or before it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from course.messages import t

#: unit as written -> (canonical unit, grams per unit; None for pieces)
UNITS: dict[str, tuple[str, float | None]] = {
    "g": ("g", 1.0), "gr": ("g", 1.0), "gram": ("g", 1.0), "grams": ("g", 1.0),
    "г": ("g", 1.0), "гр": ("g", 1.0), "грамм": ("g", 1.0), "грамма": ("g", 1.0),
    "kg": ("kg", 1000.0), "кг": ("kg", 1000.0),
    "mg": ("mg", 0.001), "мг": ("mg", 0.001),
    "pcs": ("pcs", None), "pc": ("pcs", None), "pieces": ("pcs", None), "tabs": ("pcs", None),
    "шт": ("pcs", None), "штук": ("pcs", None), "x": ("pcs", None),
}
_QUANTITY = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*(" + "|".join(sorted(UNITS, key=len, reverse=True))
    + r")(?![\w])", re.IGNORECASE)


class QuantityError(ValueError):
    """A text holds no quantity in a known unit, or more than one."""


@dataclass(frozen=True)
class Quantity:
    """A quantity as read: amount, canonical unit, grams (None for pieces)."""

    amount: float
    unit: str
    grams: float | None


def parse_quantity(text: str) -> Quantity:
    """The one quantity written in ``text`` (a title or a weight field).

    Examples
    --------
    >>> parse_quantity("Мефедрон VHQ 0,5 г")
    Quantity(amount=0.5, unit='g', grams=0.5)
    >>> parse_quantity("Kratom 1kg").grams
    1000.0

    Raises
    ------
    QuantityError
        If no quantity is found, or two different ones are.
    """
    found = {(float(n.replace(",", ".")), u.lower()) for n, u in _QUANTITY.findall(str(text))}
    if not found:
        raise QuantityError(t("market.price.no_quantity", text=text))
    if len(found) > 1:
        raise QuantityError(t("market.price.two_quantities", text=text))
    amount, written = found.pop()
    unit, factor = UNITS[written]
    grams = None if factor is None else round(amount * factor, 9)
    return Quantity(amount, unit, grams)


class Rates:
    """US dollars per unit of each currency, by date (as of the latest date known).

    Parameters
    ----------
    table
        Columns ``currency``, ``usd_per_unit`` and optionally ``date``; an
        undated table (the course's ``fx_rates.csv``) is valid on ``valid_on``.
    valid_on
        The date of an undated table (the capture day).
    """

    def __init__(self, table: pd.DataFrame, valid_on: date | str | None = None) -> None:
        table = table.copy()
        missing = {"currency", "usd_per_unit"} - set(table.columns)
        if missing:
            raise ValueError(t("market.price.rates_columns", columns=", ".join(sorted(missing))))
        if "date" not in table.columns:
            if valid_on is None:
                raise ValueError(t("market.price.rates_undated"))
            table["date"] = valid_on
        table["date"] = pd.to_datetime(table["date"])
        self.table = table.sort_values(["currency", "date"]).reset_index(drop=True)

    @classmethod
    def from_csv(cls, path: Path | str, valid_on: date | str | None = None) -> Rates:
        """Read a rates file (``fx_rates.csv``)."""
        return cls(pd.read_csv(path), valid_on)

    @classmethod
    def from_series(cls, path: Path | str) -> Rates:
        """Read a daily series in wide form (the world's ``rates.csv``: ``date``,
        ``btc_usd``, ``kzt_per_usd`` ...): ``<cur>_usd`` is dollars per unit,
        ``<cur>_per_usd`` units per dollar."""
        wide = pd.read_csv(path)
        if "date" not in wide.columns:
            raise ValueError(t("market.price.rates_columns", columns="date"))
        parts = []
        for column in wide.columns.drop("date"):
            code, _, rest = column.partition("_")
            if rest not in ("usd", "per_usd"):
                continue
            values = wide[column].astype(float)
            parts.append(pd.DataFrame({"date": wide["date"], "currency": code.upper(),
                                       "usd_per_unit": values if rest == "usd" else 1 / values}))
        if not parts:
            raise ValueError(t("market.price.rates_columns", columns="<currency>_usd"))
        return cls(pd.concat(parts, ignore_index=True))

    def usd_per_unit(self, currency: str, on: date | str | pd.Timestamp) -> float:
        """The rate of ``currency`` valid on ``on``; USD is 1.

        Raises
        ------
        KeyError
            If there is no rate of ``currency`` on or before ``on``.
        """
        if currency == "USD":
            return 1.0
        when = pd.Timestamp(on)
        rows = self.table[(self.table["currency"] == currency) & (self.table["date"] <= when)]
        if rows.empty:
            raise KeyError(t("market.price.no_rate", currency=currency,
                             day=when.date().isoformat()))
        return float(rows["usd_per_unit"].iloc[-1])


def price_per_gram(table: pd.DataFrame, rates: Rates | None = None, *, price: str = "amount",
                   currency: str = "currency", quantity: str = "quantity",
                   on: str | date | None = None, date_column: str | None = None,
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Grams, price per gram and (with ``rates``) US dollars per gram of every row.

    Parameters
    ----------
    table
        One row per offer: a price, a currency column (or ``currency`` is a
        code such as ``"USD"`` for all rows) and a text holding the quantity
        (a weight field, or the title).
    rates
        Exchange rates, for the ``usd_per_gram`` column.
    on, date_column
        The date of the rate: one date for all rows, or a column of dates.

    Returns
    -------
    (priced, problems)
        ``priced``: the rows whose quantity is a weight, with ``grams``,
        ``per_gram`` (in the row's currency) and ``usd_per_gram``;
        ``problems``: the other rows with the ``reason`` they were left out.
    """
    priced, problems = [], []
    for index, row in table.iterrows():
        code = row[currency] if currency in table.columns else currency
        try:
            q = parse_quantity(row[quantity])
        except QuantityError as exc:
            problems.append({**row.to_dict(), "reason": str(exc)})
            continue
        if q.grams is None:
            reason = t("market.price.pieces", text=row[quantity])
            problems.append({**row.to_dict(), "reason": reason})
            continue
        out = {**row.to_dict(), "currency_code": code, "grams": q.grams,
               "per_gram": float(row[price]) / q.grams}
        if rates is not None:
            when = row[date_column] if date_column else on
            try:
                out["usd_per_gram"] = out["per_gram"] * rates.usd_per_unit(code, when)
            except KeyError as exc:
                problems.append({**row.to_dict(), "reason": exc.args[0]})
                continue
        out["_index"] = index
        priced.append(out)
    result = pd.DataFrame(priced).set_index("_index") if priced else table.iloc[:0].copy()
    result.index.name = None
    return result, pd.DataFrame(problems, columns=[*table.columns, "reason"])
