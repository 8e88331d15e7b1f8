"""The NPS lexicon and the Central Asia trend figures."""

from __future__ import annotations

import pytest

from course.nps import (
    CATEGORIES,
    CENTRAL_ASIA_NPS_REPORTED,
    GROUPS,
    NPS_GROUPS,
    SUBSTANCE_BY_NAME,
    SUBSTANCES,
    category_of,
    classify_title,
    growth_factor,
    normalise,
    trend_rows,
)
from course.nps.classify import _script_of
from course.nps.lexicon import substances_in_group
from course.nps.trends import SOURCE

EWA_GROUPS = {
    "synthetic_cathinones", "synthetic_cannabinoids", "phenethylamines", "piperazines",
    "tryptamines", "aminoindanes", "ketamine_pcp", "plant_based", "synthetic_opioids",
    "benzodiazepines", "other_nps",
}
#: Under the 1961 or 1971 convention and never NPS (INCB Yellow and Green Lists)
CONTROLLED_NOT_NPS = {"fentanyl", "alprazolam", "PCP", "DMT", "2C-B", "GHB", "heroin",
                      "cocaine", "cannabis", "methadone", "MDMA", "LSD"}
#: Medicines not under international control: not NPS (UNODC)
PHARMACEUTICALS = {"tramadol", "pregabalin", "tianeptine"}
#: NPS that were later scheduled; the UNODC EWA keeps counting them
SCHEDULED_NPS = {"mephedrone", "alpha-PVP", "isotonitazene", "metonitazene", "protonitazene"}


def test_groups_fall_into_three_categories() -> None:
    """Check the structure: EWA-based NPS groups, controlled drugs, pharmaceuticals, unknown."""
    assert set(NPS_GROUPS) == EWA_GROUPS
    assert set(GROUPS) == EWA_GROUPS | {"controlled", "pharmaceutical", "unknown"}
    assert set(CATEGORIES) == {"nps", "controlled", "pharmaceutical", "unknown"}
    for group in GROUPS:
        expected = "nps" if group in EWA_GROUPS else group
        assert category_of(group) == expected
        if group != "unknown":
            assert substances_in_group(group), group
    with pytest.raises(ValueError, match="unknown NPS group"):
        substances_in_group("stimulants")
    with pytest.raises(ValueError, match="unknown NPS group"):
        category_of("classic")


def test_controlled_drugs_and_medicines_are_not_nps() -> None:
    """Check the categories of the substances the definitions are about."""
    for name in CONTROLLED_NOT_NPS:
        assert SUBSTANCE_BY_NAME[name].category == "controlled", name
    for name in PHARMACEUTICALS:
        assert SUBSTANCE_BY_NAME[name].category == "pharmaceutical", name
    for name in SCHEDULED_NPS:
        assert SUBSTANCE_BY_NAME[name].category == "nps", name
    assert classify_title("Fentanyl 1g").group not in NPS_GROUPS


def test_unconfirmed_street_terms_are_gone() -> None:
    """Check that unconfirmed or misleading terms are not in the lexicon."""
    all_terms = {normalise(raw, _script_of(raw)) for s in SUBSTANCES for _kind, raw in s.terms}
    for term in ("шпак", "колеса", "белый китаец", "ниты", "tusi", "pink cocaine", "синтетика"):
        assert normalise(term, _script_of(term)) not in all_terms, term
    terms_2c_b = {raw for _kind, raw in SUBSTANCE_BY_NAME["2C-B"].terms}
    assert not terms_2c_b & {"tusi", "тусибай", "tucibi", "pink cocaine"}
    dck = {raw for _kind, raw in SUBSTANCE_BY_NAME["deschloroketamine"].terms}
    assert "2f-dck" not in dck  # 2-fluorodeschloroketamine is another substance
    assert SUBSTANCE_BY_NAME["3-MeO-PCP"].name_ru == "3-MeO-ФЦП"  # ФЦП, as for PCP


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
    """Check the Central Asia figures (1, 1, 31, 48 NPS in 2013-2016) and their named source."""
    assert CENTRAL_ASIA_NPS_REPORTED == {2013: 1, 2014: 1, 2015: 31, 2016: 48}
    assert "UNODC Regional Office for Central Asia (2017)" in SOURCE
    assert "as cited in the course" not in SOURCE
    assert trend_rows()[0] == {"year": 2013, "nps_reported": 1}
    assert growth_factor(2014, 2016) == 48
    with pytest.raises(ValueError, match="no NPS figure for 2020"):
        growth_factor(2014, 2020)
