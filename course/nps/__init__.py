"""New psychoactive substances: the course lexicon, a title classifier and trend data.

>>> from course.nps import classify_title
>>> classify_title("Альфа PVP кристаллы 0.5г").substance
'alpha-PVP'
"""

from __future__ import annotations

from course.nps.classify import Classification, classify_title, classify_titles, normalise
from course.nps.lexicon import (
    CATEGORIES,
    CONTROLLED,
    GROUPS,
    NPS,
    NPS_GROUPS,
    PHARMACEUTICAL,
    SUBSTANCE_BY_NAME,
    SUBSTANCES,
    UNKNOWN,
    Substance,
    category_of,
)
from course.nps.trends import CENTRAL_ASIA_NPS_REPORTED, growth_factor, trend_rows

__all__ = [
    "CATEGORIES",
    "CENTRAL_ASIA_NPS_REPORTED",
    "CONTROLLED",
    "GROUPS",
    "NPS",
    "NPS_GROUPS",
    "PHARMACEUTICAL",
    "SUBSTANCES",
    "SUBSTANCE_BY_NAME",
    "UNKNOWN",
    "Classification",
    "Substance",
    "category_of",
    "classify_title",
    "classify_titles",
    "growth_factor",
    "normalise",
    "trend_rows",
]
