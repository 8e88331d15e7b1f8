"""The two markets of the case: their page parsers, and tidy typed tables.

Each market is a dictionary ``kind -> PageSpec`` (see :mod:`course.market.pages`);
:func:`read_market` applies all of them to a market's folder of saved pages
and turns the text into typed columns (numbers, dates, currency codes).

- ``market_ru``, the Russian-language shop market: shop pages (a showcase of
  dead drops ready in cities), shop reviews, city showcases;
- ``market_en``, the English escrow market: search result pages, vendor
  profiles, vendor feedback and one listing page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from course.market.pages import PageFormatError, PageSpec, parse_pages
from course.messages import t

MARKET_RU: dict[str, PageSpec] = {
    "shops": PageSpec(
        "shops", "shop_[0-9][0-9].html",
        page={"shop": "h1.shop-name", "rating": "span.rating", "sales": "span.sales",
              "joined": "div.shop-since time", "contact": "span.contact"},
        optional={"pgp_key": "pre.pgp-key"},
        container="table.showcase-table tbody", records="tr.offer",
        fields={"offer_id": "@data-offer-id", "title": "td.title", "city": "td.city",
                "district": "td.district", "drop_type": "td.klad", "quantity": "td.weight",
                "amount": "span.amount", "currency": "span.currency",
                "price_btc": "td.price-btc"},
    ),
    "reviews": PageSpec(
        "reviews", "shop_[0-9][0-9]_reviews.html", page={"shop": "h1 span.shop-name"},
        container="ul.reviews", records="li.review",
        fields={"date": "time", "stars": "span.stars", "buyer": "span.buyer",
                "item": "span.item", "city": "span.city", "text": "p.text"},
    ),
    "cities": PageSpec(
        "cities", "city_*.html", page={"city": "h1.city-name", "count": "p.count"},
        container="div.cards", records="div.card",
        fields={"offer_id": "@data-offer-id", "title": "div.card-title",
                "shop": "div.card-shop a", "meta": "div.card-meta", "price": "div.card-price"},
    ),
}

MARKET_EN: dict[str, PageSpec] = {
    "listings": PageSpec(
        "listings", "search_p*.html", container="div.results", records="div.listing-card",
        fields={"listing_id": "a.listing-title@href", "title": "a.listing-title",
                "vendor": "div.vendor a", "price_usd": "span.usd", "price_btc": "span.btc",
                "price_xmr": "span.xmr", "ships_from": "span.from", "ships_to": "span.to",
                "posted": "div.posted time"},
    ),
    "vendors": PageSpec(
        "vendors", "vendor_[0-9][0-9].html",
        page={"vendor": "h1.vendor-name", "joined": "td.joined", "rating": "td.rating",
              "sales": "td.sales", "contact": "td.contact", "pgp_key": "pre.pgp-key"},
        container="table.vendor-listings", records="tr",
        fields={"listing_id": "a@href", "title": "a", "price_usd": "td:nth-of-type(2)",
                "ships_from": "td:nth-of-type(3)"},
    ),
    "feedback": PageSpec(
        "feedback", "feedback_[0-9][0-9].html", page={"vendor": "h1 span.vendor-name"},
        container="table.feedback-table tbody", records="tr.feedback",
        fields={"date": "td.date", "rating": "td.rating", "buyer": "td.buyer",
                "item": "td.item", "comment": "td.comment"},
    ),
    "listing_pages": PageSpec(
        "listing_pages", "listing*.html",
        page={"listing_id": "div.listing-detail@id", "title": "h1.listing-title",
              "vendor": "div.vendor a", "price": "div.price", "description": "div.description"},
    ),
}

MARKETS: dict[str, dict[str, PageSpec]] = {"market_ru": MARKET_RU, "market_en": MARKET_EN}

#: currency signs of the shop market -> ISO 4217 codes
CURRENCY_SIGNS: dict[str, str] = {"₸": "KZT", "сом": "KGS", "сум": "UZS", "смн": "TJS",
                                  "манат": "TMT", "₼": "AZN"}


def number(text: str) -> float:
    """A number as markets write it: ``"20 000"``, ``"4.85/5"``, ``"USD 12.50"``, ``"0,5"``.

    Examples
    --------
    >>> number("20 000"), number("4.85/5"), number("USD 12.50"), number("0,5 г")
    (20000.0, 4.85, 12.5, 0.5)
    """
    found = re.search(r"\d[\d\s\u00a0]*(?:[.,]\d+)?", str(text))
    if found is None:
        raise ValueError(t("market.page.not_a_number", text=text))
    return float(re.sub(r"[\s\u00a0]", "", found.group(0)).replace(",", "."))


def _column(table: pd.DataFrame, column: str, convert, kind: str) -> pd.Series:
    out = []
    for value, source in zip(table[column], table["file"], strict=True):
        try:
            out.append(convert(value))
        except ValueError:
            raise PageFormatError(t("market.page.bad_value", field=column, value=value,
                                    file=source, kind=kind)) from None
    return pd.Series(out, index=table.index, dtype="float64" if convert is number else None)


def _last_part(href: str) -> str:
    return href.rstrip("/").rsplit("/", 1)[-1].removeprefix("l-")


def tidy(market: str, kind: str, table: pd.DataFrame) -> pd.DataFrame:
    """Typed columns for one raw table of :func:`read_market`."""
    table = table.copy()
    numeric = {"rating", "sales", "amount", "price_btc", "price_usd", "price_xmr", "count"}
    for column in sorted(numeric & set(table.columns)):
        table[column] = _column(table, column, number, kind)
    for column in ("joined", "date", "posted"):
        if column in table.columns:
            table[column] = pd.to_datetime(table[column], format="%Y-%m-%d", errors="raise")
    if "listing_id" in table.columns:
        table["listing_id"] = table["listing_id"].map(_last_part)
    if market == "market_ru" and kind == "shops":
        table["currency"] = table["currency"].map(lambda s: CURRENCY_SIGNS.get(s, s))
        table["price_btc"] = table["price_btc"].astype(float)
    if kind == "reviews":
        table["rating"] = table.pop("stars").str.count("★")
    if kind == "cities":
        table["count"] = table["count"].astype(int)
        parts = table["meta"].str.split(" · ", n=2)
        for value, n, source in zip(table["meta"], parts.str.len(), table["file"], strict=True):
            if n != 3:
                raise PageFormatError(t("market.page.bad_parts", field="meta", value=value,
                                        file=source, kind=kind, parts=3))
        meta = table.pop("meta").str.split(" · ", n=2, expand=True).reindex(columns=range(3))
        table["district"], table["drop_type"], table["quantity"] = meta[0], meta[1], meta[2]
        price = table.pop("price").str.rpartition(" ")
        table["amount"] = _column(price.assign(file=table["file"]), 0, number, kind)
        table["currency"] = price[2].map(lambda s: CURRENCY_SIGNS.get(s, s))
    return table.reset_index(drop=True)


def read_market(folder: Path | str, market: str | None = None) -> dict[str, pd.DataFrame]:
    """Every table of one market's saved pages, typed.

    Parameters
    ----------
    folder
        The market's folder of saved pages (``data/pages/market_ru``).
    market
        ``"market_ru"`` or ``"market_en"``; by default the folder's name.

    Raises
    ------
    PageFormatError
        If a page does not match its spec (one line naming field and file).
    """
    folder = Path(folder)
    market = market or folder.name
    if market not in MARKETS:
        raise PageFormatError(t("market.page.unknown_market", market=market,
                                known=", ".join(MARKETS)))
    root = folder.parent
    return {kind: tidy(market, kind, parse_pages(folder, spec, root))
            for kind, spec in MARKETS[market].items()}


def read_markets(pages: Path | str) -> dict[str, dict[str, pd.DataFrame]]:
    """:func:`read_market` for both markets under ``pages`` (``data/pages``)."""
    return {market: read_market(Path(pages) / market, market) for market in MARKETS}
