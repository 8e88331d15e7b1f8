"""Saved market pages into tables: every page of seeds 2026 and 7, and broken pages."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from market_world import SEEDS, world

from course.market.pages import PageFormatError, PageSpec, parse_html, parse_pages
from course.market.specs import MARKETS, number, read_market, read_markets


@pytest.mark.parametrize("seed", SEEDS)
def test_every_saved_page_parses_with_no_missing_field(seed: int) -> None:
    w = world(seed)
    tables = read_markets(w.data / "pages")
    pages = sorted(p.relative_to(w.data / "pages").as_posix()
                   for p in (w.data / "pages").rglob("*.html"))
    parsed = sorted({f for market in tables.values() for table in market.values()
                     for f in table["file"]})
    empty_city_pages = sorted(  # a city with no offer yields no row: its page still parsed
        p for p in pages if "/city_" in p and "Предложений: 0<" in (w.data / "pages" / p)
        .read_text(encoding="utf-8"))
    assert sorted(parsed + empty_city_pages) == pages
    for market, kinds in tables.items():
        for kind, table in kinds.items():
            optional = set(MARKETS[market][kind].optional)
            required = table.drop(columns=sorted(optional & set(table.columns)))
            assert not required.isna().any().any(), f"seed {seed}: {market}/{kind}"


@pytest.mark.parametrize("seed", SEEDS)
def test_tables_agree_with_the_generator(seed: int) -> None:
    w = world(seed)
    q = json.loads((w.data / "questions.json").read_text(encoding="utf-8"))
    ru = read_market(w.data / "pages" / "market_ru")
    en = read_market(w.data / "pages" / "market_en")
    assert len(en["listings"]) == w.answer("day2_listing_count")
    city = ru["cities"][ru["cities"]["city"] == q["city_for_offer_count"]]
    assert len(city) == w.answer("day2_city_offer_count") == city["count"].iloc[0]
    shop = ru["shops"][ru["shops"]["shop"] == q["target_shop"]]
    assert set(shop["city"]) == set(w.answer("day2_target_shop_cities"))
    fb = en["feedback"][en["feedback"]["vendor"] == q["feedback_vendor"]]
    assert len(fb) == w.answer("day2_feedback_count")
    assert set(fb["rating"]) <= {1, 2, 3, 4, 5}
    assert set(ru["reviews"]["rating"]) <= {1, 2, 3, 4, 5}
    # every showcase row is on its city's page, with the same price
    merged = ru["shops"].merge(ru["cities"], on="offer_id", suffixes=("", "_city"))
    assert len(merged) == len(ru["shops"]) == len(ru["cities"])
    assert (merged["amount"] == merged["amount_city"]).all()
    assert (merged["shop"] == merged["shop_city"]).all()
    assert set(ru["shops"]["drop_type"]) <= {"магнит", "прикоп", "тайник"}
    assert set(ru["shops"]["currency"]) <= {"KZT", "KGS", "UZS", "TJS", "TMT", "AZN"}
    aliases = w.truth["markets"]["aliases"]
    assert set(ru["shops"]["shop"]) == {a["market_ru"] for a in aliases.values()
                                        if "market_ru" in a}
    assert set(en["vendors"]["vendor"]) == {a["market_en"] for a in aliases.values()
                                            if "market_en" in a}
    target = w.truth["markets"]["target"]["listing_id"]
    assert en["listing_pages"]["listing_id"].tolist() == [target]
    assert target in set(en["listings"]["listing_id"])


def test_number_reads_market_writing() -> None:
    assert number("20 000") == 20000.0
    assert number("4.85/5") == 4.85
    assert number("USD 1 250.50") == 1250.5
    assert number("0,25 г") == 0.25
    with pytest.raises(ValueError, match="'n/a' holds no number"):
        number("n/a")


SPEC = PageSpec("demo", "*.html", page={"shop": "h1.shop"}, container="ul.items",
                records="li", fields={"id": "@data-id", "item": "span.name",
                                      "link": "a@href"})


def test_a_tiny_page() -> None:
    html = ('<h1 class="shop">Тест</h1><ul class="items"><li data-id="1"><span class="name">'
            'чай</span><a href="/x/1">x</a></li><li data-id="2"><span class="name">кофе</span>'
            '<a href="/x/2">x</a></li></ul>')
    table = parse_html(html, SPEC, "tiny.html")
    assert table.to_dict("records") == [
        {"shop": "Тест", "id": "1", "item": "чай", "link": "/x/1", "file": "tiny.html"},
        {"shop": "Тест", "id": "2", "item": "кофе", "link": "/x/2", "file": "tiny.html"},
    ]
    empty = parse_html('<h1 class="shop">S</h1><ul class="items"></ul>', SPEC, "e.html")
    assert empty.empty and list(empty.columns) == ["shop", "id", "item", "link", "file"]


@pytest.mark.parametrize(("html", "field"), [
    ('<h1 class="other">S</h1><ul class="items"></ul>', "shop"),
    ('<h1 class="shop">S</h1><div class="items"></div>', "container"),
    ('<h1 class="shop">S</h1><ul class="items"><li><span class="name">x</span><a href="/">'
     '</a></li></ul>', "id"),
    ('<h1 class="shop">S</h1><ul class="items"><li data-id="1"><span class="nam">x</span>'
     '<a href="/"></a></li></ul>', "item"),
    ('<h1 class="shop">S</h1><ul class="items"><li data-id="1"><span class="name">x</span>'
     '<a></a></li></ul>', "link"),
])
def test_a_page_that_does_not_match_names_field_and_file(html: str, field: str) -> None:
    with pytest.raises(PageFormatError) as error:
        parse_html(html, SPEC, "broken.html")
    message = str(error.value)
    assert "\n" not in message
    assert f"'{field}'" in message and message.startswith("broken.html")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("market", "pattern", "old", "new", "field"), [
    ("market_ru", "shop_03.html", 'class="shop-name"', 'class="shop-title"', "shop"),
    ("market_ru", "shop_02.html", '<td class="klad">', '<td class="drop">', "drop_type"),
    ("market_ru", "city_almaty.html", 'class="cards"', 'class="grid"', "container"),
    ("market_en", "search_p2.html", 'class="usd"', 'class="dollars"', "price_usd"),
    ("market_en", "vendor_02.html", 'class="pgp-key"', 'class="key"', "pgp_key"),
    ("market_en", "feedback_01.html", 'class="rating"', 'class="score"', "rating"),
])
def test_one_broken_selector_on_a_real_page(tmp_path: Path, seed: int, market: str,
                                            pattern: str, old: str, new: str,
                                            field: str) -> None:
    source = world(seed).data / "pages" / market
    folder = tmp_path / market
    shutil.copytree(source, folder)
    page = folder / pattern
    html = page.read_text(encoding="utf-8")
    assert old in html
    page.write_text(html.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PageFormatError) as error:
        read_market(folder)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"{market}/{pattern}:") and f"'{field}'" in message


def test_no_page_of_a_kind_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PageFormatError, match=r"No demo page matching \*\.html"):
        parse_pages(tmp_path, SPEC)


def test_a_bad_number_names_field_and_file(tmp_path: Path) -> None:
    folder = tmp_path / "market_en"
    shutil.copytree(world(2026).data / "pages" / "market_en", folder)
    page = folder / "search_p1.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r'<span class="usd">[^<]*', '<span class="usd">USD ask', html,
                           count=1), encoding="utf-8")
    with pytest.raises(PageFormatError, match=r"market_en/search_p1\.html: .*'price_usd'"):
        read_market(folder)


def test_errors_in_russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_LANG", "ru")
    with pytest.raises(PageFormatError, match="нет поля «shop»"):
        parse_html("<p></p>", SPEC, "x.html")


def test_types() -> None:
    en = read_market(world(7).data / "pages" / "market_en")
    assert pd.api.types.is_datetime64_any_dtype(en["listings"]["posted"])
    assert pd.api.types.is_float_dtype(en["listings"]["price_usd"])
    assert en["listings"]["listing_id"].str.fullmatch(r"\d{6}").all()


def test_a_city_card_without_its_three_parts(tmp_path: Path) -> None:
    folder = tmp_path / "market_ru"
    shutil.copytree(world(7).data / "pages" / "market_ru", folder)
    page = next(p for p in sorted(folder.glob("city_*.html"))
                if 'class="card-meta"' in p.read_text(encoding="utf-8"))
    html = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r'(class="card-meta">[^<·]*)·', r"\1-", html, count=1),
                    encoding="utf-8")
    with pytest.raises(PageFormatError, match=rf"market_ru/{page.name}: .*'meta'.*3 parts"):
        read_market(folder)
