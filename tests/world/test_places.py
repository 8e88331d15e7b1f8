"""The world's places: every city is where its country is."""

from __future__ import annotations

from course.world import markets
from course.world.places import CITIES, CITY_BY_NAME


def test_baku_is_in_azerbaijan_not_central_asia() -> None:
    """Check that Baku is Azerbaijan's (South Caucasus), and every other city Central Asian."""
    baku = CITY_BY_NAME["Baku"]
    assert (baku.country, baku.region) == ("AZ", "South Caucasus")
    others = [c for c in CITIES if c.name != "Baku"]
    assert {c.region for c in others} == {"Central Asia"}
    assert {c.country for c in others} == {"KZ", "KG", "UZ", "TJ", "TM"}


def test_the_target_sells_in_a_central_asian_city() -> None:
    """Check the story's claim: the target's city is one of Central Asia's."""
    assert {CITY_BY_NAME[name].region for name in markets.TARGET_CITIES} == {"Central Asia"}
