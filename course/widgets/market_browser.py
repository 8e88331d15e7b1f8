"""Day 2 widget: browse the listings of both markets and open one from its saved page.

The table is what :func:`course.market.prices.price_per_gram` gives for each
market, concatenated: one row per priced offer. Four filters (place, NPS
group, seller, highest US dollars per gram) narrow it; choosing a listing reads
that listing again from the saved page it came from (with the market's parser,
:data:`course.market.specs.MARKETS`) and shows its fields as plain, escaped
text: nothing of the page (scripts, styles, links) runs or loads.
"""

from __future__ import annotations

import html
import math
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
from bs4 import BeautifulSoup

from course.market.pages import PageSpec, select_value
from course.market.specs import MARKETS
from course.messages import language, t, tn
from course.nps import GROUPS, classify_title
from course.widgets.base import CourseWidget

ALL = ""
#: the column of each role, in order of preference (market_ru's name first)
SELLER = ("shop", "vendor")
PLACE = ("city", "ships_from")
LISTING_ID = ("offer_id", "listing_id")
REQUIRED = ("title", "file", "usd_per_gram")
#: page fields not shown with a listing (a whole key block is not a listing's fact)
_HIDDEN_PAGE_FIELDS = {"pgp_key"}


def _first(row: pd.Series, columns: tuple[str, ...]) -> str:
    """The first non-empty value of ``columns`` in ``row`` ("" if none)."""
    for column in columns:
        value = row.get(column)
        if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
            continue
        text = str(value).strip()
        if text:
            return text
    return ""


def group_label(group: str) -> str:
    """The name of an NPS group id in the active language (the id if unknown)."""
    names = GROUPS.get(group)
    if names is None:
        return group
    return names[1] if language() == "ru" else names[0]


def check_listings(listings: Any) -> None:
    """Raise a one-line ``ValueError`` if ``listings`` lacks a column the browser needs."""
    if not isinstance(listings, pd.DataFrame):
        raise TypeError(t("w2.market.not_table", kind=type(listings).__name__))
    columns = set(listings.columns)
    missing = [c for c in REQUIRED if c not in columns]
    for role in (SELLER, PLACE, LISTING_ID):
        if not columns & set(role):
            missing.append(" / ".join(role))
    if missing:
        raise ValueError(t("w2.market.missing_columns", columns=", ".join(missing)))


def find_listing(pages: Path, file: str, listing_id: str) -> dict[str, str] | None:
    """The fields of one listing, read again from its saved page.

    Parameters
    ----------
    pages
        The folder of saved pages (``data/pages``).
    file
        The page, relative to ``pages`` (``market_ru/shop_01.html``).
    listing_id
        The listing's id as the tables hold it (``00041``, ``100044``).

    Returns
    -------
    dict or None
        Page fields and record fields (text, as written on the page), or
        None if the page holds no record with that id.

    Raises
    ------
    ValueError
        If ``file`` is outside ``pages``, unreadable or of no known kind.
    """
    root = pages.resolve()
    path = (root / file).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise ValueError(t("w2.market.no_page", file=file, folder=pages))
    market = Path(file).parts[0]
    spec = _spec_of(market, path.name)
    if spec is None:
        raise ValueError(t("w2.market.unknown_page", file=file))
    try:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(t("market.page.unreadable", file=file, reason=exc)) from None
    id_field = next(f for f in LISTING_ID if f in spec.fields)
    holder = soup.select_one(spec.container) if spec.container else soup
    for record in holder.select(spec.records) if holder is not None else []:
        found = select_value(record, spec.fields[id_field]) or ""
        if found.rstrip("/").rsplit("/", 1)[-1].removeprefix("l-") != listing_id:
            continue
        fields = {name: select_value(soup, sel) or "" for name, sel in spec.page.items()
                  if name not in _HIDDEN_PAGE_FIELDS}
        fields.update({name: select_value(record, sel) or ""
                       for name, sel in spec.fields.items()})
        return fields
    return None


def _spec_of(market: str, name: str) -> PageSpec | None:
    for spec in MARKETS.get(market, {}).values():
        if fnmatch(name, spec.pattern) and spec.records and set(LISTING_ID) & set(spec.fields):
            return spec
    return None


def _price_top(prices: pd.Series) -> float:
    """The slider's top: the highest price rounded up to a round number of dollars."""
    top = float(prices.max()) if len(prices) else 1.0
    step = 10 ** max(0, math.floor(math.log10(top)) - 1) if top >= 1 else 1
    return float(math.ceil(top / step) * step)


class MarketBrowser(CourseWidget):
    """Filters (place, NPS group, seller, highest $/g) over the listings, a list of the
    matching ones, and the chosen listing as read from its saved page.

    ``value`` is the rows of ``listings`` that match the filters (same columns,
    index and order); ``selected`` the index label of the chosen listing (None
    if none); ``listing`` its fields read from the saved page (None if none).

    Parameters
    ----------
    listings
        Priced listings of one or both markets (``price_per_gram`` results,
        concatenated). Required columns: ``title``, ``file`` (the page,
        relative to ``pages``), ``usd_per_gram``, a seller (``shop`` and/or
        ``vendor``), a place (``city`` and/or ``ships_from``) and an id
        (``offer_id`` and/or ``listing_id``). ``group`` (an NPS group id) is
        used where present; other titles are classified with :mod:`course.nps`.
    pages
        The folder of saved pages (``data/pages``).

    Raises
    ------
    ValueError
        If a required column is missing (naming it) or ``pages`` is not a folder.
    """

    def __init__(self, listings: pd.DataFrame, pages: Path | str) -> None:
        check_listings(listings)
        self._pages = Path(pages)
        if not self._pages.is_dir():
            raise ValueError(t("w2.market.no_folder", folder=self._pages))
        self._table = listings
        self._seller = listings.apply(lambda r: _first(r, SELLER), axis=1).astype(str)
        self._place = listings.apply(lambda r: _first(r, PLACE), axis=1).astype(str)
        self._id = listings.apply(lambda r: _first(r, LISTING_ID), axis=1).astype(str)
        self._group = listings["title"].map(lambda x: classify_title(str(x)).group)
        if "group" in listings.columns:  # a group given wins; rows without one are classified
            given = listings["group"]
            self._group = given.where(given.notna() & given.ne(""), self._group).astype(str)
        self._price = pd.to_numeric(listings["usd_per_gram"], errors="coerce")
        top = _price_top(self._price.dropna())

        def choices(values: pd.Series, label=str) -> list[tuple[str, str]]:
            found = sorted({v for v in values if v})
            return [(t("w2.market.all"), ALL)] + [(label(v), v) for v in found]

        wide = {"description_width": "initial"}
        self._w_place = widgets.Dropdown(options=choices(self._place), style=wide,
                                         description=t("w2.market.place_label"))
        self._w_group = widgets.Dropdown(options=choices(self._group, group_label), style=wide,
                                         description=t("w2.market.group_label"))
        self._w_seller = widgets.Dropdown(options=choices(self._seller), style=wide,
                                          description=t("w2.market.seller_label"))
        self._w_max = widgets.FloatSlider(
            value=top, min=0.0, max=top, step=top / 200, readout_format=".2f",
            description=t("w2.market.max_label"), continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%", max_width="640px"))
        self._w_summary = widgets.HTML()
        self._w_list = widgets.Select(options=[], rows=10,
                                      layout=widgets.Layout(width="95%", max_width="900px"))
        self._w_page = widgets.HTML()
        for w in (self._w_place, self._w_group, self._w_seller, self._w_max):
            w.observe(self._refresh, names="value")
        self._w_list.observe(self._show, names="value")
        self.layout = widgets.VBox([
            widgets.HBox([self._w_place, self._w_group, self._w_seller],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self._w_max, self._w_summary, self._w_list, self._w_page])
        self._refresh()

    # -- public -----------------------------------------------------------------------
    @property
    def value(self) -> pd.DataFrame:
        """The listings that match the filters (rows of the table as given)."""
        if self._w_max.value >= self._w_max.max:  # no limit: rows with no price stay too
            keep = pd.Series(True, index=self._table.index)
        else:
            keep = self._price.le(self._w_max.value).fillna(False)
        for widget, column in ((self._w_place, self._place), (self._w_group, self._group),
                               (self._w_seller, self._seller)):
            if widget.value != ALL:
                keep &= column == widget.value
        return self._table[keep.astype(bool)]

    @property
    def filters(self) -> dict[str, Any]:
        """The filters: ``place``, ``group``, ``seller`` ("" for all) and ``max_usd_per_gram``."""
        return {"place": self._w_place.value, "group": self._w_group.value,
                "seller": self._w_seller.value, "max_usd_per_gram": float(self._w_max.value)}

    @property
    def selected(self) -> Any:
        """The index label of the chosen listing (None if none)."""
        return self._w_list.value

    @property
    def listing(self) -> dict[str, str] | None:
        """The chosen listing's fields as read from its saved page (None if none)."""
        if self._w_list.value is None:
            return None
        row = self._table.loc[self._w_list.value]
        return find_listing(self._pages, str(row["file"]), self._id.loc[self._w_list.value])

    @property
    def summary(self) -> str:
        """The sentence above the list."""
        rows = self.value
        if rows.empty:
            return t("w2.market.empty")
        return tn("w2.market.summary", len(rows), total=len(self._table),
                  low=float(self._price.loc[rows.index].min()),
                  high=float(self._price.loc[rows.index].max()))

    # -- drawing ----------------------------------------------------------------------
    def _label(self, index: Any) -> str:
        row = self._table.loc[index]
        return t("w2.market.row", title=row["title"], seller=self._seller.loc[index],
                 place=self._place.loc[index], price=float(self._price.loc[index]))

    def _refresh(self, _change: object = None) -> None:
        rows = self.value
        order = self._price.loc[rows.index].sort_values(kind="stable").index
        chosen = self._w_list.value
        self._w_list.options = [(self._label(i), i) for i in order]
        self._w_list.value = chosen if chosen in set(order) else None
        self._w_summary.value = f"<b>{html.escape(self.summary)}</b>"
        self._show()

    def _show(self, _change: object = None) -> None:
        index = self._w_list.value
        if index is None:
            self._w_page.value = f"<i>{html.escape(t('w2.market.choose'))}</i>"
            return
        row = self._table.loc[index]
        file = str(row["file"])
        try:
            fields = find_listing(self._pages, file, self._id.loc[index])
        except ValueError as exc:
            self._w_page.value = f"<p style='color:#b00'>{html.escape(str(exc))}</p>"
            return
        head = html.escape(t("w2.market.from_page", file=file))
        if fields is None:
            missing = t("w2.market.not_on_page", id=self._id.loc[index], file=file)
            self._w_page.value = f"<p style='color:#b00'>{html.escape(missing)}</p>"
            return
        body = "".join(f"<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(v)}</td></tr>"
                       for k, v in fields.items())
        self._w_page.value = f"<p><b>{head}</b></p><table>{body}</table>"
