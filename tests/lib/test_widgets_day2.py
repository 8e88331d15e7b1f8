"""Day-2 widgets: market browser, link chart, dead-drop map, on the worlds of seeds 2026 and 7.

The tests drive the inner widgets as a trainee's choices would
(``w._w_seller.value = ...``) and check ``value`` and what is shown. Expected
values come from the generators' own records (``truth``), from the saved pages
and photos read here with BeautifulSoup and Pillow, or from the input table
filtered with plain pandas; never from the widget's code.
"""

from __future__ import annotations

import math
import re
import shutil
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from market_world import SEEDS, world
from PIL import Image

from course.findings import Finding
from course.market.basemap import country_outlines, outline_source
from course.market.linking import Profile, link_aliases, profiles
from course.market.photos import photo_table
from course.market.prices import Rates, price_per_gram
from course.market.specs import read_markets
from course.widgets import DropMap, LinkChart, MarketBrowser


def build_listings(data: Path) -> pd.DataFrame:
    """The priced offers of both markets, as the day's notebook builds them."""
    markets = read_markets(data / "pages")
    day = "2025-10-15"
    rates = Rates.from_csv(data / "fx_rates.csv", valid_on=day)
    shop, _ = price_per_gram(markets["market_ru"]["shops"], rates, on=day)
    escrow, _ = price_per_gram(markets["market_en"]["listings"], rates, price="price_usd",
                               currency="USD", quantity="title", on=day)
    return pd.concat([shop, escrow], ignore_index=True)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@pytest.fixture(params=SEEDS)
def seed(request: pytest.FixtureRequest) -> int:
    return request.param


@cache
def _listings(seed: int) -> pd.DataFrame:
    return build_listings(world(seed).data)


@pytest.fixture
def market(seed: int) -> tuple[pd.DataFrame, Path]:
    return _listings(seed).copy(), world(seed).data / "pages"


def one_line(exc: pytest.ExceptionInfo) -> str:
    text = str(exc.value)
    assert "\n" not in text and text
    return text


# -- MarketBrowser ----------------------------------------------------------------------

def test_browser_starts_with_every_listing(market: tuple[pd.DataFrame, Path]) -> None:
    listings, pages = market
    w = MarketBrowser(listings, pages)
    pd.testing.assert_frame_equal(w.value, listings)
    assert w.selected is None and w.listing is None
    assert len(w._w_list.options) == len(listings)
    assert f"{len(listings)} listings of {len(listings)}" in w._w_summary.value


def test_browser_seller_filter_matches_the_shop_pages(market: tuple[pd.DataFrame, Path]) -> None:
    listings, pages = market
    w = MarketBrowser(listings, pages)
    # count the offers of one shop straight from its saved pages
    offers: dict[str, int] = {}
    for page in sorted((pages / "market_ru").glob("shop_[0-9][0-9].html")):
        doc = soup(page)
        name = doc.select_one("h1.shop-name").get_text(strip=True)
        offers[name] = offers.get(name, 0) + len(doc.select("tr.offer"))
    shop = max(offers, key=offers.get)
    w._w_seller.value = shop
    assert len(w.value) == offers[shop]
    assert set(w.value["shop"]) == {shop}
    assert len(w._w_list.options) == offers[shop]


def test_browser_place_and_price_filters(market: tuple[pd.DataFrame, Path]) -> None:
    listings, pages = market
    w = MarketBrowser(listings, pages)
    city = listings["city"].dropna().value_counts().index[0]
    limit = float(listings.loc[listings["city"] == city, "usd_per_gram"].median())
    w._w_place.value = city
    w._w_max.value = limit
    expected = listings[(listings["city"] == city) & (listings["usd_per_gram"] <= limit)]
    pd.testing.assert_frame_equal(w.value, expected)
    assert w.filters == {"place": city, "group": "", "seller": "", "max_usd_per_gram": limit}
    # the list is sorted by price, cheapest first
    shown = [listings.loc[i, "usd_per_gram"] for _, i in w._w_list.options]
    assert shown == sorted(expected["usd_per_gram"])
    w._w_max.value = 0.0
    assert w.value.empty and w._w_list.options == ()
    assert "No listing matches" in w._w_summary.value


def test_browser_escrow_place_is_where_it_ships_from(market: tuple[pd.DataFrame, Path]) -> None:
    listings, pages = market
    w = MarketBrowser(listings, pages)
    country = listings["ships_from"].dropna().value_counts().index[0]
    w._w_place.value = country
    assert len(w.value) == int((listings["ships_from"] == country).sum())


def test_browser_group_filter_finds_the_target_listing(seed: int,
                                                       market: tuple[pd.DataFrame, Path]) -> None:
    listings, pages = market
    target = world(seed).truth["markets"]["target"]
    w = MarketBrowser(listings, pages)
    assert "synthetic_opioids" in [v for _, v in w._w_group.options]
    w._w_group.value = "synthetic_opioids"
    assert target["listing_id"] in set(w.value["listing_id"].dropna())
    assert "kratom" not in " ".join(w.value["title"]).lower()


def test_browser_uses_a_given_group_and_classifies_the_rest(
        market: tuple[pd.DataFrame, Path]) -> None:
    listings, pages = market
    table = listings.copy()
    shop_rows = table["shop"].notna()
    table["group"] = None
    table.loc[shop_rows, "group"] = "tryptamines"  # as if a notebook had labelled the shops
    w = MarketBrowser(table, pages)
    w._w_group.value = "tryptamines"
    assert set(w.value.index) >= set(table.index[shop_rows])
    w._w_group.value = "synthetic_opioids"  # escrow rows, with no group given, are classified
    assert len(w.value) and w.value["shop"].isna().all()


def test_browser_opens_the_listing_from_its_saved_page(seed: int,
                                                       market: tuple[pd.DataFrame, Path]) -> None:
    listings, pages = market
    target = world(seed).truth["markets"]["target"]["listing_id"]
    w = MarketBrowser(listings, pages)
    index = listings.index[listings["listing_id"] == target][0]
    page = pages / listings.loc[index, "file"]
    card = soup(page).select_one(f"div#l-{target}")
    title = card.select_one("a.listing-title").get_text(strip=True)
    usd = card.select_one("span.usd").get_text(strip=True)
    vendor = card.select_one("div.vendor a").get_text(strip=True)
    w._w_list.value = index
    assert w.selected == index
    assert w.listing["title"] == title and w.listing["price_usd"] == usd
    assert w.listing["vendor"] == vendor
    shown = w._w_page.value
    for text in (title, usd, vendor, listings.loc[index, "file"]):
        assert text in shown
    # choosing a shop offer shows the shop's own page fields too
    offer = listings.index[listings["offer_id"].notna()][0]
    w._w_list.value = offer
    row = soup(pages / listings.loc[offer, "file"]).select_one(
        f'tr.offer[data-offer-id="{listings.loc[offer, "offer_id"]}"]')
    assert w.listing["district"] == row.select_one("td.district").get_text(strip=True)
    assert w.listing["shop"] == listings.loc[offer, "shop"]
    assert "pgp_key" not in w.listing


def test_browser_shows_page_text_escaped(tmp_path: Path) -> None:
    data = world(2026).data
    shutil.copytree(data / "pages", tmp_path / "pages")
    shutil.copy(data / "fx_rates.csv", tmp_path / "fx_rates.csv")
    page = tmp_path / "pages" / "market_ru" / "shop_01.html"
    # markup in the page, and markup written as text (entities) that reads as a tag
    hostile = ('<img src=x onerror="alert(1)"><b>bold</b>'
               '&lt;script&gt;alert(2)&lt;/script&gt; Мефедрон 1г')
    html, n = re.subn(r'(<td class="title">)[^<]*', lambda m: m.group(1) + hostile,
                      page.read_text(encoding="utf-8"), count=1)
    assert n == 1
    page.write_text(html, encoding="utf-8")
    listings = build_listings(tmp_path)
    w = MarketBrowser(listings, tmp_path / "pages")
    index = listings.index[listings["title"].str.contains("Мефедрон 1г", regex=False)
                           & (listings["file"] == "market_ru/shop_01.html")][0]
    w._w_list.value = index
    shown = w._w_page.value
    assert w.listing["title"] == "bold<script>alert(2)</script> Мефедрон 1г"
    assert "<script" not in shown and "<img" not in shown and "<b>bold" not in shown
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Мефедрон 1г" in shown


def test_browser_says_when_the_page_does_not_hold_the_listing(
        market: tuple[pd.DataFrame, Path]) -> None:
    listings, pages = market
    table = listings.copy()
    first = table.index[table["offer_id"].notna()][0]
    table.loc[first, "offer_id"] = "99999"
    table.loc[table.index[1], "file"] = "../../../etc/passwd"
    w = MarketBrowser(table, pages)
    w._w_list.value = first
    assert "99999" in w._w_page.value and "not on the saved page" in w._w_page.value
    assert w.listing is None
    w._w_list.value = table.index[1]
    assert "is not in" in w._w_page.value
    assert "root:" not in w._w_page.value


@pytest.mark.parametrize(("drop", "named"), [
    (["usd_per_gram"], "usd_per_gram"), (["file"], "file"),
    (["shop", "vendor"], "shop / vendor"), (["city", "ships_from"], "city / ships_from"),
])
def test_browser_names_a_missing_column(market: tuple[pd.DataFrame, Path], drop: list[str],
                                        named: str) -> None:
    listings, pages = market
    with pytest.raises(ValueError) as exc:
        MarketBrowser(listings.drop(columns=drop), pages)
    assert named in one_line(exc)


def test_browser_refuses_what_is_not_a_table_or_a_folder(market: tuple[pd.DataFrame, Path],
                                                         tmp_path: Path) -> None:
    listings, pages = market
    with pytest.raises(TypeError) as exc:
        MarketBrowser(listings.to_dict("records"), pages)
    assert "list" in one_line(exc)
    with pytest.raises(ValueError) as exc:
        MarketBrowser(listings, tmp_path / "nowhere")
    assert "nowhere" in one_line(exc)


def test_browser_speaks_russian(monkeypatch: pytest.MonkeyPatch,
                                market: tuple[pd.DataFrame, Path]) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    listings, pages = market
    w = MarketBrowser(listings, pages)
    assert w._w_place.options[0][0] == "(все)"
    assert w._w_group.description == "Группа НПВ"
    assert dict(w._w_group.options)["Синтетические опиоиды (нитазены, аналоги фентанила)"] \
        == "synthetic_opioids"
    count = len(listings)
    form = ("объявление" if count % 10 == 1 and count % 100 != 11 else
            "объявления" if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14
            else "объявлений")
    assert f"{count} {form} из {count}" in w._w_summary.value


# -- LinkChart ---------------------------------------------------------------------------

@cache
def _linked(seed: int) -> tuple[list[Profile], list[Finding]]:
    pages = world(seed).data / "pages"
    return profiles(pages), link_aliases(pages)


@pytest.fixture
def linked(seed: int) -> tuple[list[Profile], list[Finding], dict]:
    found, links = _linked(seed)
    return list(found), list(links), world(seed).truth["markets"]


def _pair(f: Finding) -> frozenset[str]:
    return frozenset(f.subject)


def test_chart_starts_with_no_link_and_draws_every_alias(linked) -> None:
    found, links, truth = linked
    w = LinkChart(found, links)
    assert w.value is None and w.details == ""
    assert len(w._w_link.options) == len(links) + 1
    aliases = {a for names in truth["aliases"].values() for a in names.values()}
    for alias in aliases:
        assert f">{alias}</text>" in w.svg
    for p in found:
        for kind, value in p.indicators:
            assert f"<title>{kind}: {value}</title>" in w.svg


def test_chart_draws_strong_links_and_leads_differently(linked) -> None:
    found, links, truth = linked
    w = LinkChart(found, links)
    true_pairs = {frozenset(p) for p in truth["true_links"].values()}
    strong = {_pair(f) for f in links if f.level == "strong"}
    leads = {_pair(f) for f in links if f.level == "lead"}
    assert true_pairs <= strong
    assert frozenset(truth["false_link"]) in leads
    assert w.svg.count('class="link strong"') == len(strong)
    assert w.svg.count('class="link lead"') == len(leads)
    solid = re.findall(r'stroke-width="([\d.]+)" stroke-dasharray="" class="link strong"', w.svg)
    dotted = re.findall(r'stroke-width="([\d.]+)" stroke-dasharray="[\d ]+" class="link lead"',
                        w.svg)
    assert solid and dotted and min(map(float, solid)) > max(map(float, dotted))


def test_choosing_a_link_shows_its_evidence(linked) -> None:
    found, links, truth = linked
    w = LinkChart(found, links)
    pgp = frozenset(truth["true_links"]["by_pgp_key"])
    index = next(i for _, i in w._w_link.options if i >= 0 and _pair(links[i]) == pgp)
    w._w_link.value = index
    assert w.value is links[index]
    # the shared fingerprint is the one both profiles show
    a, b = (next(p for p in found if p.alias == name) for name in links[index].subject)
    shared = {v for k, v in a.indicators if k == "pgp_fingerprint"} & \
             {v for k, v in b.indicators if k == "pgp_fingerprint"}
    assert len(shared) == 1
    shown = w._w_details.value
    assert shared.pop() in shown
    assert "strong" in shown and f"{links[index].confidence:.2f}" in shown
    for source in links[index].sources:
        assert source in shown
    assert 'class="chosen"' in w.svg
    w.value = None
    assert w.value is None and 'class="chosen"' not in w.svg


def test_the_lead_is_called_a_lead(linked) -> None:
    found, links, truth = linked
    w = LinkChart(found, links)
    lead = next(f for f in links if _pair(f) == frozenset(truth["false_link"]))
    w.value = lead
    assert w._w_link.value == links.index(lead)
    assert "a lead to check" in w._w_details.value
    assert "not proof" in w._w_details.value


def test_chart_refuses_wrong_input(linked) -> None:
    found, links, _ = linked
    with pytest.raises(TypeError) as exc:
        LinkChart(["ХимВетер"], links)
    assert "str" in one_line(exc)
    with pytest.raises(TypeError) as exc:
        LinkChart(found, [("a", "b")])
    assert "tuple" in one_line(exc)
    w = LinkChart(found, links)
    with pytest.raises(ValueError) as exc:
        w.value = Finding("link", ("x", "y"), 0.5)
    one_line(exc)


def test_chart_escapes_names() -> None:
    evil = Profile("market_ru", "<b>Evil</b>", {("telegram", "@x<y"): "market_ru/shop_01.html"})
    other = Profile("market_en", "Good", {("telegram", "@x<y"): "market_en/vendor_01.html"})
    link = Finding("link", ("<b>Evil</b>", "Good"), 0.85, ("same <i>handle</i>",), ("f",))
    w = LinkChart([evil, other], [link])
    assert "<b>Evil" not in w.svg and "&lt;b&gt;Evil&lt;/b&gt;" in w.svg
    w.value = link
    assert "<i>handle" not in w._w_details.value and "&lt;i&gt;handle" in w._w_details.value


def test_chart_speaks_russian(monkeypatch: pytest.MonkeyPatch, linked) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    found, links, truth = linked
    w = LinkChart(found, links)
    assert w._w_link.options[0][0] == "(связь не выбрана)"
    assert "Площадка магазинов" in w.svg
    w.value = next(f for f in links if _pair(f) == frozenset(truth["false_link"]))
    assert "низкая: версия для проверки" in w._w_details.value


# -- DropMap -----------------------------------------------------------------------------

def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance, written here again for the tests."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.fixture
def drops(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    data = world(seed).data
    return (photo_table(data / "photos"), pd.read_csv(data / "cities.csv"),
            world(seed).truth["photos"])


def test_map_lists_photos_with_no_position(seed: int, drops) -> None:
    photos, cities, truth = drops
    w = DropMap(photos, cities)
    folder = world(seed).data
    stripped = sorted(p["file"] for p in truth["photos"] if p["stripped"])
    for file in stripped:  # the generator stripped them: Pillow finds no EXIF
        with Image.open(folder / file) as image:
            assert len(image.getexif()) == 0
    assert sorted(w.no_position["file"]) == stripped
    for file in stripped:
        assert file in w._w_missing.value
    assert "no EXIF at all" in w._w_missing.value
    assert sorted(w.value["file"]) == sorted(p["file"] for p in truth["photos"]
                                             if not p["stripped"])
    placed = len(photos) - len(stripped)
    assert f"{placed} photos of {len(photos)} on the map" in w._w_summary.value
    assert f"with no position: {len(stripped)}" in w._w_summary.value


def test_map_zooms_on_a_city(drops) -> None:
    photos, cities, truth = drops
    w = DropMap(photos, cities)
    city = pd.Series([p["city"] for p in truth["photos"] if not p["stripped"]]).mode()[0]
    w._w_city.value = city
    centre = cities[cities["name"] == city].iloc[0]
    expected = sorted(p["file"] for p in truth["photos"] if not p["stripped"]
                      and km(p["lat"], p["lon"], centre["lat"], centre["lon"]) < 8)
    assert expected and sorted(w.value["file"]) == expected
    assert w.svg.count('class="photo"') == len(expected)
    assert w.svg.count('class="ring"') == 3
    # each photo's place is said as its distance and direction from the centre
    first = next(p for p in truth["photos"] if p["file"] == expected[0])
    distance = km(first["lat"], first["lon"], centre["lat"], centre["lon"])
    north = "N" if first["lat"] > centre["lat"] else "S"
    assert f"{distance:.1f} km " in w._w_table.value
    assert re.search(rf"{distance:.1f} km {north}[EW]? of the centre of {city}", w._w_table.value)


def test_map_colours_one_serial_one_colour(drops) -> None:
    photos, cities, truth = drops
    w = DropMap(photos, cities)
    dots = re.findall(r'<circle [^>]*fill="(#[0-9a-f]{6})"[^>]*class="photo" '
                      r'data-serial="([^"]+)"', w.svg)
    assert len(dots) == len(w.value)
    by_serial: dict[str, set[str]] = {}
    for colour, serial in dots:
        by_serial.setdefault(serial, set()).add(colour)
    assert all(len(c) == 1 for c in by_serial.values())
    colours = [c.pop() for c in by_serial.values()]
    assert len(set(colours)) == len(colours)
    courier = truth["courier_serial"]
    w._w_serial.value = courier
    mine = sorted(p["file"] for p in truth["photos"] if p["serial"] == courier)
    assert len(mine) > 1 and sorted(w.value["file"]) == mine
    assert set(re.findall(r'data-serial="([^"]+)"', w.svg)) == {courier}


def test_map_is_offline_and_outlines_are_right(drops) -> None:
    photos, cities, _ = drops
    w = DropMap(photos, cities)
    assert "<image" not in w.svg and "href" not in w.svg
    assert re.findall(r"https?://[^\"' ]+", w.svg) == ["http://www.w3.org/2000/svg"]
    assert "Natural Earth" in outline_source() and "Natural Earth" in w._w_map.value
    outlines = country_outlines()
    assert w.svg.count('class="country') == sum(len(r) for r in outlines.values())

    def inside(lon: float, lat: float, ring: list[tuple[float, float]]) -> bool:
        hit = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
        return hit

    for _, city in cities.iterrows():  # every city lies inside its own country's outline
        rings = outlines[city["country"]]
        assert any(inside(city["lon"], city["lat"], r) for r in rings), city["name"]


def test_map_refuses_wrong_input(drops) -> None:
    photos, cities, _ = drops
    with pytest.raises(ValueError) as exc:
        DropMap(photos.drop(columns=["serial"]), cities)
    assert "serial" in one_line(exc)
    with pytest.raises(ValueError) as exc:
        DropMap(photos, cities.drop(columns=["lat"]))
    assert "lat" in one_line(exc) and "cities" in str(exc.value)
    with pytest.raises(ValueError) as exc:
        DropMap(photos, cities.iloc[:0])
    one_line(exc)
    with pytest.raises(TypeError) as exc:
        DropMap("photos/", cities)
    assert "str" in one_line(exc)


def test_map_speaks_russian(monkeypatch: pytest.MonkeyPatch, drops) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    photos, cities, truth = drops
    w = DropMap(photos, cities)
    assert w._w_city.options[0][0] == "(весь регион)"
    city = next(p["city"] for p in truth["photos"] if not p["stripped"])
    name_ru = cities.loc[cities["name"] == city, "name_ru"].iloc[0]
    assert (name_ru, city) in w._w_city.options
    w._w_city.value = city
    assert f"от центра города {name_ru}" in w._w_table.value
    assert "EXIF нет совсем" in w._w_missing.value


# -- all three ---------------------------------------------------------------------------

def test_a_row_with_no_price_is_kept_until_a_limit_is_set(
        market: tuple[pd.DataFrame, Path]) -> None:
    listings, pages = market
    table = listings.copy()
    table.loc[table.index[0], "usd_per_gram"] = float("nan")
    w = MarketBrowser(table, pages)
    assert len(w.value) == len(table)
    limit = float(table["usd_per_gram"].median())
    w._w_max.value = limit
    pd.testing.assert_frame_equal(w.value, table[table["usd_per_gram"] <= limit])
    assert table.index[0] not in w.value.index


def test_every_widget_renders_headless(market, linked, drops) -> None:
    listings, pages = market
    found, links, _ = linked
    photos, cities, _ = drops
    for w in (MarketBrowser(listings, pages), LinkChart(found, links), DropMap(photos, cities)):
        bundle = w._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
        assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == w.layout.model_id


def test_the_outline_file_ships_with_the_package() -> None:
    """An installed course (wheel, offline bundle) has the base map too."""
    import tomllib

    from course.market import basemap

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text("utf-8"))
    shipped = project["tool"]["setuptools"]["package-data"]["course.market"]
    assert basemap.OUTLINES.name in shipped and basemap.OUTLINES.is_file()
    assert set(country_outlines()) == {"KZ", "KG", "TJ", "TM", "UZ", "AZ"}


def test_browser_takes_ids_written_as_numbers(market: tuple[pd.DataFrame, Path]) -> None:
    listings, pages = market
    table = listings.copy()
    escrow = table["listing_id"].notna()
    table["listing_id"] = pd.to_numeric(table["listing_id"])  # 100044.0 once NaN are mixed in
    table["listing_id"] = table["listing_id"].astype("Int64")
    w = MarketBrowser(table, pages)
    index = table.index[escrow][0]
    w._w_list.value = index
    assert w.listing is not None
    assert w.listing["listing_id"].endswith(str(table.loc[index, "listing_id"]))
