"""Day 2 widget interactions in the browser: market browser, link chart, dead-drop map.

Each check drives one widget of a day-2 notebook after Run All, and compares
what it shows with what is computed here in Python from the day's data (saved
pages read with BeautifulSoup, the library's links, the photos' EXIF). Each
saves a screenshot of the widget it drove (``artifacts/screenshots/``).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from bs4 import BeautifulSoup
from playwright.sync_api import Locator, expect

from browser.interactions import interaction, widget_output
from browser.lab_page import UI_MS, LabPage
from course.market.linking import link_aliases
from course.market.photos import photo_table
from course.market.prices import Rates, price_per_gram
from course.market.specs import read_markets
from course.messages import t

DAY = "day2-market-osint"


def _shot(lab: LabPage, widget: Locator, name: str) -> None:
    widget.scroll_into_view_if_needed()
    lab.screenshot(f"{DAY}-widget-{name}")


def _offers(data: Path) -> pd.DataFrame:
    """The priced offers of both markets, as the notebook builds them."""
    log = pd.read_csv(data / "capture_log.csv")
    day = log["captured_utc"].str[:10].min()
    markets = read_markets(data / "pages")
    rates = Rates.from_csv(data / "fx_rates.csv", valid_on=day)
    shop, _ = price_per_gram(markets["market_ru"]["shops"], rates, on=day)
    escrow, _ = price_per_gram(markets["market_en"]["listings"], rates, price="price_usd",
                               currency="USD", quantity="title", on=day)
    return pd.concat([shop, escrow], ignore_index=True)


@interaction(
    DAY,
    "01-market-pages-and-prices.ipynb",
    "MarketBrowser: choose a vendor, then one of its listings; the listing is shown as "
    "written on its saved page",
)
def market_browser(lab: LabPage, day: Path) -> None:
    data = day / "data"
    offers = _offers(data)
    # the vendor with most cards on the escrow market's search pages, read from the pages
    cards: dict[str, list[BeautifulSoup]] = {}
    for page in sorted((data / "pages" / "market_en").glob("search_p*.html")):
        for card in BeautifulSoup(page.read_text("utf-8"), "lxml").select("div.listing-card"):
            cards.setdefault(card.select_one("div.vendor a").get_text(strip=True), []).append(card)
    vendor = max(cards, key=lambda v: len(cards[v]))
    n = int((offers["vendor"] == vendor).sum())

    widget = widget_output(lab, "MarketBrowser(all_offers, pages)")
    summary = widget.locator(".widget-html").first
    expect(summary).to_contain_text(f"{len(offers)} listings of {len(offers)}", timeout=UI_MS)
    widget.locator(".widget-dropdown select").nth(2).select_option(label=vendor)
    word = "listing" if n == 1 else "listings"
    expect(summary).to_contain_text(f"{n} {word} of {len(offers)}", timeout=UI_MS)
    options = widget.locator(".widget-select select option")
    expect(options).to_have_count(n, timeout=UI_MS)

    card = cards[vendor][0]
    title = card.select_one("a.listing-title").get_text(strip=True)
    usd = card.select_one("span.usd").get_text(strip=True)
    label = options.filter(has_text=title).first.inner_text()
    widget.locator(".widget-select select").select_option(label=label)
    shown = widget.locator(".widget-html").last
    expect(shown).to_contain_text(title, timeout=UI_MS)
    expect(shown).to_contain_text(usd)
    file = offers.loc[offers["title"] == title, "file"].iloc[0]
    expect(shown).to_contain_text(t("w2.market.from_page", file=file))
    _shot(lab, widget, "market-browser")


@interaction(
    DAY,
    "02-indicators-links-and-photos.ipynb",
    "LinkChart: choose the strongest link; its evidence and confidence appear and the chart "
    "highlights it",
)
def link_chart(lab: LabPage, day: Path) -> None:
    links = link_aliases(day / "data" / "pages")
    assert links, "the pages give no link to choose"
    best = links[0]
    label = t("w2.link.option", a=best.subject[0], b=best.subject[1],
              level=t(f"w2.link.level.{best.level}"), confidence=best.confidence)

    widget = widget_output(lab, "LinkChart(aliases, links)")
    expect(widget.locator("svg path.link")).to_have_count(len(links), timeout=UI_MS)
    expect(widget.locator("svg path.chosen")).to_have_count(0)
    widget.locator(".widget-dropdown select").select_option(label=label)
    details = widget.locator(".widget-html").last
    for sentence in best.evidence:
        expect(details).to_contain_text(sentence, timeout=UI_MS)
    expect(details).to_contain_text(f"({best.confidence:.2f})")
    expect(widget.locator("svg path.chosen")).to_have_count(1)
    _shot(lab, widget, "link-chart")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@interaction(
    DAY,
    "02-indicators-links-and-photos.ipynb",
    "DropMap: zoom on the city with most photos, then pick a camera serial; the dots and the "
    "table follow, photos with no position stay listed",
)
def drop_map(lab: LabPage, day: Path) -> None:
    data = day / "data"
    photos = photo_table(data / "photos")
    cities = pd.read_csv(data / "cities.csv")
    placed = photos.dropna(subset=["lat", "lon"])
    near = {c["name"]: placed[[_km(a, b, c["lat"], c["lon"]) < 8
                               for a, b in zip(placed["lat"], placed["lon"], strict=True)]]
            for _, c in cities.iterrows()}
    city = max(near, key=lambda c: len(near[c]))
    here = near[city]
    serial = here["serial"].dropna().value_counts().index[0]

    widget = widget_output(lab, "DropMap(photos, cities)")
    dots = widget.locator("svg circle.photo")
    expect(dots).to_have_count(len(placed), timeout=UI_MS)
    missing = widget.locator(".widget-html").last
    for file in photos.loc[photos["lat"].isna(), "file"]:
        expect(missing).to_contain_text(file)

    selects = widget.locator(".widget-dropdown select")
    selects.nth(0).select_option(label=city)
    expect(dots).to_have_count(len(here), timeout=UI_MS)
    table = widget.locator(".widget-html").nth(2)
    for file in here["file"]:
        expect(table).to_contain_text(file)
    selects.nth(1).select_option(label=serial)
    mine = here[here["serial"] == serial]
    expect(dots).to_have_count(len(mine), timeout=UI_MS)
    expect(widget.locator(f'svg circle.photo[data-serial="{serial}"]')).to_have_count(len(mine))
    _shot(lab, widget, "drop-map")
