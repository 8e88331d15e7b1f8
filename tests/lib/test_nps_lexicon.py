"""The NPS lexicon and the Central Asia trend figures."""

from __future__ import annotations

import pytest

from course.nps import (
    CENTRAL_ASIA_NPS_REPORTED,
    GROUPS,
    SUBSTANCES,
    classify_title,
    growth_factor,
    normalise,
    trend_rows,
)
from course.nps.classify import _script_of
from course.nps.lexicon import substances_in_group

EWA_GROUPS = {
    "synthetic_cathinones", "synthetic_cannabinoids", "phenethylamines", "piperazines",
    "tryptamines", "aminoindanes", "ketamine_pcp", "plant_based", "synthetic_opioids",
    "benzodiazepines", "other_nps",
}


def test_every_ewa_group_has_substances() -> None:
    """Check that each UNODC EWA group and the classic drugs have lexicon entries."""
    assert EWA_GROUPS | {"classic", "unknown"} == set(GROUPS)
    for group in EWA_GROUPS | {"classic"}:
        assert substances_in_group(group), group
    with pytest.raises(ValueError, match="unknown NPS group"):
        substances_in_group("stimulants")


def test_no_term_names_two_substances() -> None:
    """Check that no normalised term belongs to two substances."""
    owner: dict[tuple[str, str], str] = {}
    for substance in SUBSTANCES:
        for _kind, raw in substance.terms:
            script = _script_of(raw)
            key = (script, normalise(raw, script))
            assert owner.setdefault(key, substance.name) == substance.name, (raw, owner[key])


def test_every_substance_name_classifies_as_itself() -> None:
    """Check that the English and Russian names of each substance find that substance."""
    for substance in SUBSTANCES:
        for name in (substance.name, substance.name_ru):
            result = classify_title(f"{name} 1g")
            assert result.substance == substance.name, (name, result)


def test_trend_figures() -> None:
    """Check the Central Asia figures: 1, 1, 31, 48 NPS in 2013-2016."""
    assert CENTRAL_ASIA_NPS_REPORTED == {2013: 1, 2014: 1, 2015: 31, 2016: 48}
    assert trend_rows()[0] == {"year": 2013, "nps_reported": 1}
    assert growth_factor(2014, 2016) == 48
    with pytest.raises(ValueError, match="no NPS figure for 2020"):
        growth_factor(2014, 2020)
