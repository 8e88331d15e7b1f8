"""Central Asia NPS trend figures, as data, with their sources.

The number of new psychoactive substances reported by the countries of
Central Asia to the UNODC Early Warning Advisory (EWA) on NPS, by year, as
published by the UNODC Regional Office for Central Asia (2017). The EWA
collects *voluntary* reports from governments and laboratories: a figure
counts substances identified and reported, not the size of a market.
"""

from __future__ import annotations

#: year -> number of NPS reported in Central Asia (UNODC Regional Office for Central Asia, 2017)
CENTRAL_ASIA_NPS_REPORTED: dict[int, int] = {2013: 1, 2014: 1, 2015: 31, 2016: 48}

SOURCE = (
    "UNODC Regional Office for Central Asia (2017), '2017 highlights: New psychoactive "
    "substances are in the focus of the UNODC drug law enforcement agenda in Central Asia', "
    "citing the UNODC Early Warning Advisory on NPS: 1 NPS reported in 2013 and in 2014, "
    "31 in 2015, 48 in 2016."
)

#: Later regional figures (UNODC), for the notebook's text: (figure, source).
LATER_FIGURES: tuple[tuple[str, str], ...] = (
    (
        "58 different NPS reported by Kazakhstan, Kyrgyzstan, Tajikistan and Uzbekistan in "
        "2013-2016: 43% synthetic cathinones, 38% synthetic cannabinoids, 10% phenethylamines",
        "UNODC, Central Asia Synthetic Drugs Situation Assessment (Global SMART, December 2017)",
    ),
    (
        "119 NPS identified in Central Asia and Transcaucasia up to August 2020; after fewer "
        "substances in 2017 and 2018, their number rose by 65% in 2019; clandestine "
        "manufacture of stimulants and synthetic cannabinoids has appeared in the region",
        "UNODC, Global Synthetic Drugs Assessment 2020, regional overview",
    ),
)


def trend_rows() -> list[dict[str, int]]:
    """Return the figures as rows ``{"year": ..., "nps_reported": ...}`` in year order."""
    return [{"year": y, "nps_reported": n} for y, n in sorted(CENTRAL_ASIA_NPS_REPORTED.items())]


def growth_factor(start: int = 2014, end: int = 2016) -> float:
    """Return how many times more NPS were reported in ``end`` than in ``start``.

    Raises
    ------
    ValueError
        If a year has no figure.
    """
    for year in (start, end):
        if year not in CENTRAL_ASIA_NPS_REPORTED:
            known = ", ".join(map(str, CENTRAL_ASIA_NPS_REPORTED))
            raise ValueError(f"no NPS figure for {year}; years with figures: {known}")
    return CENTRAL_ASIA_NPS_REPORTED[end] / CENTRAL_ASIA_NPS_REPORTED[start]
