"""Central Asia NPS trend figures, as data.

Number of new psychoactive substances reported by the countries of Central
Asia to the UNODC Early Warning Advisory on NPS, by year, as cited in the
course (UNODC, Global SMART / EWA reporting). The jump from one substance in
2013-2014 to dozens in 2015-2016 is the starting point of day 1.
"""

from __future__ import annotations

#: year -> number of NPS reported in Central Asia
CENTRAL_ASIA_NPS_REPORTED: dict[int, int] = {2013: 1, 2014: 1, 2015: 31, 2016: 48}

SOURCE = (
    "UNODC Early Warning Advisory on New Psychoactive Substances: NPS reported by "
    "Central Asian states, 2013-2016 (figures as cited in the course)."
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
