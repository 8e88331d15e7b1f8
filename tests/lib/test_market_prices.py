"""Quantities, price per gram and rates: hand cases and the answers of seeds 2026 and 7."""

from __future__ import annotations

import csv
import json
import statistics

import pandas as pd
import pytest
from market_world import SEEDS, world

from course.market.prices import Quantity, QuantityError, Rates, parse_quantity, price_per_gram
from course.market.specs import read_market
from course.nps import classify_title


@pytest.mark.parametrize(("text", "amount", "unit", "grams"), [
    ("1г", 1.0, "g", 1.0),
    ("0,5 г", 0.5, "g", 0.5),
    ("Мефедрон VHQ 5гр", 5.0, "g", 5.0),
    ("Alpha-PVP [HQ] 0.3 grams", 0.3, "g", 0.3),
    ("Kratom bulk 1kg", 1.0, "kg", 1000.0),
    ("Гашиш 2 КГ", 2.0, "kg", 2000.0),
    ("LSD 250mg", 250.0, "mg", 0.25),
    ("ecstasy 10 pcs", 10.0, "pcs", None),
    ("Экстази 5 шт", 5.0, "pcs", None),
    ("Mephedrone (1 g) 1g", 1.0, "g", 1.0),  # the same quantity twice is one quantity
])
def test_quantities(text: str, amount: float, unit: str, grams: float | None) -> None:
    assert parse_quantity(text) == Quantity(amount, unit, grams)


@pytest.mark.parametrize(("text", "why"), [
    ("Мефедрон VHQ", "No quantity"),
    ("Top 99% pure", "No quantity"),
    ("3-MMC crystals", "No quantity"),
    ("1г + 2г", "More than one quantity"),
    ("mix 1g or 1kg", "More than one quantity"),
])
def test_unparseable_quantities_are_errors(text: str, why: str) -> None:
    with pytest.raises(QuantityError, match=why):
        parse_quantity(text)


def test_unparseable_rows_are_reported_not_guessed() -> None:
    table = pd.DataFrame({"title": ["A 2 g", "B", "C 10 pcs", "D 0,5 г"],
                          "amount": [100.0, 50.0, 30.0, 40.0], "currency": "KZT"})
    priced, problems = price_per_gram(table, quantity="title")
    assert priced["title"].tolist() == ["A 2 g", "D 0,5 г"]
    assert priced["per_gram"].tolist() == [50.0, 80.0]
    assert problems["title"].tolist() == ["B", "C 10 pcs"]
    assert "No quantity" in problems["reason"].iloc[0]
    assert "counts pieces" in problems["reason"].iloc[1]


def test_rates_at_a_date() -> None:
    rates = Rates(pd.DataFrame({
        "date": ["2025-01-01", "2025-02-01", "2025-01-01"],
        "currency": ["KZT", "KZT", "BTC"], "usd_per_unit": [0.002, 0.0019, 94000.0]}))
    assert rates.usd_per_unit("KZT", "2025-01-31") == 0.002
    assert rates.usd_per_unit("KZT", "2025-02-01") == 0.0019
    assert rates.usd_per_unit("KZT", "2025-12-31") == 0.0019
    assert rates.usd_per_unit("USD", "1999-01-01") == 1.0
    with pytest.raises(KeyError, match="No KZT rate on or before 2024-12-31"):
        rates.usd_per_unit("KZT", "2024-12-31")
    table = pd.DataFrame({"title": ["x 2г", "y 1г"], "amount": [1000.0, 100.0],
                          "currency": ["KZT", "KZT"], "day": ["2025-01-15", "2025-02-15"]})
    priced, problems = price_per_gram(table, rates, quantity="title", date_column="day")
    assert priced["usd_per_gram"].tolist() == pytest.approx([1.0, 0.19])
    assert problems.empty
    with pytest.raises(ValueError, match="no date column"):
        Rates(pd.DataFrame({"currency": ["KZT"], "usd_per_unit": [0.002]}))
    with pytest.raises(ValueError, match="usd_per_unit"):
        Rates(pd.DataFrame({"currency": ["KZT"]}), "2025-01-01")


@pytest.mark.parametrize("seed", SEEDS)
def test_medians_per_gram_are_the_answers(seed: int) -> None:
    w = world(seed)
    q = json.loads((w.data / "questions.json").read_text(encoding="utf-8"))
    ru = read_market(w.data / "pages" / "market_ru")
    shops = ru["shops"][ru["shops"]["currency"] == q["price_currency"]]
    shops = shops[[classify_title(x).substance == q["price_substance"] for x in shops["title"]]]
    priced, problems = price_per_gram(shops)
    assert problems.empty
    assert statistics.median(priced["per_gram"]) == pytest.approx(
        w.answer("day2_price_per_gram_median"), abs=0.01)
    en = read_market(w.data / "pages" / "market_en")
    listings = en["listings"]
    listings = listings[[classify_title(x).substance == q["usd_price_substance"]
                         for x in listings["title"]]]
    priced, problems = price_per_gram(listings, price="price_usd", currency="USD",
                                      quantity="title")
    assert problems.empty and len(priced) == len(listings)
    assert statistics.median(priced["per_gram"]) == pytest.approx(
        w.answer("day2_price_per_gram_median_usd"), abs=1e-4)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_weight_parses_and_converts_at_the_capture_day(seed: int) -> None:
    w = world(seed)
    with (w.data / "fx_rates.csv").open(encoding="utf-8") as stream:
        usd = {r["currency"]: float(r["usd_per_unit"]) for r in csv.DictReader(stream)}
    day = w.state["markets"]["capture_day"]
    rates = Rates.from_csv(w.data / "fx_rates.csv", day)
    shops = read_market(w.data / "pages" / "market_ru")["shops"]
    priced, problems = price_per_gram(shops, rates, on=day)
    assert problems.empty and len(priced) == len(shops)
    grams = [float(x.split()[0].replace(",", ".")) for x in shops["quantity"]]
    assert priced["grams"].tolist() == pytest.approx(grams)
    expected = [a / g * usd[c] for a, g, c in zip(shops["amount"], grams, shops["currency"],
                                                  strict=True)]
    assert priced["usd_per_gram"].tolist() == pytest.approx(expected)
    # the day before the capture there is no rate in this file: reported, not guessed
    _, problems = price_per_gram(shops.head(3), rates, on="2025-01-01")
    assert len(problems) == 3 and problems["reason"].str.contains("on or before").all()


def test_the_daily_series_of_the_world(tmp_path) -> None:
    from datetime import date

    from course.world.prices import btc_usd, kzt_per_usd, series

    path = tmp_path / "rates.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["date", "btc_usd", "kzt_per_usd"])
        for day, row in series().items():
            writer.writerow([day, row["btc_usd"], row["kzt_per_usd"]])
    rates = Rates.from_series(path)
    for day in (date(2025, 3, 17), date(2025, 10, 15)):
        assert rates.usd_per_unit("BTC", day) == pytest.approx(btc_usd(day))
        assert rates.usd_per_unit("KZT", day) == pytest.approx(1 / kzt_per_usd(day))
    # a listing posted on a day converts at that day's rate, not the capture day's
    table = pd.DataFrame({"title": ["x 1г", "x 1г"], "amount": [0.001, 0.001],
                          "currency": "BTC", "posted": ["2025-03-17", "2025-10-15"]})
    priced, _ = price_per_gram(table, rates, quantity="title", date_column="posted")
    assert priced["usd_per_gram"].tolist() == pytest.approx(
        [0.001 * btc_usd(date(2025, 3, 17)), 0.001 * btc_usd(date(2025, 10, 15))])
    (tmp_path / "bad.csv").write_text("day,btc_usd\n2025-01-01,1\n")
    with pytest.raises(ValueError, match="lacks the column"):
        Rates.from_series(tmp_path / "bad.csv")
