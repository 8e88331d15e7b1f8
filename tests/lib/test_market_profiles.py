"""Seller profiles: seeds 2026 and 7 against the generator, feedback limits by hand."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from market_world import SEEDS, world

from course.market.profiles import activity, feedback_estimate, offer_by_group, sellers
from course.market.specs import read_markets


@pytest.mark.parametrize("seed", SEEDS)
def test_sellers_and_groups(seed: int) -> None:
    w = world(seed)
    q = json.loads((w.data / "questions.json").read_text(encoding="utf-8"))
    markets = read_markets(w.data / "pages")
    table = sellers(markets).set_index(["market", "alias"])
    aliases = w.truth["markets"]["aliases"]
    expected = {(m, a) for roles in aliases.values() for m, a in roles.items()}
    assert set(table.index) == expected
    for (_market, _alias), row in table.iterrows():
        html = (w.data / "pages" / row["file"]).read_text(encoding="utf-8")
        assert row["sales"] == int(re.search(r'class="sales">(\d+)<', html).group(1))
        assert row["pgp_key"] == ("BEGIN PGP PUBLIC KEY BLOCK" in html)
    target = aliases["vendor_target"]
    assert table.loc[("market_ru", target["market_ru"]), "pgp_key"]
    assert table.loc[("market_en", q["feedback_vendor"]), "feedback"] == w.answer(
        "day2_feedback_count")
    groups = offer_by_group(markets["market_en"]["listings"], "vendor").loc[q["profile_vendor"]]
    assert {g: int(n) for g, n in groups.items() if n} == w.answer("day2_vendor_groups")
    months = activity(markets["market_en"]["feedback"], "vendor")
    assert months[q["feedback_vendor"]].sum() == w.answer("day2_feedback_count")


def test_feedback_limits_by_hand() -> None:
    feedback = pd.DataFrame({
        "shop": ["A", "A", "A", "A", "B"],
        "date": ["2025-09-01", "2025-09-01", "2025-09-01", "2025-10-02", "2025-10-02"],
        "buyer": ["x***y", "x***y", "k***m", "k***m", "p***q"],
        "item": ["1г", "1г", "1г", "2г", "1г"],
        "text": ["ок", "ок", "ок", "супер", "ок"],
    })
    stated = pd.Series({"A": 40, "B": 3})
    out = feedback_estimate(feedback, "shop", stated).set_index("shop")
    assert out.loc["A", "entries"] == 4
    assert out.loc["A", "orders_at_least"] == 3  # the x***y entry twice is one order at most
    assert out.loc["A", "repeated_entries"] == 1
    assert out.loc["A", "busiest_day"] == 3
    assert out.loc["A", "same_text_share"] == 0.75
    assert out.loc["A", "stated_sales"] == 40 and out.loc["B", "stated_sales"] == 3
    assert out.loc["B", "first"] == pd.Timestamp("2025-10-02")
    months = activity(feedback, "shop")
    assert months["A"].tolist() == [3, 1] and months["B"].tolist() == [0, 1]
